package dev.machina.machine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where machine data comes from: the files packed with Machina ({@code machines/*.yaml},
 * {@code machines/types/*.yaml}, {@code compat/*.yaml} on the classpath, so the jar works anywhere),
 * or files a user names.
 */
public final class DataFiles {
    private DataFiles() {}

    /** One data file: the name messages use (as the user wrote it, or the packaged path) and its text. */
    public record DataFile(String name, String text) {
        // equals and hashCode written out: a record's own are an invokedynamic of ObjectMethods, whose method
        // handles the JVM spins at run time (the ahead-of-time cache keeps none); every start keys a map by these
        @Override
        public boolean equals(Object o) {
            return o instanceof DataFile f && name.equals(f.name) && text.equals(f.text);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + text.hashCode();
        }
    }

    /**
     * The largest data file read (32 MiB; the largest packaged one is about 25 KB): more is refused
     * before it is parsed, at the line where the limit falls, so {@code /dev/zero} costs 32 MiB, not
     * all memory.
     */
    public static final int MAX_FILE_BYTES = 32 << 20;

    /** The directories packaged data lives in, relative to the classpath root. */
    public static final List<String> DIRS = List.of("machines", "machines/types", "compat");

    /** All packaged data files, sorted by name. */
    public static List<DataFile> packaged() {
        return packaged(DIRS);
    }

    /** Only the packaged machine-family files ({@code machines/*.yaml}): enough to list machines. */
    public static List<DataFile> packagedFamilies() {
        return packaged(List.of("machines"));
    }

    private static List<DataFile> packaged(List<String> dirs) {
        List<String> names = new ArrayList<>();
        Path root = codeRoot();
        if (root != null && Files.isDirectory(root)) {
            for (String d : dirs) {
                Path dir = root.resolve(d);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".yaml")).forEach(f -> names.add(d + "/" + f.getFileName()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        } else if (root != null && Files.isRegularFile(root)) {
            // the texts are read from the jar listed, not through the class loader: a resource lookup makes a URL
            // and a connection per file, and was half of this at every start
            java.util.TreeMap<String, JarEntry> entries = new java.util.TreeMap<>(); // by name
            try (JarFile jar = new JarFile(root.toFile())) {
                for (java.util.Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                    JarEntry e = en.nextElement();
                    String n = e.getName();
                    int slash = n.lastIndexOf('/');
                    if (slash > 0 && n.endsWith(".yaml") && dirs.contains(n.substring(0, slash))) {
                        entries.put(n, e);
                    }
                }
                List<DataFile> out = new ArrayList<>();
                for (JarEntry e : entries.values()) {
                    try (InputStream in = jar.getInputStream(e)) {
                        out.add(new DataFile(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    }
                }
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        names.sort(Comparator.naturalOrder());
        List<DataFile> out = new ArrayList<>();
        for (String n : names) {
            try (InputStream in = DataFiles.class.getClassLoader().getResourceAsStream(n)) {
                if (in != null) {
                    out.add(new DataFile(n, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Where this class was loaded from: the jar, or the classes directory the build copies the data into. */
    static Path codeRoot() {
        try {
            return Path.of(DataFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException | SecurityException e) {
            return null;
        }
    }

    /**
     * Reads the named files; a directory stands for every {@code *.yaml} below it. Unreadable paths
     * are errors with the path as the user wrote it.
     */
    public static List<DataFile> read(List<String> paths) {
        List<DataFile> out = new ArrayList<>();
        List<MachineError> errors = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            if (Files.isDirectory(path)) {
                List<Path> found;
                try (Stream<Path> s = Files.walk(path)) {
                    found = s.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
                } catch (IOException | UncheckedIOException e) {
                    errors.add(new MachineError.Unreadable(Position.of(p), reason(e)));
                    continue;
                }
                if (found.isEmpty()) {
                    // checking nothing against the packaged data would say "ok" about a mistyped directory
                    errors.add(new MachineError.NoDataFiles(Position.of(p)));
                }
                for (Path f : found) {
                    try {
                        out.add(readFile(f, f.toString()));
                    } catch (MachineDataException e) {
                        errors.addAll(e.errors());
                    }
                }
            } else {
                try {
                    out.add(readFile(path, p));
                } catch (MachineDataException e) {
                    errors.addAll(e.errors());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new MachineDataException(errors);
        }
        return out;
    }

    /**
     * The data files of a data tree: a directory holding {@code machines/}, {@code machines/types/}
     * and {@code compat/} as a Machina checkout does (another checkout, or an edited copy of the data).
     * Only those directories are read, each without descending further, as the packaged data is;
     * files are named by the path the user gave plus their place in the tree.
     *
     * @throws MachineDataException when the directory is missing, is not a data tree or cannot be read
     */
    public static List<DataFile> tree(String dir) {
        Path root = Path.of(dir);
        if (!Files.isDirectory(root)) {
            throw new MachineDataException(new MachineError.NotADataTree(Position.of(dir),
                    Files.exists(root) ? "it is not a directory" : "no such directory"));
        }
        if (!Files.isDirectory(root.resolve("machines"))) {
            throw new MachineDataException(new MachineError.NotADataTree(Position.of(dir), "it has no machines/ directory"));
        }
        List<DataFile> out = new ArrayList<>();
        for (String d : DIRS) {
            Path sub = root.resolve(d);
            if (!Files.isDirectory(sub)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(sub)) {
                files = s.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList();
            } catch (IOException | UncheckedIOException e) {
                throw new MachineDataException(new MachineError.Unreadable(Position.of(sub.toString()), reason(e)));
            }
            for (Path f : files) {
                out.add(readFile(f, f.toString()));
            }
        }
        return out;
    }

    /**
     * Reads one data file: at most {@link #MAX_FILE_BYTES}, strictly UTF-8. A larger file and text
     * that is not UTF-8 are errors at the line (and column) where the limit falls or the first bad
     * byte is.
     *
     * @throws MachineDataException when it cannot be read
     */
    static DataFile readFile(Path path, String display) {
        dev.machina.util.BoundedInput.Read r;
        try {
            r = dev.machina.util.BoundedInput.read(path, MAX_FILE_BYTES);
        } catch (IOException | UncheckedIOException e) {
            throw new MachineDataException(new MachineError.Unreadable(Position.of(display), reason(e)));
        }
        if (r.tooLarge()) {
            byte[] b = r.bytes();
            throw new MachineDataException(new MachineError.TooLarge(new Position(display,
                    dev.machina.util.BoundedInput.lineAt(b, b.length), dev.machina.util.BoundedInput.columnAt(b, b.length), ""),
                    "the file is larger than " + dev.machina.util.BoundedInput.size(MAX_FILE_BYTES)
                            + " (the limit for a data file) and was not read past here"));
        }
        try {
            return new DataFile(display, dev.machina.util.BoundedInput.utf8(r.bytes()));
        } catch (dev.machina.util.BoundedInput.NotUtf8 e) {
            throw new MachineDataException(new MachineError.Unreadable(new Position(display, e.line(), e.column(), ""),
                    "the byte here is not UTF-8 text; save the file as UTF-8"));
        }
    }

    /**
     * Why a file could not be read, in a user's words rather than a Java exception's ("Input
     * length = 1" is what a file that is not UTF-8 gives).
     */
    static String reason(Exception e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        if (t instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (t instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (t instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text";
        }
        String why = t instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : String.valueOf(t.getMessage());
        return why.equals("Is a directory") ? "it is a directory" : why;
    }

    /** Compiled on first use: listing machines loads this class and needs no regular expression. */
    private static final class Kind {
        static final Pattern KIND = Pattern.compile("(?m)^kind:\\s*['\"]?([a-z-]+)");
    }

    /**
     * The packaged file a given file stands in for: the directory of its kind plus its file name
     * ({@code machines/pc-i440fx.yaml}), or null when its kind cannot be told.
     */
    static String shadowKey(DataFile f) {
        Matcher m = Kind.KIND.matcher(f.text());
        if (!m.find()) {
            return null;
        }
        String dir = switch (m.group(1)) {
            case "machine-family" -> "machines";
            case "device-types" -> "machines/types";
            case "compat-sets" -> "compat";
            default -> null;
        };
        return dir == null ? null : dir + "/" + Path.of(f.name()).getFileName();
    }

    /**
     * The packaged files the given ones do not replace, then the given ones: a given file replaces the
     * packaged file of the same kind and file name, so an edited copy of {@code machines/pc-q35.yaml} is
     * checked in place of the original rather than next to it.
     */
    public static List<DataFile> withPackaged(List<DataFile> given, List<DataFile> packaged) {
        Set<String> replaced = new HashSet<>();
        for (DataFile f : given) {
            String k = shadowKey(f);
            if (k != null) {
                replaced.add(k);
            }
        }
        List<DataFile> out = new ArrayList<>();
        for (DataFile f : packaged) {
            if (!replaced.contains(f.name())) {
                out.add(f);
            }
        }
        out.addAll(given); // after the packaged data: a clash is reported at the given file
        return out;
    }
}
