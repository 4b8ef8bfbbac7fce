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
        private final int target;

        Jz(int target) {
            this.target = target;
        }

        @Override
        void exec(Cpu c) {
            if (c.res == 0) {
                c.eip = target;
            }
        }
    }

    static final class Jnz extends Op {
        private final int target;

        Jnz(int target) {
            this.target = target;
        }

        @Override
        void exec(Cpu c) {
            if (c.res != 0) {
                c.eip = target;
            }
        }
    }

    static final class Jcc extends Op {
        private final int cc, target;

        Jcc(int cc, int target) {
            this.cc = cc;
            this.target = target;
        }

        @Override
        void exec(Cpu c) {
            if (c.cond(cc)) {
                c.eip = target;
            }
        }
    }

    static final class Jmp extends Op {
        private final int target;

        Jmp(int target) {
            this.target = target;
        }

        @Override
        void exec(Cpu c) {
            c.eip = target;
        }
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
        private final int size, target, ret;

        Call(int size, int target, int ret) {
            this.size = size;
            this.target = target;
            this.ret = ret;
        }

        @Override
        void exec(Cpu c) {
            c.push(size, ret);
            c.eip = target;
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
