package dev.machina.cpu.x86;

/**
 * Hardware task switches (SDM Vol. 3A 7.3, "Task Switching"): JMP or CALL to a TSS descriptor or a
 * task gate, an interrupt or exception through a task gate in the IDT, and IRET with EFLAGS.NT set
 * (a return to the task named by the back link). 32-bit TSSes (type 9/B; Figure 7-2) and 16-bit
 * ones (type 1/3; Figure 7-11).
 *
 * <p>Order, as the SDM's steps: the new TSS is checked (available for JMP/CALL/INT, busy for IRET;
 * present; limit at least 67h or 2Bh) and read whole before anything changes; the current state is
 * saved into the old TSS (EIP of the next instruction, EFLAGS with NT cleared for IRET); busy flags
 * and the back link are updated; TR, CR0.TS and then CR3, LDTR, EFLAGS, the general registers and
 * the segment registers are loaded. From then on the switch has happened: a fault loading the new
 * task's segment registers (#TS, #NP, #SS) is raised in the new task's context, with the new task's
 * EIP. An error code of an exception that came through a task gate is pushed on the new task's stack.
 *
 * <p>Not modelled: the debug trap flag (T bit) of the TSS, and the I/O map (read at each access).
 */
final class TaskSwitch {
    private TaskSwitch() {}

    /** What started the switch (they differ in busy flags, back link and NT). */
    static final int JMP = 0, CALL = 1, IRET = 2, INT = 3;

    /** Descriptor type of an available 16-bit and 32-bit TSS; busy adds 2. */
    static final int TSS16 = 1, TSS32 = 9;

    /**
     * JMP/CALL whose selector names a TSS descriptor or a task gate (SDM Vol. 2A JMP/CALL
     * "TASK-GATE" and "TASK-STATE-SEGMENT"); {@code d} is its descriptor.
     */
    static void jumpOrCall(Cpu c, boolean call, int selector, long d, int next) {
        int hi = Segments.hi(d);
        int type = Segments.systemType(hi);
        int err = selector & 0xFFFC;
        int dpl = Segments.dpl(hi);
        if (dpl < c.cpl || dpl < (selector & 3)) {
            throw c.gp(err);
        }
        if (!Segments.present(hi)) {
            throw c.fault(Vectors.NP, err);
        }
        int tss = selector;
        long td = d;
        if (type == 5) {
            tss = Segments.lo(d) >>> 16;
            td = availableTss(c, tss, Vectors.GP, 0);
        } else if (type != TSS16 && type != TSS32) {
            throw c.gp(err); // a busy TSS
        }
        run(c, call ? CALL : JMP, tss, td, next, false, 0);
    }

    /** An interrupt or exception through a task gate (IDT entry {@code hi}; SDM Vol. 3A 6.12.2). */
    static void viaGate(Cpu c, int gateLo, int ext, int retEip, boolean hasCode, int code) {
        int tss = gateLo >>> 16;
        long td = availableTss(c, tss, Vectors.GP, ext);
        run(c, INT, tss, td, retEip, hasCode, code);
    }

    /** IRET with NT set: back to the task in the current TSS's back link, which must be busy. */
    static void iretNested(Cpu c, int next) {
        int link = c.sysRead(c.trBase, 2);
        int err = link & 0xFFFC;
        if ((link & 4) != 0 || err == 0) {
            throw c.fault(Vectors.TS, err);
        }
        long d = Segments.read(c, link, Vectors.TS);
        int type = Segments.systemType(Segments.hi(d));
        if (type != TSS16 + 2 && type != TSS32 + 2) {
            throw c.fault(Vectors.TS, err);
        }
        if (!Segments.present(Segments.hi(d))) {
            throw c.fault(Vectors.NP, err);
        }
        run(c, IRET, link, d, next, false, 0);
    }

    /** The TSS a task gate names: in the GDT, available, present. */
    private static long availableTss(Cpu c, int tss, int vector, int ext) {
        int err = (tss & 0xFFFC) + ext;
        if ((tss & 4) != 0) {
            throw c.fault(vector, err);
        }
        long d = Segments.read(c, tss, vector);
        int type = Segments.systemType(Segments.hi(d));
        if (type != TSS16 && type != TSS32) {
            throw c.fault(vector, err);
        }
        if (!Segments.present(Segments.hi(d))) {
            throw c.fault(Vectors.NP, err);
        }
        return d;
    }

    /** The switch itself: {@code retEip} is what the old task resumes at. */
    static void run(Cpu c, int source, int tss, long d, int retEip, boolean hasCode, int code) {
        int lo = Segments.lo(d);
        int hi = Segments.hi(d);
        boolean new32 = (Segments.systemType(hi) & 8) != 0;
        int nBase = Segments.base(lo, hi);
        int nLimit = Segments.limit(lo, hi);
        if (Integer.compareUnsigned(nLimit, new32 ? 0x67 : 0x2B) < 0) {
            throw c.fault(Vectors.TS, tss & 0xFFFC);
        }
        // the new task's state, read before anything changes (a #PF here leaves the old task intact)
        int[] regs = new int[8];
        int[] segs = new int[6];
        int nEip, nFlags, nLdt, nCr3 = 0;
        if (new32) {
            nCr3 = c.sysRead(nBase + 0x1C, 4);
            nEip = c.sysRead(nBase + 0x20, 4);
            nFlags = c.sysRead(nBase + 0x24, 4);
            for (int k = 0; k < 8; k++) {
                regs[k] = c.sysRead(nBase + 0x28 + 4 * k, 4);
            }
            for (int s = 0; s < 6; s++) {
                segs[s] = c.sysRead(nBase + 0x48 + 4 * s, 2);
            }
            nLdt = c.sysRead(nBase + 0x60, 2);
        } else {
            nEip = c.sysRead(nBase + 0x0E, 2);
            nFlags = c.sysRead(nBase + 0x10, 2);
            for (int k = 0; k < 8; k++) {
                regs[k] = 0xFFFF0000 | c.sysRead(nBase + 0x12 + 2 * k, 2); // upper halves read as ones (QEMU, Bochs)
            }
            for (int s = 0; s < 4; s++) {
                segs[s] = c.sysRead(nBase + 0x22 + 2 * s, 2);
            }
            nLdt = c.sysRead(nBase + 0x2A, 2);
        }

        // save the current task
        int oType = c.trAttr & 0xF;
        boolean old32 = (oType & 8) != 0;
        int oBase = c.trBase;
        int flags = c.eflags();
        if (source == IRET) {
            flags &= ~Cpu.NT;
        }
        if (old32) {
            c.sysWrite(oBase + 0x20, 4, retEip);
            c.sysWrite(oBase + 0x24, 4, flags);
            for (int k = 0; k < 8; k++) {
                c.sysWrite(oBase + 0x28 + 4 * k, 4, c.r[k]);
            }
            for (int s = 0; s < 6; s++) {
                c.sysWrite(oBase + 0x48 + 4 * s, 2, c.sel[s]);
            }
        } else {
            c.sysWrite(oBase + 0x0E, 2, retEip);
            c.sysWrite(oBase + 0x10, 2, flags);
            for (int k = 0; k < 8; k++) {
                c.sysWrite(oBase + 0x12 + 2 * k, 2, c.r[k]);
            }
            for (int s = 0; s < 4; s++) {
                c.sysWrite(oBase + 0x22 + 2 * s, 2, c.sel[s]);
            }
        }
        if (source == JMP || source == IRET) {
            setBusy(c, c.trSel, false);
        }
        if (source == CALL || source == INT) {
            c.sysWrite(nBase, 2, c.trSel); // back link
            nFlags |= Cpu.NT;
        }
        if (source != IRET) {
            setBusy(c, tss, true);
        }
        c.trSel = tss & 0xFFFF;
        c.trBase = nBase;
        c.trLimit = nLimit;
        c.trAttr = Segments.attr(hi | 0x200);
        c.cr0 |= Cpu.CR0_TS;

        // the new task's state
        if (new32 && c.paging) {
            c.cr3 = nCr3;
            c.flushTlb();
        }
        System.arraycopy(regs, 0, c.r, 0, 8);
        c.loadEflags(new32 ? nFlags : (nFlags & 0xFFFF));
        c.eip = new32 ? nEip : nEip & 0xFFFF;
        // selectors first, unchecked (what a fault below leaves in them), then the checked loads
        for (int s = 0; s < 6; s++) {
            c.setSegCache(s, segs[s], 0, 0, 0);
        }
        c.ldtSel = nLdt;
        c.ldtBase = c.ldtLimit = c.ldtAttr = 0;
        try {
            loadSegments(c, segs, nLdt);
            if (hasCode) {
                c.push(new32 ? 4 : 2, code);
            }
            if (Integer.compareUnsigned(c.eip, c.limit[Cpu.CS]) > 0) {
                throw c.gp(0);
            }
        } catch (CpuFault f) {
            if (c.faultVector == Cpu.EXIT_BLOCK) {
                throw f;
            }
            // the switch is done: the fault belongs to the new task, at its first instruction
            c.exception(c.faultVector, c.faultHasCode, c.faultCode);
        }
    }

    private static void setBusy(Cpu c, int selector, boolean busy) {
        int addr = Segments.descriptorAddress(c, selector, Vectors.TS);
        int h = c.sysRead(addr + 4, 4);
        c.sysWrite(addr + 4, 4, busy ? h | 0x200 : h & ~0x200);
    }

    /** LDTR, then CS, SS, DS, ES, FS, GS with the checks of SDM Vol. 3A Table 7-1 (#TS, #NP, #SS). */
    private static void loadSegments(Cpu c, int[] segs, int ldt) {
        if ((ldt & 0xFFFC) != 0) {
            if ((ldt & 4) != 0) {
                throw c.fault(Vectors.TS, ldt & 0xFFFC);
            }
            long ld = Segments.read(c, ldt, Vectors.TS);
            int lh = Segments.hi(ld);
            if (Segments.systemType(lh) != 2) {
                throw c.fault(Vectors.TS, ldt & 0xFFFC);
            }
            if (!Segments.present(lh)) {
                throw c.fault(Vectors.TS, ldt & 0xFFFC);
            }
            c.ldtBase = Segments.base(Segments.lo(ld), lh);
            c.ldtLimit = Segments.limit(Segments.lo(ld), lh);
            c.ldtAttr = Segments.attr(lh);
        }
        if (c.v86()) {
            // a task in virtual-8086 mode: segments as in real mode, CPL 3 (SDM Vol. 3A 20.2.5)
            c.setCpl(3);
            for (int s = 0; s < 6; s++) {
                c.loadSegReal(s, segs[s]);
            }
            c.updateSegLimitsAll();
            return;
        }
        int cs = segs[Cpu.CS];
        int cpl = cs & 3;
        if ((cs & 0xFFFC) == 0) {
            throw c.fault(Vectors.TS, 0);
        }
        long cd = Segments.read(c, cs, Vectors.TS);
        int ch = Segments.hi(cd);
        int cdpl = Segments.dpl(ch);
        if (!Segments.isCode(ch) || (Segments.conforming(ch) ? cdpl > cpl : cdpl != cpl)) {
            throw c.fault(Vectors.TS, cs & 0xFFFC);
        }
        if (!Segments.present(ch)) {
            throw c.fault(Vectors.NP, cs & 0xFFFC);
        }
        Segments.setAccessed(c, cs, ch);
        Segments.loadCache(c, Cpu.CS, cs, cd);
        c.setCpl(cpl);
        Segments.loadSS(c, segs[Cpu.SS], cpl, Vectors.TS);
        for (int s : new int[] {Cpu.DS, Cpu.ES, Cpu.FS, Cpu.GS}) {
            int sel = segs[s];
            if ((sel & 0xFFFC) == 0) {
                c.setSegCache(s, sel, 0, 0, 0);
                continue;
            }
            long sd = Segments.read(c, sel, Vectors.TS);
            int sh = Segments.hi(sd);
            int err = sel & 0xFFFC;
            if ((sh & 0x1000) == 0 || !Segments.readable(sh)) {
                throw c.fault(Vectors.TS, err);
            }
            if (Segments.isData(sh) || !Segments.conforming(sh)) {
                int dpl = Segments.dpl(sh);
                if ((sel & 3) > dpl || cpl > dpl) {
                    throw c.fault(Vectors.TS, err);
                }
            }
            if (!Segments.present(sh)) {
                throw c.fault(Vectors.NP, err);
            }
            Segments.setAccessed(c, sel, sh);
            Segments.loadCache(c, s, sel, sd | (0x100L << 32));
        }
    }
}
