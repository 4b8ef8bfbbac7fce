package dev.machina.cpu.x86;

/**
 * Multiplication and division: MUL, IMUL (one, two and three operands), DIV, IDIV (SDM Vol. 2A/2B).
 * MUL/IMUL set CF = OF = "the upper half is significant"; SF, ZF, AF, PF are undefined and are left
 * as the low half of the result gives them. DIV/IDIV leave the flags alone (all undefined) and
 * raise #DE for a zero divisor or a quotient that does not fit.
 */
final class MulDivOps {
    private MulDivOps() {}

    static final int MUL = 4, IMUL = 5, DIV = 6, IDIV = 7;

    static Op group3(Insn i) {
        int size = i.size(0);
        return i.isReg() ? new Group3R(i.reg, size, i.rm) : new Group3M(i.reg, size, i.addr());
    }

    static Op imul2(Insn i) {
        return i.isReg() ? new ImulR(i.osize, i.reg, i.rm, 0, false) : new ImulM(i.osize, i.reg, i.addr(), 0, false);
    }

    static Op imulImm(Insn i) {
        return i.isReg() ? new ImulR(i.osize, i.reg, i.rm, i.imm, true) : new ImulM(i.osize, i.reg, i.addr(), i.imm, true);
    }

    private static void setMulFlags(Cpu c, int size, int low, boolean overflow) {
        int sh = 32 - 8 * size;
        c.res = (low << sh) >> sh;
        c.aux = overflow ? Cpu.AUX_CF : 0; // CF = OF = overflow (bit 30 = CF xor OF = 0)
    }

    /** MUL/IMUL/DIV/IDIV with the accumulator (AL/AX/EAX and AH/DX/EDX) and operand v. */
    static void group3(Cpu c, int kind, int size, int v) {
        switch (size) {
            case 1 -> {
                int al = c.r[Cpu.EAX] & 0xFF;
                int b = v & 0xFF;
                switch (kind) {
                    case MUL -> {
                        int p = al * b;
                        c.setReg16(Cpu.EAX, p);
                        setMulFlags(c, 1, p, (p & 0xFF00) != 0);
                    }
                    case IMUL -> {
                        int p = (byte) al * (byte) b;
                        c.setReg16(Cpu.EAX, p);
                        setMulFlags(c, 1, p, p != (byte) p);
                    }
                    case DIV -> {
                        int ax = c.r[Cpu.EAX] & 0xFFFF;
                        if (b == 0 || ax / b > 0xFF) {
                            throw c.fault(Vectors.DE);
                        }
                        c.setReg16(Cpu.EAX, ((ax % b) << 8) | (ax / b));
                    }
                    default -> {
                        int ax = (short) c.r[Cpu.EAX];
                        int d = (byte) b;
                        if (d == 0) {
                            throw c.fault(Vectors.DE);
                        }
                        int q = ax / d;
                        if (q != (byte) q) {
                            throw c.fault(Vectors.DE);
                        }
                        c.setReg16(Cpu.EAX, ((ax % d) << 8) | (q & 0xFF));
                    }
                }
            }
            case 2 -> {
                int ax = c.r[Cpu.EAX] & 0xFFFF;
                int b = v & 0xFFFF;
                switch (kind) {
                    case MUL -> {
                        int p = ax * b;
                        c.setReg16(Cpu.EAX, p);
                        c.setReg16(Cpu.EDX, p >>> 16);
                        setMulFlags(c, 2, p, (p >>> 16) != 0);
                    }
                    case IMUL -> {
                        int p = (short) ax * (short) b;
                        c.setReg16(Cpu.EAX, p);
                        c.setReg16(Cpu.EDX, p >>> 16);
                        setMulFlags(c, 2, p, p != (short) p);
                    }
                    case DIV -> {
                        long n = ((long) (c.r[Cpu.EDX] & 0xFFFF) << 16) | ax;
                        if (b == 0 || n / b > 0xFFFF) {
                            throw c.fault(Vectors.DE);
                        }
                        c.setReg16(Cpu.EAX, (int) (n / b));
                        c.setReg16(Cpu.EDX, (int) (n % b));
                    }
                    default -> {
                        int n = ((c.r[Cpu.EDX] & 0xFFFF) << 16) | ax;
                        int d = (short) b;
                        if (d == 0) {
                            throw c.fault(Vectors.DE);
                        }
                        long q = (long) n / d;
                        if (q != (short) q) {
                            throw c.fault(Vectors.DE);
                        }
                        c.setReg16(Cpu.EAX, (int) q);
                        c.setReg16(Cpu.EDX, (int) ((long) n % d));
                    }
                }
            }
            default -> {
                int eax = c.r[Cpu.EAX];
                switch (kind) {
                    case MUL -> {
                        long p = (eax & 0xFFFFFFFFL) * (v & 0xFFFFFFFFL);
                        c.r[Cpu.EAX] = (int) p;
                        c.r[Cpu.EDX] = (int) (p >>> 32);
                        setMulFlags(c, 4, (int) p, (p >>> 32) != 0);
                    }
                    case IMUL -> {
                        long p = (long) eax * v;
                        c.r[Cpu.EAX] = (int) p;
                        c.r[Cpu.EDX] = (int) (p >>> 32);
                        setMulFlags(c, 4, (int) p, p != (int) p);
                    }
                    case DIV -> {
                        long n = ((long) c.r[Cpu.EDX] << 32) | (eax & 0xFFFFFFFFL);
                        long d = v & 0xFFFFFFFFL;
                        if (d == 0 || Long.compareUnsigned(Long.divideUnsigned(n, d), 0xFFFFFFFFL) > 0) {
                            throw c.fault(Vectors.DE);
                        }
                        c.r[Cpu.EAX] = (int) Long.divideUnsigned(n, d);
                        c.r[Cpu.EDX] = (int) Long.remainderUnsigned(n, d);
                    }
                    default -> {
                        long n = ((long) c.r[Cpu.EDX] << 32) | (eax & 0xFFFFFFFFL);
                        if (v == 0 || (n == Long.MIN_VALUE && v == -1)) {
                            throw c.fault(Vectors.DE);
                        }
                        long q = n / v;
                        if (q != (int) q) {
                            throw c.fault(Vectors.DE);
                        }
                        c.r[Cpu.EAX] = (int) q;
                        c.r[Cpu.EDX] = (int) (n % v);
                    }
                }
            }
        }
    }

    static int imul(Cpu c, int size, int a, int b) {
        if (size == 4) {
            long p = (long) a * b;
            setMulFlags(c, 4, (int) p, p != (int) p);
            return (int) p;
        }
        int p = (short) a * (short) b;
        setMulFlags(c, 2, p, p != (short) p);
        return p;
    }

    static final class Group3R extends Op {
        private final int kind, size, s;

        Group3R(int kind, int size, int s) {
            this.kind = kind;
            this.size = size;
            this.s = s;
        }

        @Override
        void exec(Cpu c) {
            group3(c, kind, size, c.getReg(size, s));
        }
    }

    static final class Group3M extends MemOp {
        private final int kind, size;

        Group3M(int kind, int size, Addr a) {
            super(a);
            this.kind = kind;
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            group3(c, kind, size, c.rd(size, seg, ea(c)));
        }
    }

    /** IMUL Gv,Ev (imm = none) or IMUL Gv,Ev,imm. */
    static final class ImulR extends Op {
        final int size, d, s, imm;
        final boolean hasImm;

        ImulR(int size, int d, int s, int imm, boolean hasImm) {
            this.size = size;
            this.d = d;
            this.s = s;
            this.imm = imm;
            this.hasImm = hasImm;
        }

        @Override
        void exec(Cpu c) {
            int a = c.getReg(size, s);
            c.setReg(size, d, imul(c, size, hasImm ? a : c.getReg(size, d), hasImm ? imm : a));
        }
    }

    static final class ImulM extends MemOp {
        private final int size, d, imm;
        private final boolean hasImm;

        ImulM(int size, int d, Addr a, int imm, boolean hasImm) {
            super(a);
            this.size = size;
            this.d = d;
            this.imm = imm;
            this.hasImm = hasImm;
        }

        @Override
        void exec(Cpu c) {
            int m = c.rd(size, seg, ea(c));
            c.setReg(size, d, imul(c, size, hasImm ? m : c.getReg(size, d), hasImm ? imm : m));
        }
    }
}
