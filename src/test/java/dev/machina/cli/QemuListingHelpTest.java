package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The listing help options answer as QEMU 7.2 does (issue 14 item 15): {@code -object help} and
 * {@code -vga help} against QEMU 7.2's own output (tests/qemu72/*-help.txt, recorded by
 * tools/qemu72/record_help.sh), {@code -audiodev help} too.
 */
class QemuListingHelpTest {
    private static final Context CONTEXT = new Context();

    @Test
    void objectHelpListsQemusUserCreatableTypes() throws Exception {
        CliRunner r = CliRunner.run(CONTEXT, "-object", "help");

        assertEquals(0, r.code(), r.err());
        List<String> ours = new ArrayList<>(r.out().lines().toList());
        // dbus-display lives in the ui-dbus module, which QEMU 7.2 loads only when the type is used, so
        // its -object help leaves it out while QMP (where the data was recorded) lists it
        assertEquals(true, ours.remove("  dbus-display"), r.out());
        assertEquals(Files.readAllLines(Path.of("tests/qemu72/object-help.txt")), ours);
    }

    @Test
    void vgaHelpIsQemus() throws Exception {
        CliRunner r = CliRunner.run(CONTEXT, "-vga", "help");

        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(Path.of("tests/qemu72/vga-help.txt")), r.out());
    }

    @Test
    void audiodevHelpIsQemus() throws Exception {
        CliRunner r = CliRunner.run(CONTEXT, "-audiodev", "help");

        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(Path.of("tests/qemu72/audiodev-help.txt")), r.out());
    }

    /** QEMU 7.2.22 (Linux): "qemu: module audio-audio-coreaudio not found, ..." then "audio: Unknown audio driver `coreaudio'", exit 1. */
    @Test
    void theDriversAudiodevHelpLeavesOutAreRefusedAtStart() {
        for (String driver : List.of("coreaudio", "dsound")) {
            CliRunner r = CliRunner.run(CONTEXT, "config", "write", "-M", "pc", "-audiodev", driver + ",id=a1");
            assertEquals(1, r.code(), driver);
            assertEquals(true, r.err().contains("-audiodev " + driver + ",id=a1: audio: Unknown audio driver `" + driver + "'"), r.err());
        }
    }

    @Test
    void everyDriverAudiodevHelpListsIsAccepted() throws Exception {
        for (String driver : Files.readAllLines(Path.of("tests/qemu72/audiodev-help.txt")).subList(1, 11)) {
            CliRunner r = CliRunner.run(CONTEXT, "config", "write", "-M", "pc", "-audiodev", driver + ",id=a1");
            assertEquals(0, r.code(), driver + ": " + r.err());
        }
    }
}
