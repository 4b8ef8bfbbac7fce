package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code machina run} of a deprecated machine type warns as QEMU does when it starts one. Against QEMU
 * 7.2's stderr for every pc-* type it has (tests/runtime/qemu72/deprecation-warnings.txt, recorded by
 * tools/qemu72/record_deprecation.sh), with Machina presenting 7.2: the same warning, program name
 * aside, for the four it deprecates (pc-i440fx-1.4 to 1.7), nothing for the others. The runs stop at a
 * missing -bios, after the warning, as QEMU's would.
 */
class DeprecationWarningTest {
    private static final Context AS_72 = new Context().withQemuRelease("7.2");

    @Test
    void everyPcTypeWarnsAsQemu72Does() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("tests/runtime/qemu72/deprecation-warnings.txt"));
        assertTrue(rows.size() > 40, "the recording lists QEMU 7.2's pc-* types");
        int warned = 0;
        for (String row : rows) {
            String[] f = row.split("\t", -1);
            String expected = f[1].replace("qemu-system-x86_64: warning: ", "");
            dev.machina.config.VmConfig config = ConfigSupport.configs(AS_72).fromCommandLine(List.of("-M", f[0]),
                    dev.machina.config.ReadMode.STRICT).config();
            assertEquals(expected, dev.machina.vm.VmSpec.deprecation(config, AS_72.catalog()).orElse(""), f[0]);
            warned += expected.isEmpty() ? 0 : 1;
        }
        assertEquals(4, warned);
    }

    /** What run prints: the warning first, as QEMU does before anything of the board is made. */
    @Test
    void runPrintsItFirst() throws Exception {
        for (String m : List.of("pc-i440fx-1.4", "pc-i440fx-2.0")) {
            CliRunner r = CliRunner.run(AS_72, "run", "-M", m, "-nodefaults", "-display", "none", "-bios", "/nonexistent/bios.bin");
            assertEquals(1, r.code(), r.err());
            String expected = m.equals("pc-i440fx-1.4") ? "machina: warning: Machine type 'pc-i440fx-1.4' is deprecated: old and unattended - "
                    + "use a newer version instead\n" : "";
            assertEquals(expected + "machina: -bios /nonexistent/bios.bin: no such file\n", r.err());
        }
    }

    /** Presenting 10.2 (the default), a type that release has removed warns and says so. */
    @Test
    void aTypeTheReleaseRemovedSaysSo() throws Exception {
        CliRunner r = CliRunner.run(new Context().withQemuRelease("10.2"), "run", "-M", "pc-i440fx-1.4", "-nodefaults", "-display", "none",
                "-bios", "/nonexistent/bios.bin");
        assertEquals("machina: warning: Machine type 'pc-i440fx-1.4' is deprecated: old and unattended - use a newer version instead "
                + "(QEMU 10.2 no longer has it: removed in 8.2; MACHINA_QEMU_VERSION=7.2 presents a release that does)", r.err().lines().findFirst().orElse(""));
    }
}
