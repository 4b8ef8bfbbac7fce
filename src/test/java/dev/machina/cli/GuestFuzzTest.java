package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.machina.config.ParsedCommandLine;
import dev.machina.config.ReadMode;
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

    private static Vm.Outcome run(String machine, Path bios) {
        List<String> args = new ArrayList<>(List.of("-M", machine, "-nodefaults", "-display", "none", "-bios", bios.toString(),
                "-icount", "shift=0,sleep=off"));
        ParsedCommandLine p = ConfigSupport.configs(CONTEXT).fromCommandLine(args, ReadMode.STRICT);
        Vm vm = Vm.create(p.config(), CONTEXT.catalog(), new Vm.Console(InputStream.nullInputStream(), new ByteArrayOutputStream()));
        try {
            return vm.run(BUDGET);
        } catch (RuntimeException | StackOverflowError e) {
            java.io.StringWriter w = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(w));
            fail(machine + " -bios " + bios.getFileName() + ": the run loop threw " + w);
            return null;
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pc", "q35", "isapc"})
    void garbageToEveryPortAndTheApicsAndHpetNeverThrows(String machine) {
        Path guest = Path.of("tests/guests/fuzz.bin");
        assumeTrue(Files.isRegularFile(guest), "skipped: tests/guests/fuzz.bin is missing (tools/build-guests)");
        Vm.Outcome o = run(machine, guest);
        // the guest ran (it did not die on its first instruction) and the run ended in an outcome
        assertTrue(o.instructions() > 0, machine + ": " + o);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"pc, 1", "pc, 2", "pc, 3", "q35, 4", "q35, 5", "q35, 6", "isapc, 7", "isapc, 8", "isapc, 9"})
    void randomCodeNeverThrows(String machine, long seed, @TempDir Path dir) throws Exception {
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
        run(machine, bios);
    }
}
