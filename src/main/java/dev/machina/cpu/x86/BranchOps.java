package dev.machina.cpu.x86;

/**
 * Near control transfers: Jcc, JMP, CALL, RET, LOOP/LOOPE/LOOPNE, JCXZ/JECXZ, and BOUND (SDM Vol.
 * 2A/2B). A taken branch writes {@link Cpu#eip}; a not-taken one leaves the block's fall-through
 * address there. A target beyond the CS limit raises #GP(0) at the branch (for static targets
 * decided when the block is decoded: the CS limit is part of the block's key).
 */
final class BranchOps {
    private BranchOps() {}

    static Op jcc(Insn i) {
        int target = i.relTarget();
        if (beyondLimit(i, target)) {
            return new Fault(Vectors.GP);
        }
        int cc = i.opcode & 0xF;
        return switch (cc) {
            case 4 -> new Jz(target);
            case 5 -> new Jnz(target);
            default -> new Jcc(cc, target);
        };
    }

    static Op jmp(Insn i) {
        if (i.op(0) == Opnd.Ev) {
            return i.isReg() ? new JmpR(i.osize, i.rm) : new JmpM(i.osize, i.addr());
        }
        int target = i.relTarget();
        return beyondLimit(i, target) ? new Fault(Vectors.GP) : new Jmp(target);
    }

    static Op call(Insn i) {
        if (i.op(0) == Opnd.Ev) {
            return i.isReg() ? new CallR(i.osize, i.rm, i.next) : new CallM(i.osize, i.addr(), i.next);
        }
        int target = i.relTarget();
        return beyondLimit(i, target) ? new Fault(Vectors.GP) : new Call(i.osize, target, i.next);
    }

    static Op ret(Insn i) {
        return new Ret(i.osize, i.opcode == 0xC2 ? i.imm & 0xFFFF : 0);
    }

    static Op loop(Insn i) {
        int target = i.relTarget();
        if (beyondLimit(i, target)) {
            return new Fault(Vectors.GP);
        }
        int kind = i.opcode - 0xE0; // 0 LOOPNE, 1 LOOPE, 2 LOOP, 3 JCXZ
        return new Loop(kind, i.asize == 2 ? 0xFFFF : -1, target);
    }

    static Op bound(Insn i) {
        if (i.isReg()) {
            return null;
        }
        return new Bound(i.osize, i.reg, i.addr());
    }

    private static boolean beyondLimit(Insn i, int target) {
        return Integer.compareUnsigned(target, i.csLimit) > 0;
    }

    static void checkTarget(Cpu c, int target) {
        if (Integer.compareUnsigned(target, c.limit[Cpu.CS]) > 0) {
            throw c.gp(0);
        }
    }

    // ---------------- ops ----------------

    /** Raises an exception (no error code beyond 0) when executed: a branch known at decode time to fault. */
    static final class Fault extends Op {
        private final int vector;

        Fault(int vector) {
            this.vector = vector;
        }

        @Override
        void exec(Cpu c) {
            throw c.fault(vector, 0);
        }
    }

    static final class Jz extends Op {
        Jz(int target) {
            super(JZ, target, 0);
        }

        @Override
        void exec(Cpu c) {
            if (c.res == 0) {
                c.eip = p;
            }
        }
    }

    static final class Jnz extends Op {
        Jnz(int target) {
            super(JNZ, target, 0);
        }

        @Override
        void exec(Cpu c) {
            if (c.res != 0) {
                c.eip = p;
            }
        }
    }

    static final class Jcc extends Op {
        Jcc(int cc, int target) {
            super(JCC, cc, target);
        }

        @Override
        void exec(Cpu c) {
            if (c.cond(p)) {
                c.eip = q;
            }
        }
    }

    static final class Jmp extends Op {
        Jmp(int target) {
            super(JMP, target, 0);
        }

        @Override
        void exec(Cpu c) {
            c.eip = p;
        }
    }

    /** DEC r32 then JNZ (the classic loop end), one op. */
    static final class DecJnz extends Op {
        DecJnz(int reg, int target) {
            super(DEC_JNZ, reg, target);
        }

        @Override
        void exec(Cpu c) {
            AluOps.decR32(c, p);
            if (c.res != 0) {
                c.eip = q;
            }
        }

        @Override
        int width() {
            return 2;
        }
    }

    /** CMP r32, r32 (or TEST r32, r32) then Jcc, one op: p = dst | src << 4 | cc << 8. */
    static final class CompareRRJcc extends Op {
        CompareRRJcc(boolean test, int d, int s, int cc, int target) {
            super(test ? TEST_RR_JCC : CMP_RR_JCC, d | s << 4 | cc << 8, target);
        }

        @Override
        void exec(Cpu c) {
            if (form == TEST_RR_JCC) {
                AluOps.testRR32(c, p & 15, (p >>> 4) & 15);
            } else {
                AluOps.cmpRR32(c, p & 15, (p >>> 4) & 15);
            }
            if (c.cond(p >>> 8)) {
                c.eip = q;
            }
        }

        @Override
        int width() {
            return 2;
        }
    }

    /** CMP r32, imm then Jcc, one op: p = dst | cc << 8. */
    static final class CmpRIJcc extends Op {
        final int imm;

        CmpRIJcc(int d, int imm, int cc, int target) {
            super(CMP_RI_JCC, d | cc << 8, target);
            this.imm = imm;
        }

        @Override
        void exec(Cpu c) {
            AluOps.cmpRI32(c, p & 15, imm);
            if (c.cond(p >>> 8)) {
                c.eip = q;
            }
        }

        @Override
        int width() {
            return 2;
        }
    }

    /**
     * Fuses a flag-setting op with the conditional branch after it, when both are forms the block
     * loop runs inline; returns null when they do not fuse.
     */
    static Op fuse(Op prev, Op jcc) {
        int cc;
        switch (jcc.form) {
            case Op.JZ -> cc = 4;
            case Op.JNZ -> cc = 5;
            case Op.JCC -> cc = jcc.p;
            default -> {
                return null;
            }
        }
        int target = jcc.form == Op.JCC ? jcc.q : jcc.p;
        return switch (prev.form) {
            case Op.DEC_R32 -> cc == 5 ? new DecJnz(prev.p, target) : null;
            case Op.CMP_RR32 -> new CompareRRJcc(false, prev.p, prev.q, cc, target);
            case Op.TEST_RR32 -> new CompareRRJcc(true, prev.p, prev.q, cc, target);
            case Op.CMP_RI32 -> new CmpRIJcc(prev.p, prev.q, cc, target);
            default -> null;
        };
    }

    static final class JmpR extends Op {
        private final int size, s;

        JmpR(int size, int s) {
            this.size = size;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            int t = c.getReg(size, s);
            checkTarget(c, t);
            c.eip = t;
        }
    }

    static final class JmpM extends MemOp {
        private final int size;

        JmpM(int size, Addr a) {
            super(a);
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            int t = c.rd(size, seg, ea(c));
            checkTarget(c, t);
            c.eip = t;
        }
    }

    static final class Call extends Op {
        private final int size;

        Call(int size, int target, int ret) {
            super(size == 4 ? CALL32 : GENERIC, target, ret);
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            c.push(size, q);
            c.eip = p;
        }
    }

    static final class CallR extends Op {
        private final int size, s, ret;

        CallR(int size, int s, int ret) {
            this.size = size;
            this.s = s;
            this.ret = ret;
        }

        @Override
        void exec(Cpu c) {
            int t = c.getReg(size, s);
            checkTarget(c, t);
            c.push(size, ret);
            c.eip = t;
        }
    }

    static final class CallM extends MemOp {
        private final int size, ret;

        CallM(int size, Addr a, int ret) {
            super(a);
            this.size = size;
            this.ret = ret;
        }

        @Override
        void exec(Cpu c) {
            int t = c.rd(size, seg, ea(c));
            checkTarget(c, t);
            c.push(size, ret);
            c.eip = t;
        }
    }

    static final class Ret extends Op {
        private final int size, extra;

        Ret(int size, int extra) {
            super(size == 4 && extra == 0 ? RET32 : GENERIC, 0, 0);
            this.size = size;
            this.extra = extra;
        }

        @Override
        void exec(Cpu c) {
            int t = c.peek(size, 0);
            checkTarget(c, t);
            c.addSp(size + extra);
            c.eip = t;
        }
    }

    /** RET near with a 32-bit operand size, no immediate (also run inline by the block loop). */
    static void ret32(Cpu c) {
        int t = c.peek(4, 0);
        checkTarget(c, t);
        c.addSp(4);
        c.eip = t;
    }

    /** LOOPNE (0), LOOPE (1), LOOP (2), JCXZ (3); the counter is CX or ECX by address size. */
    static final class Loop extends Op {
        private final int kind, mask, target;

        Loop(int kind, int mask, int target) {
            this.kind = kind;
            this.mask = mask;
            this.target = target;
        }

        @Override
        void exec(Cpu c) {
            int cx = c.r[Cpu.ECX];
            if (kind == 3) {
                if ((cx & mask) == 0) {
                    c.eip = target;
                }
                return;
            }
            int n = (cx - 1) & mask;
            c.r[Cpu.ECX] = (cx & ~mask) | n;
            boolean take = n != 0 && (kind == 2 || (kind == 1) == c.zf());
            if (take) {
                c.eip = target;
            }
        }
    }

    /** BOUND r, m: #BR unless lower <= r <= upper (signed). */
    static final class Bound extends MemOp {
        private final int size, reg;

        Bound(int size, int reg, Addr a) {
            super(a);
            this.size = size;
            this.reg = reg;
        }

        @Override
        void exec(Cpu c) {
            int ea = ea(c);
            int lo = c.rd(size, seg, ea);
            int hi = c.rd(size, seg, (ea + size) & amask);
            int v = c.getReg(size, reg);
            if (size == 2) {
                lo = (short) lo;
                hi = (short) hi;
                v = (short) v;
            }
            if (v < lo || v > hi) {
                throw c.fault(Vectors.BR);
            }
        }
    }
}
