package dev.machina.cpu.x86;

/**
 * Data movement: MOV (register, memory, immediate, moffs), MOV to/from segment registers, MOVZX,
 * MOVSX, LEA, XCHG, XLAT, CBW/CWDE, CWD/CDQ, BSWAP, CMOVcc, SETcc, LAHF, SAHF, LDS/LES/LSS/LFS/LGS,
 * NOP (SDM Vol. 2A/2B).
 */
final class MoveOps {
    private MoveOps() {}

    static Op mov(Insn i) {
        Opnd d = i.op(0);
        Opnd s = i.op(1);
        int size = i.size(0);
        switch (d) {
            case Zb, Zv -> {
                int reg = i.opcode & 7;
                return size == 4 ? new MovRI32(reg, i.imm) : new MovRI(size, reg, i.imm);
            }
            case AL, eAX -> { // A0/A1: accumulator from moffs
                return size == 4 ? new MovRM32(Cpu.EAX, i.addr()) : new MovRM(size, Cpu.EAX, i.addr());
            }
            case Ob, Ov -> {
                return size == 4 ? new MovMR32(i.addr(), Cpu.EAX) : new MovMR(size, i.addr(), Cpu.EAX);
            }
            default -> {
            }
        }
        if (s.isImmediate()) {
            if (i.isReg()) {
                return size == 4 ? new MovRI32(i.rm, i.imm) : new MovRI(size, i.rm, i.imm);
            }
            return new MovMI(size, i.addr(), i.imm);
        }
        boolean regDest = d == Opnd.Gb || d == Opnd.Gv;
        if (i.isReg()) {
            int dst = regDest ? i.reg : i.rm;
            int src = regDest ? i.rm : i.reg;
            return size == 4 ? new MovRR32(dst, src) : new MovRR(size, dst, src);
        }
        if (regDest) {
            return size == 4 ? new MovRM32(i.reg, i.addr()) : new MovRM(size, i.reg, i.addr());
        }
        return size == 4 ? new MovMR32(i.addr(), i.reg) : new MovMR(size, i.addr(), i.reg);
    }

    /** 8C MOV Ev,Sw and 8E MOV Sw,Ew. */
    static Op movSeg(Insn i) {
        int sreg = i.reg;
        if (sreg > Cpu.GS) {
            return null; // segment register 6 and 7 do not exist: #UD
        }
        if (i.opcode == 0x8C) {
            if (i.isReg()) {
                // to a register: a 32-bit operand size zero-extends on Pentium-class CPUs (SDM MOV note)
                return new MovFromSegR(i.osize, i.rm, sreg);
            }
            return new MovFromSegM(i.addr(), sreg);
        }
        if (sreg == Cpu.CS) {
            return null; // MOV CS is #UD on the 386 and later
        }
        return i.isReg() ? new MovToSegR(sreg, i.rm) : new MovToSegM(sreg, i.addr());
    }

    static Op lea(Insn i) {
        if (i.isReg()) {
            return null; // LEA with a register operand is #UD
        }
        return i.osize == 4 ? new Lea32(i.reg, i.addr()) : new Lea(i.osize, i.reg, i.addr());
    }

    static Op movx(Insn i) {
        int from = i.opcode == 0x1B6 || i.opcode == 0x1BE ? 1 : 2;
        boolean signed = i.opcode >= 0x1BE;
        if (i.isReg()) {
            return new MovxR(i.osize, i.reg, from, signed, i.rm);
        }
        return new MovxM(i.osize, i.reg, from, signed, i.addr());
    }

    static Op xchg(Insn i) {
        int size = i.size(0);
        if (i.op(0) == Opnd.Zv) {
            return new XchgRR(size, i.opcode & 7, Cpu.EAX);
        }
        if (i.isReg()) {
            return new XchgRR(size, i.rm, i.reg);
        }
        return new XchgRM(size, i.reg, i.addr());
    }

    static Op nop(Insn i) {
        return Nop.INSTANCE;
    }

    /** 0F 18..1F: hint NOPs on family 6 and later; undefined before. */
    static Op hintNop(Insn i) {
        return i.family >= 6 ? Nop.INSTANCE : null;
    }

    /**
     * 0F 0D: PREFETCH/PREFETCHW (AMD 3DNow!, CPUID 3dnowprefetch; Intel's PREFETCHW): a hint, so a
     * no-op with a memory operand (no fault, as a prefetch never faults); a register operand is
     * #UD, and so is the opcode before family 6, as QEMU 7.2's translate.c decodes it (0x10d).
     */
    static Op prefetch(Insn i) {
        return i.family >= 6 && i.mod != 3 ? Nop.INSTANCE : null;
    }

    static Op xlat(Insn i) {
        return new Xlat(i.dsOr(), i.asize == 2 ? 0xFFFF : -1);
    }

    static Op cbw(Insn i) {
        return new Cbw(i.osize);
    }

    static Op cwd(Insn i) {
        return new Cwd(i.osize);
    }

    static Op bswap(Insn i) {
        return new Bswap(i.opcode & 7);
    }

    static Op cmov(Insn i) {
        int cc = i.opcode & 0xF;
        return i.isReg() ? new CmovR(i.osize, cc, i.reg, i.rm) : new CmovM(i.osize, cc, i.reg, i.addr());
    }

    static Op setcc(Insn i) {
        int cc = i.opcode & 0xF;
        return i.isReg() ? new SetccR(cc, i.rm) : new SetccM(cc, i.addr());
    }

    static Op lahf(Insn i) {
        return new Lahf();
    }

    static Op sahf(Insn i) {
        return new Sahf();
    }

    /** LES/LDS (C4/C5), LSS/LFS/LGS (0F B2/B4/B5): load a far pointer into a segment register and a register. */
    static Op loadFar(Insn i) {
        if (i.isReg()) {
            return null; // register operand: #UD
        }
        int seg = switch (i.opcode) {
            case 0xC4 -> Cpu.ES;
            case 0xC5 -> Cpu.DS;
            case 0x1B2 -> Cpu.SS;
            case 0x1B4 -> Cpu.FS;
            default -> Cpu.GS;
        };
        return new LoadFar(i.osize, seg, i.reg, i.addr());
    }

    // ---------------- ops ----------------

    static final class Nop extends Op {
        static final Nop INSTANCE = new Nop();

        @Override
        void exec(Cpu c) {
        }
    }

    static final class MovRR32 extends Op {
        MovRR32(int d, int s) {
            super(MOV_RR32, d, s);
        }

        @Override
        void exec(Cpu c) {
            c.r[p] = c.r[q];
        }
    }

    static final class MovRI32 extends Op {
        MovRI32(int d, int v) {
            super(MOV_RI32, d, v);
        }

        @Override
        void exec(Cpu c) {
            c.r[p] = q;
        }
    }

    /** MOV r32, m32 (the load of the benchmark's memory loop); form MOV_RM32_BD for [base + disp]. */
    static final class MovRM32 extends MemOp {
        MovRM32(int d, Addr a) {
            super(a.index() == Cpu.ZERO && a.amask() == -1 && a.base() != Cpu.ZERO ? MOV_RM32_BD : MOV_RM32, a, d, 0);
        }

        @Override
        void exec(Cpu c) {
            c.r[p] = c.rd32(seg, ea(c));
        }
    }

    static final class MovMR32 extends MemOp {
        MovMR32(Addr a, int s) {
            super(a.index() == Cpu.ZERO && a.amask() == -1 && a.base() != Cpu.ZERO ? MOV_MR32_BD : MOV_MR32, a, s, 0);
        }

        @Override
        void exec(Cpu c) {
            c.wr32(seg, ea(c), c.r[p]);
        }
    }

    static final class Lea32 extends MemOp {
        Lea32(int d, Addr a) {
            super(LEA32, a, d, 0);
        }

        @Override
        void exec(Cpu c) {
            c.r[p] = ea(c);
        }
    }

    static final class MovRR extends Op {
        final int size, d, s;

        MovRR(int size, int d, int s) {
            this.size = size;
            this.d = d;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            c.setReg(size, d, c.getReg(size, s));
        }
    }

    static final class MovRI extends Op {
        final int size, d, v;

        MovRI(int size, int d, int v) {
            this.size = size;
            this.d = d;
            this.v = v;
        }

        @Override
        void exec(Cpu c) {
            c.setReg(size, d, v);
        }
    }

    static final class MovRM extends MemOp {
        final int size, d;

        MovRM(int size, int d, Addr a) {
            super(a);
            this.size = size;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            c.setReg(size, d, c.rd(size, seg, ea(c)));
        }
    }

    static final class MovMR extends MemOp {
        final int size, s;

        MovMR(int size, Addr a, int s) {
            super(a);
            this.size = size;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            c.wr(size, seg, ea(c), c.getReg(size, s));
        }
    }

    static final class MovMI extends MemOp {
        final int size, v;

        MovMI(int size, Addr a, int v) {
            super(a);
            this.size = size;
            this.v = v;
        }

        @Override
        void exec(Cpu c) {
            c.wr(size, seg, ea(c), v);
        }
    }

    static final class MovFromSegR extends Op {
        private final int size, d, s;

        MovFromSegR(int size, int d, int s) {
            this.size = size;
            this.d = d;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            c.setReg(size, d, c.sel[s]);
        }
    }

    /** To memory the store is always 16 bits, whatever the operand size. */
    static final class MovFromSegM extends MemOp {
        private final int s;

        MovFromSegM(Addr a, int s) {
            super(a);
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            c.wr16(seg, ea(c), c.sel[s]);
        }
    }

    static final class MovToSegR extends Op {
        private final int s, src;

        MovToSegR(int s, int src) {
            this.s = s;
            this.src = src;
        }

        @Override
        void exec(Cpu c) {
            Segments.loadData(c, s, c.r[src] & 0xFFFF);
            if (s == Cpu.SS) {
                c.inhibitIrq = true;
            }
        }
    }

    static final class MovToSegM extends MemOp {
        private final int s;

        MovToSegM(int s, Addr a) {
            super(a);
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            Segments.loadData(c, s, c.rd16(seg, ea(c)));
            if (s == Cpu.SS) {
                c.inhibitIrq = true;
            }
        }
    }

    static final class Lea extends MemOp {
        final int size, d;

        Lea(int size, int d, Addr a) {
            super(a);
            this.size = size;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            c.setReg(size, d, ea(c));
        }
    }

    static final class MovxR extends Op {
        final int size, d, from, s;
        final boolean signed;

        MovxR(int size, int d, int from, boolean signed, int s) {
            this.size = size;
            this.d = d;
            this.from = from;
            this.signed = signed;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            int v = c.getReg(from, s);
            if (signed) {
                v = from == 1 ? (byte) v : (short) v;
            }
            c.setReg(size, d, v);
        }
    }

    static final class MovxM extends MemOp {
        final int size, d, from;
        final boolean signed;

        MovxM(int size, int d, int from, boolean signed, Addr a) {
            super(a);
            this.size = size;
            this.d = d;
            this.from = from;
            this.signed = signed;
        }

        @Override
        void exec(Cpu c) {
            int v = c.rd(from, seg, ea(c));
            if (signed) {
                v = from == 1 ? (byte) v : (short) v;
            }
            c.setReg(size, d, v);
        }
    }

    static final class XchgRR extends Op {
        private final int size, a, b;

        XchgRR(int size, int a, int b) {
            this.size = size;
            this.a = a;
            this.b = b;
        }

        @Override
        void exec(Cpu c) {
            int va = c.getReg(size, a);
            int vb = c.getReg(size, b);
            c.setReg(size, a, vb);
            c.setReg(size, b, va);
        }
    }

    static final class XchgRM extends MemOp {
        private final int size, reg;

        XchgRM(int size, int reg, Addr a) {
            super(a);
            this.size = size;
            this.reg = reg;
        }

        @Override
        void exec(Cpu c) {
            int ea = ea(c);
            int m = c.rdw(size, seg, ea);
            c.wr(size, seg, ea, c.getReg(size, reg));
            c.setReg(size, reg, m);
        }
    }

    /** XLAT: AL = [seg:(E)BX + AL]. */
    static final class Xlat extends Op {
        private final int seg, amask;

        Xlat(int seg, int amask) {
            this.seg = seg;
            this.amask = amask;
        }

        @Override
        void exec(Cpu c) {
            c.setReg8(0, c.rd8(seg, (c.r[Cpu.EBX] + c.reg8(0)) & amask));
        }
    }

    /** CBW / CWDE. */
    static final class Cbw extends Op {
        private final int size;

        Cbw(int size) {
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            if (size == 4) {
                c.r[Cpu.EAX] = (short) c.r[Cpu.EAX];
            } else {
                c.setReg16(Cpu.EAX, (byte) c.r[Cpu.EAX]);
            }
        }
    }

    /** CWD / CDQ. */
    static final class Cwd extends Op {
        private final int size;

        Cwd(int size) {
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            if (size == 4) {
                c.r[Cpu.EDX] = c.r[Cpu.EAX] >> 31;
            } else {
                c.setReg16(Cpu.EDX, ((short) c.r[Cpu.EAX]) >> 15);
            }
        }
    }

    static final class Bswap extends Op {
        private final int d;

        Bswap(int d) {
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            c.r[d] = Integer.reverseBytes(c.r[d]);
        }
    }

    static final class CmovR extends Op {
        final int size, cc, d, s;

        CmovR(int size, int cc, int d, int s) {
            this.size = size;
            this.cc = cc;
            this.d = d;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            int v = c.getReg(size, s);
            if (c.cond(cc)) {
                c.setReg(size, d, v);
            }
        }
    }

    /** The memory operand is read whether or not the condition holds (SDM CMOVcc: may fault either way). */
    static final class CmovM extends MemOp {
        final int size, cc, d;

        CmovM(int size, int cc, int d, Addr a) {
            super(a);
            this.size = size;
            this.cc = cc;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            int v = c.rd(size, seg, ea(c));
            if (c.cond(cc)) {
                c.setReg(size, d, v);
            }
        }
    }

    static final class SetccR extends Op {
        final int cc, d;

        SetccR(int cc, int d) {
            this.cc = cc;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            c.setReg8(d, c.cond(cc) ? 1 : 0);
        }
    }

    static final class SetccM extends MemOp {
        final int cc;

        SetccM(int cc, Addr a) {
            super(a);
            this.cc = cc;
        }

        @Override
        void exec(Cpu c) {
            c.wr8(seg, ea(c), c.cond(cc) ? 1 : 0);
        }
    }

    /** LAHF: AH = SF:ZF:0:AF:0:PF:1:CF. */
    static final class Lahf extends Op {
        @Override
        void exec(Cpu c) {
            c.setReg8(4, (c.arithFlags() & 0xD5) | 2);
        }
    }

    /** SAHF: SF ZF AF PF CF from AH; OF kept. */
    static final class Sahf extends Op {
        @Override
        void exec(Cpu c) {
            c.setSomeFlags(Cpu.SF | Cpu.ZF | Cpu.AF | Cpu.PF | Cpu.CF, c.reg8(4));
        }
    }

    static final class LoadFar extends MemOp {
        private final int size, s, d;

        LoadFar(int size, int s, int d, Addr a) {
            super(a);
            this.size = size;
            this.s = s;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            int ea = ea(c);
            int off = c.rd(size, seg, ea);
            int selector = c.rd16(seg, (ea + size) & amask);
            Segments.loadData(c, s, selector);
            c.setReg(size, d, off);
            if (s == Cpu.SS) {
                c.inhibitIrq = true;
            }
        }
    }
}
