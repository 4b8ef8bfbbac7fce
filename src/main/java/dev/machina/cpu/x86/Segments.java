package dev.machina.cpu.x86;

/**
 * Segment descriptors and segment register loads (SDM Vol. 3A 3.4, 3.5, 5.1-5.8), and the EFLAGS
 * update rules of POPF/IRET.
 *
 * <p>A descriptor is handled as its two dwords {@code lo}, {@code hi}; the cached attributes
 * ({@link Cpu#attr}) are bits 8..23 of {@code hi}: type (0-3), S (4), DPL (5-6), P (7), AVL (12),
 * D/B (14), G (15). Error codes name the selector with RPL cleared (SDM Vol. 3A 6.13).
 */
final class Segments {
    private Segments() {}

    static final int A_P = 0x80, A_S = 0x10, A_DB = 0x4000;

    static int base(int lo, int hi) {
        return (lo >>> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF000000);
    }

    static int limit(int lo, int hi) {
        int l = (lo & 0xFFFF) | (hi & 0xF0000);
        return (hi & 0x800000) != 0 ? (l << 12) | 0xFFF : l;
    }

    static int attr(int hi) {
        return (hi >>> 8) & 0xF0FF;
    }

    static int dpl(int hi) {
        return (hi >>> 13) & 3;
    }

    static boolean present(int hi) {
        return (hi & 0x8000) != 0;
    }

    static boolean isCode(int hi) {
        return (hi & 0x1800) == 0x1800; // S = 1 and type bit 3
    }

    static boolean isData(int hi) {
        return (hi & 0x1800) == 0x1000;
    }

    static boolean conforming(int hi) {
        return (hi & 0x400) != 0;
    }

    static boolean readable(int hi) {
        return isData(hi) || (hi & 0x200) != 0;
    }

    static boolean writableData(int hi) {
        return isData(hi) && (hi & 0x200) != 0;
    }

    /** System descriptor type (S = 0): 1/3 16-bit TSS, 2 LDT, 4 16-bit call gate, 5 task gate, 6/7 16-bit int/trap gate, 9/B 32-bit TSS, C call gate, E/F 32-bit int/trap gate. */
    static int systemType(int hi) {
        return (hi & 0x1000) != 0 ? -1 : (hi >>> 8) & 0xF;
    }

    /** Linear address of a selector's descriptor, or raises vector(selector) when it lies outside its table. */
    static int descriptorAddress(Cpu c, int selector, int vector) {
        int index = selector & 0xFFF8;
        if ((selector & 4) != 0) {
            if ((c.ldtAttr & A_P) == 0 || (c.ldtSel & 0xFFFC) == 0 || Integer.compareUnsigned(index + 7, c.ldtLimit) > 0) {
                throw c.fault(vector, selector & 0xFFFC);
            }
            return c.ldtBase + index;
        }
        if (Integer.compareUnsigned(index + 7, c.gdtLimit) > 0) {
            throw c.fault(vector, selector & 0xFFFC);
        }
        return c.gdtBase + index;
    }

    /** Reads a descriptor: returns hi << 32 | lo. */
    static long read(Cpu c, int selector, int vector) {
        int addr = descriptorAddress(c, selector, vector);
        int lo = c.sysRead(addr, 4);
        int hi = c.sysRead(addr + 4, 4);
        return ((long) hi << 32) | (lo & 0xFFFFFFFFL);
    }

    static int lo(long d) {
        return (int) d;
    }

    static int hi(long d) {
        return (int) (d >>> 32);
    }

    /** Sets the accessed bit of a code/data descriptor in its table (the CPU writes it on load). */
    static void setAccessed(Cpu c, int selector, int hi) {
        if ((hi & 0x100) == 0) {
            int addr = descriptorAddress(c, selector, Vectors.GP);
            c.sysWrite(addr + 4, 4, hi | 0x100);
        }
    }

    static void loadCache(Cpu c, int s, int selector, long d) {
        c.setSegCache(s, selector, base(lo(d), hi(d)), limit(lo(d), hi(d)), attr(hi(d)) | 0x01);
    }

    /** MOV/POP/LxS to DS, ES, FS, GS or SS (SDM Vol. 2B MOV "Operation", Vol. 3A 5.7). */
    static void loadData(Cpu c, int s, int selector) {
        selector &= 0xFFFF;
        if (c.realOrV86()) {
            c.loadSegReal(s, selector);
            return;
        }
        if (s == Cpu.SS) {
            loadSS(c, selector, c.cpl, Vectors.GP);
            return;
        }
        if ((selector & 0xFFFC) == 0) {
            c.setSegCache(s, selector, 0, 0, 0); // null selector: loads fine, faults on use
            return;
        }
        long d = read(c, selector, Vectors.GP);
        int hi = hi(d);
        int err = selector & 0xFFFC;
        if (!readable(hi) || (hi & 0x1000) == 0) {
            throw c.fault(Vectors.GP, err);
        }
        if (isData(hi) || !conforming(hi)) {
            int dpl = dpl(hi);
            if ((selector & 3) > dpl || c.cpl > dpl) {
                throw c.fault(Vectors.GP, err);
            }
        }
        if (!present(hi)) {
            throw c.fault(Vectors.NP, err);
        }
        setAccessed(c, selector, hi);
        loadCache(c, s, selector, d | (0x100L << 32));
    }

    /** Loads SS for privilege level cpl; vector is #GP for instructions, #TS for stack switches. */
    static void loadSS(Cpu c, int selector, int cpl, int vector) {
        long d = checkStack(c, selector, cpl, vector);
        setAccessed(c, selector, hi(d));
        loadCache(c, Cpu.SS, selector, d);
    }

    /** Checks an SS selector for a stack switch without loading it; returns the descriptor. */
    static long checkStack(Cpu c, int selector, int cpl, int vector) {
        if ((selector & 0xFFFC) == 0) {
            throw c.fault(vector, 0);
        }
        long d = read(c, selector, vector);
        int hi = hi(d);
        int err = selector & 0xFFFC;
        if ((selector & 3) != cpl || dpl(hi) != cpl || !writableData(hi)) {
            throw c.fault(vector, err);
        }
        if (!present(hi)) {
            throw c.fault(Vectors.SS, err);
        }
        return d;
    }

    /**
     * Whether the {@code n} stack bytes below {@code top} (offsets in the stack's width, {@code mask})
     * lie inside the segment of descriptor {@code d}: at or below its limit, or, for an expand-down
     * segment, above its limit and at or below 0xFFFF or 0xFFFFFFFF by its B flag (SDM Vol. 3A 5.3).
     * For the frames pushed on an inner stack, whose writes bypass the segment checks.
     */
    static boolean stackFits(long d, int top, int n, int mask) {
        int hi = hi(d);
        long lim = limit(lo(d), hi) & 0xFFFFFFFFL;
        long low = (top - n) & mask & 0xFFFFFFFFL;
        long high = (top - 1) & mask & 0xFFFFFFFFL;
        if (isData(hi) && (hi & 0x400) != 0) {
            long upper = (hi & 0x400000) != 0 ? 0xFFFFFFFFL : 0xFFFFL;
            return low > lim && high > lim && low <= upper && high <= upper;
        }
        return low <= lim && high <= lim;
    }

    /** After a return to an outer privilege level: data segment registers the new CPL may not use become null (SDM Vol. 2A IRET/RET). */
    static void dropInaccessible(Cpu c) {
        for (int s = 0; s < 6; s++) {
            if (s == Cpu.CS || s == Cpu.SS) {
                continue;
            }
            int a = c.attr[s];
            boolean dataOrNc = (a & 0x10) != 0 && ((a & 8) == 0 || (a & 4) == 0);
            int dpl = (a >>> 5) & 3;
            if ((c.sel[s] & 0xFFFC) == 0 || (dataOrNc && dpl < c.cpl)) {
                c.setSegCache(s, 0, 0, 0, 0);
            }
        }
    }

    /**
     * POPF/IRET (same privilege) EFLAGS rules (SDM Vol. 2B POPF "Operation"): VM, VIF, VIP kept;
     * IOPL changes only at CPL 0; IF only when CPL <= IOPL; RF cleared by POPF. A 16-bit write
     * changes only the low 16 bits. The 80386 and later let real mode load IOPL and NT (the 286 did
     * not).
     */
    static void writeEflags(Cpu c, int v, int size) {
        int old = c.eflags();
        int changeable = Cpu.ARITH | Cpu.TF | Cpu.DF | Cpu.NT | Cpu.AC | Cpu.ID | Cpu.IF | Cpu.IOPL;
        if (c.pe) { // virtual-8086 mode runs at CPL 3: IOPL stays, IF changes only at IOPL 3
            if (c.cpl > 0) {
                changeable &= ~Cpu.IOPL;
            }
            if (c.cpl > c.iopl()) {
                changeable &= ~Cpu.IF;
            }
        }
        if (size == 2) {
            changeable &= 0xFFFF;
        }
        c.loadEflags((old & ~changeable & ~Cpu.RF) | (v & changeable));
    }
}
