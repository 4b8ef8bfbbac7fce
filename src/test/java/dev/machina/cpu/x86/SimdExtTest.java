package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The instructions of the 0F 38 / 0F 3A maps against the SDM where QEMU 7.2 cannot be the reference:
 * it does not check the 16-byte alignment of the m128 of PTEST, ROUNDPS, DPPS, PCLMULQDQ and the AES forms
 * (the SDM's "Type 2/4" exceptions of a legacy SSE form: #GP(0)). The value-by-value comparisons with QEMU 7.2 are
 * tests/guests/ssse3.asm, sse41.asm, ... (GuestTest).
 */
class SimdExtTest {
    /** Real-mode code at 0x1000 with CR4.OSFXSR (SseTest's box); the vector it ended in, as 0x100 | vector, or 0. */
    private static int run(String model, int... code) {
        TestBox t = SseTest.box(model, SystemOps.CR4_OSFXSR, code);
        t.run(100);
        return t.read16(SseTest.MARK);
    }

    @Test
    void aMisalignedM128OfTheFormsQemuDoesNotCheckIsGeneralProtection() {
        // 66 0F 38 17 /r PTEST; 66 0F 3A 08 /r ib ROUNDPS; 66 0F 3A 40 /r ib DPPS; 66 0F 3A 44 /r ib PCLMULQDQ;
        // 66 0F 38 DC /r AESENC; 66 0F 38 DB /r AESIMC; 66 0F 3A DF /r ib AESKEYGENASSIST; ModRM 06 = [disp16]
        int[][] forms = {{0x66, 0x0F, 0x38, 0x17, 0x06}, {0x66, 0x0F, 0x3A, 0x08, 0x06}, {0x66, 0x0F, 0x3A, 0x40, 0x06},
            {0x66, 0x0F, 0x3A, 0x44, 0x06}, {0x66, 0x0F, 0x38, 0xDC, 0x06}, {0x66, 0x0F, 0x38, 0xDB, 0x06},
            {0x66, 0x0F, 0x3A, 0xDF, 0x06}};
        int[][] imms = {{}, {0x00}, {0xFF}, {0x11}, {}, {}, {0x01}};
        for (int k = 0; k < forms.length; k++) {
            for (int at : new int[] {0x3004, 0x3000}) {
                int[] code = new int[forms[k].length + 2 + imms[k].length];
                System.arraycopy(forms[k], 0, code, 0, forms[k].length);
                code[forms[k].length] = at & 0xFF;
                code[forms[k].length + 1] = at >>> 8;
                System.arraycopy(imms[k], 0, code, forms[k].length + 2, imms[k].length);
                assertEquals(at == 0x3004 ? 0x100 | Vectors.GP : 0, run("max", code), "form " + k + " at " + Integer.toHexString(at));
            }
        }
    }

    @Test
    void aModelWithoutTheFeatureRaisesUndefinedOpcode() {
        int[] pshufb = {0x66, 0x0F, 0x38, 0x00, 0xC1};
        int[] pminsb = {0x66, 0x0F, 0x38, 0x38, 0xC1};
        assertEquals(0x100 | Vectors.UD, run("qemu32", pshufb), "qemu32: no SSSE3");
        assertEquals(0, run("qemu32,+ssse3", pshufb), "qemu32,+ssse3");
        assertEquals(0x100 | Vectors.UD, run("qemu32,+ssse3", pminsb), "qemu32,+ssse3: no SSE4.1");
        assertEquals(0, run("max", pminsb), "max: SSE4.1");
        assertEquals(0x100 | Vectors.UD, run("max,-sse4.1", pminsb), "max,-sse4.1");
    }
}
