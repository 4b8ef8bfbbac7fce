package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.cpu.x86.harness.BareMachine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * CPUID comes from the model data: the cpuid guest prints the same leaves on Machina as on QEMU 7.2
 * for the same -cpu (tests/guests/cpuid-MODEL.qemu.txt), except that leaf 1 offers only the
 * features the core implements (QEMU's set ANDed with ours, as QEMU itself drops features TCG lacks).
 */
class CpuModelTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qemu32", "486"})
    void cpuidMatchesQemuExceptForUnimplementedFeatures(String model) throws IOException {
        List<String> qemu = Files.readAllLines(Path.of("tests/guests/cpuid-" + model + ".qemu.txt"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BareMachine m = new BareMachine(CpuModel.named(model), 32 << 20,
                BareMachine.readRom(Path.of("tests/guests/cpuid.bin")), out, true);
        m.run(10_000_000);
        List<String> ours = List.of(out.toString(StandardCharsets.ISO_8859_1).split("\n"));
        for (int i = 0; i < ours.size(); i++) {
            String want = qemu.get(i);
            if (want.startsWith("00000001.00000000:")) {
                String[] r = want.split(" ");
                int ecx = (int) Long.parseLong(r[3], 16) & SystemOps.IMPLEMENTED_ECX;
                int edx = (int) Long.parseLong(r[4], 16) & SystemOps.IMPLEMENTED_EDX;
                want = String.format("%s %s %s %08X %08X", r[0], r[1], r[2], ecx, edx);
            }
            assertEquals(want, ours.get(i), model + " line " + (i + 1));
        }
    }

    @Test
    void qemu32OffersWhatTheCoreDoesAndNothingItDoesNot() {
        int[] leaf1 = SystemOps.cpuid(CpuModel.named("qemu32"), 1, 0);
        int edx = leaf1[3];
        for (int bit : new int[] {CpuModel.EDX_FPU, CpuModel.EDX_TSC, CpuModel.EDX_MSR, CpuModel.EDX_CX8, CpuModel.EDX_CMOV,
                CpuModel.EDX_PSE, CpuModel.EDX_PGE}) {
            assertTrue((edx & bit) != 0, "feature bit " + Integer.numberOfTrailingZeros(bit));
        }
        assertEquals(0, edx & (1 << 25), "no SSE");
        assertEquals(0, edx & (1 << 6), "no PAE");
        assertEquals(0x663, leaf1[0], "family 6 model 6 stepping 3");
    }

    @Test
    void catalogRejectsUnknownKeysAndFeatures() {
        String base = "models:\n  x:\n    vendor: GenuineIntel\n    family: 5\n    model: 1\n    stepping: 0\n"
                + "    max-leaf: 1\n    max-extended-leaf: 0\n    brand: \"\"\n    leaf1-ebx: 0\n    leaves: {}\n";
        CpuModel.BadModel e = assertThrows(CpuModel.BadModel.class,
                () -> CpuModel.parse(base + "    edx: [fpu, sse9]\n    ecx: []\n", "t.yaml"));
        assertEquals("t.yaml: models.x.edx: unknown feature(s) [sse9]", e.getMessage());
        e = assertThrows(CpuModel.BadModel.class,
                () -> CpuModel.parse(base + "    edx: []\n    ecx: []\n    colour: red\n", "t.yaml"));
        assertEquals("t.yaml: models.x: unknown key 'colour'", e.getMessage());
        e = assertThrows(CpuModel.BadModel.class, () -> CpuModel.named("pentium9"));
        assertTrue(e.getMessage().startsWith("unknown CPU model 'pentium9'; known: qemu32, 486"), e.getMessage());
    }
}
