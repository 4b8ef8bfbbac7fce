package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The x87 against known results (SDM Vol. 1 chapter 8 and the instruction pages): values stored to
 * memory, the status word, the stack-fault rules QEMU 7.2 does not implement. The QEMU-compared
 * part is tests/guests/fpu.asm (GuestTest).
 */
class X87Test {
    private static final int HLT = 0xF4;

    /** Runs real-mode code at 0x1000 after FNINIT; data at 0x3000. */
    private static TestBox run(int... code) {
        TestBox t = new TestBox("pentium3");
        int[] all = new int[code.length + 3];
        all[0] = 0xDB;
        all[1] = 0xE3; // fninit
        System.arraycopy(code, 0, all, 2, code.length);
        all[all.length - 1] = HLT;
        t.load(0x1000, all).realModeAt(0x1000);
        t.run(1000);
        return t;
    }

    private static long read64(TestBox t, int addr) {
        return (t.read32(addr) & 0xFFFFFFFFL) | ((long) t.read32(addr + 4) << 32);
    }

    private static void put64(TestBox t, int addr, double v) {
        long b = Double.doubleToRawLongBits(v);
        t.memory.write(addr, 4, (int) b);
        t.memory.write(addr + 4, 4, (int) (b >>> 32));
    }

    @Test
    void fsqrtFsinFcosOfKnownValues() {
        // fld1 ; fsqrt ; fstp qword [0x3000] ; fldpi ; fsin ; fstp qword [0x3008] ; fldz ; fcos ; fstp qword [0x3010]
        TestBox t = run(0xD9, 0xE8, 0xD9, 0xFA, 0xDD, 0x1E, 0x00, 0x30, 0xD9, 0xEB, 0xD9, 0xFE, 0xDD, 0x1E, 0x08, 0x30,
                0xD9, 0xEE, 0xD9, 0xFF, 0xDD, 0x1E, 0x10, 0x30);
        assertEquals(1.0, Double.longBitsToDouble(read64(t, 0x3000)));
        assertEquals(Math.sin(Math.PI), Double.longBitsToDouble(read64(t, 0x3008)), 1e-15);
        assertEquals(1.0, Double.longBitsToDouble(read64(t, 0x3010)));
    }

    @Test
    void fpremGivesTheRemainderAndTheQuotientBits() {
        TestBox t = new TestBox("pentium3");
        put64(t, 0x3000, 17.0);
        put64(t, 0x3008, 5.0);
        // fninit ; fld qword [0x3008] ; fld qword [0x3000] ; fprem ; fstp qword [0x3010] ; fnstsw [0x3018] ; hlt
        t.load(0x1000, 0xDB, 0xE3, 0xDD, 0x06, 0x08, 0x30, 0xDD, 0x06, 0x00, 0x30, 0xD9, 0xF8, 0xDD, 0x1E, 0x10, 0x30,
                0xDD, 0x3E, 0x18, 0x30, HLT).realModeAt(0x1000);
        t.run(100);
        assertEquals(2.0, Double.longBitsToDouble(read64(t, 0x3010)), "17 rem 5");
        int sw = t.read16(0x3018);
        // quotient 3 = 011b: C0 = bit 2 = 0, C3 = bit 0 = 1, C1 = bit 1 = 1; C2 = 0 (complete); TOP = 7 after the pop
        assertEquals(0x4000 | 0x0200 | (7 << 11), sw & 0x4700 | sw & 0x3800);
    }

    @Test
    void readingAnEmptyRegisterIsAStackUnderflowWithTheIndefinite() {
        // fadd st0, st1 on an empty stack ; fnstsw [0x3000] ; fstp qword [0x3008]
        TestBox t = run(0xD8, 0xC1, 0xDD, 0x3E, 0x00, 0x30, 0xDD, 0x1E, 0x08, 0x30);
        assertEquals(X87.IE | X87.SF, t.read16(0x3000) & 0xFF, "IE and SF, C1 = 0 (underflow)");
    }

    @Test
    void pushingOntoAFullStackIsAStackOverflow() {
        int[] code = new int[8 * 2 + 4];
        for (int i = 0; i < 9; i++) {
            if (i < 8) {
                code[2 * i] = 0xD9;
                code[2 * i + 1] = 0xE8; // fld1 × 8
            }
        }
        code[16] = 0xD9;
        code[17] = 0xE8; // the ninth
        code[18] = 0x90;
        code[19] = 0x90;
        TestBox t = run(concat(code, new int[] {0xDD, 0x3E, 0x00, 0x30}));
        assertEquals(X87.IE | X87.SF | X87.C1, t.read16(0x3000) & (0xFF | X87.C1), "IE, SF, C1 = 1 (overflow)");
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = new int[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void extendedValuesConvertExactly() {
        for (double d : new double[] {0.0, -0.0, 1.0, -2.5, Math.PI, Double.MIN_VALUE, Double.MAX_VALUE, 1e-310,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            long[] x = X87.fromDouble(d);
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(X87.toDouble(x[0], (int) x[1])), "" + d);
        }
        for (long v : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0x0123456789ABCDEFL}) {
            long[] x = X87.fromLong(v);
            long[] back = X87.roundToInteger(x[0], (int) x[1], 3);
            assertEquals(v, back[1] != 0 ? -back[0] : back[0], "" + v);
        }
    }

    @Test
    void roundingControlModes() {
        long[] x = X87.fromDouble(-2.5);
        assertArrayEquals(new long[] {2, 1}, X87.roundToInteger(x[0], (int) x[1], 0), "nearest even");
        assertArrayEquals(new long[] {3, 1}, X87.roundToInteger(x[0], (int) x[1], 1), "down");
        assertArrayEquals(new long[] {2, 1}, X87.roundToInteger(x[0], (int) x[1], 2), "up");
        assertArrayEquals(new long[] {2, 1}, X87.roundToInteger(x[0], (int) x[1], 3), "toward zero");
        long[] small = X87.fromDouble(0.75);
        assertArrayEquals(new long[] {1, 0}, X87.roundToInteger(small[0], (int) small[1], 0));
        long[] quarter = X87.fromDouble(0.25);
        assertArrayEquals(new long[] {0, 0}, X87.roundToInteger(quarter[0], (int) quarter[1], 0));
        long[] big = X87.fromDouble(1e30);
        assertNull(X87.roundToInteger(big[0], (int) big[1], 0), "beyond 64 bits");
    }

    @Test
    void withEmSetAnX87InstructionIsDeviceNotAvailable() {
        TestBox t = new TestBox("pentium3");
        t.load(0x2000, HLT).vector(7, 0x2000);
        // mov eax, cr0 ; or al, 4 ; mov cr0, eax ; fld1 ; hlt
        t.load(0x1000, 0x0F, 0x20, 0xC0, 0x0C, 0x04, 0x0F, 0x22, 0xC0, 0xD9, 0xE8, HLT).realModeAt(0x1000);
        t.run(20);
        assertEquals(0x2001, t.cpu.eip(), "#NM");
    }

    @Test
    void fsinOfAnOperandBeyondTwoToThe63IsLeftWithC2Set() {
        // SDM FSIN: |x| >= 2^63 sets C2 and leaves ST(0) unchanged (the caller reduces the argument first)
        TestBox t = new TestBox("pentium3");
        put64(t, 0x3020, 0x1p64);
        // fninit ; fld qword [0x3020] ; fsin ; fnstsw [0x3010] ; fstp qword [0x3000]
        t.load(0x1000, 0xDB, 0xE3, 0xDD, 0x06, 0x20, 0x30, 0xD9, 0xFE, 0xDD, 0x3E, 0x10, 0x30, 0xDD, 0x1E, 0x00, 0x30, HLT)
                .realModeAt(0x1000);
        t.run(100);
        assertEquals(X87.C2, t.read16(0x3010) & (X87.C2 | X87.IE), "C2 = 1, no exception");
        assertEquals(0x1p64, Double.longBitsToDouble(read64(t, 0x3000)), "ST(0) unchanged");
        // and sin(0.5) in range: C2 = 0
        put64(t, 0x3020, 0.5);
        t.load(0x1000, 0xDB, 0xE3, 0xDD, 0x06, 0x20, 0x30, 0xD9, 0xFE, 0xDD, 0x3E, 0x10, 0x30, 0xDD, 0x1E, 0x00, 0x30, HLT)
                .realModeAt(0x1000);
        t.run(100);
        assertEquals(0, t.read16(0x3010) & X87.C2);
        assertEquals(0.479425538604203, Double.longBitsToDouble(read64(t, 0x3000)), 1e-15);
    }

    @Test
    void fsqrtOfANegativeNumberIsInvalidWithTheIndefinite() {
        TestBox t = new TestBox("pentium3");
        put64(t, 0x3020, -4.0);
        // fninit ; fld qword [0x3020] ; fsqrt ; fnstsw [0x3010] ; fstp qword [0x3000]
        t.load(0x1000, 0xDB, 0xE3, 0xDD, 0x06, 0x20, 0x30, 0xD9, 0xFA, 0xDD, 0x3E, 0x10, 0x30, 0xDD, 0x1E, 0x00, 0x30, HLT)
                .realModeAt(0x1000);
        t.run(100);
        assertEquals(X87.IE, t.read16(0x3010) & 0x3F, "IE (masked)");
        assertEquals(0xFFF8000000000000L, read64(t, 0x3000), "the QNaN indefinite");
    }

    @Test
    void withCr0NeClearAnUnmaskedExceptionSignalsFerrInsteadOfMf() {
        // the PC (and Linux without CR0.NE) take x87 errors through FERR# to IRQ 13: no #MF (SDM Vol. 1 8.7, D.1)
        TestBox t = new TestBox("pentium3");
        int[] ferr = {0};
        t.cpu.setFerrListener(() -> ferr[0]++);
        t.load(0x2000, 0xC6, 0x06, 0x40, 0x30, 0x01, HLT).vector(16, 0x2000); // #MF handler: mov byte [0x3040], 1
        t.memory.write(0x3030, 2, 0x037F & ~X87.ZE);
        // fninit ; fldcw [0x3030] ; fld1 ; fldz ; fdivp st1, st0 ; fwait ; hlt
        t.load(0x1000, 0xDB, 0xE3, 0xD9, 0x2E, 0x30, 0x30, 0xD9, 0xE8, 0xD9, 0xEE, 0xDE, 0xF9, 0x9B, HLT).realModeAt(0x1000);
        t.run(100);
        assertEquals(1, ferr[0], "FERR# once, at the FWAIT");
        assertEquals(0, t.memory.read(0x3040, 1), "no #MF");
        assertEquals(0x100E, t.cpu.eip(), "the FWAIT went on to the HLT");
        // the same with CR0.NE: #MF at the FWAIT
        TestBox n = new TestBox("pentium3");
        n.cpu.setFerrListener(() -> ferr[0]++);
        n.load(0x2000, 0xC6, 0x06, 0x40, 0x30, 0x01, HLT).vector(16, 0x2000);
        n.memory.write(0x3030, 2, 0x037F & ~X87.ZE);
        n.load(0x1000, 0xDB, 0xE3, 0xD9, 0x2E, 0x30, 0x30, 0xD9, 0xE8, 0xD9, 0xEE, 0xDE, 0xF9, 0x9B, HLT).realModeAt(0x1000);
        n.cpu.cr0 |= Cpu.CR0_NE;
        n.run(100);
        assertEquals(1, n.memory.read(0x3040, 1), "#MF");
        assertEquals(1, ferr[0], "and no FERR#");
    }
}
