package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.cpu.x86.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which CPU tier {@code machina run} uses: the compiled tier unless {@code -accel tcg,tier=interp} (or the
 * system property machina.tier) says otherwise, and for that VM only: the process default, which the
 * other commands' and the tests' CPUs start with, stays as it was. Seen in {@code --stats}' compiled
 * column with the compile threshold at 1, where a block is compiled before its first run on the CPU
 * thread (deterministic: no background compiler involved).
 */
class RunTierTest {
    /** jmp far; mov cx,1000; loop $; mov dx,3F8h; mov al,'A'; out dx,al; cli; hlt (RunStatsTest's guest, shorter) */
    private static final int[] GUEST = {0xB9, 0xE8, 0x03, 0xE2, 0xFE, 0xBA, 0xF8, 0x03, 0xB0, 0x41, 0xEE, 0xFA, 0xF4};
    private int threshold;

    @BeforeEach
    void compileAtOnce() {
        threshold = Tier.threshold();
        Tier.setThreshold(1);
    }

    @AfterEach
    void restore() {
        Tier.setThreshold(threshold);
    }

    private static long compiled(Path top, String... accel) throws Exception {
        Path dir = Files.createTempDirectory(top, "run");
        Path bios = GuestRom.write(dir, "tier.bin", GUEST);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--stats", "-M", "isapc", "-nodefaults",
                "-display", "none", "-serial", "file:" + dir.resolve("serial.txt"), "-bios", bios.toString()));
        args.addAll(java.util.List.of(accel));
        Tier before = Tier.processDefault();
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(1, r.code(), r.err()); // cli; hlt: the guest stopped for good
        assertEquals("A", Files.readString(dir.resolve("serial.txt")));
        assertEquals(before, Tier.processDefault(), "run changed the process default tier");
        for (String l : r.err().split("\n")) {
            if (l.startsWith("machina stats: end of the run ")) {
                String[] f = l.trim().split("\\s+");
                return Long.parseLong(f[f.length - 1]);
            }
        }
        throw new AssertionError("no end row in:\n" + r.err());
    }

    @Test
    void runCompilesHotBlocksByDefault(@TempDir Path dir) throws Exception {
        if (System.getProperty("machina.tier") == null) {
            assertTrue(compiled(dir) > 0, "run without -accel tier= compiled no block");
        }
        assertTrue(compiled(dir, "-accel", "tcg,tier=compiled") > 0, "tier=compiled compiled no block");
    }

    @Test
    void tierInterpCompilesNothing(@TempDir Path dir) throws Exception {
        assertEquals(0, compiled(dir, "-accel", "tcg,tier=interp"));
    }
}
