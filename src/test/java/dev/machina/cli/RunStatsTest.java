package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code machina run --stats}: at the end of a run, a table on stderr of the instructions the guest
 * retired, the guest time that passed (the virtual clock: 2^shift ns per instruction, plus what a
 * halted CPU skipped), the halt jumps and interrupts, per phase (first console output, a
 * {@code --stats-mark} line, the end). The guests are tiny BIOS images whose instruction counts are
 * known by reading them.
 */
class RunStatsTest {
    /** One row of the table: phase, then instructions, guest_ms, host_ms, cpu_ms, MIPS, halted_ms, hlt_jumps, interrupts, compiled. */
    private static String[] row(String err, String phase) {
        for (String l : err.split("\n")) {
            if (l.startsWith("machina stats: " + phase + " ")) {
                return l.substring(("machina stats: " + phase).length()).trim().split("\\s+");
            }
        }
        throw new AssertionError("no stats row '" + phase + "' in:\n" + err);
    }


    /**
     * jmp far; mov cx,1000; loop $ (1000 times); mov dx,3F8h; mov al,'A'; out dx,al; mov al,0Ah; out dx,al; cli; hlt:
     * 1 + 1 + 1000 + 5 + 2 = 1009 instructions, 4036 ns of guest time at the default 4 ns per instruction.
     */
    @Test
    void countsTheInstructionsAGuestRetiredAndItsGuestTime(@TempDir Path dir) throws Exception {
        Path bios = GuestRom.write(dir, "count.bin", new int[] {0xB9, 0xE8, 0x03, 0xE2, 0xFE, 0xBA, 0xF8, 0x03, 0xB0, 0x41, 0xEE, 0xB0, 0x0A, 0xEE,
            0xFA, 0xF4});
        CliRunner r = CliRunner.run("run", "--stats", "--stats-mark=A", "-M", "isapc", "-nodefaults", "-display", "none",
                "-serial", "file:" + dir.resolve("serial.txt"), "-bios", bios.toString());
        assertEquals(1, r.code(), r.err()); // cli; hlt: the guest stopped for good
        assertEquals("A\n", Files.readString(dir.resolve("serial.txt")));
        String[] end = row(r.err(), "end of the run");
        assertEquals("1009", end[0], r.err());
        assertEquals("0.004036", end[1], r.err());
        assertEquals(List.of("0.000", "0", "0"), Arrays.asList(end[5], end[6], end[7]), r.err()); // no halt jump, no interrupt
        // the console phases: at the first byte and at the line "A", both within the block that writes them
        for (String phase : List.of("first console output", "A")) {
            long n = Long.parseLong(row(r.err(), phase)[0]);
            assertTrue(n >= 1005 && n <= 1009, phase + ": " + r.err());
        }
    }

    /**
     * The guest of HaltedGuestTest's halt loop: 8259 and 8254 channel 0 programmed (IRQ 0 at 18.2 Hz),
     * then {@code sti; hlt; jmp} with a handler that only acknowledges, until the run ends after 5 s of
     * guest time in the loop. Each interrupt wakes the CPU from a halt jump (the 8254 model also jumps to
     * the output's other edge), and the guest time is the instructions' time plus what the jumps skipped.
     */
    @Test
    void countsHaltJumpsAndInterruptsAndTheGuestTimeTheySkipped(@TempDir Path dir) throws Exception {
        Path bios = GuestRom.write(dir, "hlt-loop.bin", new int[] {0x31, 0xC0, 0x8E, 0xD8, 0x8E, 0xD0, 0xBC, 0x00, 0x70,
            0xC7, 0x06, 0x20, 0x00, 0x37, 0x00, 0xC7, 0x06, 0x22, 0x00, 0x00, 0xF0,
            0xB0, 0x11, 0xE6, 0x20, 0xB0, 0x08, 0xE6, 0x21, 0xB0, 0x04, 0xE6, 0x21, 0xB0, 0x01, 0xE6, 0x21,
            0xB0, 0xFE, 0xE6, 0x21,
            0xB0, 0x34, 0xE6, 0x43, 0x30, 0xC0, 0xE6, 0x40, 0xE6, 0x40,
            0xFB, 0xF4, 0xEB, 0xFD,
            0x50, 0xB0, 0x20, 0xE6, 0x20, 0x58, 0xCF});
        CliRunner r = CliRunner.run("run", "--stats", "-M", "isapc", "-nodefaults", "-display", "none", "-icount", "shift=2,sleep=off",
                "-bios", bios.toString());
        assertEquals(1, r.code(), r.err());
        String[] end = row(r.err(), "end of the run");
        long insns = Long.parseLong(end[0]);
        double guestMs = Double.parseDouble(end[1]);
        double haltedMs = Double.parseDouble(end[5]);
        long jumps = Long.parseLong(end[6]);
        long interrupts = Long.parseLong(end[7]);
        // 5 s in the loop at one IRQ 0 per 65536 / 1.193182 MHz = 54.9 ms: about 91 wake-ups
        assertTrue(interrupts >= 88 && interrupts <= 95, r.err());
        assertTrue(jumps >= interrupts, r.err());
        assertTrue(haltedMs > 5000, r.err());
        assertEquals(guestMs, insns * 4 / 1e6 + haltedMs, 0.002, r.err());
    }
}
