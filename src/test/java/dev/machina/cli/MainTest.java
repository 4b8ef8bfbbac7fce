package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
    @Test
    void helpListsTheSubcommands() {
        CliRunner r = CliRunner.run("--help");
        assertEquals(0, r.code());
        for (String sub : new String[] {"device", "machine", "config", "run"}) {
            assertTrue(r.out().contains(sub), sub);
        }
    }

    @Test
    void versionNamesMachina() {
        CliRunner r = CliRunner.run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("machina "), r.out());
    }

    /** Issue 14 item 5: the outputs that stay QEMU 7.2's when another release is presented are named, not hidden. */
    @Test
    void versionSaysWhatStaysQemu72s() {
        CliRunner r = CliRunner.run("--version");
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("QEMU 7.2's in every release: QMP (greeting, query-version")
                && !l.contains("-cpu help") && !l.contains("-device")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("device list (-device help) as QEMU ")), r.out());
    }

    /**
     * --version names the release whose CPU models -cpu help lists: presenting 10.2, 10.2's own (and that -cpu
     * runs 7.2's); presenting 9.2, 9.2.4's (9.0: 9.0.1's, 8.2: 8.2.2's); presenting 10.1, 9.1 or 8.1, whose source Machina
     * has not read, the newest older list it has (9.2's, 9.0's, 7.2's), and says so; presenting 7.2, 7.2's.
     */
    @Test
    void versionSaysWhichReleasesCpuModelsAreListed() {
        assertEquals("CPU models (-cpu help, query-cpu-definitions) as QEMU 10.2; -cpu runs QEMU 7.2's models only",
                Main.Version.cpuModelsLine("10.2"));
        assertEquals("CPU models (-cpu help, query-cpu-definitions) as QEMU 7.2 (QEMU 8.1's CPU list is not in Machina's data)",
                Main.Version.cpuModelsLine("8.1"));
        assertEquals("CPU models (-cpu help, query-cpu-definitions) as QEMU 9.0; -cpu runs QEMU 7.2's models only",
                Main.Version.cpuModelsLine("9.0"));
        assertEquals("CPU models (-cpu help, query-cpu-definitions) as QEMU 9.0 (QEMU 9.1's CPU list is not in Machina's data);"
                + " -cpu runs QEMU 7.2's models only", Main.Version.cpuModelsLine("9.1"));
        assertEquals("CPU models (-cpu help, query-cpu-definitions) as QEMU 7.2", Main.Version.cpuModelsLine("7.2"));
        assertEquals("CPU models (-cpu help, query-cpu-definitions) as QEMU 9.2; -cpu runs QEMU 7.2's models only",
                Main.Version.cpuModelsLine("9.2"));
        assertEquals("CPU models (-cpu help, query-cpu-definitions) as QEMU 9.2 (QEMU 10.1's CPU list is not in Machina's data);"
                + " -cpu runs QEMU 7.2's models only", Main.Version.cpuModelsLine("10.1"));
        assertTrue(CliRunner.run("--version").out().contains("CPU models (-cpu help, query-cpu-definitions) as QEMU "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"frobnicate", "device list --no-such-option", "device show"})
    void anUnknownCommandOrOptionIsAUsageErrorWithExit2(String line) {
        CliRunner r = CliRunner.run(line.split(" "));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("machina: "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void aMisspeltSubcommandGetsASuggestion() {
        CliRunner r = CliRunner.run("device", "lst");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("list"), r.err());
    }

    @Test
    void aBadFormatIsAUsageError() {
        CliRunner r = CliRunner.run("device", "list", "--format", "xml");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("xml"), r.err());
    }

    @Test
    void aLeadingQemuOptionMeansRun() {
        // a line refused before anything starts, so both answers are whole (without -nodefaults, -M pc runs SeaBIOS)
        CliRunner viaRun = CliRunner.run("run", "-M", "pc", "-cpu", "nonsense");
        CliRunner bare = CliRunner.run("-M", "pc", "-cpu", "nonsense");
        assertEquals(1, viaRun.code(), viaRun.err());
        assertEquals(viaRun.code(), bare.code());
        assertEquals(viaRun.err(), bare.err());
    }
}
