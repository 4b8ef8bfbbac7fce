package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * MMX against the SDM (Vol. 1 chapter 9, Vol. 2 for each instruction, Vol. 3A Table 22-1): values
 * worked out by hand from the instruction pages, the x87 state an MMX instruction leaves
 * (Vol. 1 9.5: TOP = 0, tags valid, exponent of a written register all ones; EMMS empties the
 * tags) and the exceptions (#UD under CR0.EM, #NM under CR0.TS, a pending x87 exception first,
 * #UD on a model without MMX). The value-by-value comparison with QEMU 7.2 is
 * tests/guests/mmx.asm (GuestTest).
 */
class MmxTest {
    private static final int HLT = 0xF4;
    private static final int MARK = 0x3200;

    /** Real-mode code at 0x1000 after FNINIT; every vector 0-19 goes to a handler that stores its number at MARK and halts. */
    private static TestBox box(String model, int... code) {
        TestBox t = new TestBox(model);
        for (int v = 0; v < 20; v++) {
            int h = 0x2000 + v * 8;
            // mov word [MARK], 0x100 | v ; hlt
            t.load(h, 0xC7, 0x06, MARK & 0xFF, MARK >>> 8, v, 0x01, HLT);
            t.vector(v, h);
        }
        int[] all = new int[code.length + 3];
        all[0] = 0xDB;
        all[1] = 0xE3; // fninit
        System.arraycopy(code, 0, all, 2, code.length);
        all[all.length - 1] = HLT;
        t.load(0x1000, all).realModeAt(0x1000);
        return t;
    }

    private static void put64(TestBox t, int addr, long v) {
        t.memory.write(addr, 4, (int) v);
        t.memory.write(addr + 4, 4, (int) (v >>> 32));
    }

    private static long read64(TestBox t, int addr) {
        return (t.read32(addr) & 0xFFFFFFFFL) | ((long) t.read32(addr + 4) << 32);
    }

    /** movq mm0, [0x3000] ; OP mm0, [0x3008] ; movq [0x3010], mm0 */
    private static long binop(int opcode, long a, long b) {
        TestBox t = box("pentium", 0x0F, 0x6F, 0x06, 0x00, 0x30, 0x0F, opcode, 0x06, 0x08, 0x30, 0x0F, 0x7F, 0x06, 0x10, 0x30);
        put64(t, 0x3000, a);
        put64(t, 0x3008, b);
        t.run(100);
        assertEquals(0, t.read16(MARK), "no exception");
        return read64(t, 0x3010);
    }

    @Test
    void saturatingAddsClampAtTheElementLimits() {
        // PADDUSB: FF + 01 = FF (unsigned saturation), 80 + 7F = FF, 10 + 20 = 30
        assertEquals(0xFFFF_30_00_00_00_00_00L | 0x00_00_00_00_00_00_00_02L,
                binop(0xDC, 0xFF80_1000_0000_0001L, 0x017F_2000_0000_0001L));
        // PADDSW: 7FFF + 0001 = 7FFF, 8000 + FFFF = 8000, 0001 + FFFF = 0000, 1234 + 1111 = 2345
        assertEquals(0x7FFF_8000_0000_2345L, binop(0xED, 0x7FFF_8000_0001_1234L, 0x0001_FFFF_FFFF_1111L));
        // PSUBUSB: 05 - 07 = 00, 07 - 05 = 02
        assertEquals(0x0000_0000_0000_0002L, binop(0xD8, 0x0000_0000_0000_0007L, 0x0000_0000_0000_0005L)
                | binop(0xD8, 0x0000_0000_0000_0005L, 0x0000_0000_0000_0007L));
    }

    @Test
    void pmaddwdMultipliesWordsAndAddsPairs() {
        // high dword: 2 * 3 + 4 * 5 = 26; low dword: (-1) * 7 + 100 * 100 = 9993
        assertEquals(0x0000_001A_0000_2709L, binop(0xF5, 0x0004_0002_0064_FFFFL, 0x0005_0003_0064_0007L));
    }

    @Test
    void packsswbSaturatesSignedWordsToBytes() {
        // dest words 0x0100 0x0080 0xFF7F 0xFFFF -> 7F 7F 80 FF ; source words 0 1 -1 -200 -> 00 01 FF 80
        // destination words 0-3 FFFF FF7F 0080 0100 -> bytes 0-3 FF 80 7F 7F;
        // source words 0-3 FF38 FFFF 0001 0000 -> bytes 4-7 80 FF 01 00
        assertEquals(0x0001_FF80_7F7F_80FFL, binop(0x63, 0x0100_0080_FF7F_FFFFL, 0x0000_0001_FFFF_FF38L));
    }

    @Test
    void anMmxInstructionPutsTheX87InMmxState() {
        // fld1 (TOP 7) ; movq mm0, [0x3000] ; fnstenv [0x3100]
        TestBox t = box("pentium", 0xD9, 0xE8, 0x0F, 0x6F, 0x06, 0x00, 0x30, 0xD9, 0x36, 0x00, 0x31);
        put64(t, 0x3000, 0x1234_5678_9ABC_DEF0L);
        t.run(100);
        assertEquals(0, (t.read16(0x3102) >>> 11) & 7, "TOP = 0");
        assertEquals(0x1234_5678_9ABC_DEF0L, t.cpu.fpMant[0], "MM0 is the significand of physical register 0");
        assertEquals(0xFFFF, t.cpu.fpSe[0], "a written MMX register has sign and exponent all ones (SDM Vol. 1 9.5.1)");
        // tags from the values: R0 all-ones exponent = special (10), R7 = 1.0 valid (00), the others 0.0 = zero (01)
        assertEquals(0b00_01_01_01_01_01_01_10, t.read16(0x3104));
    }

    @Test
    void emmsEmptiesEveryTag() {
        // movq mm0, [0x3000] ; emms ; fnstenv [0x3100]
        TestBox t = box("pentium", 0x0F, 0x6F, 0x06, 0x00, 0x30, 0x0F, 0x77, 0xD9, 0x36, 0x00, 0x31);
        t.run(100);
        assertEquals(0xFFFF, t.read16(0x3104));
    }

    @Test
    void cr0EmMakesMmxUndefinedAndCr0TsMakesItDeviceNotAvailable() {
        // mov eax, cr0 ; or al, 0x0C (EM, TS) ; mov cr0, eax ; emms
        TestBox em = box("pentium", 0x0F, 0x20, 0xC0, 0x0C, 0x0C, 0x0F, 0x22, 0xC0, 0x0F, 0x77);
        em.run(100);
        assertEquals(0x100 | Vectors.UD, em.read16(MARK), "EM: #UD (before #NM)");
        // mov eax, cr0 ; or al, 0x08 (TS) ; mov cr0, eax ; pxor mm0, mm0
        TestBox ts = box("pentium", 0x0F, 0x20, 0xC0, 0x0C, 0x08, 0x0F, 0x22, 0xC0, 0x0F, 0xEF, 0xC0);
        ts.run(100);
        assertEquals(0x100 | Vectors.NM, ts.read16(MARK));
    }

    @Test
    void aPendingX87ExceptionIsTakenBeforeTheMmxInstruction() {
        // fldcw [0x3020] (ZE unmasked) ; fld1 ; fldz ; fdivp st1, st0 (1/0: pending) ; pxor mm0, mm0
        TestBox t = box("pentium", 0xD9, 0x2E, 0x20, 0x30, 0xD9, 0xE8, 0xD9, 0xEE, 0xDE, 0xF9, 0x0F, 0xEF, 0xC0);
        t.memory.write(0x3020, 2, 0x037F & ~X87.ZE);
        t.cpu.cr0 |= Cpu.CR0_NE;
        t.run(100);
        assertEquals(0x100 | Vectors.MF, t.read16(MARK), "#MF under CR0.NE");
        assertEquals(0x100C, t.read16(0x8000 - 6), "the return address is the MMX instruction (a fault before it ran)");
    }

    @Test
    void aCpuWithoutMmxHasNoMmxInstructions() {
        TestBox t = box("486", 0x0F, 0x77);
        t.run(100);
        assertEquals(0x100 | Vectors.UD, t.read16(MARK));
    }
}
