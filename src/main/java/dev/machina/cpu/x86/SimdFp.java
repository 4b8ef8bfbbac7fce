package dev.machina.cpu.x86;

/**
 * The floating-point half of SSE/SSE2/SSE3 (SDM Vol. 1 chapters 10-12, Vol. 2 for each
 * instruction) and the SSE state instructions: the moves of 0F 10-17/28/29/2B, arithmetic
 * (ADD/SUB/MUL/DIV/MIN/MAX/SQRT/RCP/RSQRT in PS/SS/PD/SD forms), compares (CMPcc, COMIS/UCOMIS),
 * conversions (CVT*), shuffles and unpacks, MOVMSKPS/PD, HADD/HSUB/ADDSUB and the MOVxDUP of SSE3,
 * LDMXCSR/STMXCSR, the fences, CLFLUSH and MOVNTI.
 *
 * <p>MXCSR (Vol. 1 10.2.3): the six flags are set as the SDM's rules say (invalid for SNaN
 * operands and the invalid operations, denormal operand, zero divide, overflow, underflow,
 * precision); an unmasked one leaves the destination unchanged and raises #XM, or #UD when
 * CR4.OSXMMEXCPT is clear (Vol. 3A 2.5). The rounding control is applied exactly: each result
 * comes from IEEE double arithmetic with its exact error term (Math.fma), then rounded as RC says.
 * DAZ treats denormal operands as zero; FZ flushes tiny results to zero when underflow is masked.
 * NaN results follow Vol. 1 Table 4-7 (the first NaN operand quieted; the QNaN indefinite
 * FFC00000 / FFF8000000000000 for an invalid operation). RCPPS/RSQRTPS return 1/x and
 * 1/sqrt(x) computed in single precision (the square root rounded first), as QEMU 7.2 does: well
 * within the SDM's 1.5 × 2^-12 error bound, though not the bits of a real CPU's table lookup.
 */
final class SimdFp {
    private SimdFp() {}

    // operations
    static final int ADD = 1, SUB = 2, MUL = 3, DIV = 4, MIN = 5, MAX = 6, SQRT = 7, RCP = 8, RSQRT = 9,
            CMP = 10, COMI = 11, UCOMI = 12, MOVMSK = 13, SHUF = 14, HADD = 15, HSUB = 16, ADDSUB = 17,
            // conversions
            CVTPI2PS = 20, CVTPI2PD = 21, CVTSI2SS = 22, CVTSI2SD = 23, CVTPS2PI = 24, CVTPD2PI = 25, CVTSS2SI = 26,
            CVTSD2SI = 27, CVTPS2PD = 28, CVTPD2PS = 29, CVTSS2SD = 30, CVTSD2SS = 31, CVTDQ2PS = 32, CVTPS2DQ = 33,
            CVTDQ2PD = 34, CVTPD2DQ = 35,
            // moves
            MOVSS_LD = 40, MOVSS_ST = 41, MOVSD_LD = 42, MOVSD_ST = 43, MOVLPS_LD = 44, MOVHLPS = 45, MOVLPS_ST = 46,
            MOVHPS_LD = 47, MOVLHPS = 48, MOVHPS_ST = 49, MOVDDUP = 50, MOVSLDUP = 51, MOVSHDUP = 52,
            // state
            LDMXCSR = 60, STMXCSR = 61, FENCE = 62, CLFLUSH = 63, MOVNTI = 64;
    /** Operand types: packed single, scalar single, packed double, scalar double. */
    static final int PS = 0, SS = 1, PD = 2, SD = 3;

    // MXCSR bits
    static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32, DAZ = 64, FZ = 0x8000;
    /** MXCSR bits that may be set (MXCSR_MASK as FXSAVE reports it): all but bits 31:16. */
    static final int MXCSR_MASK = 0xFFFF;

    static final int QNAN32 = 0xFFC00000;
    static final long QNAN64 = 0xFFF8000000000000L;
    static final int INT_INDEFINITE = 0x80000000;

    /** Builds the forms of 0F 10-17, 28-2F, 50-5F, 7C/7D, C2, C3, C6, D0, E6 and 0F AE /2-/7. */
    static Op build(Insn i) {
        int op = i.opcode & 0xFF;
        int p = Simd.prefix(i);
        boolean sse = i.hasFeature(CpuModel.EDX_SSE), sse2 = i.hasFeature(CpuModel.EDX_SSE2);
        boolean sse3 = i.hasEcxFeature(CpuModel.ECX_SSE3);
        // the type the prefix gives: none PS, F3 SS, 66 PD, F2 SD
        int t = p == 0 ? PS : p == 0xF3 ? SS : p == 0x66 ? PD : SD;
        boolean have = t == PS || t == SS ? sse : sse2;
        boolean mem = !i.isReg();
        switch (op) {
            case 0x10, 0x11 -> {
                if (!have) {
                    return null;
                }
                boolean st = op == 0x11;
                if (t == PS || t == PD) {
                    return new Simd.V(st ? Simd.MOV_XOUT : Simd.MOV_XIN, Simd.SSE, true, i, 0, 16, false);
                }
                return new F(t == SS ? (st ? MOVSS_ST : MOVSS_LD) : (st ? MOVSD_ST : MOVSD_LD), t, i, 0, Simd.SSE);
            }
            case 0x12, 0x16 -> {
                boolean low = op == 0x12;
                if (t == PS && sse) {
                    return new F(low ? (mem ? MOVLPS_LD : MOVHLPS) : (mem ? MOVHPS_LD : MOVLHPS), t, i, 0, Simd.SSE);
                }
                if (t == PD && sse2 && mem) {
                    return new F(low ? MOVLPS_LD : MOVHPS_LD, t, i, 0, Simd.SSE);
                }
                if (t == SD && low && sse3) {
                    return new F(MOVDDUP, t, i, 0, Simd.SSE);
                }
                if (t == SS && sse3) {
                    return new F(low ? MOVSLDUP : MOVSHDUP, PS, i, 0, Simd.SSE);
                }
                return null;
            }
            case 0x13, 0x17 -> {
                return (t == PS || t == PD) && have && mem ? new F(op == 0x13 ? MOVLPS_ST : MOVHPS_ST, t, i, 0, Simd.SSE)
                        : null;
            }
            case 0x14, 0x15 -> {
                if ((t != PS && t != PD) || !have) {
                    return null;
                }
                int k = op == 0x14 ? (t == PS ? Simd.PUNPCKLDQ : Simd.PUNPCKLQDQ) : (t == PS ? Simd.PUNPCKHDQ : Simd.PUNPCKHQDQ);
                return new Simd.V(k, Simd.SSE, true, i, 0, 16, true);
            }
            case 0x28, 0x29 -> {
                return (t == PS || t == PD) && have
                        ? new Simd.V(op == 0x29 ? Simd.MOV_XOUT : Simd.MOV_XIN, Simd.SSE, true, i, 0, 16, true) : null;
            }
            case 0x2B -> {
                if (t == SS || t == SD) {
                    return Sse4aOps.movnt(i); // MOVNTSS / MOVNTSD (SSE4A)
                }
                return (t == PS || t == PD) && have && mem ? new Simd.V(Simd.MOV_XOUT, Simd.SSE, true, i, 0, 16, true) : null;
            }
            case 0x2A -> {
                if (!have) {
                    return null;
                }
                return switch (t) {
                    case PS -> new F(CVTPI2PS, t, i, 0, Simd.BOTH);
                    case PD -> new F(CVTPI2PD, t, i, 0, Simd.BOTH);
                    case SS -> new F(CVTSI2SS, t, i, 0, Simd.SSE);
                    default -> new F(CVTSI2SD, t, i, 0, Simd.SSE);
                };
            }
            case 0x2C, 0x2D -> {
                if (!have) {
                    return null;
                }
                int trunc = op == 0x2C ? 1 : 0;
                return switch (t) {
                    case PS -> new F(CVTPS2PI, t, i, trunc, Simd.BOTH);
                    case PD -> new F(CVTPD2PI, t, i, trunc, Simd.BOTH);
                    case SS -> new F(CVTSS2SI, t, i, trunc, Simd.SSE);
                    default -> new F(CVTSD2SI, t, i, trunc, Simd.SSE);
                };
            }
            case 0x2E, 0x2F -> {
                if ((t != PS && t != PD) || !have) {
                    return null;
                }
                return new F(op == 0x2F ? COMI : UCOMI, t == PS ? SS : SD, i, 0, Simd.SSE);
            }
            case 0x50 -> {
                return (t == PS || t == PD) && have && !mem ? new F(MOVMSK, t, i, 0, Simd.SSE) : null;
            }
            case 0x51, 0x58, 0x59, 0x5C, 0x5D, 0x5E, 0x5F -> {
                int k = switch (op) {
                    case 0x51 -> SQRT;
                    case 0x58 -> ADD;
                    case 0x59 -> MUL;
                    case 0x5C -> SUB;
                    case 0x5D -> MIN;
                    case 0x5E -> DIV;
                    default -> MAX;
                };
                return have ? new F(k, t, i, 0, Simd.SSE) : null;
            }
            case 0x52, 0x53 -> {
                return (t == PS || t == SS) && sse ? new F(op == 0x52 ? RSQRT : RCP, t, i, 0, Simd.SSE) : null;
            }
            case 0x54, 0x55, 0x56, 0x57 -> {
                if ((t != PS && t != PD) || !have) {
                    return null;
                }
                int k = op == 0x54 ? Simd.PAND : op == 0x55 ? Simd.PANDN : op == 0x56 ? Simd.POR : Simd.PXOR;
                return new Simd.V(k, Simd.SSE, true, i, 0, 16, true);
            }
            case 0x5A -> {
                if (!have) {
                    return null;
                }
                return new F(t == PS ? CVTPS2PD : t == PD ? CVTPD2PS : t == SS ? CVTSS2SD : CVTSD2SS, t, i, 0, Simd.SSE);
            }
            case 0x5B -> {
                if (!sse2 || t == SD) {
                    return null;
                }
                return new F(t == PS ? CVTDQ2PS : CVTPS2DQ, PS, i, t == SS ? 1 : 0, Simd.SSE);
            }
            case 0xE6 -> {
                if (!sse2 || t == PS) {
                    return null;
                }
                return t == SS ? new F(CVTDQ2PD, PD, i, 0, Simd.SSE) : new F(CVTPD2DQ, PD, i, t == PD ? 1 : 0, Simd.SSE);
            }
            case 0x7C, 0x7D -> {
                if (!sse3 || (t != PD && t != SD)) {
                    return null;
                }
                return new F(op == 0x7C ? HADD : HSUB, t == PD ? PD : PS, i, 0, Simd.SSE);
            }
            case 0xD0 -> {
                if (!sse3 || (t != PD && t != SD)) {
                    return null;
                }
                return new F(ADDSUB, t == PD ? PD : PS, i, 0, Simd.SSE);
            }
            case 0xC2 -> {
                return have ? new F(CMP, t, i, i.imm & 7, Simd.SSE) : null;
            }
            case 0xC6 -> {
                return (t == PS || t == PD) && have ? new F(SHUF, t, i, i.imm & 0xFF, Simd.SSE) : null;
            }
            case 0xC3 -> {
                return p == 0 && sse2 && mem ? new F(MOVNTI, t, i, 0, 0) : null;
            }
            case 0xAE -> {
                if (p != 0) {
                    return null;
                }
                return switch (i.reg) {
                    case 2 -> sse && mem ? new F(LDMXCSR, t, i, 0, Simd.SSE) : null;
                    case 3 -> sse && mem ? new F(STMXCSR, t, i, 0, Simd.SSE) : null;
                    case 5, 6 -> sse2 && !mem ? new F(FENCE, t, i, 0, 0) : null;
                    case 7 -> mem ? (i.hasFeature(CpuModel.EDX_CLFLUSH) ? new F(CLFLUSH, t, i, 0, 0) : null)
                            : sse || (i.model.features()[CpuModel.W_81_EDX] & CpuModel.EDX81_MMXEXT) != 0 // SFENCE
                            ? new F(FENCE, t, i, 0, 0) : null;
                    default -> null;
                };
            }
            default -> {
                return null;
            }
        }
    }

    // =====================================================================================
    // IEEE helpers
    // =====================================================================================

    static boolean nan32(int v) {
        return (v & 0x7FFFFFFF) > 0x7F800000;
    }

    static boolean snan32(int v) {
        return nan32(v) && (v & 0x00400000) == 0;
    }

    static boolean nan64(long v) {
        return (v & 0x7FFFFFFFFFFFFFFFL) > 0x7FF0000000000000L;
    }

    static boolean snan64(long v) {
        return nan64(v) && (v & 0x0008000000000000L) == 0;
    }

    static boolean denormal32(int v) {
        return (v & 0x7F800000) == 0 && (v & 0x007FFFFF) != 0;
    }

    static boolean denormal64(long v) {
        return (v & 0x7FF0000000000000L) == 0 && (v & 0x000FFFFFFFFFFFFFL) != 0;
    }

    /** A single-precision operand after the denormal rules: DE, or zero under DAZ. */
    static int in32(Cpu c, int v) {
        if (denormal32(v)) {
            if ((c.mxcsr & DAZ) != 0) {
                return v & 0x80000000;
            }
            c.mxf |= DE;
        }
        return v;
    }

    static long in64(Cpu c, long v) {
        if (denormal64(v)) {
            if ((c.mxcsr & DAZ) != 0) {
                return v & 0x8000000000000000L;
            }
            c.mxf |= DE;
        }
        return v;
    }

    private static int rc(Cpu c) {
        return (c.mxcsr >>> 13) & 3;
    }

    /**
     * The exact value d + e (d the double nearest it, e the error) rounded to single precision by
     * MXCSR.RC, with OE/UE/PE and FZ.
     */
    static int round32(Cpu c, double d, double e) {
        if (d == 0 && e == 0) {
            return Float.floatToRawIntBits((float) d);
        }
        float f = (float) d;
        double fd = f;
        int rc = rc(c);
        float r;
        if (rc == 0) {
            r = f;
            if (fd != d && e != 0) { // d halfway between two floats: the error decides
                float lo = fd < d ? f : Math.nextDown(f);
                float hi = Math.nextUp(lo);
                if (d - lo == hi - d) {
                    r = e > 0 ? hi : lo;
                }
            }
        } else {
            float lo, hi; // the floats either side of the exact value
            if (fd < d || (fd == d && e > 0)) {
                lo = f;
                hi = Math.nextUp(f);
            } else if (fd > d || e < 0) {
                hi = f;
                lo = Math.nextDown(f);
            } else {
                lo = hi = f;
            }
            double x = d != 0 ? d : e;
            r = rc == 1 ? lo : rc == 2 ? hi : (x > 0 ? lo : hi);
        }
        boolean inexact = fd != d || e != 0;
        double ax = Math.abs(d);
        if (Float.isInfinite(r) || ax >= 0x1p128) {
            c.mxf |= OE | PE;
        } else if (ax < Float.MIN_NORMAL && (ax != 0 || e != 0)) {
            if ((c.mxcsr & FZ) != 0 && (c.mxcsr & (UE << 7)) != 0) {
                c.mxf |= UE | PE;
                return Float.floatToRawIntBits(d < 0 || (d == 0 && e < 0) ? -0.0f : 0.0f);
            }
            if (inexact || (c.mxcsr & (UE << 7)) == 0) {
                c.mxf |= UE;
            }
        }
        if (inexact) {
            c.mxf |= PE;
        }
        return Float.floatToRawIntBits(r);
    }

    /** The exact value d + e (d the double nearest it) rounded by MXCSR.RC to double precision. */
    static long round64(Cpu c, double d, double e, boolean overflowed) {
        int rc = rc(c);
        if (overflowed) {
            c.mxf |= OE | PE;
            boolean neg = d < 0;
            double r = switch (rc) {
                case 1 -> neg ? Double.NEGATIVE_INFINITY : Double.MAX_VALUE;
                case 2 -> neg ? -Double.MAX_VALUE : Double.POSITIVE_INFINITY;
                case 3 -> neg ? -Double.MAX_VALUE : Double.MAX_VALUE;
                default -> d;
            };
            return Double.doubleToRawLongBits(r);
        }
        double r = d;
        if (e != 0) {
            c.mxf |= PE;
            if (rc == 1 && e < 0) {
                r = Math.nextDown(d);
            } else if (rc == 2 && e > 0) {
                r = Math.nextUp(d);
            } else if (rc == 3 && ((d > 0 && e < 0) || (d < 0 && e > 0))) {
                r = d > 0 ? Math.nextDown(d) : Math.nextUp(d);
            }
        }
        double ar = Math.abs(d);
        if (ar < Double.MIN_NORMAL && (ar != 0 || e != 0)) {
            if ((c.mxcsr & FZ) != 0 && (c.mxcsr & (UE << 7)) != 0) {
                c.mxf |= UE | PE;
                return Double.doubleToRawLongBits(d < 0 || (d == 0 && e < 0) ? -0.0 : 0.0);
            }
            if (e != 0 || (c.mxcsr & (UE << 7)) == 0) {
                c.mxf |= UE;
            }
        }
        return Double.doubleToRawLongBits(r);
    }

    /** The error of a + b = s (TwoSum, exact when nothing overflows). */
    private static double sumError(double a, double b, double s) {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    /** One single-precision operation (a the destination element, b the source element). */
    static int op32(Cpu c, int k, int ai, int bi) {
        boolean unary = k == SQRT || k == RCP || k == RSQRT;
        if (k == RCP || k == RSQRT) {
            // no SIMD floating-point exceptions (SDM RCPPS/RSQRTPS); the exactly rounded value
            float b = Float.intBitsToFloat(bi);
            if (nan32(bi)) {
                return bi | 0x00400000;
            }
            float r = k == RCP ? 1.0f / b : 1.0f / (float) Math.sqrt(b);
            if (k == RSQRT && b < 0) {
                return QNAN32;
            }
            return Float.floatToRawIntBits(r);
        }
        if (k == MIN || k == MAX) {
            if (nan32(ai) || nan32(bi)) {
                c.mxf |= IE;
                return bi;
            }
            ai = in32(c, ai);
            bi = in32(c, bi);
            float a = Float.intBitsToFloat(ai), b = Float.intBitsToFloat(bi);
            if (a == 0 && b == 0) {
                return bi;
            }
            return (k == MIN ? a < b : a > b) ? ai : bi;
        }
        if (unary) {
            if (nan32(bi)) {
                if (snan32(bi)) {
                    c.mxf |= IE;
                }
                return bi | 0x00400000;
            }
        } else if (nan32(ai) || nan32(bi)) {
            if (snan32(ai) || snan32(bi)) {
                c.mxf |= IE;
            }
            return nan32(ai) ? ai | 0x00400000 : bi | 0x00400000;
        }
        if (!unary) {
            ai = in32(c, ai);
        }
        bi = in32(c, bi);
        double a = Float.intBitsToFloat(ai), b = Float.intBitsToFloat(bi);
        switch (k) {
            case ADD, SUB -> {
                double bb = k == SUB ? -b : b;
                if (Double.isInfinite(a) && Double.isInfinite(bb) && a != bb) {
                    c.mxf |= IE;
                    return QNAN32;
                }
                double s = a + bb;
                if (Double.isInfinite(s)) {
                    return Float.floatToRawIntBits((float) s);
                }
                if (s == 0) {
                    // an exact zero sum: the common sign of two zeros, else +0 (-0 when rounding down; IEEE 754 6.3)
                    if (a == 0 && bb == 0 && Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(bb)) {
                        return Float.floatToRawIntBits((float) s);
                    }
                    return rc(c) == 1 ? 0x80000000 : 0;
                }
                return round32(c, s, sumError(a, bb, s));
            }
            case MUL -> {
                if ((Double.isInfinite(a) && b == 0) || (a == 0 && Double.isInfinite(b))) {
                    c.mxf |= IE;
                    return QNAN32;
                }
                double pr = a * b;
                if (Double.isInfinite(pr)) {
                    return Float.floatToRawIntBits((float) pr);
                }
                return round32(c, pr, 0); // a product of two floats is exact in double
            }
            case DIV -> {
                if ((a == 0 && b == 0) || (Double.isInfinite(a) && Double.isInfinite(b))) {
                    c.mxf |= IE;
                    return QNAN32;
                }
                if (b == 0) {
                    if (!Double.isInfinite(a)) {
                        c.mxf |= ZE; // a finite nonzero dividend (∞ / 0 is an exact ∞)
                    }
                    return Float.floatToRawIntBits((float) (a / b));
                }
                double q = a / b;
                if (Double.isInfinite(a) || Double.isInfinite(b) || a == 0) {
                    return Float.floatToRawIntBits((float) q);
                }
                double r = Math.fma(-q, b, a);
                return round32(c, q, r == 0 ? 0 : (r > 0) == (b > 0) ? Double.MIN_VALUE : -Double.MIN_VALUE);
            }
            default -> { // SQRT
                if (b < 0) {
                    c.mxf |= IE;
                    return QNAN32;
                }
                if (b == 0 || Double.isInfinite(b)) {
                    return bi;
                }
                double q = Math.sqrt(b);
                double r = Math.fma(-q, q, b);
                return round32(c, q, r == 0 ? 0 : r > 0 ? Double.MIN_VALUE : -Double.MIN_VALUE);
            }
        }
    }

    /** One double-precision operation. */
    static long op64(Cpu c, int k, long ai, long bi) {
        boolean unary = k == SQRT;
        if (k == MIN || k == MAX) {
            if (nan64(ai) || nan64(bi)) {
                c.mxf |= IE;
                return bi;
            }
            ai = in64(c, ai);
            bi = in64(c, bi);
            double a = Double.longBitsToDouble(ai), b = Double.longBitsToDouble(bi);
            if (a == 0 && b == 0) {
                return bi;
            }
            return (k == MIN ? a < b : a > b) ? ai : bi;
        }
        if (unary) {
            if (nan64(bi)) {
                if (snan64(bi)) {
                    c.mxf |= IE;
                }
                return bi | 0x0008000000000000L;
            }
        } else if (nan64(ai) || nan64(bi)) {
            if (snan64(ai) || snan64(bi)) {
                c.mxf |= IE;
            }
            return nan64(ai) ? ai | 0x0008000000000000L : bi | 0x0008000000000000L;
        }
        if (!unary) {
            ai = in64(c, ai);
        }
        bi = in64(c, bi);
        double a = Double.longBitsToDouble(ai), b = Double.longBitsToDouble(bi);
        switch (k) {
            case ADD, SUB -> {
                double bb = k == SUB ? -b : b;
                if (Double.isInfinite(a) && Double.isInfinite(bb) && a != bb) {
                    c.mxf |= IE;
                    return QNAN64;
                }
                double s = a + bb;
                if (Double.isInfinite(a) || Double.isInfinite(bb)) {
                    return Double.doubleToRawLongBits(s);
                }
                if (Double.isInfinite(s)) {
                    return round64(c, s, 0, true);
                }
                if (s == 0) {
                    // an exact zero sum: the common sign of two zeros, else +0 (-0 when rounding down; IEEE 754 6.3)
                    if (a == 0 && bb == 0 && Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(bb)) {
                        return Double.doubleToRawLongBits(s);
                    }
                    return rc(c) == 1 ? 0x8000000000000000L : 0;
                }
                return round64(c, s, sumError(a, bb, s), false);
            }
            case MUL -> {
                if ((Double.isInfinite(a) && b == 0) || (a == 0 && Double.isInfinite(b))) {
                    c.mxf |= IE;
                    return QNAN64;
                }
                double pr = a * b;
                if (Double.isInfinite(a) || Double.isInfinite(b) || pr == 0 && (a == 0 || b == 0)) {
                    return Double.doubleToRawLongBits(pr);
                }
                if (Double.isInfinite(pr)) {
                    return round64(c, pr, 0, true);
                }
                double e = Math.abs(pr) < 0x1p-900
                        ? Math.fma(a * 0x1p600, b, -pr * 0x1p600) // in the subnormal range: the error scaled up
                        : Math.fma(a, b, -pr);
                if (pr == 0) {
                    e = Math.signum(a) * Math.signum(b) * Double.MIN_VALUE; // underflowed to zero: inexact
                }
                return round64(c, pr, e, false);
            }
            case DIV -> {
                if ((a == 0 && b == 0) || (Double.isInfinite(a) && Double.isInfinite(b))) {
                    c.mxf |= IE;
                    return QNAN64;
                }
                if (b == 0) {
                    if (!Double.isInfinite(a)) {
                        c.mxf |= ZE;
                    }
                    return Double.doubleToRawLongBits(a / b);
                }
                double q = a / b;
                if (Double.isInfinite(a) || Double.isInfinite(b) || a == 0) {
                    return Double.doubleToRawLongBits(q);
                }
                if (Double.isInfinite(q)) {
                    return round64(c, q, 0, true);
                }
                // the remainder a - q·b is exact unless it underflows: near the subnormal range it is scaled up
                double r = Math.abs(q) < 0x1p-900 || Math.abs(a) < 0x1p-900 ? Math.fma(-q * 0x1p600, b, a * 0x1p600)
                        : Math.fma(-q, b, a);
                if (q == 0) {
                    r = a; // underflowed to zero: inexact, the sign of the quotient
                }
                return round64(c, q, r == 0 ? 0 : (r > 0) == (b > 0) ? Double.MIN_VALUE : -Double.MIN_VALUE, false);
            }
            default -> { // SQRT
                if (b < 0) {
                    c.mxf |= IE;
                    return QNAN64;
                }
                if (b == 0 || Double.isInfinite(b)) {
                    return bi;
                }
                double q = Math.sqrt(b);
                double r = b < 0x1p-900 ? Math.fma(-q * 0x1p600, q * 0x1p600, b * 0x1p600 * 0x1p600) : Math.fma(-q, q, b);
                return round64(c, q, r == 0 ? 0 : r > 0 ? Double.MIN_VALUE : -Double.MIN_VALUE, false);
            }
        }
    }

    /** CMPPS/CMPSS predicate 0-7 on two singles: all ones or zero. */
    static boolean cmp(Cpu c, int pred, boolean nanA, boolean nanB, boolean snan, int order) {
        boolean unordered = nanA || nanB;
        if (snan || (unordered && (pred == 1 || pred == 2 || pred == 5 || pred == 6))) {
            c.mxf |= IE;
        }
        return switch (pred) {
            case 0 -> !unordered && order == 0;   // EQ
            case 1 -> !unordered && order < 0;    // LT
            case 2 -> !unordered && order <= 0;   // LE
            case 3 -> unordered;                  // UNORD
            case 4 -> unordered || order != 0;    // NEQ
            case 5 -> unordered || order >= 0;    // NLT
            case 6 -> unordered || order > 0;     // NLE
            default -> !unordered;                // ORD
        };
    }

    static int cmp32(Cpu c, int pred, int ai, int bi) {
        boolean na = nan32(ai), nb = nan32(bi);
        int order = 0;
        if (!na && !nb) {
            float a = Float.intBitsToFloat(in32(c, ai)), b = Float.intBitsToFloat(in32(c, bi));
            order = a < b ? -1 : a > b ? 1 : 0;
        }
        return cmp(c, pred, na, nb, snan32(ai) || snan32(bi), order) ? -1 : 0;
    }

    static long cmp64(Cpu c, int pred, long ai, long bi) {
        boolean na = nan64(ai), nb = nan64(bi);
        int order = 0;
        if (!na && !nb) {
            double a = Double.longBitsToDouble(in64(c, ai)), b = Double.longBitsToDouble(in64(c, bi));
            order = a < b ? -1 : a > b ? 1 : 0;
        }
        return cmp(c, pred, na, nb, snan64(ai) || snan64(bi), order) ? -1L : 0L;
    }

    /** A double (exact value) to int32 by RC or truncation; the integer indefinite and IE when out of range or NaN. */
    static int toInt(Cpu c, double v, boolean truncate) {
        if (Double.isNaN(v)) {
            c.mxf |= IE;
            return INT_INDEFINITE;
        }
        double r;
        if (truncate) {
            r = v < 0 ? Math.ceil(v) : Math.floor(v);
        } else {
            r = switch (rc(c)) {
                case 0 -> Math.rint(v);
                case 1 -> Math.floor(v);
                case 2 -> Math.ceil(v);
                default -> v < 0 ? Math.ceil(v) : Math.floor(v);
            };
        }
        if (r < -2147483648.0 || r > 2147483647.0) {
            c.mxf |= IE;
            return INT_INDEFINITE;
        }
        if (r != v) {
            c.mxf |= PE;
        }
        return (int) r;
    }

    /** A conversion source: DAZ applies, but conversions to integer raise no DE (SDM CVTSS2SI: Invalid, Precision). */
    static double singleToInt(Cpu c, int v) {
        return Float.intBitsToFloat(denormal32(v) && (c.mxcsr & DAZ) != 0 ? v & 0x80000000 : v);
    }

    static double doubleToInt(Cpu c, long v) {
        return Double.longBitsToDouble(denormal64(v) && (c.mxcsr & DAZ) != 0 ? v & 0x8000000000000000L : v);
    }

    static double single(Cpu c, int v) {
        return Float.intBitsToFloat(in32(c, v));
    }

    static double dbl(Cpu c, long v) {
        return Double.longBitsToDouble(in64(c, v));
    }

    /** Single to double (exact; an SNaN is IE and quieted). */
    static long widen(Cpu c, int v) {
        if (nan32(v)) {
            if (snan32(v)) {
                c.mxf |= IE;
            }
            return ((long) (v & 0x80000000) << 32) | 0x7FF8000000000000L | ((long) (v & 0x003FFFFF) << 29);
        }
        return Double.doubleToRawLongBits(Float.intBitsToFloat(in32(c, v)));
    }

    /** Double to single by RC. */
    static int narrow(Cpu c, long v) {
        if (nan64(v)) {
            if (snan64(v)) {
                c.mxf |= IE;
            }
            return (int) (v >>> 32 & 0x80000000L) | 0x7FC00000 | (int) (v >>> 29 & 0x003FFFFF);
        }
        double d = Double.longBitsToDouble(in64(c, v));
        if (Double.isInfinite(d) || d == 0) {
            return Float.floatToRawIntBits((float) d);
        }
        return round32(c, d, 0);
    }

    /** The MXCSR flags of an instruction: set them; an unmasked one is #XM (or #UD without CR4.OSXMMEXCPT). */
    static void finish(Cpu c) {
        int f = c.mxf;
        if (f == 0) {
            return;
        }
        c.mxcsr |= f;
        if ((f & ~(c.mxcsr >>> 7) & 0x3F) != 0) {
            throw (c.cr4 & SystemOps.CR4_OSXMMEXCPT) != 0 ? c.fault(Vectors.XM) : c.ud();
        }
    }

    // =====================================================================================
    // the op
    // =====================================================================================

    static final class F extends Simd.Base {
        final int kind, t, imm, cls;

        F(int kind, int t, Insn i, int imm, int cls) {
            super(i, (t == PS || t == PD) && kind != MOVLPS_LD && kind != MOVHPS_LD && kind != MOVLPS_ST && kind != MOVHPS_ST
                    && kind != CVTPI2PS && kind != CVTPI2PD && kind != CVTPS2PI && kind != CVTPS2PD && kind != CVTDQ2PD
                    && kind != MOVDDUP);
            this.kind = kind;
            this.t = t;
            this.imm = imm;
            this.cls = cls;
        }

        private static int lo32(long v) {
            return (int) v;
        }

        private static int hi32(long v) {
            return (int) (v >>> 32);
        }

        private static long join(int lo, int hi) {
            return (lo & 0xFFFFFFFFL) | ((long) hi << 32);
        }

        /** The scalar single source: XMM rm low dword or m32. */
        private int srcS(Cpu c) {
            return src32(c);
        }

        @Override
        void exec(Cpu c) {
            if ((cls & Simd.SSE) != 0) {
                Simd.sseCheck(c);
            }
            if ((cls & Simd.MMX) != 0) {
                Simd.mmxCheck(c);
            }
            c.mxf = 0;
            run(c);
            if ((cls & Simd.MMX) != 0) {
                Simd.mmxState(c);
            }
        }

        private void run(Cpu c) {
            int dl = 2 * d, dh = 2 * d + 1;
            switch (kind) {
                case ADD, SUB, MUL, DIV, MIN, MAX, SQRT, RCP, RSQRT -> arith(c, dl, dh);
                case CMP -> {
                    switch (t) {
                        case PS -> {
                            src128(c);
                            long a0 = c.xmm[dl], a1 = c.xmm[dh];
                            long r0 = join(cmp32(c, imm, lo32(a0), lo32(c.vLo)), cmp32(c, imm, hi32(a0), hi32(c.vLo)));
                            long r1 = join(cmp32(c, imm, lo32(a1), lo32(c.vHi)), cmp32(c, imm, hi32(a1), hi32(c.vHi)));
                            finish(c);
                            c.xmm[dl] = r0;
                            c.xmm[dh] = r1;
                        }
                        case SS -> {
                            int r = cmp32(c, imm, lo32(c.xmm[dl]), srcS(c));
                            finish(c);
                            c.xmm[dl] = join(r, hi32(c.xmm[dl]));
                        }
                        case PD -> {
                            src128(c);
                            long r0 = cmp64(c, imm, c.xmm[dl], c.vLo), r1 = cmp64(c, imm, c.xmm[dh], c.vHi);
                            finish(c);
                            c.xmm[dl] = r0;
                            c.xmm[dh] = r1;
                        }
                        default -> {
                            long r = cmp64(c, imm, c.xmm[dl], src64(c, true));
                            finish(c);
                            c.xmm[dl] = r;
                        }
                    }
                }
                case COMI, UCOMI -> {
                    boolean na, nb, sn;
                    int order = 0;
                    if (t == SS) {
                        int ai = lo32(c.xmm[dl]), bi = srcS(c);
                        na = nan32(ai);
                        nb = nan32(bi);
                        sn = snan32(ai) || snan32(bi);
                        if (!na && !nb) {
                            double a = single(c, ai), b = single(c, bi);
                            order = a < b ? -1 : a > b ? 1 : 0;
                        }
                    } else {
                        long ai = c.xmm[dl], bi = src64(c, true);
                        na = nan64(ai);
                        nb = nan64(bi);
                        sn = snan64(ai) || snan64(bi);
                        if (!na && !nb) {
                            double a = dbl(c, ai), b = dbl(c, bi);
                            order = a < b ? -1 : a > b ? 1 : 0;
                        }
                    }
                    if (sn || ((na || nb) && kind == COMI)) {
                        c.mxf |= IE;
                    }
                    finish(c);
                    int f = na || nb ? Cpu.ZF | Cpu.PF | Cpu.CF : order == 0 ? Cpu.ZF : order < 0 ? Cpu.CF : 0;
                    c.setArithFlags(f); // OF, SF, AF cleared
                }
                case MOVMSK -> {
                    long lo = c.xmm[2 * s], hi = c.xmm[2 * s + 1];
                    c.r[d] = t == PS ? (int) (lo >>> 31 & 1 | lo >>> 62 & 2 | hi >>> 29 & 4 | hi >>> 60 & 8)
                            : (int) (lo >>> 63 | hi >>> 62 & 2);
                }
                case SHUF -> {
                    src128(c);
                    long a0 = c.xmm[dl], a1 = c.xmm[dh];
                    if (t == PS) {
                        int[] av = {lo32(a0), hi32(a0), lo32(a1), hi32(a1)};
                        int[] bv = {lo32(c.vLo), hi32(c.vLo), lo32(c.vHi), hi32(c.vHi)};
                        c.xmm[dl] = join(av[imm & 3], av[imm >>> 2 & 3]);
                        c.xmm[dh] = join(bv[imm >>> 4 & 3], bv[imm >>> 6 & 3]);
                    } else {
                        c.xmm[dl] = (imm & 1) == 0 ? a0 : a1;
                        c.xmm[dh] = (imm & 2) == 0 ? c.vLo : c.vHi;
                    }
                }
                case HADD, HSUB, ADDSUB -> horizontal(c, dl, dh);
                case CVTPI2PS -> {
                    long v = src64(c, false);
                    long r = join(round32(c, lo32(v), 0), round32(c, hi32(v), 0));
                    finish(c);
                    c.xmm[dl] = r;
                }
                case CVTPI2PD -> {
                    long v = src64(c, false);
                    c.xmm[dl] = Double.doubleToRawLongBits(lo32(v));
                    c.xmm[dh] = Double.doubleToRawLongBits(hi32(v));
                }
                case CVTSI2SS -> {
                    int v = s >= 0 ? c.r[s] : c.rd32(a.seg(), ea(c));
                    int r = round32(c, v, 0);
                    finish(c);
                    c.xmm[dl] = join(r, hi32(c.xmm[dl]));
                }
                case CVTSI2SD -> {
                    int v = s >= 0 ? c.r[s] : c.rd32(a.seg(), ea(c));
                    c.xmm[dl] = Double.doubleToRawLongBits(v);
                }
                case CVTPS2PI -> {
                    long v = src64(c, true);
                    long r = join(toInt(c, singleToInt(c, lo32(v)), imm != 0), toInt(c, singleToInt(c, hi32(v)), imm != 0));
                    finish(c);
                    Simd.setMm(c, d, r);
                }
                case CVTPD2PI -> {
                    src128(c);
                    long r = join(toInt(c, doubleToInt(c, c.vLo), imm != 0), toInt(c, doubleToInt(c, c.vHi), imm != 0));
                    finish(c);
                    Simd.setMm(c, d, r);
                }
                case CVTSS2SI -> {
                    int r = toInt(c, singleToInt(c, srcS(c)), imm != 0);
                    finish(c);
                    c.r[d] = r;
                }
                case CVTSD2SI -> {
                    int r = toInt(c, doubleToInt(c, src64(c, true)), imm != 0);
                    finish(c);
                    c.r[d] = r;
                }
                case CVTPS2PD -> {
                    long v = src64(c, true);
                    long r0 = widen(c, lo32(v)), r1 = widen(c, hi32(v));
                    finish(c);
                    c.xmm[dl] = r0;
                    c.xmm[dh] = r1;
                }
                case CVTPD2PS -> {
                    src128(c);
                    long r = join(narrow(c, c.vLo), narrow(c, c.vHi));
                    finish(c);
                    c.xmm[dl] = r;
                    c.xmm[dh] = 0;
                }
                case CVTSS2SD -> {
                    long r = widen(c, srcS(c));
                    finish(c);
                    c.xmm[dl] = r;
                }
                case CVTSD2SS -> {
                    int r = narrow(c, src64(c, true));
                    finish(c);
                    c.xmm[dl] = join(r, hi32(c.xmm[dl]));
                }
                case CVTDQ2PS -> {
                    src128(c);
                    long r0 = join(round32(c, lo32(c.vLo), 0), round32(c, hi32(c.vLo), 0));
                    long r1 = join(round32(c, lo32(c.vHi), 0), round32(c, hi32(c.vHi), 0));
                    finish(c);
                    c.xmm[dl] = r0;
                    c.xmm[dh] = r1;
                }
                case CVTPS2DQ -> {
                    src128(c);
                    boolean tr = imm != 0;
                    long r0 = join(toInt(c, singleToInt(c, lo32(c.vLo)), tr), toInt(c, singleToInt(c, hi32(c.vLo)), tr));
                    long r1 = join(toInt(c, singleToInt(c, lo32(c.vHi)), tr), toInt(c, singleToInt(c, hi32(c.vHi)), tr));
                    finish(c);
                    c.xmm[dl] = r0;
                    c.xmm[dh] = r1;
                }
                case CVTDQ2PD -> {
                    long v = src64(c, true);
                    c.xmm[dl] = Double.doubleToRawLongBits(lo32(v));
                    c.xmm[dh] = Double.doubleToRawLongBits(hi32(v));
                }
                case CVTPD2DQ -> {
                    src128(c);
                    long r = join(toInt(c, doubleToInt(c, c.vLo), imm != 0), toInt(c, doubleToInt(c, c.vHi), imm != 0));
                    finish(c);
                    c.xmm[dl] = r;
                    c.xmm[dh] = 0;
                }
                case MOVSS_LD -> {
                    if (s >= 0) {
                        c.xmm[dl] = join(lo32(c.xmm[2 * s]), hi32(c.xmm[dl]));
                    } else {
                        c.xmm[dl] = c.rd32(a.seg(), ea(c)) & 0xFFFFFFFFL;
                        c.xmm[dh] = 0;
                    }
                }
                case MOVSS_ST -> {
                    if (s >= 0) {
                        c.xmm[2 * s] = join(lo32(c.xmm[dl]), hi32(c.xmm[2 * s]));
                    } else {
                        c.wr32(a.seg(), ea(c), lo32(c.xmm[dl]));
                    }
                }
                case MOVSD_LD -> {
                    if (s >= 0) {
                        c.xmm[dl] = c.xmm[2 * s];
                    } else {
                        c.xmm[dl] = rd64(c, ea(c));
                        c.xmm[dh] = 0;
                    }
                }
                case MOVSD_ST -> {
                    if (s >= 0) {
                        c.xmm[2 * s] = c.xmm[dl];
                    } else {
                        wr64(c, ea(c), c.xmm[dl]);
                    }
                }
                case MOVLPS_LD -> c.xmm[dl] = rd64(c, ea(c));
                case MOVHPS_LD -> c.xmm[dh] = rd64(c, ea(c));
                case MOVHLPS -> c.xmm[dl] = c.xmm[2 * s + 1];
                case MOVLHPS -> c.xmm[dh] = c.xmm[2 * s];
                case MOVLPS_ST -> wr64(c, ea(c), c.xmm[dl]);
                case MOVHPS_ST -> wr64(c, ea(c), c.xmm[dh]);
                case MOVDDUP -> {
                    long v = src64(c, true);
                    c.xmm[dl] = v;
                    c.xmm[dh] = v;
                }
                case MOVSLDUP, MOVSHDUP -> {
                    src128(c);
                    boolean hi = kind == MOVSHDUP;
                    int x0 = hi ? hi32(c.vLo) : lo32(c.vLo), x1 = hi ? hi32(c.vHi) : lo32(c.vHi);
                    c.xmm[dl] = join(x0, x0);
                    c.xmm[dh] = join(x1, x1);
                }
                case LDMXCSR -> {
                    int v = c.rd32(a.seg(), ea(c));
                    if ((v & ~MXCSR_MASK) != 0) {
                        throw c.gp(0);
                    }
                    c.mxcsr = v;
                }
                case STMXCSR -> c.wr32(a.seg(), ea(c), c.mxcsr);
                case FENCE -> { }
                case CLFLUSH -> {
                    // no caches: only the address checks of a byte access (segment and translation)
                    int ea = ea(c);
                    c.checkSeg(a.seg(), ea, 1, false);
                    c.translate(c.base[a.seg()] + ea, false, c.cpl == 3);
                }
                case MOVNTI -> c.wr32(a.seg(), ea(c), c.r[d]);
                default -> throw new IllegalStateException("SSE kind " + kind);
            }
        }

        private void arith(Cpu c, int dl, int dh) {
            int k = kind;
            switch (t) {
                case PS -> {
                    src128(c);
                    long a0 = c.xmm[dl], a1 = c.xmm[dh];
                    long r0 = join(op32(c, k, lo32(a0), lo32(c.vLo)), op32(c, k, hi32(a0), hi32(c.vLo)));
                    long r1 = join(op32(c, k, lo32(a1), lo32(c.vHi)), op32(c, k, hi32(a1), hi32(c.vHi)));
                    finish(c);
                    c.xmm[dl] = r0;
                    c.xmm[dh] = r1;
                }
                case SS -> {
                    int r = op32(c, k, lo32(c.xmm[dl]), srcS(c));
                    finish(c);
                    c.xmm[dl] = join(r, hi32(c.xmm[dl]));
                }
                case PD -> {
                    src128(c);
                    long r0 = op64(c, k, c.xmm[dl], c.vLo), r1 = op64(c, k, c.xmm[dh], c.vHi);
                    finish(c);
                    c.xmm[dl] = r0;
                    c.xmm[dh] = r1;
                }
                default -> {
                    long r = op64(c, k, c.xmm[dl], src64(c, true));
                    finish(c);
                    c.xmm[dl] = r;
                }
            }
        }

        /** HADDPS/HSUBPS/ADDSUBPS (t PS) and the PD forms (SDM: SSE3). */
        private void horizontal(Cpu c, int dl, int dh) {
            src128(c);
            long a0 = c.xmm[dl], a1 = c.xmm[dh], b0 = c.vLo, b1 = c.vHi;
            if (t == PS) {
                long r0, r1;
                if (kind == ADDSUB) {
                    r0 = join(op32(c, SUB, lo32(a0), lo32(b0)), op32(c, ADD, hi32(a0), hi32(b0)));
                    r1 = join(op32(c, SUB, lo32(a1), lo32(b1)), op32(c, ADD, hi32(a1), hi32(b1)));
                } else {
                    int k = kind == HADD ? ADD : SUB;
                    r0 = join(op32(c, k, lo32(a0), hi32(a0)), op32(c, k, lo32(a1), hi32(a1)));
                    r1 = join(op32(c, k, lo32(b0), hi32(b0)), op32(c, k, lo32(b1), hi32(b1)));
                }
                finish(c);
                c.xmm[dl] = r0;
                c.xmm[dh] = r1;
            } else {
                long r0, r1;
                if (kind == ADDSUB) {
                    r0 = op64(c, SUB, a0, b0);
                    r1 = op64(c, ADD, a1, b1);
                } else {
                    int k = kind == HADD ? ADD : SUB;
                    r0 = op64(c, k, a0, a1);
                    r1 = op64(c, k, b0, b1);
                }
                finish(c);
                c.xmm[dl] = r0;
                c.xmm[dh] = r1;
            }
        }
    }
}
