package dev.machina.cpu.x86;

/**
 * Interrupt and exception delivery (SDM Vol. 3A 6.12; real mode: 21.1.4): through the interrupt
 * vector table in real mode, through IDT interrupt and trap gates (16- and 32-bit) in protected
 * mode, switching to the inner stack from the TSS when the handler is more privileged.
 *
 * A task gate switches tasks ({@link TaskSwitch}). From virtual-8086 mode the handler must be a
 * non-conforming ring-0 code segment (else #GP(selector)); the frame on the ring-0 stack then also
 * holds ES, DS, FS, GS, which are loaded with null (SDM Vol. 3A 20.3.1.1, Figure 20-4).
 */
final class Interrupts {
    private Interrupts() {}

    /** INT n / INT3 / INTO: gate DPL checked against CPL. */
    static final int SOFTWARE = 0;
    /** A fault or trap raised by an instruction. */
    static final int EXCEPTION = 1;
    /** INTR or NMI: error codes carry EXT = 1. */
    static final int EXTERNAL = 2;

    /**
     * Transfers control to the handler of {@code vector}. {@code retEip} is the EIP to push (the
     * faulting instruction for a fault, the next one for a trap or INT n). Faults during delivery
     * propagate as {@link CpuFault} (the caller applies the double-fault rules).
     */
    static void deliver(Cpu c, int vector, int kind, boolean hasCode, int code, int retEip) {
        c.setHalted(false);
        if (!c.pe) {
            real(c, vector, retEip);
        } else {
            protectedMode(c, vector, kind, hasCode, code, retEip);
        }
    }

    private static void real(Cpu c, int vector, int retEip) {
        if (vector * 4 + 3 > c.idtLimit) {
            throw c.gp(0);
        }
        int entry = c.sysRead(c.idtBase + vector * 4, 4);
        int sp = c.r[Cpu.ESP];
        int m = c.spMask;
        c.wr16(Cpu.SS, (sp - 2) & m, c.eflags());
        c.wr16(Cpu.SS, (sp - 4) & m, c.sel[Cpu.CS]);
        c.wr16(Cpu.SS, (sp - 6) & m, retEip);
        c.r[Cpu.ESP] = (sp & ~m) | ((sp - 6) & m);
        c.flags &= ~(Cpu.IF | Cpu.TF | Cpu.AC | Cpu.RF);
        c.loadSegReal(Cpu.CS, entry >>> 16);
        c.eip = entry & 0xFFFF;
    }

    private static void protectedMode(Cpu c, int vector, int kind, boolean hasCode, int code, int retEip) {
        int ext = kind == EXTERNAL ? 1 : 0;
        int gateErr = vector * 8 + 2 + ext;
        if (vector * 8 + 7 > c.idtLimit) {
            throw c.gp(gateErr);
        }
        int lo = c.sysRead(c.idtBase + vector * 8, 4);
        int hi = c.sysRead(c.idtBase + vector * 8 + 4, 4);
        int type = (hi >>> 8) & 0x1F;
        boolean gate32;
        boolean trap;
        switch (type) {
            case 0x06 -> { gate32 = false; trap = false; }
            case 0x07 -> { gate32 = false; trap = true; }
            case 0x0E -> { gate32 = true; trap = false; }
            case 0x0F -> { gate32 = true; trap = true; }
            case 0x05 -> { gate32 = false; trap = false; }
            default -> throw c.gp(gateErr);
        }
        if (kind == SOFTWARE && Segments.dpl(hi) < c.cpl) {
            throw c.gp(gateErr);
        }
        if (!Segments.present(hi)) {
            throw c.fault(Vectors.NP, gateErr);
        }
        if (type == 0x05) {
            TaskSwitch.viaGate(c, lo, ext, retEip, hasCode, code);
            return;
        }
        int selector = lo >>> 16;
        int offset = gate32 ? (lo & 0xFFFF) | (hi & 0xFFFF0000) : lo & 0xFFFF;
        if ((selector & 0xFFFC) == 0) {
            throw c.gp(ext);
        }
        long d = Segments.read(c, selector, Vectors.GP);
        int dhi = Segments.hi(d);
        int dpl = Segments.dpl(dhi);
        if (!Segments.isCode(dhi) || dpl > c.cpl) {
            throw c.gp((selector & 0xFFFC) + ext);
        }
        if (!Segments.present(dhi)) {
            throw c.fault(Vectors.NP, (selector & 0xFFFC) + ext);
        }
        boolean fromV86 = c.v86();
        if (fromV86 && (Segments.conforming(dhi) || dpl != 0)) {
            throw c.gp((selector & 0xFFFC) + ext); // a V86 interrupt must go to ring 0
        }
        if (Integer.compareUnsigned(offset, Segments.limit(Segments.lo(d), dhi)) > 0) {
            throw c.gp(0);
        }
        int size = gate32 ? 4 : 2;
        int oldFlags = c.eflags();
        int oldCs = c.sel[Cpu.CS];
        if (!Segments.conforming(dhi) && dpl < c.cpl) {
            // inner privilege: new stack from the TSS (SDM Vol. 3A 6.12.1, Figure 6-4)
            long ssEsp = tssStack(c, dpl, ext);
            int newSs = (int) (ssEsp >>> 32);
            int newEsp = (int) ssEsp;
            long sd = Segments.checkStack(c, newSs, dpl, Vectors.TS);
            int sBase = Segments.base(Segments.lo(sd), Segments.hi(sd));
            boolean s32 = (Segments.hi(sd) & 0x400000) != 0;
            int sm = s32 ? -1 : 0xFFFF;
            int n = ((hasCode ? 6 : 5) + (fromV86 ? 4 : 0)) * size;
            int top = newEsp & sm;
            if (!Segments.stackFits(sd, top, n, sm)) {
                throw c.fault(Vectors.SS, newSs & 0xFFFC);
            }
            int p = top;
            if (fromV86) {
                p = pushAt(c, sBase, sm, p, size, c.sel[Cpu.GS]);
                p = pushAt(c, sBase, sm, p, size, c.sel[Cpu.FS]);
                p = pushAt(c, sBase, sm, p, size, c.sel[Cpu.DS]);
                p = pushAt(c, sBase, sm, p, size, c.sel[Cpu.ES]);
            }
            p = pushAt(c, sBase, sm, p, size, c.sel[Cpu.SS]);
            p = pushAt(c, sBase, sm, p, size, c.r[Cpu.ESP]);
            p = pushAt(c, sBase, sm, p, size, oldFlags);
            p = pushAt(c, sBase, sm, p, size, oldCs);
            p = pushAt(c, sBase, sm, p, size, retEip);
            if (hasCode) {
                p = pushAt(c, sBase, sm, p, size, code);
            }
            Segments.setAccessed(c, newSs, Segments.hi(sd));
            if (fromV86) {
                c.loadEflags(oldFlags & ~Cpu.VM); // protected mode from here: segments load from descriptors
                for (int s : new int[] {Cpu.ES, Cpu.DS, Cpu.FS, Cpu.GS}) {
                    c.setSegCache(s, 0, 0, 0, 0);
                }
            }
            c.setCpl(dpl);
            Segments.loadCache(c, Cpu.SS, newSs, sd);
            c.r[Cpu.ESP] = (newEsp & ~sm) | (p & sm);
        } else {
            // same privilege (or conforming code): current stack
            int sp = c.r[Cpu.ESP];
            int m = c.spMask;
            int p = sp;
            p -= size;
            c.wr(size, Cpu.SS, p & m, oldFlags);
            p -= size;
            c.wr(size, Cpu.SS, p & m, oldCs);
            p -= size;
            c.wr(size, Cpu.SS, p & m, retEip);
            if (hasCode) {
                p -= size;
                c.wr(size, Cpu.SS, p & m, code);
            }
            c.r[Cpu.ESP] = (sp & ~m) | (p & m);
            dpl = c.cpl;
        }
        Segments.setAccessed(c, selector, dhi);
        Segments.loadCache(c, Cpu.CS, (selector & 0xFFFC) | dpl, d);
        c.eip = offset;
        c.flags &= ~(Cpu.TF | Cpu.NT | Cpu.RF | Cpu.VM);
        if (!trap) {
            c.flags &= ~Cpu.IF;
        }
    }

    private static int pushAt(Cpu c, int base, int mask, int p, int size, int v) {
        p = (p - size) & mask;
        c.sysWrite(base + p, size, v);
        return p;
    }

    /** SS << 32 | ESP for privilege level dpl from the current TSS (SDM Vol. 3A 7.2.1 Figure 7-2, 7.6 Figure 7-11). */
    static long tssStack(Cpu c, int dpl, int ext) {
        int type = (c.trAttr & 0xF);
        int err = (c.trSel & 0xFFFC) + ext;
        if (type == 0x9 || type == 0xB) {
            int off = 4 + dpl * 8;
            if (off + 5 > c.trLimit) {
                throw c.fault(Vectors.TS, err);
            }
            int esp = c.sysRead(c.trBase + off, 4);
            int ss = c.sysRead(c.trBase + off + 4, 2);
            return ((long) ss << 32) | (esp & 0xFFFFFFFFL);
        }
        if (type == 0x1 || type == 0x3) {
            int off = 2 + dpl * 4;
            if (off + 3 > c.trLimit) {
                throw c.fault(Vectors.TS, err);
            }
            int sp = c.sysRead(c.trBase + off, 2);
            int ss = c.sysRead(c.trBase + off + 2, 2);
            return ((long) ss << 32) | (sp & 0xFFFFL);
        }
        throw c.fault(Vectors.TS, err);
    }
}
