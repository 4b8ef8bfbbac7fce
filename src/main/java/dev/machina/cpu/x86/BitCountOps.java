package dev.machina.cpu.x86;

/**
 * POPCNT (F3 0F B8, CPUID.1:ECX.POPCNT[23]) and LZCNT (F3 0F BD, CPUID.80000001h:ECX.ABM[5]), SDM Vol. 2B.
 *
 * <p>POPCNT: the number of set bits of the source; OF, SF, AF, CF and PF cleared, ZF set when the source is 0.
 * LZCNT: the number of leading zero bits (the operand size for a zero source); CF set when the source is 0,
 * ZF when the result is 0. The SDM leaves LZCNT's OF, SF, AF and PF undefined; they are cleared here, as
 * QEMU 7.2 TCG does (its CC_OP_BMILG: only CF and ZF from the values, the others 0).
 *
 * <p>Without POPCNT the opcode is #UD (0F B8 without F3 is JMPE of IA-64, #UD on every IA-32 CPU; so are
 * F2 0F B8 and F2/F3 both). Without ABM, F3 0F BD is BSR with an ignored prefix, as on CPUs before LZCNT.
 */
final class BitCountOps {
    private BitCountOps() {}

    static final int W_1_ECX_POPCNT = 1 << 23, W_81_ECX_ABM = 1 << 5;

    static Op popcnt(Insn i) {
        if (i.rep != 0xF3) {
            return null;
        }
        if ((i.model.features()[CpuModel.W_1_ECX] & W_1_ECX_POPCNT) == 0) {
            return SystemOps.missingFeature("POPCNT", "popcnt");
        }
        return i.isReg() ? new CountR(false, i.osize, i.reg, i.rm) : new CountM(false, i.osize, i.reg, i.addr());
    }

    /** 0F BD: BSR, or LZCNT with F3 where the model has ABM. */
    static Op bsrOrLzcnt(Insn i) {
        if (i.rep != 0xF3 || (i.model.features()[CpuModel.W_81_ECX] & W_81_ECX_ABM) == 0) {
            return BitOps.bsfBsr(i);
        }
        return i.isReg() ? new CountR(true, i.osize, i.reg, i.rm) : new CountM(true, i.osize, i.reg, i.addr());
    }

    static void count(Cpu c, boolean lzcnt, int size, int d, int v) {
        if (size == 2) {
            v &= 0xFFFF;
        }
        int n;
        int flags;
        if (lzcnt) {
            n = Integer.numberOfLeadingZeros(v) - (size == 2 ? 16 : 0);
            flags = (v == 0 ? Cpu.CF : 0) | (n == 0 ? Cpu.ZF : 0);
        } else {
            n = Integer.bitCount(v);
            flags = v == 0 ? Cpu.ZF : 0;
        }
        c.setReg(size, d, n);
        c.setSomeFlags(Cpu.ARITH, flags);
    }

    static final class CountR extends Op {
        private final boolean lzcnt;
        private final int size, d, s;

        CountR(boolean lzcnt, int size, int d, int s) {
            this.lzcnt = lzcnt;
            this.size = size;
            this.d = d;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            count(c, lzcnt, size, d, c.getReg(size, s));
        }
    }

    static final class CountM extends MemOp {
        private final boolean lzcnt;
        private final int size, d;

        CountM(boolean lzcnt, int size, int d, Addr a) {
            super(a);
            this.lzcnt = lzcnt;
            this.size = size;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            count(c, lzcnt, size, d, c.rd(size, seg, ea(c)));
        }
    }
}
