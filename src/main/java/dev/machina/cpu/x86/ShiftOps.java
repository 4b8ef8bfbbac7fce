package dev.machina.cpu.x86;

/**
 * Shifts and rotates: ROL ROR RCL RCR SHL/SAL SHR SAR by 1, CL or an immediate; SHLD, SHRD (SDM
 * Vol. 2B "RCL/RCR/ROL/ROR", "SAL/SAR/SHL/SHR", "SHLD", "SHRD").
 *
 * <p>The count is masked to 5 bits; a masked count of 0 changes nothing, flags included. OF is
 * defined for a count of 1; for larger counts the same formula is used (what the CPUs we compare
 * against do: the single-step data masks OF where it differs). AF is left 0 (undefined).
 */
final class ShiftOps {
    private ShiftOps() {}

    static final int ROL = 0, ROR = 1, RCL = 2, RCR = 3, SHL = 4, SHR = 5, SAL = 6, SAR = 7;

    static Op shift(Insn i) {
        int kind = i.reg;
        int size = i.size(0);
        Opnd cnt = i.op(1);
        int countSrc = cnt == Opnd.ONE ? 1 : cnt == Opnd.CL ? -1 : i.imm & 0xFF;
        if (i.isReg()) {
            return new ShiftR(kind, size, i.rm, countSrc);
        }
        return new ShiftM(kind, size, i.addr(), countSrc);
    }

    static Op shiftDouble(Insn i) {
        boolean left = i.opcode == 0x1A4 || i.opcode == 0x1A5;
        int countSrc = i.op(2) == Opnd.CL ? -1 : i.imm & 0xFF;
        return new ShiftDouble(left, i.osize, i.isReg() ? i.rm : -1, i.reg, countSrc, i.isReg() ? null : i.addr());
    }

    private static int flagsCfOf(boolean cf, boolean of) {
        return (cf ? Cpu.AUX_CF : 0) | (cf != of ? Cpu.AUX_PO : 0);
    }

    /**
     * Shifts or rotates a zero-extended value of size bytes; returns the result (flags set when count != 0).
     * A small dispatcher over one method per kind, so that where kind and size are constants (the compiled
     * tier passes them so) the JVM inlines the one case and folds the widths: the single method this was
     * before was too large to inline, and its rotate counts took an integer division each (count % 33).
     */
    static int apply(Cpu c, int kind, int size, int a, int count) {
        count &= 31;
        if (count == 0) {
            return a;
        }
        return switch (kind) {
            case ROL -> rol(c, size, a, count);
            case ROR -> ror(c, size, a, count);
            case RCL -> rcl(c, size, a, count);
            case RCR -> rcr(c, size, a, count);
            case SHL, SAL -> shl(c, size, a, count);
            case SHR -> shr(c, size, a, count);
            default -> sar(c, size, a, count);
        };
    }

    private static int mask(int size) {
        return size == 4 ? -1 : (1 << (size * 8)) - 1;
    }

    /** ROL by count (1..31): the count is taken modulo the width, a power of two. */
    private static int rol(Cpu c, int size, int a, int count) {
        int n = size * 8;
        int mask = mask(size);
        int msb = 1 << (n - 1);
        a &= mask;
        int k = count & (n - 1);
        int r = ((a << k) | (k == 0 ? 0 : a >>> (n - k))) & mask;
        boolean cf = (r & 1) != 0;
        boolean of = ((r & msb) != 0) != cf;
        c.aux = (c.aux & 0x3FFFFFFF) | flagsCfOf(cf, of);
        return r;
    }

    private static int ror(Cpu c, int size, int a, int count) {
        int n = size * 8;
        int mask = mask(size);
        int msb = 1 << (n - 1);
        a &= mask;
        int k = count & (n - 1);
        int r = ((a >>> k) | (k == 0 ? 0 : a << (n - k))) & mask;
        boolean cf = (r & msb) != 0;
        boolean of = cf != ((r & (msb >>> 1)) != 0);
        c.aux = (c.aux & 0x3FFFFFFF) | flagsCfOf(cf, of);
        return r;
    }

    /** RCL/RCR rotate n+1 bits (CF above the operand): the count modulo 9, 17 or 33 (a masked count is below 33). */
    private static int rcCount(int size, int count) {
        return size == 4 ? count : size == 2 ? (count >= 17 ? count - 17 : count) : count % 9;
    }

    private static int rcl(Cpu c, int size, int a, int count) {
        int n = size * 8;
        int mask = mask(size);
        int msb = 1 << (n - 1);
        int k = rcCount(size, count);
        long t = ((long) (a & mask) & 0xFFFFFFFFL) | (c.cf() ? 1L << n : 0);
        long m = (1L << (n + 1)) - 1;
        t = ((t << k) | (t >>> (n + 1 - k))) & m;
        int r = (int) t & mask;
        boolean cf = ((t >>> n) & 1) != 0;
        boolean of = ((r & msb) != 0) != cf;
        c.aux = (c.aux & 0x3FFFFFFF) | flagsCfOf(cf, of);
        return r;
    }

    private static int rcr(Cpu c, int size, int a, int count) {
        int n = size * 8;
        int mask = mask(size);
        int msb = 1 << (n - 1);
        int k = rcCount(size, count);
        long t = ((long) (a & mask) & 0xFFFFFFFFL) | (c.cf() ? 1L << n : 0);
        long m = (1L << (n + 1)) - 1;
        t = ((t >>> k) | (t << (n + 1 - k))) & m;
        int r = (int) t & mask;
        boolean cf = ((t >>> n) & 1) != 0;
        boolean of = ((r & msb) != 0) != ((r & (msb >>> 1)) != 0);
        c.aux = (c.aux & 0x3FFFFFFF) | flagsCfOf(cf, of);
        return r;
    }

    private static int shl(Cpu c, int size, int a, int count) {
        int n = size * 8;
        int mask = mask(size);
        long t = ((long) (a & mask)) << count;
        int r = (int) t & mask;
        boolean cf = ((t >>> n) & 1) != 0;
        boolean of = ((r & (1 << (n - 1))) != 0) != cf;
        setResult(c, size, r, flagsCfOf(cf, of));
        return r;
    }

    private static int shr(Cpu c, int size, int a, int count) {
        a &= mask(size);
        int r = a >>> count; // count is 1..31
        boolean cf = ((a >>> (count - 1)) & 1) != 0;
        // OF is defined for a count of 1 (the old sign bit); for more, the 80286 leaves the OF of
        // its last 1-bit step, which is 0 — we do the same (the SDM leaves it undefined)
        boolean of = count == 1 && (a & (1 << (size * 8 - 1))) != 0;
        setResult(c, size, r, flagsCfOf(cf, of));
        return r;
    }

    private static int sar(Cpu c, int size, int a, int count) {
        int n = size * 8;
        int sa = (a << (32 - n)) >> (32 - n);
        int r = (sa >> count) & mask(size); // count is 1..31
        boolean cf = ((sa >> (count - 1)) & 1) != 0;
        setResult(c, size, r, flagsCfOf(cf, false));
        return r;
    }

    private static void setResult(Cpu c, int size, int r, int aux) {
        int sh = 32 - 8 * size;
        c.res = (r << sh) >> sh;
        c.aux = aux;
    }

    static final class ShiftR extends Op {
        final int kind, size, d, countSrc;

        ShiftR(int kind, int size, int d, int countSrc) {
            this.kind = kind;
            this.size = size;
            this.d = d;
            this.countSrc = countSrc;
        }

        @Override
        void exec(Cpu c) {
            int count = countSrc < 0 ? c.r[Cpu.ECX] & 0xFF : countSrc;
            c.setReg(size, d, apply(c, kind, size, c.getReg(size, d), count));
        }
    }

    static final class ShiftM extends MemOp {
        final int kind, size, countSrc;

        ShiftM(int kind, int size, Addr a, int countSrc) {
            super(a);
            this.kind = kind;
            this.size = size;
            this.countSrc = countSrc;
        }

        @Override
        void exec(Cpu c) {
            int count = countSrc < 0 ? c.r[Cpu.ECX] & 0xFF : countSrc;
            int ea = ea(c);
            int v = c.rdw(size, seg, ea);
            c.wr(size, seg, ea, apply(c, kind, size, v, count));
        }
    }

    /** SHLD/SHRD Ev, Gv, Ib/CL. For a 16-bit operand and a count above 16 the result is undefined; like other implementations we shift through dest:src:dest. */
    static final class ShiftDouble extends Op {
        private final boolean left;
        private final int size, rm, src, countSrc;
        private final Addr addr;

        ShiftDouble(boolean left, int size, int rm, int src, int countSrc, Addr addr) {
            this.left = left;
            this.size = size;
            this.rm = rm;
            this.src = src;
            this.countSrc = countSrc;
            this.addr = addr;
        }

        @Override
        void exec(Cpu c) {
            int count = (countSrc < 0 ? c.r[Cpu.ECX] : countSrc) & 31;
            int ea = 0;
            int d;
            if (addr == null) {
                d = c.getReg(size, rm);
            } else {
                ea = (c.r[addr.base()] + (c.r[addr.index()] << addr.scale()) + addr.disp()) & addr.amask();
                d = c.rdw(size, addr.seg(), ea);
            }
            if (count == 0) {
                return;
            }
            int s = c.getReg(size, src);
            int n = size * 8;
            long du = d & 0xFFFFFFFFL;
            long su = s & 0xFFFFFFFFL;
            int r;
            boolean cf;
            if (size == 4) {
                if (left) {
                    long t = (du << 32) | su;
                    r = (int) ((t << count) >>> 32);
                    cf = ((t >>> (64 - count)) & 1) != 0;
                } else {
                    long t = (su << 32) | du;
                    r = (int) (t >>> count);
                    cf = ((t >>> (count - 1)) & 1) != 0;
                }
            } else {
                if (left) {
                    long t = (du << 32) | (su << 16) | du;
                    long sh = t << count;
                    r = (int) ((sh >>> 32) & 0xFFFF);
                    cf = ((sh >>> 48) & 1) != 0;
                } else {
                    long t = du | (su << 16) | (du << 32);
                    r = (int) ((t >>> count) & 0xFFFF);
                    cf = ((t >>> (count - 1)) & 1) != 0;
                }
            }
            int msb = 1 << (n - 1);
            boolean of = ((r ^ d) & msb) != 0;
            setResult(c, size, r, flagsCfOf(cf, of));
            if (addr == null) {
                c.setReg(size, rm, r);
            } else {
                c.wr(size, addr.seg(), ea, r);
            }
        }
    }
}
