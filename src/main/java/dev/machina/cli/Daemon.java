package dev.machina.cli;

import dev.machina.config.Section;
import dev.machina.config.VmConfig;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code -daemonize} with QEMU 7.2's meaning (os-posix.c os_daemonize and os_setup_post): the command
 * line is read and checked by the process the user started; it then starts the VM in a detached
 * process and waits; once that process has built the VM and opened its monitors it says so, and the
 * first process exits 0. If it fails before that, its errors are on the first process's standard
 * error and the first process exits with its status (QEMU: 1). The detached process runs in a session
 * of its own ({@code setsid}, where there is one), standard input and output are /dev/null, and its
 * standard error becomes /dev/null once it is initialised, as QEMU's does. {@code -pidfile} names it.
 *
 * <p>Java cannot fork, so the detached process is a new JVM running the same command line; it knows
 * it is the detached one by {@link #ENV}, the Unix socket it reports on. As QEMU's, it runs with umask
 * 027 (os_daemonize) in {@code /} (os_setup_post): a JVM can change neither, so the shell that starts it
 * sets both. QEMU opens the files of its command line before it changes directory; here the detached
 * process starts in {@code /}, so the first process makes the paths of its command line absolute first
 * ({@link #absolute}).
 */
final class Daemon {
    /** The socket the detached process reports on; set only for it. */
    static final String ENV = "MACHINA_DAEMON_SOCKET";

    private static volatile StdStream err;
    private static volatile boolean reported;

    private Daemon() {}

    /** Main's standard error, which the detached process turns to /dev/null once initialised. */
    static void streams(StdStream stderr) {
        err = stderr;
    }

    static boolean requested(VmConfig config) {
        return !config.sections("machina-daemonize").isEmpty();
    }

    /** Whether this process is the detached one. */
    static boolean detached() {
        return System.getenv(ENV) != null;
    }

    /**
     * What QEMU 7.2 refuses with -daemonize, in its words: a stdio character device (chardev/char-stdio.c),
     * a curses display, -nographic while a default serial, parallel or monitor would go to stdio
     * (vl.c qemu_create_default_devices).
     */
    static Optional<String> conflict(VmConfig config) {
        for (Section s : config.sections()) {
            boolean stdio = switch (s.group()) {
                case "chardev" -> s.get("backend").map("stdio"::equals).orElse(false);
                case "machina-serial", "machina-monitor", "machina-qmp", "machina-parallel" ->
                        s.get("dev").map(d -> d.equals("stdio") || d.equals("mon:stdio")).orElse(false);
                default -> false;
            };
            if (stdio) {
                return Optional.of(s.origin().describe() + ": cannot use stdio with -daemonize");
            }
            if (s.group().equals("machina-display") && s.get("type").map("curses"::equals).orElse(false)) {
                return Optional.of("curses display cannot be used with -daemonize");
            }
        }
        boolean defaults = config.sections("machina-nodefaults").isEmpty();
        boolean serial = config.sections("machina-serial").isEmpty();
        boolean parallel = config.sections("machina-parallel").isEmpty();
        boolean monitor = config.sections("machina-monitor").isEmpty() && config.sections("machina-qmp").isEmpty()
                && config.sections("mon").isEmpty();
        if (!config.sections("machina-nographic").isEmpty() && defaults && (serial || parallel || monitor)) {
            return Optional.of("-nographic cannot be used with -daemonize");
        }
        return Optional.empty();
    }

    /**
     * Starts the detached process with {@code runArgs} (the arguments of {@code machina run}) and waits
     * until it is initialised (exit 0) or has ended (its status, at least 1).
     */
    static int launch(List<String> runArgs, PrintWriter out, PrintWriter errw) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("machina-daemon");
            Path sock = dir.resolve("ready");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(sock));
                ProcessBuilder pb = new ProcessBuilder(command(absolute(runArgs, Path.of("").toAbsolutePath())));
                pb.directory(new File("/"));
                pb.environment().put(ENV, sock.toString());
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.redirectError(ProcessBuilder.Redirect.INHERIT);
                out.flush();
                errw.flush();
                Process child = pb.start();
                // the child's end, before it reported, ends the wait: accept() then fails
                child.onExit().thenRun(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // closing is all that is wanted
                    }
                });
                int status;
                try (SocketChannel c = server.accept()) {
                    ByteBuffer b = ByteBuffer.allocate(1);
                    status = c.read(b) == 1 ? b.get(0) : -1;
                } catch (IOException e) {
                    status = -1;
                }
                if (status == 0) {
                    return Main.EXIT_OK;
                }
                int code = child.waitFor();
                return code == 0 ? Main.EXIT_USER : code;
            }
        } catch (IOException e) {
            errw.println("machina: -daemonize: cannot start the detached process: " + e.getMessage());
            errw.flush();
            return Main.EXIT_USER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.EXIT_USER;
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("ready"));
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }

    /** This JVM again, with its options and class path, running {@code machina run ARGS}; in a new session where setsid exists. */
    private static List<String> command(List<String> runArgs) {
        List<String> cmd = new ArrayList<>();
        // QEMU's os_daemonize sets umask 027 in the detached process; "$0" "$@" is the rest of this list
        cmd.addAll(List.of("/bin/sh", "-c", "umask 027 && exec \"$0\" \"$@\""));
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:") && !a.startsWith("-javaagent:") && !a.startsWith("-Xrunjdwp")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("run");
        cmd.addAll(runArgs);
        return cmd;
    }

    /** Options whose whole value is a file QEMU opens while it starts, relative to its first directory. */
    private static final java.util.Set<String> FILE_OPTIONS = java.util.Set.of("-pidfile", "-kernel", "-initrd", "-bios", "-dtb",
            "-hda", "-hdb", "-hdc", "-hdd", "-cdrom", "-fda", "-fdb", "-mtdblock", "-sd", "-pflash", "-readconfig", "-L", "-D",
            "-writeconfig");
    /** Options whose value may be a character device naming a file or socket ({@code unix:PATH}, {@code file:PATH}, {@code pipe:PATH}). */
    private static final java.util.Set<String> CHARDEV_OPTIONS = java.util.Set.of("-qmp", "-qmp-pretty", "-monitor", "-serial",
            "-parallel", "-debugcon", "-gdb");
    /** Keys of QEMU's key=value options whose value is a file ({@code -drive file=}, {@code -chardev path=}, ...). */
    private static final java.util.Set<String> FILE_KEYS = java.util.Set.of("file", "path", "filename", "logfile", "kernel",
            "initrd", "firmware", "dtb", "pidfile");

    /**
     * The arguments of {@code machina run} with every relative file of the command line made absolute
     * against {@code cwd}, the directory the user started it in: the detached process starts in
     * {@code /}. JSON values ({@code {...}}), {@code -} (stdio) and protocol names ({@code nbd:...}) are kept.
     */
    static List<String> absolute(List<String> runArgs, Path cwd) {
        List<String> out = new ArrayList<>(runArgs.size());
        for (int i = 0; i < runArgs.size(); i++) {
            String a = runArgs.get(i);
            out.add(a);
            if (!a.startsWith("-") || i + 1 >= runArgs.size()) {
                continue;
            }
            String opt = a.startsWith("--") ? a.substring(1) : a;
            String v = runArgs.get(i + 1);
            String nv = v;
            if (FILE_OPTIONS.contains(opt)) {
                nv = path(v, cwd);
            } else if (CHARDEV_OPTIONS.contains(opt) && v.matches("(unix|file|pipe):.*")) {
                int colon = v.indexOf(':');
                int comma = v.indexOf(',', colon);
                String file = comma < 0 ? v.substring(colon + 1) : v.substring(colon + 1, comma);
                nv = v.substring(0, colon + 1) + path(file, cwd) + (comma < 0 ? "" : v.substring(comma));
            } else if (!v.startsWith("{") && v.contains("=") && !opt.equals("-append")) {
                nv = keyValues(v, cwd);
            } else {
                continue;
            }
            out.add(nv);
            i++;
        }
        return out;
    }

    /** QEMU's key=value list ({@code ,,} is a comma of a value) with the values of {@link #FILE_KEYS} made absolute. */
    private static String keyValues(String v, Path cwd) {
        StringBuilder b = new StringBuilder();
        int start = 0;
        for (int i = 0; i <= v.length(); i++) {
            if (i < v.length() && v.charAt(i) == ',' && i + 1 < v.length() && v.charAt(i + 1) == ',') {
                i++;
                continue;
            }
            if (i == v.length() || v.charAt(i) == ',') {
                String part = v.substring(start, i);
                int eq = part.indexOf('=');
                if (eq > 0 && FILE_KEYS.contains(part.substring(0, eq))) {
                    // a comma of the directory is written as QEMU's ",,"
                    part = part.substring(0, eq + 1) + path(part.substring(eq + 1), Path.of(cwd.toString().replace(",", ",,")));
                }
                b.append(part);
                if (i < v.length()) {
                    b.append(',');
                }
                start = i + 1;
            }
        }
        return b.toString();
    }

    private static String path(String file, Path cwd) {
        if (file.isEmpty() || file.equals("-") || file.startsWith("/") || file.matches("[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return file;
        }
        return cwd.resolve(file).toString();
    }

    /**
     * In the detached process, once the VM is built and its monitors listen (os_setup_post): tells the
     * first process, which exits 0, and turns standard error to /dev/null. Elsewhere, and after the first
     * call, nothing.
     */
    static void initialised() {
        String sock = System.getenv(ENV);
        if (sock == null || reported) {
            return;
        }
        reported = true;
        StdStream e = err;
        if (e != null) {
            e.flush();
        }
        System.err.flush();
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            c.write(ByteBuffer.wrap(new byte[] {0}));
        } catch (IOException ignored) {
            // the first process is gone: nobody is left to tell
        }
        if (e != null) {
            e.detach();
        }
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    }
}
