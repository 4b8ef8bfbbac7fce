package dev.machina.cpu.x86;

/**
 * Far control transfers: JMP far, CALL far (direct to code segments and through call gates, with a
 * stack switch and parameter copy to a more privileged level), RET far (also to an outer level),
 * INT n / INT3 / INTO / INT1, IRET (SDM Vol. 2A/2B "Operation" sections of JMP, CALL, RET, INT n,
 * IRET; Vol. 3A 5.8).
 *
 * <p>Task switches (JMP/CALL to a TSS or task gate, IRET with NT set) are {@link TaskSwitch}. In
 * virtual-8086 mode far JMP/CALL/RET work as in real mode; IRET there needs IOPL 3; IRET at CPL 0
 * to an EFLAGS image with VM set enters virtual-8086 mode.
 */
final class FarOps {
    private FarOps() {}

    static Op jmpFar(Insn i) {
        if (i.op(0) == Opnd.Ap) {
            return new FarDirect(false, i.osize, i.imm2 & 0xFFFF, i.osize == 2 ? i.imm & 0xFFFF : i.imm, i.next);
        }
        return i.isReg() ? null : new FarIndirect(false, i.osize, i.addr(), i.next);
    }

    static Op callFar(Insn i) {
        if (i.op(0) == Opnd.Ap) {
            return new FarDirect(true, i.osize, i.imm2 & 0xFFFF, i.osize == 2 ? i.imm & 0xFFFF : i.imm, i.next);
        }
        return i.isReg() ? null : new FarIndirect(true, i.osize, i.addr(), i.next);
    }

    static Op retFar(Insn i) {
        return new RetFar(i.osize, i.opcode == 0xCA ? i.imm & 0xFFFF : 0);
    }

    static Op softInt(Insn i) {
        return switch (i.opcode) {
            case 0xCC -> new SoftInt(Vectors.BP, Interrupts.SOFTWARE, i.next, false);
            case 0xCE -> new SoftInt(Vectors.OF, Interrupts.SOFTWARE, i.next, true);
            case 0xF1 -> new SoftInt(Vectors.DB, Interrupts.EXCEPTION, i.next, false);
            default -> new SoftInt(i.imm & 0xFF, Interrupts.SOFTWARE, i.next, false);
        };
    }

    static Op iret(Insn i) {
        return new Iret(i.osize);
    }

    // ---------------- operations ----------------

    static void jump(Cpu c, int selector, int offset, int size, int next) {
        transfer(c, false, selector, offset, size, next);
    }

    static void call(Cpu c, int selector, int offset, int size, int retEip) {
        transfer(c, true, selector, offset, size, retEip);
    }

    /**
     * Far JMP or CALL (SDM Vol. 2A JMP/CALL "Operation", Vol. 3A 5.8): in real mode a plain CS:EIP
     * load; in protected mode to a code segment directly, or through a call gate (a CALL to a more
     * privileged non-conforming segment switches to the TSS stack and copies the parameters).
     */
    private static void transfer(Cpu c, boolean call, int selector, int offset, int size, int retEip) {
        int oldCs = c.sel[Cpu.CS];
        if (c.realOrV86()) {
            // real mode and virtual-8086 mode alike: CS = selector, base = selector * 16
            BranchOps.checkTarget(c, offset);
            if (call) {
                pushTwo(c, size, oldCs, retEip);
            }
            c.loadSegReal(Cpu.CS, selector);
            c.eip = offset;
            return;
        }
        if ((selector & 0xFFFC) == 0) {
            throw c.gp(0);
        }
        long d = Segments.read(c, selector, Vectors.GP);
        int hi = Segments.hi(d);
        if (Segments.isCode(hi)) {
            checkCodeTarget(c, selector, hi);
            checkLimit(c, d, offset);
            if (call) {
                pushTwo(c, size, oldCs, retEip);
            }
            loadCs(c, selector, d, offset, c.cpl);
            return;
        }
        int st = Segments.systemType(hi);
        if (st == TaskSwitch.TSS16 || st == TaskSwitch.TSS32 || st == TaskSwitch.TSS16 + 2 || st == TaskSwitch.TSS32 + 2
                || st == 5) {
            TaskSwitch.jumpOrCall(c, call, selector, d, retEip); // retEip: the next instruction, for JMP too
            return;
        }
        Gate g = gate(c, selector, d);
        int cdpl = Segments.dpl(Segments.hi(g.code()));
        boolean conforming = Segments.conforming(Segments.hi(g.code()));
        if (!call && !conforming && cdpl != c.cpl) {
            throw c.gp(g.codeSel() & 0xFFFC); // JMP through a gate never changes the privilege level
        }
        if (!call || conforming || cdpl == c.cpl) {
            if (call) {
                pushTwo(c, g.size(), oldCs, retEip);
            }
            loadCs(c, g.codeSel(), g.code(), g.offset(), c.cpl);
            return;
        }
        callInner(c, g, cdpl, oldCs, retEip);
    }

    /** A call gate and the code segment it leads to, both checked. */
    private record Gate(int codeSel, long code, int offset, int size, int params) {}

    /** The call-gate checks shared by JMP and CALL (SDM Vol. 3A 5.8.4, 5.8.5). */
    private static Gate gate(Cpu c, int selector, long d) {
        int hi = Segments.hi(d);
        int err = selector & 0xFFFC;
        int type = Segments.systemType(hi);
        if (type != 0x4 && type != 0xC) {
            throw c.gp(err);
        }
        int gdpl = Segments.dpl(hi);
        if (gdpl < c.cpl || gdpl < (selector & 3)) {
            throw c.gp(err);
        }
        if (!Segments.present(hi)) {
            throw c.fault(Vectors.NP, err);
        }
        int lo = Segments.lo(d);
        int gsize = type == 0xC ? 4 : 2;
        int codeSel = lo >>> 16;
        int off = gsize == 4 ? (lo & 0xFFFF) | (hi & 0xFFFF0000) : lo & 0xFFFF;
        if ((codeSel & 0xFFFC) == 0) {
            throw c.gp(0);
        }
        long cd = Segments.read(c, codeSel, Vectors.GP);
        int chi = Segments.hi(cd);
        if (!Segments.isCode(chi) || Segments.dpl(chi) > c.cpl) {
            throw c.gp(codeSel & 0xFFFC);
        }
        if (!Segments.present(chi)) {
            throw c.fault(Vectors.NP, codeSel & 0xFFFC);
        }
        checkLimit(c, cd, off);
        return new Gate(codeSel, cd, off, gsize, hi & 0x1F);
    }

    /** CALL through a gate to a more privileged level: stack from the TSS, parameters copied (SDM Vol. 3A 5.8.5, Figure 5-13). */
    private static void callInner(Cpu c, Gate g, int cdpl, int oldCs, int retEip) {
        int gsize = g.size();
        long ssEsp = Interrupts.tssStack(c, cdpl, 0);
        int newSs = (int) (ssEsp >>> 32);
        int newEsp = (int) ssEsp;
        long sd = Segments.checkStack(c, newSs, cdpl, Vectors.TS);
        int sBase = Segments.base(Segments.lo(sd), Segments.hi(sd));
        int sm = (Segments.hi(sd) & 0x400000) != 0 ? -1 : 0xFFFF;
        int n = (4 + g.params()) * gsize;
        if (!Segments.stackFits(sd, newEsp & sm, n, sm)) {
            throw c.fault(Vectors.SS, newSs & 0xFFFC);
        }
        int oldSp = c.r[Cpu.ESP];
        int p = newEsp & sm;
        p = (p - gsize) & sm;
        c.sysWrite(sBase + p, gsize, c.sel[Cpu.SS]);
        p = (p - gsize) & sm;
        c.sysWrite(sBase + p, gsize, oldSp);
        for (int k = g.params() - 1; k >= 0; k--) {
            int v = c.rd(gsize, Cpu.SS, (oldSp + k * gsize) & c.spMask);
            p = (p - gsize) & sm;
            c.sysWrite(sBase + p, gsize, v);
        }
        p = (p - gsize) & sm;
        c.sysWrite(sBase + p, gsize, oldCs);
        p = (p - gsize) & sm;
        c.sysWrite(sBase + p, gsize, retEip);
        Segments.setAccessed(c, newSs, Segments.hi(sd));
        c.setCpl(cdpl);
        Segments.loadCache(c, Cpu.SS, newSs, sd);
        c.r[Cpu.ESP] = (newEsp & ~sm) | p;
        Segments.setAccessed(c, g.codeSel(), Segments.hi(g.code()));
        Segments.loadCache(c, Cpu.CS, (g.codeSel() & 0xFFFC) | cdpl, g.code());
        c.eip = g.offset();
    }

    /** Direct far JMP/CALL to a code segment: privilege checks (SDM Vol. 3A 5.8.1). */
    private static void checkCodeTarget(Cpu c, int selector, int hi) {
        int dpl = Segments.dpl(hi);
        int err = selector & 0xFFFC;
        if (Segments.conforming(hi)) {
            if (dpl > c.cpl) {
                throw c.gp(err);
            }
        } else if ((selector & 3) > c.cpl || dpl != c.cpl) {
            throw c.gp(err);
        }
        if (!Segments.present(hi)) {
            throw c.fault(Vectors.NP, err);
        }
    }

    private static void checkLimit(Cpu c, long d, int offset) {
        if (Integer.compareUnsigned(offset, Segments.limit(Segments.lo(d), Segments.hi(d))) > 0) {
            throw c.gp(0);
        }
    }

    private static void loadCs(Cpu c, int selector, long d, int offset, int cpl) {
        checkLimit(c, d, offset);
        Segments.setAccessed(c, selector, Segments.hi(d));
        Segments.loadCache(c, Cpu.CS, (selector & 0xFFFC) | cpl, d);
        c.setCpl(cpl);
        c.eip = offset;
    }

    /** Pushes CS then EIP (size bytes each), moving ESP only when both writes succeeded. */
    private static void pushTwo(Cpu c, int size, int cs, int eip) {
        int sp = c.r[Cpu.ESP];
        int m = c.spMask;
        c.wr(size, Cpu.SS, (sp - size) & m, cs);
        c.wr(size, Cpu.SS, (sp - 2 * size) & m, eip);
        c.r[Cpu.ESP] = (sp & ~m) | ((sp - 2 * size) & m);
    }

    static void ret(Cpu c, int size, int extra) {
        int off = c.peek(size, 0);
        int selector = c.peek(size, size) & 0xFFFF;
        if (size == 2) {
            off &= 0xFFFF;
        }
        if (c.realOrV86()) {
            BranchOps.checkTarget(c, off);
            c.loadSegReal(Cpu.CS, selector);
            c.addSp(2 * size + extra);
            c.eip = off;
            return;
        }
        int rpl = selector & 3;
        long d = checkReturnCs(c, selector, rpl);
        if (rpl == c.cpl) {
            checkLimit(c, d, off);
            c.addSp(2 * size + extra);
            loadCs(c, selector, d, off, c.cpl);
            return;
        }
        // to an outer level: SS:ESP follow the parameters
        int sp = c.r[Cpu.ESP];
        int newEsp = c.rd(size, Cpu.SS, (sp + 2 * size + extra) & c.spMask);
        int newSs = c.rd(size, Cpu.SS, (sp + 3 * size + extra) & c.spMask) & 0xFFFF;
        long sd = Segments.checkStack(c, newSs, rpl, Vectors.GP);
        checkLimit(c, d, off);
        Segments.setAccessed(c, selector, Segments.hi(d));
        Segments.loadCache(c, Cpu.CS, selector, d);
        c.setCpl(rpl);
        Segments.setAccessed(c, newSs, Segments.hi(sd));
        Segments.loadCache(c, Cpu.SS, newSs, sd);
        c.r[Cpu.ESP] = size == 2 ? (c.r[Cpu.ESP] & ~c.spMask) | (newEsp & 0xFFFF & c.spMask) : newEsp;
        c.addSp(extra);
        c.eip = off;
        Segments.dropInaccessible(c);
    }

    /** The CS checks of RET far and IRET (SDM Vol. 2B RET "Operation"). */
    private static long checkReturnCs(Cpu c, int selector, int rpl) {
        if ((selector & 0xFFFC) == 0) {
            throw c.gp(0);
        }
        long d = Segments.read(c, selector, Vectors.GP);
        int hi = Segments.hi(d);
        int err = selector & 0xFFFC;
        if (!Segments.isCode(hi) || rpl < c.cpl) {
            throw c.gp(err);
        }
        int dpl = Segments.dpl(hi);
        if (Segments.conforming(hi) ? dpl > rpl : dpl != rpl) {
            throw c.gp(err);
        }
        if (!Segments.present(hi)) {
            throw c.fault(Vectors.NP, err);
        }
        return d;
    }

    static void iret(Cpu c, int size) {
        if (c.realOrV86()) {
            if (c.v86() && c.iopl() < 3) {
                throw c.gp(0); // without VME, IRET in virtual-8086 mode needs IOPL 3 (SDM Vol. 3A 20.2.7)
            }
            int off = c.peek(size, 0);
            int cs = c.peek(size, size) & 0xFFFF;
            int fl = c.peek(size, 2 * size);
            if (size == 2) {
                off &= 0xFFFF;
            }
            BranchOps.checkTarget(c, off);
            c.addSp(3 * size);
            c.loadSegReal(Cpu.CS, cs);
            c.eip = off;
            // virtual-8086 mode: IOPL stays (as VM, VIF, VIP); real mode may change it
            int keep = c.v86() ? Cpu.IOPL : 0;
            if (size == 4) {
                keep |= 0x1A0000;
                c.loadEflags((fl & 0x257FD5 & ~keep) | (c.eflags() & keep));
            } else {
                keep |= 0xFFFF0000;
                c.loadEflags((c.eflags() & keep) | (fl & 0xFFFF & ~keep));
            }
            return;
        }
        if ((c.flags & Cpu.NT) != 0) {
            TaskSwitch.iretNested(c, c.eip); // IRET ends its block: eip is the next instruction here
            return;
        }
        int off = c.peek(size, 0);
        int selector = c.peek(size, size) & 0xFFFF;
        int fl = c.peek(size, 2 * size);
        if (size == 2) {
            off &= 0xFFFF;
        }
        if (size == 4 && (fl & Cpu.VM) != 0 && c.cpl == 0) {
            toV86(c, off, selector, fl);
            return;
        }
        int rpl = selector & 3;
        long d = checkReturnCs(c, selector, rpl);
        checkLimit(c, d, off);
        int oldCpl = c.cpl;
        int oldIopl = c.iopl();
        if (rpl == c.cpl) {
            c.addSp(3 * size);
            loadCs(c, selector, d, off, c.cpl);
        } else {
            int sp = c.r[Cpu.ESP];
            int newEsp = c.rd(size, Cpu.SS, (sp + 3 * size) & c.spMask);
            int newSs = c.rd(size, Cpu.SS, (sp + 4 * size) & c.spMask) & 0xFFFF;
            long sd = Segments.checkStack(c, newSs, rpl, Vectors.GP);
            Segments.setAccessed(c, selector, Segments.hi(d));
            Segments.loadCache(c, Cpu.CS, selector, d);
            c.setCpl(rpl);
            Segments.setAccessed(c, newSs, Segments.hi(sd));
            Segments.loadCache(c, Cpu.SS, newSs, sd);
            c.r[Cpu.ESP] = size == 2 ? (c.r[Cpu.ESP] & 0xFFFF0000) | (newEsp & 0xFFFF) : newEsp;
            c.eip = off;
        }
        // EFLAGS by the privilege level the IRET ran at (SDM Vol. 2A IRET "Operation")
        int changeable = Cpu.ARITH | Cpu.TF | Cpu.DF | Cpu.NT | Cpu.RF | Cpu.AC | Cpu.ID;
        if (oldCpl <= oldIopl) {
            changeable |= Cpu.IF;
        }
        if (oldCpl == 0) {
            changeable |= Cpu.IOPL | Cpu.VIF | Cpu.VIP;
        }
        if (size == 2) {
            changeable &= 0xFFFF;
        }
        c.loadEflags((c.eflags() & ~changeable) | (fl & changeable));
        if (rpl != oldCpl) {
            Segments.dropInaccessible(c);
        }
    }

    /**
     * IRET at CPL 0 whose EFLAGS image has VM set (SDM Vol. 2A IRET "RETURN-TO-VIRTUAL-8086-MODE"):
     * pops EIP, CS, EFLAGS, then ESP, SS, ES, DS, FS, GS (32 bits each); segments load as in real
     * mode and CPL becomes 3.
     */
    private static void toV86(Cpu c, int off, int cs, int fl) {
        int sp = c.r[Cpu.ESP];
        int m = c.spMask;
        int esp = c.rd32(Cpu.SS, (sp + 12) & m);
        int ss = c.rd32(Cpu.SS, (sp + 16) & m);
        int es = c.rd32(Cpu.SS, (sp + 20) & m);
        int ds = c.rd32(Cpu.SS, (sp + 24) & m);
        int fs = c.rd32(Cpu.SS, (sp + 28) & m);
        int gs = c.rd32(Cpu.SS, (sp + 32) & m);
        c.loadEflags(fl);
        c.setCpl(3);
        c.loadSegReal(Cpu.CS, cs);
        c.loadSegReal(Cpu.SS, ss);
        c.loadSegReal(Cpu.ES, es);
        c.loadSegReal(Cpu.DS, ds);
        c.loadSegReal(Cpu.FS, fs);
        c.loadSegReal(Cpu.GS, gs);
        c.updateSegLimitsAll();
        c.r[Cpu.ESP] = esp;
        c.eip = off & 0xFFFF;
    }

    // ---------------- ops ----------------

    static final class FarDirect extends Op {
        private final boolean call;
        private final int size, selector, offset, next;

        FarDirect(boolean call, int size, int selector, int offset, int next) {
            this.call = call;
            this.size = size;
            this.selector = selector;
            this.offset = offset;
            this.next = next;
        }

        @Override
        void exec(Cpu c) {
            if (call) {
                FarOps.call(c, selector, offset, size, next);
            } else {
                jump(c, selector, offset, size, next);
            }
        }
    }

    static final class FarIndirect extends MemOp {
        private final boolean call;
        private final int size, next;

        FarIndirect(boolean call, int size, Addr a, int next) {
            super(a);
            this.call = call;
            this.size = size;
            this.next = next;
        }

        @Override
        void exec(Cpu c) {
            int ea = ea(c);
            int off = c.rd(size, seg, ea);
            int selector = c.rd16(seg, (ea + size) & amask);
            if (call) {
                FarOps.call(c, selector, off, size, next);
            } else {
                jump(c, selector, off, size, next);
            }
        }
    }

    static final class RetFar extends Op {
        private final int size, extra;

        RetFar(int size, int extra) {
            this.size = size;
            this.extra = extra;
        }

        @Override
        void exec(Cpu c) {
            ret(c, size, extra);
        }
    }

    static final class Iret extends Op {
        private final int size;

        Iret(int size) {
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            iret(c, size);
        }
    }

    /** INT n, INT3, INTO (only when OF is set), INT1/ICEBP: a trap, so the pushed EIP is the next instruction. */
    static final class SoftInt extends Op {
        private final int vector, kind, next;
        private final boolean onOverflow;

        SoftInt(int vector, int kind, int next, boolean onOverflow) {
            this.vector = vector;
            this.kind = kind;
            this.next = next;
            this.onOverflow = onOverflow;
        }

        @Override
        void exec(Cpu c) {
            if (onOverflow && !c.of()) {
                return;
            }
            if (c.v86() && kind == Interrupts.SOFTWARE && c.iopl() < 3) {
                throw c.gp(0);
            }
            Interrupts.deliver(c, vector, kind, false, 0, next);
        }
    }
}
