package dev.machina.cpu.x86;

/**
 * Bit instructions: BT, BTS, BTR, BTC (register or immediate bit offset) and BSF, BSR (SDM Vol. 2A).
 * With a register bit offset and a memory operand, the offset selects any bit in memory: the
 * address moves by (offset SAR 5) dwords (or SAR 4 words), the bit is offset mod 32 (16).
 * BT* set CF and leave the other flags (OF, SF, AF, PF undefined; ZF unaffected).
 */
final class BitOps {
    private BitOps() {}

    static final int BT = 0, BTS = 1, BTR = 2, BTC = 3;

    static Op bt(Insn i) {
        int kind = switch (i.mnemonic()) {
            case "BT" -> BT;
            case "BTS" -> BTS;
            case "BTR" -> BTR;
            default -> BTC;
        };
        boolean imm = i.operandCount() > 1 && i.op(1) == Opnd.Ib;
        int size = i.osize;
        if (i.isReg()) {
            return new BtR(kind, size, i.rm, imm ? -1 : i.reg, i.imm & 0xFF);
        }
        return new BtM(kind, size, i.addr(), imm ? -1 : i.reg, i.imm & 0xFF);
    }

    static Op bsfBsr(Insn i) {
        boolean reverse = i.opcode == 0x1BD;
        return i.isReg() ? new BsfR(reverse, i.osize, i.reg, i.rm) : new BsfM(reverse, i.osize, i.reg, i.addr());
    }

    static int modify(int kind, int v, int bit) {
        return switch (kind) {
            case BTS -> v | (1 << bit);
            case BTR -> v & ~(1 << bit);
            case BTC -> v ^ (1 << bit);
            default -> v;
        };
    }

    static final class BtR extends Op {
        private final int kind, size, d, src, imm;

        BtR(int kind, int size, int d, int src, int imm) {
            this.kind = kind;
            this.size = size;
            this.d = d;
            this.src = src;
            this.imm = imm;
        }

        @Override
        void exec(Cpu c) {
            int bit = (src < 0 ? imm : c.r[src]) & (size * 8 - 1);
            int v = c.getReg(size, d);
            c.setCf(((v >>> bit) & 1) != 0);
            if (kind != BT) {
                c.setReg(size, d, modify(kind, v, bit));
            }
        }
    }

    static final class BtM extends MemOp {
        private final int kind, size, src, imm;

        BtM(int kind, int size, Addr a, int src, int imm) {
            super(a);
            this.kind = kind;
            this.size = size;
            this.src = src;
            this.imm = imm;
        }

        @Override
        void exec(Cpu c) {
            int ea = ea(c);
            int bit;
            if (src < 0) {
                bit = imm & (size * 8 - 1);
            } else {
                int off = size == 4 ? c.r[src] : (short) c.r[src];
                int shift = size == 4 ? 5 : 4;
                ea = (ea + ((off >> shift) * size)) & amask;
                bit = off & (size * 8 - 1);
            }
            int v = kind == BT ? c.rd(size, seg, ea) : c.rdw(size, seg, ea);
            c.setCf(((v >>> bit) & 1) != 0);
            if (kind != BT) {
                c.wr(size, seg, ea, modify(kind, v, bit));
            }
        }
    }

    static void bsf(Cpu c, boolean reverse, int size, int d, int v) {
        if (size == 2) {
            v &= 0xFFFF;
        }
        if (v == 0) {
            c.setSomeFlags(Cpu.ZF, Cpu.ZF); // destination left unchanged
            return;
        }
        c.setSomeFlags(Cpu.ZF, 0);
        c.setReg(size, d, reverse ? 31 - Integer.numberOfLeadingZeros(v) : Integer.numberOfTrailingZeros(v));
    }

    static final class BsfR extends Op {
        private final boolean reverse;
        private final int size, d, s;

        BsfR(boolean reverse, int size, int d, int s) {
            this.reverse = reverse;
            this.size = size;
            this.d = d;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            bsf(c, reverse, size, d, c.getReg(size, s));
        }
    }

    static final class BsfM extends MemOp {
        private final boolean reverse;
        private final int size, d;

        BsfM(boolean reverse, int size, int d, Addr a) {
            super(a);
            this.reverse = reverse;
            this.size = size;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            bsf(c, reverse, size, d, c.rd(size, seg, ea(c)));
        }
    }
}
