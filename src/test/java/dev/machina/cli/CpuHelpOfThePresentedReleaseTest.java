package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 5 (one release per output) for the CPU models: {@code -cpu help} answers as the release Machina
 * presents. Presenting 10.2 (the default) it lists QEMU 10.2.0's builtin_x86_defs (tools/qemu-source/
 * cpu-models-10.2.0.json, read by tools/qemu_cpu_models.py from 10.2.0's target/i386/cpu.c), in 10.2's
 * x86_cpu_list_entry layout ("  %-20s  %s"); presenting 7.2 it is QEMU 7.2's recorded text byte for byte.
 */
class CpuHelpOfThePresentedReleaseTest {
    /**
     * Models QEMU added after 7.2, as 10.2.0's target/i386/cpu.c declares them: the version line's model_id
     * (GraniteRapids .model_id at cpu.c:5247, SierraForest at 5399, ClearwaterForest at 5562) and a version's
     * note (GraniteRapids v3 .note at cpu.c:5269, printed "MODEL-ID [NOTE]").
     */
    static final List<String> ADDED_AFTER_72 = List.of(
            "  GraniteRapids         (alias configured by machine type)",
            "  GraniteRapids-v1      Intel Xeon Processor (GraniteRapids)",
            "  GraniteRapids-v3      Intel Xeon Processor (GraniteRapids) [with gnr-sp cache model and 0x1f leaf]",
            "  SierraForest-v1       Intel Xeon Processor (SierraForest)",
            "  ClearwaterForest-v1   Intel Xeon Processor (ClearwaterForest)");

    @Test
    void presenting102ListsItsModelsAndPresenting72Qemu72s() throws IOException {
        CliRunner as102 = CliRunner.run(new Context().withQemuRelease("10.2"), "-cpu", "help");
        assertEquals(0, as102.code(), as102.err());
        List<String> lines = as102.out().lines().toList();
        for (String l : ADDED_AFTER_72) {
            assertTrue(lines.contains(l), l + "\n" + as102.out());
        }
        // a model 7.2 has, in 10.2's layout (no "x86 " prefix); 10.2 has no Icelake-Client either
        assertTrue(lines.contains("  Skylake-Client-v4     Intel Core Processor (Skylake, IBRS, no TSX) [IBRS, XSAVES, no TSX]"), as102.out());
        assertFalse(as102.out().contains("x86 "), as102.out());
        CliRunner as72 = CliRunner.run(new Context().withQemuRelease("7.2"), "-cpu", "help");
        assertEquals(Files.readString(Path.of("tests/qemu72/cpu-help.txt")), as72.out());
        assertFalse(as72.out().contains("GraniteRapids"), as72.out());
    }

    /**
     * Presenting 9.2 it is QEMU 9.2.4's list (tools/qemu-source/cpu-models-9.2.4.json): GraniteRapids (.model_id at
     * 9.2.4's cpu.c:4407) and SierraForest (:4550) are there, ClearwaterForest (added in 10.x; 10.2.0 cpu.c:5434) is not;
     * 10.1, whose source Machina has not read, lists 9.2's (the newest older list it has), as --version says.
     */
    @Test
    void presenting92ListsItsModels() {
        CliRunner as92 = CliRunner.run(new Context().withQemuRelease("9.2"), "-cpu", "help");
        List<String> lines = as92.out().lines().toList();
        assertTrue(lines.contains("  GraniteRapids-v1      Intel Xeon Processor (GraniteRapids)"), as92.out());
        assertTrue(lines.contains("  SierraForest-v1       Intel Xeon Processor (SierraForest)"), as92.out());
        assertFalse(as92.out().contains("ClearwaterForest"), as92.out());
        assertEquals(as92.out(), CliRunner.run(new Context().withQemuRelease("10.1"), "-cpu", "help").out());
    }

    /**
     * Presenting 8.2 it is QEMU 8.2.2's list (yikesoftware/qemu-8.2.2-cet, whose target/i386 is its upstream import;
     * tools/qemu-source/cpu-models-8.2.2.json), in 8.2.2's x86_cpu_list_entry layout ("x86 %-20s  %s", cpu.c:5575):
     * GraniteRapids (.model_id at 8.2.2's cpu.c:4096), EPYC-Genoa (:4888) and SapphireRapids are there, SierraForest
     * (9.2.4's, not 9.0.1's) is not; 9.0 lists 9.0.1's, the same models; 9.1 (no source read) lists 9.0's; 8.1 QEMU 7.2's.
     */
    @Test
    void presenting82ListsItsModels() throws Exception {
        CliRunner as82 = CliRunner.run(new Context().withQemuRelease("8.2"), "-cpu", "help");
        List<String> lines = as82.out().lines().toList();
        assertTrue(lines.contains("x86 GraniteRapids-v1      Intel Xeon Processor (GraniteRapids)"), as82.out());
        assertTrue(lines.contains("x86 EPYC-Genoa-v1         AMD EPYC-Genoa Processor"), as82.out());
        assertTrue(lines.contains("x86 SapphireRapids-v2     Intel Xeon Processor (SapphireRapids)"), as82.out());
        assertFalse(as82.out().contains("SierraForest"), as82.out());
        String as90 = CliRunner.run(new Context().withQemuRelease("9.0"), "-cpu", "help").out();
        assertEquals(as82.out().split("\n\n")[0], as90.split("\n\n")[0]);
        assertEquals(as90, CliRunner.run(new Context().withQemuRelease("9.1"), "-cpu", "help").out());
        assertEquals(java.nio.file.Files.readString(java.nio.file.Path.of("tests/qemu72/cpu-help.txt")),
                CliRunner.run(new Context().withQemuRelease("8.1"), "-cpu", "help").out());
    }

    /** A CPUID flag QEMU 10.2 names and 7.2 does not (FEAT_7_1_EAX bit 7 "cmpccxadd") is listed presenting 10.2 only. */
    @Test
    void theFlagsAreThePresentedReleases() {
        String flags102 = CliRunner.run(new Context().withQemuRelease("10.2"), "-cpu", "help").out().split("Recognized CPUID flags:\n")[1];
        String flags72 = CliRunner.run(new Context().withQemuRelease("7.2"), "-cpu", "help").out().split("Recognized CPUID flags:\n")[1];
        assertTrue(List.of(flags102.split("\\s+")).contains("cmpccxadd"), flags102);
        assertFalse(List.of(flags72.split("\\s+")).contains("cmpccxadd"), flags72);
    }

    /**
     * A 10.2 model Machina cannot build (its CPU types are QEMU 7.2's) is refused at start in one line that says
     * why and what to pick, exit 1; presenting 7.2 the name is unknown, as QEMU 7.2 has it not.
     */
    @Test
    void runningANewerModelIsOneLineNotACrash() {
        CliRunner r = CliRunner.run(new Context().withQemuRelease("10.2"), "run", "-M", "pc", "-cpu", "GraniteRapids", "-nodefaults", "-display", "none");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("CPU model 'GraniteRapids' is QEMU 10.2's") && r.err().contains("QEMU 7.2's CPU models"), r.err());
        CliRunner old = CliRunner.run(new Context().withQemuRelease("7.2"), "run", "-M", "pc", "-cpu", "GraniteRapids", "-nodefaults", "-display", "none");
        assertEquals(1, old.code(), old.err());
        assertTrue(old.err().contains("unknown CPU model 'GraniteRapids'"), old.err());
    }
}
