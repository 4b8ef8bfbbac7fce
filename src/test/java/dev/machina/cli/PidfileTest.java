package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -pidfile FILE} (libvirt's probe passes it): run writes its process id and a newline to FILE, as
 * QEMU's qemu_write_pidfile does before it builds the machine, and removes it at exit; a file it cannot
 * create is one line and exit 1.
 */
class PidfileTest {
    private static final Context SHARED = new Context().withQemuRelease("7.2");

    @Test
    void theProcessIdIsWrittenBeforeTheMachineIsBuilt(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("vm.pid");
        // the machine is refused at build time (no model of ne2k_isa), after the pid file is written
        CliRunner r = CliRunner.run(SHARED, "run", "-M", "pc", "-nodefaults", "-display", "none", "-pidfile", pid.toString(),
                "-device", "ne2k_isa");
        assertEquals(1, r.code(), r.err());
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(pid));
        // QEMU 7.2 creates it S_IRUSR | S_IWUSR (-rw------- in `ls -l` of its pid file)
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(pid)));
    }

    @Test
    void aFileThatCannotBeCreatedIsOneLine(@TempDir Path dir) throws Exception {
        CliRunner r = CliRunner.run(SHARED, "run", "-M", "pc", "-nodefaults", "-display", "none", "-pidfile",
                dir.resolve("no/such/dir/vm.pid").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("machina: -pidfile " + dir.resolve("no/such/dir/vm.pid") + ": cannot create PID file: its directory does not exist\n",
                r.err());
    }
}
