package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Which models run AMD's MMX extensions (CPUID.80000001h:EDX.MmxExt, AMD APM Vol. 5; the same instructions SSE added
 * on MMX registers), where QEMU 7.2 cannot be the reference: it runs PAVGB mm and the others on any model with MMX
 * (even pentium2, which has neither SSE nor MmxExt) and gives SFENCE only with SSE, where the APM says
 * "SSE or MmxExt". The values are compared with QEMU 7.2 in tests/guests/mmxext.asm (GuestTest).
 */
class MmxExtTest {
    private static final int HLT = 0xF4;
    private static final int MARK = 0x3200;

    /** Real-mode code at 0x1000; a fault stores 0x100 | vector at MARK. */
    private static int run(String model, int... code) {
        TestBox t = new TestBox(CpuModel.select(model, w -> { }));
        for (int v = 0; v < 20; v++) {
            int h = 0x2000 + v * 8;
            t.load(h, 0xC7, 0x06, MARK & 0xFF, MARK >>> 8, v, 0x01, HLT); // mov word [MARK], 0x100 | v ; hlt
            t.vector(v, h);
        }
        int[] all = new int[code.length + 1];
        System.arraycopy(code, 0, all, 0, code.length);
        all[code.length] = HLT;
        t.load(0x1000, all).realModeAt(0x1000);
        t.run(100);
        return t.read16(MARK);
    }

    private static final int[] PAVGB = {0x0F, 0xE0, 0xC1}, PSHUFW = {0x0F, 0x70, 0xC1, 0x1B}, PMOVMSKB = {0x0F, 0xD7, 0xC1},
            MOVNTQ = {0x0F, 0xE7, 0x07}, SFENCE = {0x0F, 0xAE, 0xF8};

    @Test
    void mmxExtAloneRunsTheSseIntegerFormsOnMmxRegistersAndSfence() {
        for (int[] code : new int[][] {PAVGB, PSHUFW, PMOVMSKB, MOVNTQ, SFENCE}) {
            assertEquals(0, run("pentium2,+mmxext", code), "pentium2,+mmxext: " + Integer.toHexString(code[1]));
            assertEquals(0x100 | Vectors.UD, run("pentium2", code), "pentium2 (no SSE, no MmxExt): " + Integer.toHexString(code[1]));
        }
    }

    @Test
    void maxOffersMmxExt() {
        assertEquals(true, CpuModel.select("max", w -> { }).has("mmxext"));
        assertEquals(0, run("max,-mmxext", PAVGB), "SSE alone still gives them");
    }
}
