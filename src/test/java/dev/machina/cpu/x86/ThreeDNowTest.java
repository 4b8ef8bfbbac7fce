package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Which models run 3DNow! and its extensions, where QEMU 7.2 cannot be the reference: it runs the extensions
 * (PI2FW, PF2IW, PFNACC, PFPNACC, PSWAPD) with the 3dnow bit alone; the AMD APM gives them with 3DNowExt only.
 * The values are compared with QEMU 7.2 in tests/guests/3dnow.asm (GuestTest).
 */
class ThreeDNowTest {
    private static final int HLT = 0xF4;
    private static final int MARK = 0x3200;

    /** Real-mode code at 0x1000 with mm1 = (2.0f, 8.0f); a fault stores 0x100 | vector at MARK. */
    private static TestBox run(String model, int... code) {
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
        t.cpu.fpMant[1] = (long) Float.floatToRawIntBits(8.0f) << 32 | Float.floatToRawIntBits(2.0f);
        t.run(100);
        return t;
    }

    private static final int[] PFADD = {0x0F, 0x0F, 0xC1, 0x9E}, PSWAPD = {0x0F, 0x0F, 0xC1, 0xBB}, FEMMS = {0x0F, 0x0E};

    @Test
    void theExtensionsNeed3DNowExt() {
        assertEquals(0, run("qemu32,+3dnow", PFADD).read16(MARK), "PFADD with 3dnow");
        assertEquals(0x100 | Vectors.UD, run("qemu32,+3dnow", PSWAPD).read16(MARK), "PSWAPD without 3dnowext");
        TestBox t = run("qemu32,+3dnow,+3dnowext", PSWAPD);
        assertEquals(0, t.read16(MARK), "PSWAPD with 3dnowext");
        assertEquals((long) Float.floatToRawIntBits(2.0f) << 32 | Float.floatToRawIntBits(8.0f), t.cpu.fpMant[0], "mm0: halves swapped");
    }

    @Test
    void withoutTheFeatureEveryFormIsUndefined() {
        for (int[] code : new int[][] {PFADD, PSWAPD, FEMMS}) {
            assertEquals(0x100 | Vectors.UD, run("qemu32", code).read16(MARK), "qemu32: " + Integer.toHexString(code[code.length - 1]));
            assertEquals(0x100 | Vectors.UD, run("max,-3dnow", code).read16(MARK), "max,-3dnow: " + Integer.toHexString(code[code.length - 1]));
        }
        assertEquals(0, run("max", FEMMS).read16(MARK), "max: FEMMS");
    }
}
