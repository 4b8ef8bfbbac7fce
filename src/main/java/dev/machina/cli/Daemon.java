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
 * it is the detached one by {@link #ENV}, the Unix socket it reports on. Its umask is 027, as QEMU's
 * daemon's (the files and sockets it creates are not world-readable). Unlike QEMU, which changes to
 * {@code /} once initialised, it keeps the working directory it was started in: a JVM cannot change
 * its own, and starting it in {@code /} would resolve the command line's relative paths elsewhere.
 * With {@code -preconfig} the first process exits once the monitors listen in the prelaunch state, as
 * QEMU 7.2's does (its os_setup_post runs before the main loop that serves preconfig).
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
                ProcessBuilder pb = new ProcessBuilder(command(runArgs));
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
        if (new File("/bin/sh").canExecute()) {
            // os_daemonize's umask(027): a JVM cannot set its own, so the shell sets it and becomes the JVM
            cmd.addAll(List.of("/bin/sh", "-c", "umask 027 && exec \"$@\"", "sh"));
        }
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
