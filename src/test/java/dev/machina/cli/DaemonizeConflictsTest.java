package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What QEMU 7.2 refuses with {@code -daemonize} is refused by the process the user started, before anything
 * is detached, in QEMU's words (qemu-system-x86_64 7.2.22 -nodefaults -S -M none OPTION -daemonize said each
 * message after "qemu-system-x86_64: ", exit 1); -nographic only while a default serial, parallel port or
 * monitor would take stdio (libvirt's probe, -nodefaults -nographic -daemonize, is in DaemonizeIT).
 */
class DaemonizeConflictsTest {
    private static final Context CONTEXT = new Context();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-nodefaults -serial stdio        | -serial stdio: cannot use stdio with -daemonize",
        "-nodefaults -monitor stdio       | -monitor stdio: cannot use stdio with -daemonize",
        "-nodefaults -qmp stdio           | -qmp stdio: cannot use stdio with -daemonize",
        "-nodefaults -chardev stdio,id=c0 | -chardev stdio,id=c0: cannot use stdio with -daemonize",
        "-nodefaults -display curses      | curses display cannot be used with -daemonize",
        "-nographic                       | -nographic cannot be used with -daemonize",
        // with -preconfig too, checked before the detached process starts (QEMU 7.2: exit 1, the same message first)
        "-nodefaults -serial stdio -preconfig -qmp unix:/nonexistent/q.sock,server=on,wait=off | -serial stdio: cannot use stdio with -daemonize"})
    void refusedBeforeDetaching(String options, String qemu) {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("run", "-M", "none"));
        argv.addAll(java.util.List.of(options.trim().split(" +")));
        argv.add("-daemonize");
        CliRunner r = CliRunner.run(CONTEXT, argv.toArray(String[]::new));
        assertEquals(1, r.code(), r.err());
        assertEquals("machina: " + qemu.trim() + "\n", r.err());
    }
}
