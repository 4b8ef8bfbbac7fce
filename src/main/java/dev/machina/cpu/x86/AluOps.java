package dev.machina.cpu.x86;

/**
 * Integer arithmetic and logic: ADD OR ADC SBB AND SUB XOR CMP TEST (SDM Vol. 2A/2B), INC DEC NOT
 * NEG, CMPXCHG, CMPXCHG8B, XADD.
 *
 * <p>Flag formulas (see {@link Cpu} for the representation) work for every size: with
 * {@code sh = 32 - 8·size}, the result is stored sign-extended ({@code (r << sh) >> sh}) and the
 * carry vector's top two bits are moved to bits 31 and 30 ({@code cv << sh}). The carry vector of
 * {@code a + b (+ c) = r} is {@code (a & b) | ((a | b) & ~r)}, the borrow vector of
 * {@code a - b (- c) = r} is {@code (~a & b) | ((~a | b) & r)}: bit i is the carry (borrow) out of
 * bit i, so CF is the top bit, AF bit 3 and OF the top bit xor the one below.
 *
 * <p>Hot forms (32-bit register/register and register/immediate) are classes of their own; the
 * rest share a few classes that switch on the operation.
 */
final class AluOps {
    private AluOps() {}

    static final int ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7, TEST = 8;
    static final int INC = 0, DEC = 1, NOT = 2, NEG = 3;

    static int kind(String m) {
        return switch (m) {
            case "ADD" -> ADD;
            case "OR" -> OR;
            case "ADC" -> ADC;
            case "SBB" -> SBB;
            case "AND" -> AND;
            case "SUB" -> SUB;
            case "XOR" -> XOR;
            case "CMP" -> CMP;
            default -> TEST;
        };
    }

    // ---------------- flag helpers (size in bytes) ----------------

    static int add(Cpu c, int size, int a, int b) {
        int r = a + b;
        int sh = 32 - 8 * size;
        int cv = (a & b) | ((a | b) & ~r);
        c.res = (r << sh) >> sh;
        c.aux = (cv & 8) | ((cv << sh) & 0xC0000000);
        return r;
    }

    static int adc(Cpu c, int size, int a, int b) {
        int r = a + b + c.cfBit();
        int sh = 32 - 8 * size;
        int cv = (a & b) | ((a | b) & ~r);
        c.res = (r << sh) >> sh;
        c.aux = (cv & 8) | ((cv << sh) & 0xC0000000);
        return r;
    }

    static int sub(Cpu c, int size, int a, int b) {
        int r = a - b;
        int sh = 32 - 8 * size;
        int bv = (~a & b) | ((~a | b) & r);
        c.res = (r << sh) >> sh;
        c.aux = (bv & 8) | ((bv << sh) & 0xC0000000);
        return r;
    }

    static int sbb(Cpu c, int size, int a, int b) {
        int r = a - b - c.cfBit();
        int sh = 32 - 8 * size;
        int bv = (~a & b) | ((~a | b) & r);
        c.res = (r << sh) >> sh;
        c.aux = (bv & 8) | ((bv << sh) & 0xC0000000);
        return r;
    }

    /** AND/OR/XOR/TEST: CF = OF = 0, AF = 0 (undefined in the SDM; 0 as on the CPUs we compare with). */
    static int logic(Cpu c, int size, int r) {
        int sh = 32 - 8 * size;
        c.res = (r << sh) >> sh;
        c.aux = 0;
        return r;
    }

    /** INC: like ADD 1 but CF is kept (flip bits 31 and 30 together when the new carry differs from CF). */
    static int inc(Cpu c, int size, int a) {
        int r = a + 1;
        int sh = 32 - 8 * size;
        int cv = (a & 1) | ((a | 1) & ~r);
        int t = (cv & 8) | ((cv << sh) & 0xC0000000);
        c.res = (r << sh) >> sh;
        c.aux = t ^ (((t ^ c.aux) >> 31) & 0xC0000000);
        return r;
    }

    static int dec(Cpu c, int size, int a) {
        int r = a - 1;
        int sh = 32 - 8 * size;
        int bv = (~a & 1) | ((~a | 1) & r);
        int t = (bv & 8) | ((bv << sh) & 0xC0000000);
        c.res = (r << sh) >> sh;
        c.aux = t ^ (((t ^ c.aux) >> 31) & 0xC0000000);
        return r;
    }

    static int alu(Cpu c, int kind, int size, int a, int b) {
        return switch (kind) {
            case ADD -> add(c, size, a, b);
            case OR -> logic(c, size, a | b);
            case ADC -> adc(c, size, a, b);
            case SBB -> sbb(c, size, a, b);
            case AND, TEST -> logic(c, size, a & b);
            case SUB, CMP -> sub(c, size, a, b);
            default -> logic(c, size, a ^ b);
        };
    }

    static int unaryOp(Cpu c, int kind, int size, int a) {
        return switch (kind) {
            case INC -> inc(c, size, a);
            case DEC -> dec(c, size, a);
            case NOT -> ~a;
            default -> sub(c, size, 0, a);
        };
    }

    static boolean writesBack(int kind) {
        return kind != CMP && kind != TEST;
    }

    // ---------------- builders ----------------

    static Op binary(Insn i) {
        int kind = kind(i.mnemonic());
        Opnd d = i.op(0);
        Opnd s = i.op(1);
        int size = i.size(0);
        if (s.isImmediate()) {
            int imm = i.imm;
            if (d == Opnd.AL || d == Opnd.eAX || i.isReg()) {
                int reg = (d == Opnd.AL || d == Opnd.eAX) ? Cpu.EAX : i.rm;
                if (size == 4) {
                    return switch (kind) {
                        case ADD -> new AddRI32(reg, imm);
                        case SUB -> new SubRI32(reg, imm);
                        case CMP -> new CmpRI32(reg, imm);
                        case AND -> new AndRI32(reg, imm);
                        default -> new AluRI(kind, 4, reg, imm);
                    };
                }
                return new AluRI(kind, size, reg, imm);
            }
            return new AluMI(kind, size, i.addr(), imm);
        }
        boolean regDest = d == Opnd.Gb || d == Opnd.Gv;
        if (i.isReg()) {
            int dst = regDest ? i.reg : i.rm;
            int src = regDest ? i.rm : i.reg;
            if (size == 4) {
                return switch (kind) {
                    case ADD -> new AddRR32(dst, src);
                    case OR -> new OrRR32(dst, src);
                    case AND -> new AndRR32(dst, src);
                    case SUB -> new SubRR32(dst, src);
                    case XOR -> dst == src ? new ZeroR32(dst) : new XorRR32(dst, src);
                    case CMP -> new CmpRR32(dst, src);
                    case TEST -> new TestRR32(dst, src);
                    default -> new AluRR(kind, 4, dst, src);
                };
            }
            return new AluRR(kind, size, dst, src);
        }
        if (regDest) {
            return size == 4 ? new AluRM32(kind, i.reg, i.addr()) : new AluRM(kind, size, i.reg, i.addr());
        }
        if (kind == TEST) {
            return new AluRM(kind, size, i.reg, i.addr()); // TEST m,r = TEST r,m: nothing written
        }
        return new AluMR(kind, size, i.addr(), i.reg);
    }

    static Op unary(Insn i) {
        int kind = switch (i.mnemonic()) {
            case "INC" -> INC;
            case "DEC" -> DEC;
            case "NOT" -> NOT;
            default -> NEG;
        };
        int size = i.size(0);
        if (i.op(0) == Opnd.Zv) {
            int reg = i.opcode & 7;
            if (size == 4) {
                return kind == INC ? new IncR32(reg) : new DecR32(reg);
            }
            return new UnaryR(kind, size, reg);
        }
        if (i.isReg()) {
            if (size == 4 && kind == INC) {
                return new IncR32(i.rm);
            }
            if (size == 4 && kind == DEC) {
                return new DecR32(i.rm);
            }
            return new UnaryR(kind, size, i.rm);
        }
        return new UnaryM(kind, size, i.addr());
    }

    static Op cmpxchg(Insn i) {
        return new Cmpxchg(i.size(0), i.isReg() ? i.rm : -1, i.reg, i.isReg() ? null : i.addr());
    }

    static Op xadd(Insn i) {
        return new Xadd(i.size(0), i.isReg() ? i.rm : -1, i.reg, i.isReg() ? null : i.addr());
    }

    static Op cmpxchg8b(Insn i) {
        return i.isReg() ? null : new Cmpxchg8b(i.addr());
    }

    // ---------------- hot 32-bit register forms ----------------
    // Each is a class (for exec) and a static method (also called inline by Cpu.execOps).

    static void addRR32(Cpu c, int d, int s) {
        int[] r = c.r;
        int a = r[d], b = r[s];
        int v = a + b;
        r[d] = v;
        c.res = v;
        c.aux = ((a & b) | ((a | b) & ~v)) & 0xC0000008;
    }

    static void subRR32(Cpu c, int d, int s) {
        int[] r = c.r;
        int a = r[d], b = r[s];
        int v = a - b;
        r[d] = v;
        c.res = v;
        c.aux = ((~a & b) | ((~a | b) & v)) & 0xC0000008;
    }

    static void cmpRR32(Cpu c, int d, int s) {
        int[] r = c.r;
        int a = r[d], b = r[s];
        int v = a - b;
        c.res = v;
        c.aux = ((~a & b) | ((~a | b) & v)) & 0xC0000008;
    }

    static void andRR32(Cpu c, int d, int s) {
        int[] r = c.r;
        int v = r[d] & r[s];
        r[d] = v;
        c.res = v;
        c.aux = 0;
    }

    static void orRR32(Cpu c, int d, int s) {
        int[] r = c.r;
        int v = r[d] | r[s];
        r[d] = v;
        c.res = v;
        c.aux = 0;
    }

    static void xorRR32(Cpu c, int d, int s) {
        int[] r = c.r;
        int v = r[d] ^ r[s];
        r[d] = v;
        c.res = v;
        c.aux = 0;
    }

    static void zeroR32(Cpu c, int d) {
        c.r[d] = 0;
        c.res = 0;
        c.aux = 0;
    }

    static void testRR32(Cpu c, int d, int s) {
        int[] r = c.r;
        c.res = r[d] & r[s];
        c.aux = 0;
    }

    static void addRI32(Cpu c, int d, int b) {
        int[] r = c.r;
        int a = r[d];
        int v = a + b;
        r[d] = v;
        c.res = v;
        c.aux = ((a & b) | ((a | b) & ~v)) & 0xC0000008;
    }

    static void subRI32(Cpu c, int d, int b) {
        int[] r = c.r;
        int a = r[d];
        int v = a - b;
        r[d] = v;
        c.res = v;
        c.aux = ((~a & b) | ((~a | b) & v)) & 0xC0000008;
    }

    static void cmpRI32(Cpu c, int d, int b) {
        int a = c.r[d];
        int v = a - b;
        c.res = v;
        c.aux = ((~a & b) | ((~a | b) & v)) & 0xC0000008;
    }

    static void andRI32(Cpu c, int d, int b) {
        int v = c.r[d] & b;
        c.r[d] = v;
        c.res = v;
        c.aux = 0;
    }

    static void incR32(Cpu c, int d) {
        int[] r = c.r;
        int a = r[d];
        int v = a + 1;
        r[d] = v;
        c.res = v;
        int t = ((a & 1) | ((a | 1) & ~v)) & 0xC0000008;
        c.aux = t ^ (((t ^ c.aux) >> 31) & 0xC0000000);
    }

    static void decR32(Cpu c, int d) {
        int[] r = c.r;
        int a = r[d];
        int v = a - 1;
        r[d] = v;
        c.res = v;
        int t = ((~a & 1) | ((~a | 1) & v)) & 0xC0000008;
        c.aux = t ^ (((t ^ c.aux) >> 31) & 0xC0000000);
    }

    static final class AddRR32 extends Op {
        AddRR32(int d, int s) {
            super(ADD_RR32, d, s);
        }

        @Override
        void exec(Cpu c) {
            addRR32(c, p, q);
        }
    }

    static final class SubRR32 extends Op {
        SubRR32(int d, int s) {
            super(SUB_RR32, d, s);
        }

        @Override
        void exec(Cpu c) {
            subRR32(c, p, q);
        }
    }

    static final class CmpRR32 extends Op {
        CmpRR32(int d, int s) {
            super(CMP_RR32, d, s);
        }

        @Override
        void exec(Cpu c) {
            cmpRR32(c, p, q);
        }
    }

    static final class AndRR32 extends Op {
        AndRR32(int d, int s) {
            super(AND_RR32, d, s);
        }

        @Override
        void exec(Cpu c) {
            andRR32(c, p, q);
        }
    }

    static final class OrRR32 extends Op {
        OrRR32(int d, int s) {
            super(OR_RR32, d, s);
        }

        @Override
        void exec(Cpu c) {
            orRR32(c, p, q);
        }
    }

    static final class XorRR32 extends Op {
        XorRR32(int d, int s) {
            super(XOR_RR32, d, s);
        }

        @Override
        void exec(Cpu c) {
            xorRR32(c, p, q);
        }
    }

    static final class ZeroR32 extends Op {
        ZeroR32(int d) {
            super(ZERO_R32, d, 0);
        }

        @Override
        void exec(Cpu c) {
            zeroR32(c, p);
        }
    }

    static final class TestRR32 extends Op {
        TestRR32(int d, int s) {
            super(TEST_RR32, d, s);
        }

        @Override
        void exec(Cpu c) {
            testRR32(c, p, q);
        }
    }

    static final class AddRI32 extends Op {
        AddRI32(int d, int s) {
            super(ADD_RI32, d, s);
        }

        @Override
        void exec(Cpu c) {
            addRI32(c, p, q);
        }
    }

    static final class SubRI32 extends Op {
        SubRI32(int d, int s) {
            super(SUB_RI32, d, s);
        }

        @Override
        void exec(Cpu c) {
            subRI32(c, p, q);
        }
    }

    static final class CmpRI32 extends Op {
        CmpRI32(int d, int s) {
            super(CMP_RI32, d, s);
        }

        @Override
        void exec(Cpu c) {
            cmpRI32(c, p, q);
        }
    }

    static final class AndRI32 extends Op {
        AndRI32(int d, int s) {
            super(AND_RI32, d, s);
        }

        @Override
        void exec(Cpu c) {
            andRI32(c, p, q);
        }
    }

    static final class IncR32 extends Op {
        IncR32(int d) {
            super(INC_R32, d, 0);
        }

        @Override
        void exec(Cpu c) {
            incR32(c, p);
        }
    }

    static final class DecR32 extends Op {
        DecR32(int d) {
            super(DEC_R32, d, 0);
        }

        @Override
        void exec(Cpu c) {
            decR32(c, p);
        }
    }

    // ---------------- general forms ----------------

    static final class AluRR extends Op {
        final int kind, size, d, s;

        AluRR(int kind, int size, int d, int s) {
            this.kind = kind;
            this.size = size;
            this.d = d;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            int v = alu(c, kind, size, c.getReg(size, d), c.getReg(size, s));
            if (writesBack(kind)) {
                c.setReg(size, d, v);
            }
        }
    }

    static final class AluRI extends Op {
        final int kind, size, d, imm;

        AluRI(int kind, int size, int d, int imm) {
            this.kind = kind;
            this.size = size;
            this.d = d;
            this.imm = imm;
        }

        @Override
        void exec(Cpu c) {
            int v = alu(c, kind, size, c.getReg(size, d), imm);
            if (writesBack(kind)) {
                c.setReg(size, d, v);
            }
        }
    }

    /** reg = reg op mem (also TEST mem,reg). */
    static final class AluRM extends MemOp {
        final int kind, size, d;

        AluRM(int kind, int size, int d, Addr a) {
            super(a);
            this.kind = kind;
            this.size = size;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            int v = alu(c, kind, size, c.getReg(size, d), c.rd(size, seg, ea(c)));
            if (writesBack(kind)) {
                c.setReg(size, d, v);
            }
        }
    }

    static final class AluRM32 extends MemOp {
        final int kind, d;

        AluRM32(int kind, int d, Addr a) {
            super(a);
            this.kind = kind;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            int v = alu(c, kind, 4, c.r[d], c.rd32(seg, ea(c)));
            if (writesBack(kind)) {
                c.r[d] = v;
            }
        }
    }

    /** mem = mem op reg. */
    static final class AluMR extends MemOp {
        final int kind, size, s;

        AluMR(int kind, int size, Addr a, int s) {
            super(a);
            this.kind = kind;
            this.size = size;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            int ea = ea(c);
            if (writesBack(kind)) {
                int v = alu(c, kind, size, c.rdw(size, seg, ea), c.getReg(size, s));
                c.wr(size, seg, ea, v);
            } else {
                alu(c, kind, size, c.rd(size, seg, ea), c.getReg(size, s));
            }
        }
    }

    static final class AluMI extends MemOp {
        final int kind, size, imm;

        AluMI(int kind, int size, Addr a, int imm) {
            super(a);
            this.kind = kind;
            this.size = size;
            this.imm = imm;
        }

        @Override
        void exec(Cpu c) {
            int ea = ea(c);
            if (writesBack(kind)) {
                int v = alu(c, kind, size, c.rdw(size, seg, ea), imm);
                c.wr(size, seg, ea, v);
            } else {
                alu(c, kind, size, c.rd(size, seg, ea), imm);
            }
        }
    }

    static final class UnaryR extends Op {
        final int kind, size, d;

        UnaryR(int kind, int size, int d) {
            this.kind = kind;
            this.size = size;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            c.setReg(size, d, unaryOp(c, kind, size, c.getReg(size, d)));
        }
    }

    static final class UnaryM extends MemOp {
        final int kind, size;

        UnaryM(int kind, int size, Addr a) {
            super(a);
            this.kind = kind;
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            int ea = ea(c);
            int v = unaryOp(c, kind, size, c.rdw(size, seg, ea));
            c.wr(size, seg, ea, v);
        }
    }

    /**
     * CMPXCHG: compare the accumulator with the destination; equal → destination = source, else
     * accumulator = destination. The destination is always written (SDM: "the destination operand
     * is written back if the comparison fails"), so a read-only destination faults either way.
     */
    static final class Cmpxchg extends Op {
        private final int size, rm, src;
        private final Addr addr;

        Cmpxchg(int size, int rm, int src, Addr addr) {
            this.size = size;
            this.rm = rm;
            this.src = src;
            this.addr = addr;
        }

        @Override
        void exec(Cpu c) {
            int ea = 0;
            int dest;
            if (addr == null) {
                dest = c.getReg(size, rm);
            } else {
                ea = (c.r[addr.base()] + (c.r[addr.index()] << addr.scale()) + addr.disp()) & addr.amask();
                dest = c.rdw(size, addr.seg(), ea);
            }
            int acc = c.getReg(size, Cpu.EAX);
            sub(c, size, acc, dest);
            int mask = size == 4 ? -1 : (1 << (8 * size)) - 1;
            boolean equal = ((acc ^ dest) & mask) == 0;
            int newDest = equal ? c.getReg(size, src) : dest;
            if (addr == null) {
                c.setReg(size, rm, newDest);
            } else {
                c.wr(size, addr.seg(), ea, newDest);
            }
            if (!equal) {
                c.setReg(size, Cpu.EAX, dest);
            }
        }
    }

    /** XADD: temp = src + dest; src = dest; dest = temp. */
    static final class Xadd extends Op {
        private final int size, rm, src;
        private final Addr addr;

        Xadd(int size, int rm, int src, Addr addr) {
            this.size = size;
            this.rm = rm;
            this.src = src;
            this.addr = addr;
        }

        @Override
        void exec(Cpu c) {
            if (addr == null) {
                int d = c.getReg(size, rm);
                int s = c.getReg(size, src);
                int sum = add(c, size, d, s);
                c.setReg(size, src, d);
                c.setReg(size, rm, sum);
            } else {
                int ea = (c.r[addr.base()] + (c.r[addr.index()] << addr.scale()) + addr.disp()) & addr.amask();
                int d = c.rdw(size, addr.seg(), ea);
                int s = c.getReg(size, src);
                int sum = add(c, size, d, s);
                c.wr(size, addr.seg(), ea, sum);
                c.setReg(size, src, d);
            }
        }
    }

    /** CMPXCHG8B m64: EDX:EAX against m64; equal → m64 = ECX:EBX and ZF = 1, else EDX:EAX = m64 and ZF = 0. */
    static final class Cmpxchg8b extends MemOp {
        Cmpxchg8b(Addr a) {
            super(a);
        }

        @Override
        void exec(Cpu c) {
            int ea = ea(c);
            int lo = c.rdw(4, seg, ea);
            int hi = c.rdw(4, seg, (ea + 4) & amask);
            if (lo == c.r[Cpu.EAX] && hi == c.r[Cpu.EDX]) {
                c.wr32(seg, ea, c.r[Cpu.EBX]);
                c.wr32(seg, (ea + 4) & amask, c.r[Cpu.ECX]);
                c.setSomeFlags(Cpu.ZF, Cpu.ZF);
            } else {
                c.wr32(seg, ea, lo); // the destination is written back either way
                c.wr32(seg, (ea + 4) & amask, hi);
                c.r[Cpu.EAX] = lo;
                c.r[Cpu.EDX] = hi;
                c.setSomeFlags(Cpu.ZF, 0);
            }
        }
    }
}
