package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -daemonize} as QEMU 7.2 does it (issue 14 item 14), through the packaged jar: the process the user
 * started exits 0 once the VM is initialised, leaving a detached process (its own session, named by
 * {@code -pidfile}) that answers on its monitor; an error before that is reported by the first process,
 * which exits 1. The detached process is ended with QMP {@code quit} (and killed, should a check fail).
 */
class DaemonizeIT {
    private static final Path JAR = Path.of("target/machina.jar").toAbsolutePath();

    private static Process machina(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toString(), "run"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
    }

    /** libvirt's probe (-machine none -nodefaults -nographic, a QMP socket, -pidfile, -daemonize) and a pc started stopped. */
    @Test
    void theFirstProcessExitsOnceTheDetachedOneListens(@TempDir Path dir) throws Exception {
        for (String machine : List.of("none", "pc")) {
            Path pid = dir.resolve(machine + ".pid");
            Path sock = dir.resolve(machine + ".sock");
            // -nographic with -nodefaults: no default device would take stdio, so QEMU 7.2 allows it
            Process first = machina(dir, "-machine", machine, "-nodefaults", "-nographic", "-S", "-daemonize",
                    "-pidfile", pid.toString(), "-qmp", "unix:" + sock + ",server=on,wait=off");
            assertEquals(0, first.waitFor(), machine + ": " + Files.readString(dir.resolve("err.txt")));
            assertEquals("", Files.readString(dir.resolve("out.txt")), machine + ": standard output");
            long daemon = Long.parseLong(Files.readString(pid).strip());
            Optional<ProcessHandle> h = ProcessHandle.of(daemon);
            try {
                assertNotEquals(first.pid(), daemon, machine + ": the pid file names the detached process");
                assertTrue(h.isPresent() && h.get().isAlive(), machine + ": the detached process runs after the first exited");
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    // listening before the first process exited: no retry needed
                    ch.connect(UnixDomainSocketAddress.of(sock));
                    BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                    OutputStream out = Channels.newOutputStream(ch);
                    assertTrue(in.readLine().startsWith("{\"QMP\""), machine + ": greeting");
                    out.write("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"quit\"}\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    assertEquals("{\"return\": {}}", in.readLine(), machine);
                }
                h.get().onExit().get(); // quit ends it
                assertFalse(Files.exists(pid), machine + ": the pid file is removed at exit");
            } finally {
                h.ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void anErrorBeforeInitialisationIsTheFirstProcesssExit1(@TempDir Path dir) throws Exception {
        // the detached process refuses the machine when it builds it (no model of ne2k_isa)
        Path pid = dir.resolve("vm.pid");
        Process first = machina(dir, "-M", "pc", "-nodefaults", "-display", "none", "-daemonize", "-pidfile", pid.toString(),
                "-device", "ne2k_isa");
        assertEquals(1, first.waitFor());
        String err = Files.readString(dir.resolve("err.txt"));
        assertTrue(err.contains("ne2k_isa"), err);
        assertFalse(Files.exists(pid), "the detached process ended and removed its pid file");
    }

    /**
     * {@code -preconfig -daemonize}: QEMU 7.2's first process exits 0 once the monitors listen, the machine
     * still in prelaunch (recorded by hand with qemu-system-x86_64 7.2.22 on the same line: exit 0 in 84 ms,
     * query-status "prelaunch", pid file mode 0600, QMP socket srwxr-x--- from the daemon's umask 027).
     */
    @Test
    void withPreconfigTheFirstProcessExitsInPrelaunch(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("pre.pid");
        Path sock = dir.resolve("pre.sock");
        Process first = machina(dir, "-M", "pc", "-nodefaults", "-display", "none", "-preconfig", "-daemonize",
                "-pidfile", pid.toString(), "-qmp", "unix:" + sock + ",server=on,wait=off");
        assertEquals(0, first.waitFor(), Files.readString(dir.resolve("err.txt")));
        long daemon = Long.parseLong(Files.readString(pid).strip());
        Optional<ProcessHandle> h = ProcessHandle.of(daemon);
        try {
            assertTrue(h.isPresent() && h.get().isAlive(), "the detached process runs after the first exited");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(pid)),
                    "pid file mode");
            assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)),
                    "the QMP socket, created under the daemon's umask 027");
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(ch);
                assertTrue(in.readLine().startsWith("{\"QMP\""), "greeting");
                out.write("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-status\"}\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertEquals("{\"return\": {}}", in.readLine());
                String status = in.readLine();
                assertTrue(status.contains("\"status\": \"prelaunch\""), status);
                out.write("{\"execute\":\"quit\"}\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            h.get().onExit().get();
            assertFalse(Files.exists(pid), "the pid file is removed at exit");
        } finally {
            h.ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
