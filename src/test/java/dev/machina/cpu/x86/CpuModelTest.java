package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.cpu.x86.harness.BareMachine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CPUID comes from the model data: the cpuid guest prints the same leaves on Machina as on QEMU 7.2
 * TCG for the same -cpu (tests/guests/cpuid-MODEL.qemu.txt, recorded by tools/build-guests --qemu),
 * except that leaves 1, 7 and 80000001h offer only the features the core implements (QEMU's set
 * ANDed with ours, as QEMU itself drops features TCG lacks).
 */
class CpuModelTest {
    static Stream<String> models() {
        return CpuModel.catalog().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void cpuidMatchesQemuExceptForUnimplementedFeatures(String name) throws IOException {
        CpuModel model = CpuModel.named(name);
        List<String> qemu = Files.readAllLines(Path.of("tests/guests/cpuid-" + name + ".qemu.txt"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BareMachine m = new BareMachine(model, 32 << 20, BareMachine.readRom(Path.of("tests/guests/cpuid.bin")), out, true);
        m.run(10_000_000);
        List<String> ours = List.of(out.toString(StandardCharsets.ISO_8859_1).split("\n"));
        int lines = 0;
        for (int i = 0; i < qemu.size() && qemu.get(i).matches("[0-9A-F]{8}\\..*"); i++) {
            assertEquals(expected(model, qemu.get(i)), ours.get(i), name + " line " + (i + 1));
            lines++;
        }
        assertTrue(lines >= 27, "the recording has every leaf: " + lines);
        assertEquals("PASS", ours.get(lines));
    }

    /** QEMU's line with the feature words of leaves 1 and 80000001h cut to what the core implements. */
    private static String expected(CpuModel model, String line) {
        String[] r = line.split(" ");
        long leaf = Long.parseLong(r[0].substring(0, 8), 16);
        boolean ext = leaf >= 0x80000000L;
        boolean hyper = leaf >= 0x40000000L && leaf < 0x50000000L;
        if (!hyper && (ext ? leaf > (model.xlevel() & 0xFFFFFFFFL) : leaf > model.level())) {
            leaf = model.level(); // beyond the maximum: the highest basic leaf answers
        }
        int ecxMask, edxMask;
        if (leaf == 1) {
            ecxMask = CpuModel.IMPLEMENTED[CpuModel.W_1_ECX];
            edxMask = CpuModel.IMPLEMENTED[CpuModel.W_1_EDX];
        } else if (leaf == 0x80000001L) {
            ecxMask = CpuModel.IMPLEMENTED[CpuModel.W_81_ECX];
            edxMask = CpuModel.IMPLEMENTED[CpuModel.W_81_EDX]
                    | (model.vendor().equals("AuthenticAMD") ? CpuModel.IMPLEMENTED[CpuModel.W_1_EDX] & CpuModel.AMD_ALIASES : 0);
        } else if ((leaf == 0xD && !model.has("xsave")) || (leaf == 0x8000000AL && !model.has("svm"))) {
            // XSAVE and SVM leaves are empty where the guest does not see the feature (as QEMU answers them)
            return String.format("%s %08X %08X %08X %08X", r[0], 0, 0, 0, 0);
        } else if (leaf == 0xD) {
            // XSAVE state components: QEMU's cut to x87 and SSE (XCR0 bits 0-1; no AVX, MPX or PKRU here), so
            // sub-leaf 0 EAX & 3 and 576-byte areas (legacy region + header), sub-leaf 1 EAX as QEMU's (xsaveopt,
            // xgetbv1) with the compacted size of x87+SSE, the other sub-leaves empty
            long sub = Long.parseLong(r[0].substring(9, 17), 16);
            int eax = (int) Long.parseLong(r[1], 16);
            return sub == 0 ? String.format("%s %08X %08X %08X %08X", r[0], eax & 3, 576, 576, 0)
                    : sub == 1 ? String.format("%s %08X %08X %08X %08X", r[0], eax & 5, 576, 0, 0)
                    : String.format("%s %08X %08X %08X %08X", r[0], 0, 0, 0, 0);
        } else if (leaf == 7 && r[0].endsWith(".00000000:")) {
            // structured extended features: EBX and ECX cut to what the core implements, EDX none
            int ebx = (int) Long.parseLong(r[2], 16) & CpuModel.LEAF7_EBX_IMPLEMENTED;
            int ecx = (int) Long.parseLong(r[3], 16) & CpuModel.LEAF7_ECX_IMPLEMENTED;
            return String.format("%s %s %08X %08X %08X", r[0], r[1], ebx, ecx, 0);
        } else {
            return line;
        }
        int ecx = (int) Long.parseLong(r[3], 16) & ecxMask;
        int edx = (int) Long.parseLong(r[4], 16) & edxMask;
        return String.format("%s %s %s %08X %08X", r[0], r[1], r[2], ecx, edx);
    }

    @Test
    void everyQemuModelADebian686KernelNeedsIsThere() {
        for (String n : List.of("qemu32", "qemu64", "kvm32", "kvm64", "486", "pentium", "pentium2", "pentium3", "athlon",
                "coreduo", "core2duo", "n270", "phenom", "Conroe", "max")) {
            assertTrue(CpuModel.catalog().containsKey(n), n);
        }
        CpuModel p3 = CpuModel.named("pentium3");
        assertEquals(0x673, p3.signature());
        assertEquals("GenuineIntel", p3.vendor());
        assertTrue(p3.source().startsWith("QEMU 7.2.0 target/i386/cpu.c:2085"), p3.source());
    }

    @Test
    void qemu32OffersWhatTheCoreDoesAndNothingItDoesNot() {
        int[] leaf1 = SystemOps.cpuid(CpuModel.named("qemu32"), 1, 0);
        int edx = leaf1[3];
        for (int bit : new int[] {CpuModel.EDX_FPU, CpuModel.EDX_TSC, CpuModel.EDX_MSR, CpuModel.EDX_CX8, CpuModel.EDX_CMOV,
                CpuModel.EDX_PSE, CpuModel.EDX_PGE}) {
            assertTrue((edx & bit) != 0, "feature bit " + Integer.numberOfTrailingZeros(bit));
        }
        for (int bit : new int[] {CpuModel.EDX_MMX, CpuModel.EDX_FXSR, CpuModel.EDX_SSE, CpuModel.EDX_SSE2}) {
            assertTrue((edx & bit) != 0, "SIMD feature bit " + Integer.numberOfTrailingZeros(bit));
        }
        assertEquals(CpuModel.ECX_SSE3, leaf1[2] & CpuModel.ECX_SSE3, "SSE3 (pni)");
        assertEquals(0x663, leaf1[0], "family 6 model 6 stepping 3");
    }

    /**
     * Debian's 686 kernel (linux-image-686) refuses a CPU without CMOV: its boot code
     * (arch/x86/boot/cpu.c validate_cpu) reads CPUID family and the cmov bit and stops with "This
     * kernel requires an i686 CPU, but only detected an i586 CPU." / "This kernel requires the
     * following features not present on the CPU: cmov". That is what -cpu 486, -cpu pentium and
     * -cpu qemu32,-cmov show it; the instruction itself is then #UD, as on those CPUs.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"486", "pentium", "qemu32,-cmov"})
    void debian686KernelRefusesACpuWithoutCmov(String spec) {
        CpuModel m = CpuModel.select(spec, w -> { });
        int[] leaf1 = SystemOps.cpuid(m, 1, 0);
        assertEquals(0, leaf1[3] & CpuModel.EDX_CMOV, "CPUID.1:EDX.CMOV");
        TestBox t = new TestBox(m);
        t.load(0x2000, 0xF4).vector(6, 0x2000);
        t.load(0x1000, 0x0F, 0x44, 0xC3, 0xF4).realModeAt(0x1000); // cmovz ax, bx ; hlt
        t.run(10);
        assertEquals(0x2001, t.cpu.eip(), "CMOV raised #UD");
    }

    @Test
    void a686KernelFindsCmovOnTheP6Models() {
        for (String n : List.of("qemu32", "pentium2", "pentium3", "coreduo", "n270", "athlon", "max")) {
            CpuModel m = CpuModel.named(n);
            assertTrue(m.family() >= 6 && (SystemOps.cpuid(m, 1, 0)[3] & CpuModel.EDX_CMOV) != 0, n);
        }
    }

    @Test
    void minusCmovTakesCmovAwayAndTheInstructionWithIt() {
        List<String> warnings = new ArrayList<>();
        CpuModel m = CpuModel.select("qemu32,-cmov", warnings::add);
        assertFalse(m.has("cmov"));
        assertEquals(0, SystemOps.cpuid(m, 1, 0)[3] & CpuModel.EDX_CMOV);
        assertEquals(List.of(), warnings);
        assertTrue(CpuModel.select("486,+cmov", warnings::add).has("cmov"), "486 with +cmov");
        assertTrue(CpuModel.select("qemu32,cmov=off,cmov=on", warnings::add).has("cmov"), "the last setting wins");
    }

    @Test
    void aFeatureNeitherCoreImplementsIsDroppedWithAWarning() {
        List<String> warnings = new ArrayList<>();
        CpuModel m = CpuModel.select("486,+avx", warnings::add);
        assertFalse(m.has("avx"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("'avx'"), warnings.get(0));
    }

    @Test
    void badFeaturesAndModelsAreOneLineErrors() {
        CpuModel.BadModel e = assertThrows(CpuModel.BadModel.class, () -> CpuModel.select("qemu32,+sse9", w -> { }));
        assertEquals("-cpu qemu32,+sse9: unknown CPU feature 'sse9'; -cpu help lists them", e.getMessage());
        e = assertThrows(CpuModel.BadModel.class, () -> CpuModel.select("qemu32,cmov=maybe", w -> { }));
        assertEquals("-cpu qemu32,cmov=maybe: 'cmov=maybe': a feature is on or off, not 'maybe'", e.getMessage());
        e = assertThrows(CpuModel.BadModel.class, () -> CpuModel.named("pentium9"));
        assertTrue(e.getMessage().startsWith("unknown CPU model 'pentium9'; known: qemu32, qemu64,"), e.getMessage());
    }

    /**
     * {@code -cpu help} is QEMU 7.2's, byte for byte (tests/qemu72/cpu-help.txt, tools/qemu72/record_help.sh):
     * its 132 classes in its order with their descriptions, then every CPUID flag, sorted and wrapped.
     */
    @Test
    void helpIsQemusListing() throws IOException {
        assertEquals(Files.readString(Path.of("tests/qemu72/cpu-help.txt")), CpuModel.help());
    }

    @Test
    void catalogRejectsUnknownKeysAndFeatures() {
        String base = "kind: cpu-models\ntcg: {}\nmodels:\n  x:\n    source: s\n    vendor: GenuineIntel\n    family: 5\n"
                + "    model: 1\n    stepping: 0\n    level: 1\n    xlevel: 0\n    model-id: \"\"\n    leaves: {}\n";
        CpuModel.BadModel e = assertThrows(CpuModel.BadModel.class,
                () -> CpuModel.parse(base + "    features: {1-edx: [fpu, sse9]}\n", "t.yaml"));
        assertEquals("t.yaml: models.x.features.1-edx: unknown feature(s) [sse9]", e.getMessage());
        e = assertThrows(CpuModel.BadModel.class,
                () -> CpuModel.parse(base + "    features: {}\n    colour: red\n", "t.yaml"));
        assertEquals("t.yaml: models.x: unknown key 'colour'", e.getMessage());
    }
}
