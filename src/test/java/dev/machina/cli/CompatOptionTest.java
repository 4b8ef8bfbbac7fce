package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compat-mode truth items of issue 11 (5), each as QEMU 7.2 was seen to behave (commands in the comments). */
class CompatOptionTest {
    @Test
    void aWrongCompatValueIsAUsageError() {
        for (String[] argv : new String[][] {{"config", "write", "--compat=QEMU", "--", "-m", "1G"}, {"run", "--compat=x", "-m", "1G"}}) {
            CliRunner r = CliRunner.run(argv);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--compat takes 'qemu'"), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    /**
     * qemu-system-x86_64 -M pc -cpu C -qmp stdio, qom-get /machine/unattached/device[0] ssse3: false for
     * qemu64,-ssse3,ssse3=on and qemu64,ssse3=on,-ssse3; true for qemu64,+ssse3,ssse3=off and
     * qemu64,ssse3=off,+ssse3 (+/- override FEATURE=VALUE); QEMU warns "Ambiguous CPU model string" when
     * the FEATURE=VALUE comes after.
     */
    @Test
    void plusAndMinusFeaturesWinOverFeatureEqualsValueAsInQemu() {
        Map<String, String> expected = Map.of("qemu64,-ssse3,ssse3=on", "off", "qemu64,ssse3=on,-ssse3", "off",
                "qemu64,+ssse3,ssse3=off", "on", "qemu64,ssse3=off,+ssse3", "on", "qemu64,ssse3=on,ssse3=off", "off");
        expected.forEach((cpu, value) -> {
            CliRunner r = CliRunner.run("config", "write", "--compat=qemu", "--", "-cpu", cpu);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("  ssse3 = \"" + value + "\"\n"), cpu + ":\n" + r.out());
            assertEquals(cpu.indexOf('=') > cpu.indexOf("sse3,") && cpu.matches(".*[+-]ssse3,.*"), r.err().contains("Ambiguous CPU model string"),
                    cpu + ": " + r.err());
            assertFalse(r.err().contains("keeps the last value") && !cpu.endsWith("ssse3=off") , cpu + ": an untrue warning: " + r.err());
        });
    }

    /** qemu-system-x86_64 -m 512,help / -name foo,? / -global help print the keys and exit 1; -device help exits 0. */
    @Test
    void aQemuOptsGroupsKeyListExitsOneAsInQemu() {
        for (String[] argv : new String[][] {{"-m", "512,help"}, {"-name", "foo,?"}, {"-global", "help"}}) {
            CliRunner r = CliRunner.run(new String[] {"run", "--compat=qemu", argv[0], argv[1]});
            assertEquals(1, r.code(), String.join(" ", argv));
            assertTrue(r.out().endsWith(" options:\n") || r.out().contains(" options:\n  "), r.out());
        }
        assertEquals(0, CliRunner.run("run", "-device", "help").code());
    }

    /** Issue 11.7: a 100 KB value is not echoed whole; the error says how long it was (one line, still naming the option). */
    @Test
    void aHugeValueIsCutInTheError() {
        CliRunner r = CliRunner.run("config", "write", "--", "-m", "x".repeat(100_000));
        assertEquals(1, r.code());
        assertTrue(r.err().length() < 1000, r.err().length() + " characters");
        assertTrue(r.err().startsWith("-m xxxx"), r.err());
        assertTrue(r.err().contains("(cut: 100000 characters in all): invalid value"), r.err());
    }

    /** The quote and semicolon after a cut value stay: the message reads as it does for a short one. */
    @Test
    void theQuoteAndSemicolonAfterACutValueStay() {
        CliRunner r = CliRunner.run("config", "write", "-device", "y".repeat(100_000));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown device type 'yyyy"), r.err());
        assertTrue(r.err().startsWith("-device yyyy"), r.err());
        assertTrue(r.err().contains("...(cut: 100000 characters in all)'; 'machina device list"), r.err());
    }

    /** Issue 11.6: a HOCON file that includes itself by its absolute path is reported at the include, not at line 0 with a 50-level trace. */
    @Test
    void aSelfIncludeIsACycleAtItsLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path f = dir.resolve("s.conf");
        java.nio.file.Files.writeString(f, "# a cycle\ninclude \"" + f.toAbsolutePath() + "\"\n");
        CliRunner r = CliRunner.run("config", "check", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("s.conf:2:1: HOCON: the includes form a cycle"), r.err());
        assertTrue(r.err().length() < 400, r.err());
    }
}
