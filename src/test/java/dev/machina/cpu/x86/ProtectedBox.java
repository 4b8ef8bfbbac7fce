package dev.machina.cpu.x86;

/**
 * A CPU in 32-bit protected mode at ring 0 for behaviour tests: a GDT with flat code and data at
 * rings 0 and 3, a 16-bit data segment, a 32-bit TSS loaded in TR; every IDT vector v leads to a
 * HLT at {@link #STUBS} + v through a 32-bit interrupt gate (DPL 3), so where the CPU halted says
 * which vector was delivered. Paging is off unless a test turns it on.
 */
final class ProtectedBox {
    static final int STUBS = 0x500, IDT = 0x1000, GDT = 0x2000, TSS = 0x5000, CODE = 0x10000;
    static final int HLT = 0xF4;
    static final int CODE0 = 0x08, DATA0 = 0x10, CODE3 = 0x1B, DATA3 = 0x23, TSS_SEL = 0x28, DATA16 = 0x30;
    /** Descriptors a test may add start at this selector. */
    static final int FREE = 0x38;
    static final int GDT_LIMIT = 0x100 - 1;

    final TestBox t;
    final Cpu c;

    ProtectedBox() {
        this("qemu32");
    }

    ProtectedBox(String model) {
        t = new TestBox(model);
        c = t.cpu;
        for (int k = 0; k <= GDT_LIMIT; k += 4) {
            t.memory.write(GDT + k, 4, 0);
        }
        desc(CODE0, 0x0000FFFF, 0x00CF9A00);
        desc(DATA0, 0x0000FFFF, 0x00CF9200);
        desc(CODE3, 0x0000FFFF, 0x00CFFA00);
        desc(DATA3, 0x0000FFFF, 0x00CFF200);
        desc(TSS_SEL, (TSS << 16) | 0x67, 0x00008900);
        desc(DATA16, 0x0000FFFF, 0x00009200); // base 0, limit FFFF, B = 0: a 16-bit stack
        for (int v = 0; v < 256; v++) {
            t.memory.write(IDT + v * 8L, 4, (CODE0 << 16) | (STUBS + v));
            t.memory.write(IDT + v * 8L + 4, 4, 0xEE00);
            t.load(STUBS + v, HLT);
        }
        for (int k = 0; k < 0x68; k += 4) {
            t.memory.write(TSS + k, 4, 0);
        }
        t.memory.write(TSS + 4, 4, 0x9000); // ESP0
        t.memory.write(TSS + 8, 4, DATA0);  // SS0
        t.memory.write(TSS + 0x66, 2, 0x68); // no I/O bitmap
        c.gdtBase = GDT;
        c.gdtLimit = GDT_LIMIT;
        c.idtBase = IDT;
        c.idtLimit = 256 * 8 - 1;
        SystemOps.setCr0(c, c.cr0 | Cpu.CR0_PE);
        c.trSel = TSS_SEL;
        c.trBase = TSS;
        c.trLimit = 0x67;
        c.trAttr = 0x8B;
        t.memory.write(GDT + TSS_SEL + 4L, 4, 0x00008B00); // busy: it is the current task
        for (int s = 0; s < 6; s++) {
            load(s, DATA0);
        }
        load(Cpu.CS, CODE0);
        c.setCpl(0);
        c.setReg(Cpu.ESP, 0x8000);
        c.setEip(CODE);
    }

    void desc(int selector, int lo, int hi) {
        t.memory.write(GDT + (selector & ~7), 4, lo);
        t.memory.write(GDT + (selector & ~7) + 4L, 4, hi);
    }

    void load(int s, int selector) {
        Segments.loadCache(c, s, selector, Segments.read(c, selector, Vectors.GP));
        if (s == Cpu.CS) {
            c.setCpl(selector & 3);
        }
    }

    /** Places code at {@link #CODE}. */
    ProtectedBox code(int... bytes) {
        t.load(CODE, bytes);
        return this;
    }

    /** Runs to a HLT; returns the vector whose stub halted, or -1 for a HLT elsewhere. */
    int runToVector(long max) {
        Cpu.Stop s = c.run(max);
        if (s != Cpu.Stop.HALTED) {
            throw new AssertionError("the CPU did not halt: " + s + " at EIP " + Integer.toHexString(c.eip()));
        }
        int v = c.eip() - 1 - STUBS;
        return v >= 0 && v < 256 && c.segBase(Cpu.CS) == 0 ? v : -1;
    }
}
