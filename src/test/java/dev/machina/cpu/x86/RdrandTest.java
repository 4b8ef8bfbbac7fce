package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * RDRAND (0F C7 /6) is reproducible: two machines started alike read the same values (as they read the
 * same TSC), on either tier, and the values vary; on a model without rdrand it is #UD.
 * What QEMU 7.2 shows a guest (CF = 1, the other flags clear, the #UD forms) is tests/guests/rdrand.asm.
 */
class RdrandTest {
    private static final int N = 8;

    /** N times: rdrand eax ; mov [0x3000 + 4k], eax (real mode, 66 prefixes), then hlt. */
    private static int[] code() {
        int[] c = new int[N * 8 + 1];
        for (int k = 0; k < N; k++) {
            int o = k * 8;
            c[o] = 0x66;
            c[o + 1] = 0x0F;
            c[o + 2] = 0xC7;
            c[o + 3] = 0xF0;
            c[o + 4] = 0x66;
            c[o + 5] = 0xA3;
            c[o + 6] = (0x3000 + 4 * k) & 0xFF;
            c[o + 7] = (0x3000 + 4 * k) >> 8;
        }
        c[N * 8] = 0xF4;
        return c;
    }

    private static int[] values(Tier tier) {
        TestBox t = new TestBox("max");
        t.cpu.setTier(tier, 1);
        int[] v = new int[N];
        for (int round = 0; round < 2; round++) { // the second round runs the compiled block
            t.load(0x1000, code()).realModeAt(0x1000);
            t.run(1000);
        }
        if (tier == Tier.COMPILED) {
            assertTrue(t.cpu.compiledBlocks() > 0, "no block was compiled");
        }
        for (int k = 0; k < N; k++) {
            v[k] = t.read32(0x3000 + 4 * k);
        }
        return v;
    }

    @Test
    void twoRunsReadTheSameValuesOnEitherTier() {
        int[] a = values(Tier.INTERP);
        int[] b = values(Tier.COMPILED);
        assertArrayEquals(a, b, "the same sequence on a fresh machine, interpreted or compiled");
        assertEquals(N, Arrays.stream(a).distinct().count(), "values vary: " + Arrays.toString(a));
    }

    @Test
    void withoutTheFeatureItIsUndefined() {
        TestBox t = new TestBox("qemu32");
        // #UD handler at 0x2000: mov word [0x3000], 0x0606 ; hlt
        t.load(0x2000, 0xC7, 0x06, 0x00, 0x30, 0x06, 0x06, 0xF4).vector(6, 0x2000);
        t.load(0x1000, code()).realModeAt(0x1000);
        t.run(1000);
        assertEquals(0x0606, t.read16(0x3000), "#UD on qemu32");
        assertTrue(!CpuModel.named("qemu32").has("rdrand") && CpuModel.named("max").has("rdrand"));
    }
}
