package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * SSE4A where QEMU 7.2 cannot be the reference (AMD APM Vol. 4 EXTRQ: "66 0F 78 /0 ib ib", the register in
 * ModRM.rm): QEMU 7.2 runs EXTRQ's immediate form on the XMM register ModRM.reg names, and with a memory ModRM
 * or ModRM.reg != 0 instead of #UD. The value-by-value comparison with QEMU 7.2 is tests/guests/sse4a.asm
 * (GuestTest, which also shows every form #UD on -cpu qemu32).
 */
class Sse4aOpsTest {
    private static final int HLT = 0xF4;
    private static final int MARK = 0x3200;

    /** Real-mode code at 0x1000 with CR4.OSFXSR and XMM1 = 0x1122334455667788; a fault stores 0x100 | vector at MARK. */
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
        t.cpu.cr4 |= SystemOps.CR4_OSFXSR;
        t.cpu.xmm[0] = 0x0102030405060708L;
        t.cpu.xmm[2] = 0x1122334455667788L;
        t.cpu.xmm[3] = 0xAABBCCDDEEFF0011L;
        t.run(100);
        return t;
    }

    @Test
    void extrqWithImmediatesWorksOnTheRegisterInModrmRm() {
        TestBox t = run("max", 0x66, 0x0F, 0x78, 0xC1, 0x10, 0x08); // EXTRQ xmm1, 16, 8
        assertEquals(0, t.read16(MARK));
        assertEquals(0x6677L, t.cpu.xmm[2], "xmm1: bits 23:8 zero-extended");
        assertEquals(0xAABBCCDDEEFF0011L, t.cpu.xmm[3], "xmm1's upper quadword kept");
        assertEquals(0x0102030405060708L, t.cpu.xmm[0], "xmm0 (ModRM.reg) untouched");
    }

    @Test
    void extrqWithImmediatesIsUndefinedWithMemoryOrANonZeroReg() {
        assertEquals(0x100 | Vectors.UD, run("max", 0x66, 0x0F, 0x78, 0xC9, 0x10, 0x08).read16(MARK), "ModRM.reg = 1");
        assertEquals(0x100 | Vectors.UD, run("max", 0x66, 0x0F, 0x78, 0x07, 0x10, 0x08).read16(MARK), "memory [bx]");
        assertEquals(0x100 | Vectors.UD, run("max", 0xF2, 0x0F, 0x79, 0x07).read16(MARK), "INSERTQ memory");
    }

    @Test
    void aModelWithoutSse4aRaisesUndefinedOpcode() {
        int[] extrq = {0x66, 0x0F, 0x78, 0xC1, 0x10, 0x08};
        assertEquals(0x100 | Vectors.UD, run("qemu32", extrq).read16(MARK), "qemu32");
        assertEquals(0, run("qemu32,+sse4a", extrq).read16(MARK), "qemu32,+sse4a");
        assertEquals(0x100 | Vectors.UD, run("max,-sse4a", extrq).read16(MARK), "max,-sse4a");
        assertEquals(0x100 | Vectors.UD, run("max,-sse4a", 0xF3, 0x0F, 0x2B, 0x07).read16(MARK), "MOVNTSS, max,-sse4a");
    }
}
