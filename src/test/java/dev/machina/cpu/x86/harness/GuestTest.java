package dev.machina.cpu.x86.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.cpu.x86.CpuModel;
import dev.machina.cpu.x86.Tier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our own test guests (tests/guests/NAME.asm, assembled into NAME.bin) print the same console
 * output and end with the same isa-debug-exit status on Machina as on QEMU 7.2 TCG
 * (tests/guests/NAME.qemu.txt, recorded by {@code tools/build-guests --qemu}). Each guest checks
 * itself and prints PASS, or FAIL with what went wrong; alu prints checksums only QEMU can judge.
 */
class GuestTest {
    private static final String GUESTS = "pmode, paging, idt, ring3, repfault, smc, alu, forms, misc, sysenter, mmx, sse, ssefuzz, simdud";

    /** Every guest on both tiers: the interpreter, and the compiled tier compiling each block on its first run. */
    static Stream<Arguments> guestsOnBothTiers() {
        return Arrays.stream(GUESTS.split(", ")).flatMap(g -> Stream.of(Arguments.of(g, Tier.INTERP), Arguments.of(g, Tier.COMPILED)));
    }

    @ParameterizedTest(name = "{0} tier={1}")
    @MethodSource("guestsOnBothTiers")
    void guestBehavesAsOnQemu(String name, Tier tier) throws IOException {
        compare(name, "qemu32", name + ".qemu.txt", tier);
    }

    /** Guests recorded on QEMU 7.2 with several -cpu models (tests/guests/NAME-MODEL.qemu.txt). */
    @ParameterizedTest(name = "{0} -cpu {1} tier={2}")
    @CsvSource({"msr, qemu32, INTERP", "msr, pentium3, INTERP", "msr, n270, INTERP", "pae, n270, INTERP", "fpu, pentium3, INTERP",
        "msr, qemu32, COMPILED", "pae, n270, COMPILED", "fpu, pentium3, COMPILED",
        "ssse3, max, INTERP", "ssse3, max, COMPILED", "sse41, max, INTERP", "sse41, max, COMPILED",
        "sse42, max, INTERP", "sse42, max, COMPILED", "simdud, max, INTERP", "simdud, max, COMPILED"})
    void guestBehavesAsOnQemuWithTheModel(String name, String model, Tier tier) throws IOException {
        compare(name, model, name + "-" + model + ".qemu.txt", tier);
    }

    /**
     * The guests of the system-side features -cpu max offers (issue 15): recorded on QEMU 7.2 with -cpu qemu32 (the
     * feature absent: #UD, or the older instruction) and -cpu max (tests/guests/NAME-max.qemu.txt), on both tiers.
     */
    @ParameterizedTest(name = "{0} -cpu {1} tier={2}")
    @CsvSource({"bitcount, qemu32, INTERP", "bitcount, qemu32, COMPILED", "bitcount, max, INTERP", "bitcount, max, COMPILED",
        "rdrand, qemu32, INTERP", "rdrand, qemu32, COMPILED", "rdrand, max, INTERP", "rdrand, max, COMPILED",
        "smap, qemu32, INTERP", "smap, qemu32, COMPILED", "smap, max, INTERP", "smap, max, COMPILED",
        "cacheline, qemu32, INTERP", "cacheline, qemu32, COMPILED", "cacheline, max, INTERP", "cacheline, max, COMPILED",
        "xsave, qemu32, INTERP", "xsave, qemu32, COMPILED", "xsave, max, INTERP", "xsave, max, COMPILED",
        "monitor, qemu32, INTERP", "monitor, qemu32, COMPILED", "monitor, max, INTERP", "monitor, max, COMPILED",
        "adx, qemu32, INTERP", "adx, qemu32, COMPILED", "adx, max, INTERP", "adx, max, COMPILED",
        "acpi, qemu32, INTERP", "acpi, qemu32, COMPILED", "acpi, max, INTERP", "acpi, max, COMPILED",
        "sse4a, qemu32, INTERP", "sse4a, qemu32, COMPILED", "sse4a, max, INTERP", "sse4a, max, COMPILED",
        "3dnow, qemu32, INTERP", "3dnow, qemu32, COMPILED", "3dnow, max, INTERP", "3dnow, max, COMPILED"})
    void featureGuestBehavesAsOnQemu(String name, String model, Tier tier) throws IOException {
        compare(name, model, model.equals("qemu32") ? name + ".qemu.txt" : name + "-" + model + ".qemu.txt", tier);
    }

    /**
     * AMD's MMX extensions (issue 15, mmxext): on a model with MMX and mmxext but no SSE ({@code pentium2,+mmxext}, where
     * QEMU 7.2 runs every form) and on max (tests/guests/mmxext-pentium2+mmxext.qemu.txt, mmxext-max.qemu.txt).
     */
    @ParameterizedTest(name = "{0} -cpu {1} tier={2}")
    @CsvSource({"mmxext, 'pentium2,+mmxext', INTERP", "mmxext, 'pentium2,+mmxext', COMPILED", "mmxext, max, INTERP",
        "mmxext, max, COMPILED"})
    void mmxExtensionsGuestBehavesAsOnQemu(String name, String model, Tier tier) throws IOException {
        compare(name, model, name + "-" + model.replace(",", "") + ".qemu.txt", tier);
    }

    private static void compare(String name, String model, String recording, Tier tier) throws IOException {
        byte[] rom = BareMachine.readRom(Path.of("tests/guests", name + ".bin"));
        String recorded = Files.readString(Path.of("tests/guests", recording), StandardCharsets.ISO_8859_1);
        int cut = recorded.lastIndexOf("\nexit status ");
        String expectedOutput = recorded.substring(0, cut);
        int expectedStatus = Integer.parseInt(recorded.substring(cut + "\nexit status ".length()).trim());

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        CpuModel cpu = model.contains(",") ? CpuModel.select(model, w -> { }) : CpuModel.named(model);
        BareMachine m = new BareMachine(cpu, 32 << 20, rom, console, true);
        m.cpu().setTier(tier, 1);
        BareMachine.Result r = m.run(500_000_000L);
        if (tier == Tier.COMPILED) {
            assertTrue(m.cpu().compiledBlocks() > 0, name + ": no block was compiled");
        }

        assertEquals(expectedOutput, console.toString(StandardCharsets.ISO_8859_1), name + ": console output");
        assertEquals(BareMachine.End.EXIT, r.end(), name + ": how the run ended");
        assertEquals(expectedStatus, r.exitStatus(), name + ": isa-debug-exit status");
    }

    /**
     * Guests QEMU cannot judge (QEMU TCG does not check data segment limits): they check
     * themselves against the SDM's rules and must end with PASS and isa-debug-exit 0.
     */
    @ParameterizedTest(name = "{0} tier={1}")
    @CsvSource({"limits, INTERP", "limits, COMPILED"})
    void selfCheckingGuestPasses(String name, Tier tier) {
        byte[] rom = BareMachine.readRom(Path.of("tests/guests", name + ".bin"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BareMachine m = new BareMachine(CpuModel.named("qemu32"), 32 << 20, rom, console, true);
        m.cpu().setTier(tier, 1);
        BareMachine.Result r = m.run(100_000_000L);
        String out = console.toString(StandardCharsets.ISO_8859_1);
        assertEquals(BareMachine.End.EXIT, r.end(), name + ": " + out);
        assertEquals(1, r.exitStatus(), name + ": " + out);
        assertEquals(true, out.endsWith(" PASS\n") && !out.contains("FAIL"), name + ": " + out);
    }
}
