package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Quirks of QEMU 7.2's reader beyond the transcripts' cases, each checked against the real binary
 * (qemu-system-x86_64 7.2.22, Debian, {@code -nodefaults -display none -S -machine none -readconfig F},
 * QMP query-name) before it was written down here; tests never run QEMU.
 */
class QemuCfgReaderTest {
    private static ReadResult read(String s) {
        return QemuCfgReader.read(s.getBytes(StandardCharsets.UTF_8), "q.cfg");
    }

    @Test
    void anEmptyHeaderAfterTheLastSectionRenamesItsGroup() {
        // QEMU: "q.cfg:3: There is no option group ']'" (sscanf wrote ']' into the group buffer)
        ConfigError.Qemu e = (ConfigError.Qemu) read("[name]\n  guest = \"x\"\n[]\n").diagnostics().get(0);
        assertEquals("There is no option group ']'", e.qemuMessage());
        assertEquals(3, ((Origin.InFile) e.origin()).line());
    }

    @Test
    void aLineOf1023BytesMakesItsLineEndAChunkOfItsOwnAndShiftsLaterLineNumbers() {
        // QEMU: "q.cfg:5: Invalid parameter 'bogus'" for a key on the 4th line
        String v = "y".repeat(1023 - "  guest = \"\"".length());
        ConfigError.Qemu e = (ConfigError.Qemu) read("[name]\n  guest = \"" + v + "\"\n  process = \"p\"\n  bogus = \"1\"\n")
                .diagnostics().get(0);
        assertEquals("Invalid parameter 'bogus'", e.qemuMessage());
        assertEquals(5, ((Origin.InFile) e.origin()).line());
    }

    @Test
    void aNulByteEndsTheValue() {
        // QEMU: query-name → "a"
        ReadResult r = QemuCfgReader.read("[name]\n  guest = \"a\0b\"\n".getBytes(StandardCharsets.UTF_8), "q.cfg");
        assertTrue(r.ok());
        assertEquals(Optional.of("a"), r.config().sections().get(0).get("guest"));
    }

    @Test
    void whatQemuAcceptsSilentlyComesWithAWarningAtItsLine() {
        ReadResult r = read("[name]\n  guest = vm1\n");
        assertTrue(r.ok());
        assertEquals(Optional.of(""), r.config().sections().get(0).get("guest"));
        ConfigError w = r.diagnostics().get(0);
        assertTrue(w.isWarning());
        assertEquals(new Origin.InFile("q.cfg", 2, 11), w.origin());
    }

    @Test
    void aFileQemuRefusesIsNotSaidToBeAcceptedSilently() {
        // QEMU 7.2: "q.cfg:2: Invalid parameter 'guest="vm1"'", exit 1 (transcripts/03 c03)
        ReadResult r = read("[name]\nguest=\"vm1\"\n");
        assertEquals("Invalid parameter 'guest=\"vm1\"'", ((ConfigError.Qemu) r.diagnostics().get(0)).qemuMessage());
        ConfigError w = r.diagnostics().get(1);
        assertTrue(w.isWarning());
        assertTrue(w.message().startsWith("in strict mode: no blank between the key and '='"), w.message());
        assertTrue(r.diagnostics().stream().noneMatch(d -> d.message().contains("accepts this silently")), r.diagnostics().toString());
    }

    @Test
    void commentsAndBlankLinesAreKeptForConversion() {
        VmConfig c = read("# top\n\n[name]\n# the guest\n  guest = \"vm1\"  # CHANGE ME\n").config();
        assertEquals("# top\n\n[name]\n# the guest\n  guest = \"vm1\"  # CHANGE ME\n", CfgWriter.write(c));
    }
}
