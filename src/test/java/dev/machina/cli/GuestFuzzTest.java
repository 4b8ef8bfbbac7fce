package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.machina.config.ParsedCommandLine;
import dev.machina.config.ReadMode;
import dev.machina.cpu.x86.Tier;
import dev.machina.vm.Vm;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A guest can never crash the emulator: whatever it does ends in something the guest sees (the
 * instruction budget runs out while it goes on, a reset, a shutdown, a halt), never in a Java
 * exception out of the run loop.
 * <ul>
 *   <li>{@code tests/guests/fuzz.bin} writes xorshift garbage to every I/O port (bytes, words,
 *       dwords, and reads them), to the local APIC's page, the I/O APIC's window and the HPET's
 *       registers, with interrupts on, from RAM (so it survives what it does to PAM and the BIOS);</li>
 *   <li>random ROMs: 64 KiB of random bytes (seeded) with a far jump at the reset vector into them, so
 *       the CPU runs random code from the first instruction on, resets included.</li>
 * </ul>
 * Each run has a fixed instruction budget and {@code -icount sleep=off} (a halted CPU's clock jumps to
 * the next timer: no host time involved); which outcome it reaches is not asserted, only that it is one.
 */
class GuestFuzzTest {
    private static final long BUDGET = 3_000_000L;
    private static final Context CONTEXT = new Context();
    /** fuzz.asm's STATE + 8: how many garbage accesses it made (RAM keeps it across resets). */
    private static final long ITERATIONS = 0x20808;
    /** fuzz.asm's seed, an immediate in the image: each test run replaces it with its own. */
    private static final int SEED = 0x2545F491;
    private static Vm last;

    /** tier "interp", or "compiled": every block compiled before its first run (threshold 1), within the compile allowance. */
    private static Vm.Outcome run(String machine, Path bios, String tier) {
        List<String> args = new ArrayList<>(List.of("-M", machine, "-nodefaults", "-display", "none", "-bios", bios.toString(),
                "-icount", "shift=0,sleep=off"));
        ParsedCommandLine p = ConfigSupport.configs(CONTEXT).fromCommandLine(args, ReadMode.STRICT);
        Vm vm = Vm.create(p.config(), CONTEXT.catalog(), new Vm.Console(InputStream.nullInputStream(), new ByteArrayOutputStream()));
        vm.setTier(Tier.parse(tier), 1);
        try {
            Vm.Outcome o = vm.run(BUDGET);
            last = vm;
            return o;
        } catch (RuntimeException | StackOverflowError e) {
            java.io.StringWriter w = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(w));
            fail(machine + " tier=" + tier + " -bios " + bios.getFileName() + ": the run loop threw " + w);
            return null;
        }
    }

    @ParameterizedTest(name = "{0} seed {1} tier={2}")
    @CsvSource({"pc, 1, interp", "pc, 2, interp", "q35, 3, interp", "q35, 4, interp", "isapc, 5, interp",
        "pc, 1, compiled", "pc, 2, compiled", "q35, 3, compiled", "q35, 4, compiled", "isapc, 5, compiled"})
    void garbageToEveryPortAndTheApicsAndHpetNeverThrows(String machine, int seed, String tier, @TempDir Path dir) throws Exception {
        Path guest = Path.of("tests/guests/fuzz.bin");
        assumeTrue(Files.isRegularFile(guest), "skipped: tests/guests/fuzz.bin is missing (tools/build-guests)");
        byte[] rom = Files.readAllBytes(guest);
        int at = indexOf(rom, SEED);
        assertTrue(at >= 0, "fuzz.bin has no seed immediate");
        int s = seed * 0x9E3779B9;
        for (int i = 0; i < 4; i++) {
            rom[at + i] = (byte) (s >> (8 * i));
        }
        Path bios = dir.resolve("fuzz-" + seed + ".bin");
        Files.write(bios, rom);
        Vm.Outcome o = run(machine, bios, tier);
        // the guest did get going (its loop survives what it does): not a vacuous run
        assertTrue(Integer.toUnsignedLong(last.readPhysical32(ITERATIONS)) > 20_000, machine + ": " + o);
    }

    private static int indexOf(byte[] rom, int value) {
        for (int i = 0; i + 4 <= rom.length; i++) {
            if ((rom[i] & 0xFF | (rom[i + 1] & 0xFF) << 8 | (rom[i + 2] & 0xFF) << 16 | (rom[i + 3] & 0xFF) << 24) == value) {
                return i;
            }
        }
        return -1;
    }

    @ParameterizedTest(name = "{0} seed {1} tier={2}")
    @CsvSource({"pc, 1, interp", "pc, 2, interp", "pc, 3, interp", "q35, 4, interp", "q35, 5, interp", "q35, 6, interp",
        "isapc, 7, interp", "isapc, 8, interp", "isapc, 9, interp",
        "pc, 1, compiled", "q35, 4, compiled", "isapc, 7, compiled"})
    void randomCodeNeverThrows(String machine, long seed, String tier, @TempDir Path dir) throws Exception {
        byte[] rom = new byte[0x10000];
        new Random(seed).nextBytes(rom);
        // the reset vector (F000:FFF0): jmp far F000:(random offset below FFF0)
        int target = new Random(seed * 31).nextInt(0xFFF0);
        rom[0xFFF0] = (byte) 0xEA;
        rom[0xFFF1] = (byte) target;
        rom[0xFFF2] = (byte) (target >> 8);
        rom[0xFFF3] = 0x00;
        rom[0xFFF4] = (byte) 0xF0;
        Path bios = dir.resolve("random-" + seed + ".bin");
        Files.write(bios, rom);
        // the assertion is that run() returns an outcome at all (run() fails the test if the loop throws)
        run(machine, bios, tier);
    }
}
