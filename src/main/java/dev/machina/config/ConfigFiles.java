package dev.machina.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Reading configuration files in any format, and writing them atomically. */
public final class ConfigFiles {
    private ConfigFiles() {}

    /** The largest configuration file read (QEMU reads any size; real ones are a few KiB). */
    static final int MAX_FILE_BYTES = 16 << 20;

    /** Reads a file named as the user typed it ({@link #read(Path, String, ConfigFormat, ReadMode)}). */
    public static ReadResult read(String file, ConfigFormat format, ReadMode mode) {
        Path path;
        try {
            path = Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            return problem(file, "not a valid file name: " + e.getReason());
        }
        return read(path, file, format, mode);
    }

    /**
     * Reads a file. {@code display} is how messages name it (the path as the user typed it);
     * {@code mode} applies to cfg files (the other formats have no QEMU behaviour to reproduce).
     */
    public static ReadResult read(Path path, String display, ConfigFormat format, ReadMode mode) {
        byte[] data;
        try {
            if (Files.isDirectory(path)) {
                return problem(display, "is a directory");
            }
            try (java.io.InputStream in = Files.newInputStream(path)) {
                data = in.readNBytes(MAX_FILE_BYTES + 1); // not all of a huge file (or of /dev/zero)
            }
            if (data.length > MAX_FILE_BYTES) {
                return problem(display, "larger than " + (MAX_FILE_BYTES >> 20) + " MiB: not a configuration file");
            }
        } catch (NoSuchFileException e) {
            return problem(display, "no such file");
        } catch (AccessDeniedException e) {
            return problem(display, "permission denied");
        } catch (IOException e) {
            return problem(display, "cannot read: " + e.getMessage());
        }
        return switch (format) {
            case CFG -> mode == ReadMode.QEMU ? QemuCfgReader.read(data, display) : CfgReader.read(data, display);
            case YAML -> YamlFormat.read(data, display);
            case JSON -> JsonFormat.read(data, display);
            case HOCON -> cfgHint(HoconFormat.read(path, display), data);
        };
    }

    /**
     * A {@code .conf} file is HOCON to {@code config check}/{@code convert} but QEMU's cfg format to
     * {@code -readconfig} (and {@code -writeconfig} writes cfg there): when such a file fails as HOCON
     * and its first line that is not blank or a comment is a {@code [group]} header, say so.
     */
    private static ReadResult cfgHint(ReadResult r, byte[] data) {
        if (r.ok()) {
            return r;
        }
        String first = Bytes.latin1(data).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .findFirst().orElse("");
        if (!first.startsWith("[")) {
            return r;
        }
        List<ConfigError> ds = new java.util.ArrayList<>(r.diagnostics());
        ConfigError e = ds.get(0);
        ds.set(0, new ConfigError.Syntax(e.origin(), e.message(),
                "the file looks like QEMU's cfg format (as -writeconfig writes a .conf file): give --from cfg"));
        return new ReadResult(r.config(), ds);
    }

    private static ReadResult problem(String file, String what) {
        return new ReadResult(VmConfig.EMPTY, List.of(new ConfigError.FileProblem(Origin.NONE, file, what)));
    }

    /**
     * The format of a file for {@code config convert}/{@code check}: the override if given, else its
     * extension ({@code .cfg}, {@code .yaml}/{@code .yml}, {@code .json}, {@code .conf}/{@code .hocon}).
     */
    public static ConfigFormat formatOf(String file, Optional<ConfigFormat> override) {
        if (override.isPresent()) {
            return override.get();
        }
        return ConfigFormat.byExtension(file).orElseThrow(() -> new ConfigException(new ConfigError.FileProblem(Origin.NONE, file,
                "cannot tell the format from the extension; name it .cfg, .yaml, .json or .conf/.hocon, or give --from")));
    }

    /**
     * The format of a {@code -readconfig} file: YAML, JSON or HOCON by a {@code .yaml}/{@code .yml},
     * {@code .json} or {@code .hocon} extension, QEMU's cfg format otherwise (a {@code .conf} file is
     * cfg here, as QEMU reads it: LXD names its generated files {@code qemu.conf}).
     */
    public static ConfigFormat readconfigFormat(String file) {
        Optional<ConfigFormat> f = ConfigFormat.byExtension(file);
        return f.filter(x -> x != ConfigFormat.HOCON || file.toLowerCase(java.util.Locale.ROOT).endsWith(".hocon")).orElse(ConfigFormat.CFG);
    }

    /** The loader {@link CommandLineParser} uses for {@code -readconfig}. */
    public static CommandLineParser.FileLoader readconfigLoader() {
        return (path, mode, from) -> {
            ReadResult r = read(path, readconfigFormat(path), mode);
            // "-readconfig x.cfg: x.cfg: no such file", as QEMU names the option first
            List<ConfigError> ds = r.diagnostics().stream().map(d -> d instanceof ConfigError.FileProblem fp
                    ? new ConfigError.FileProblem(from, fp.file(), fp.problem()) : d).toList();
            return new ReadResult(r.config(), ds);
        };
    }

    /** The configuration as text in a format; a {@link ConfigException} when the format cannot hold it. */
    public static String render(VmConfig config, ConfigFormat format) {
        return switch (format) {
            case CFG -> CfgWriter.write(config);
            case YAML -> YamlFormat.write(config);
            case JSON -> JsonFormat.write(config);
            case HOCON -> HoconFormat.write(config);
        };
    }

    /**
     * Writes a file atomically: the text goes to a new file in the same directory, is flushed to
     * disk, then renamed over the target. A reader sees the old file or the new one, never half of
     * one; on any failure the target is untouched and the temporary file is removed. A symlink's
     * target is replaced, not the link; a target that exists and is not a regular file (a device such
     * as {@code /dev/stdout}, a pipe) is written in place, as renaming over it would replace it.
     *
     * <p>A name under {@code /dev} or {@code /proc}, or a symlink that leads there, is never renamed
     * over: {@code /dev/stdout} may lead through {@code /proc/self/fd/1} to the regular file the shell
     * redirected output to ({@code -o /dev/stdout >> log}), and replacing that file would lose what it
     * held. Standard output and standard error themselves are written through the process's own
     * streams, so the shell's append mode and position are kept.
     */
    public static void writeAtomically(String target, String text) {
        if (target.isEmpty()) {
            throw new ConfigException(new ConfigError.FileProblem(Origin.NONE, "''", "an empty file name; name the file to write"));
        }
        Path path;
        try {
            path = Path.of(target);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(new ConfigError.FileProblem(Origin.NONE, target, "not a valid file name: " + e.getReason()));
        }
        writeAtomically(path, text);
    }

    public static void writeAtomically(Path target, String text) {
        Path abs = target.toAbsolutePath();
        if (writesToAStream(target, abs, text)) {
            return;
        }
        if (Files.isDirectory(abs)) {
            throw new ConfigException(new ConfigError.FileProblem(Origin.NONE, target.toString(), "cannot write: is a directory"));
        }
        if (Files.exists(abs)) {
            if (!Files.isRegularFile(abs)) {
                writeInPlace(target, abs, text); // a device or pipe (/dev/stdout, a FIFO): renaming over it would replace it
                return;
            }
            if (!Files.isWritable(abs)) {
                // renaming over it would succeed (only the directory's permissions count), defeating the protection
                throw new ConfigException(new ConfigError.FileProblem(Origin.NONE, target.toString(),
                        "cannot write: the file is read-only (make it writable, or write another file)"));
            }
            try {
                abs = abs.toRealPath(); // a symlink stays a link: the file it points to is replaced
            } catch (IOException e) {
                throw new ConfigException(new ConfigError.FileProblem(Origin.NONE, target.toString(), "cannot write: " + e.getMessage()));
            }
        } else if (Files.isSymbolicLink(abs)) {
            try {
                abs = abs.resolveSibling(Files.readSymbolicLink(abs)); // a dangling link: create the file it names
            } catch (IOException e) {
                throw new ConfigException(new ConfigError.FileProblem(Origin.NONE, target.toString(), "cannot write: " + e.getMessage()));
            }
        }
        Path dir = abs.getParent();
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            copyPermissions(abs, tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write failed already; that is what the user needs to hear about
            }
            String why = e instanceof NoSuchFileException ? (Files.isDirectory(dir) ? "cannot create a file in " + dir : "the directory does not exist")
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
            throw new ConfigException(new ConfigError.FileProblem(Origin.NONE, target.toString(), "cannot write: " + why));
        }
    }

    /** How many symlinks to follow before giving up, as the kernel does (Linux's MAXSYMLINKS is 40). */
    private static final int MAX_LINKS = 40;

    /**
     * Handles a target that names an open stream rather than a file: {@code /dev/stdout},
     * {@code /dev/stderr}, {@code /dev/fd/N}, {@code /proc/.../fd/N} or a link leading to one. Returns
     * false for an ordinary file, which the caller writes atomically.
     */
    private static boolean writesToAStream(Path target, Path abs, String text) {
        Path p = abs.normalize();
        for (int hops = 0; hops <= MAX_LINKS; hops++) {
            String name = p.toString();
            if (name.equals("/dev/stdout") || name.equals("/dev/fd/1") || name.equals("/proc/self/fd/1")) {
                writeToStandardStream(target, System.out, text);
                return true;
            }
            if (name.equals("/dev/stderr") || name.equals("/dev/fd/2") || name.equals("/proc/self/fd/2")) {
                writeToStandardStream(target, System.err, text);
                return true;
            }
            if (name.startsWith("/dev/") || name.startsWith("/proc/")) {
                if (Files.isDirectory(p)) {
                    return false; // reported as "is a directory" by the caller
                }
                writeInPlace(target, abs, text);
                return true;
            }
            if (!Files.isSymbolicLink(p)) {
                return false;
            }
            try {
                p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
            } catch (IOException e) {
                return false; // the caller reports what is wrong with the path
            }
        }
        return false;
    }

    private static void writeToStandardStream(Path target, java.io.PrintStream stream, String text) {
        stream.print(text);
        stream.flush();
        if (stream.checkError()) {
            throw new ConfigException(new ConfigError.FileProblem(Origin.NONE, target.toString(), "cannot write: the stream is closed or full"));
        }
    }

    private static void writeInPlace(Path target, Path real, String text) {
        try (OutputStream out = Files.newOutputStream(real, StandardOpenOption.WRITE)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(new ConfigError.FileProblem(Origin.NONE, target.toString(), "cannot write: " + e.getMessage()));
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        PosixFileAttributeView src = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView dst = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (src != null && dst != null) {
            dst.setPermissions(src.readAttributes().permissions());
        }
    }
}
