package dev.machina.cpu.x86;

/**
 * The x87 FPU (SDM Vol. 1 chapter 8, Vol. 2 for each instruction): the register stack of eight
 * 80-bit registers with TOP and the tag word, the control and status words, loads and stores of
 * every memory format (m16/m32/m64 integer, m32/m64/m80 real, m80 packed BCD), arithmetic,
 * comparisons (FCOM/FUCOM/FCOMI/FUCOMI/FTST/FXAM), FCMOVcc, the constants, the transcendental
 * instructions, FPREM/FPREM1/FSCALE/FXTRACT/FRNDINT, FNSTENV/FLDENV, FNSAVE/FRSTOR, FXSAVE/FXRSTOR,
 * and the exception rules: stack overflow/underflow, invalid operation, zero divide, denormal
 * operand; masked exceptions give the SDM's default results (the QNaN indefinite, ±∞, the integer
 * indefinite); an unmasked one sets ES and B and is taken at the next waiting x87 instruction, as
 * #MF under CR0.NE and otherwise through the FERR# line ({@link Cpu#setFerrListener}).
 *
 * <p>Registers keep the exact 80-bit value, so loads, stores, moves and integer conversions are
 * exact. Deviation: arithmetic and the transcendental functions compute in IEEE double precision
 * (53-bit significand) and the result is widened back, so a result can differ from a real x87's
 * in the last 11 bits of the significand; the precision control field is not applied, and the
 * precision (inexact) and underflow flags are not raised. FPREM reduces completely in one step
 * (C2 = 0), which the loops software wraps around FPREM accept.
 */
final class X87 {
    private X87() {}

    // status word bits (SDM Vol. 1 8.1.3)
    static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32, SF = 64, ES = 128, C0 = 0x100, C1 = 0x200,
            C2 = 0x400, C3 = 0x4000, B = 0x8000;
    static final int TAG_VALID = 0, TAG_ZERO = 1, TAG_SPECIAL = 2, TAG_EMPTY = 3;
    static final long INDEFINITE_MANT = 0xC000000000000000L;
    static final int INDEFINITE_SE = 0xFFFF;

    // ---- state access (the registers live in CpuState: fpMant, fpSe, fpuTw, fpuSw, fpuCw) ----

    static int top(CpuState c) {
        return (c.fpuSw >>> 11) & 7;
    }

    static void setTop(CpuState c, int t) {
        c.fpuSw = (c.fpuSw & ~0x3800) | ((t & 7) << 11);
    }

    static int phys(CpuState c, int i) {
        return (top(c) + i) & 7;
    }

    static int tag(CpuState c, int p) {
        return (c.fpuTw >>> (2 * p)) & 3;
    }

    static void setTag(CpuState c, int p, int t) {
        c.fpuTw = (c.fpuTw & ~(3 << (2 * p))) | (t << (2 * p));
    }

    static int tagOf(long mant, int se) {
        int e = se & 0x7FFF;
        if (e == 0x7FFF) {
            return TAG_SPECIAL;
        }
        if (e == 0) {
            return mant == 0 ? TAG_ZERO : TAG_SPECIAL;
        }
        return mant < 0 ? TAG_VALID : TAG_SPECIAL; // integer bit clear: unnormal
    }

    static void setReg(CpuState c, int p, long mant, int se) {
        c.fpMant[p] = mant;
        c.fpSe[p] = se & 0xFFFF;
        setTag(c, p, tagOf(mant, se));
    }

    /** Raises status flags; an unmasked one also sets ES and B. Returns true when all raised are masked. */
    static boolean raise(CpuState c, int flags) {
        c.fpuSw |= flags;
        int unmasked = flags & ~c.fpuCw & 0x3F;
        if (unmasked != 0) {
            c.fpuSw |= ES | B;
            return false;
        }
        return true;
    }

    /** Stack underflow: reading an empty register (IE, SF, C1 = 0). */
    static boolean underflow(CpuState c) {
        c.fpuSw &= ~C1;
        return raise(c, IE | SF);
    }

    /** ST(i) as a double, or NaN (after the underflow exception) when empty. */
    static double st(CpuState c, int i) {
        int p = phys(c, i);
        if (tag(c, p) == TAG_EMPTY) {
            underflow(c);
            return Double.NaN;
        }
        return toDouble(c.fpMant[p], c.fpSe[p]);
    }

    static boolean empty(CpuState c, int i) {
        return tag(c, phys(c, i)) == TAG_EMPTY;
    }

    static void setSt(CpuState c, int i, double v) {
        long[] r = fromDouble(v);
        setReg(c, phys(c, i), r[0], (int) r[1]);
    }

    /** Pushes an 80-bit value; on stack overflow (ST(7) in use) the masked response pushes the indefinite. */
    static boolean push(CpuState c, long mant, int se) {
        int t = (top(c) - 1) & 7;
        if (tag(c, t) != TAG_EMPTY) {
            c.fpuSw |= C1;
            if (!raise(c, IE | SF)) {
                return false;
            }
            mant = INDEFINITE_MANT;
            se = INDEFINITE_SE;
        }
        setTop(c, t);
        setReg(c, t, mant, se);
        return true;
    }

    static void pushDouble(CpuState c, double v) {
        long[] r = fromDouble(v);
        push(c, r[0], (int) r[1]);
    }

    static void pop(CpuState c) {
        int t = top(c);
        setTag(c, t, TAG_EMPTY);
        setTop(c, t + 1);
    }

    // ---- number conversions ----

    /** An 80-bit extended value as a double (round to nearest even). */
    static double toDouble(long mant, int se) {
        boolean neg = (se & 0x8000) != 0;
        int e = se & 0x7FFF;
        double v;
        if (e == 0x7FFF) {
            v = (mant << 1) == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (mant == 0) {
            v = 0.0;
        } else {
            int unb = (e == 0 ? 1 : e) - 16383;
            long top = mant >>> 11;
            long rem = mant & 0x7FF;
            if (rem > 0x400 || (rem == 0x400 && (top & 1) != 0)) {
                top++;
            }
            v = Math.scalb((double) top, unb - 52);
        }
        return neg ? -v : v;
    }

    /** A double as an 80-bit extended value: {mantissa, sign and exponent}. Exact. */
    static long[] fromDouble(double d) {
        long bits = Double.doubleToRawLongBits(d);
        int sign = bits < 0 ? 0x8000 : 0;
        int e = (int) ((bits >>> 52) & 0x7FF);
        long f = bits & ((1L << 52) - 1);
        if (e == 0x7FF) {
            if (f == 0) {
                return new long[] {1L << 63, sign | 0x7FFF};
            }
            return new long[] {(1L << 63) | (1L << 62) | (f << 11), sign | 0x7FFF}; // quiet NaN, payload kept
        }
        if (e == 0) {
            if (f == 0) {
                return new long[] {0, sign};
            }
            int lz = Long.numberOfLeadingZeros(f);
            return new long[] {f << lz, sign | (63 - 1074 - lz + 16383)};
        }
        return new long[] {(1L << 63) | (f << 11), sign | (e - 1023 + 16383)};
    }

    /** An integer as an exact 80-bit value. */
    static long[] fromLong(long v) {
        if (v == 0) {
            return new long[] {0, 0};
        }
        int sign = v < 0 ? 0x8000 : 0;
        long m = v < 0 ? -v : v; // Long.MIN_VALUE stays 0x8000...: 2^63, right as an unsigned magnitude
        int lz = Long.numberOfLeadingZeros(m);
        return new long[] {m << lz, sign | (16383 + 63 - lz)};
    }

    /**
     * An 80-bit value rounded to an integer by the rounding control {@code rc} (0 nearest even, 1 down,
     * 2 up, 3 toward zero). Returns null for NaN, ∞ or a magnitude of 2^64 or more.
     */
    static long[] roundToInteger(long mant, int se, int rc) {
        boolean neg = (se & 0x8000) != 0;
        int e = se & 0x7FFF;
        if (e == 0x7FFF) {
            return null;
        }
        if (mant == 0) {
            return new long[] {0, neg ? 1 : 0};
        }
        int unb = (e == 0 ? 1 : e) - 16383;
        if (unb >= 64) {
            return null;
        }
        long ip;
        long frac; // the fraction as a 64-bit binary fraction
        if (unb >= 63) {
            ip = mant;
            frac = 0;
        } else if (unb >= 0) {
            int sh = 63 - unb;
            ip = mant >>> sh;
            frac = mant << (64 - sh);
        } else {
            ip = 0;
            frac = unb == -1 ? mant : 1; // below 1: exactly the bits, or (below one half) any nonzero mark
        }
        boolean up = switch (rc) {
            case 0 -> frac < 0 && (frac != Long.MIN_VALUE || (ip & 1) != 0);
            case 1 -> neg && frac != 0;
            case 2 -> !neg && frac != 0;
            default -> false;
        };
        if (up) {
            ip++;
            if (ip == 0) {
                return null; // carried out of 64 bits
            }
        }
        return new long[] {ip, neg ? 1 : 0};
    }

    /** Rounds to a signed integer of {@code bits} bits, or returns null when out of range (invalid). */
    static Long toSigned(CpuState c, int i, int bits) {
        return toSigned(c, i, bits, (c.fpuCw >>> 10) & 3);
    }

    /** The same with the rounding control {@code rc} given (FISTTP: 3, toward zero). */
    static Long toSigned(CpuState c, int i, int bits, int rc) {
        int p = phys(c, i);
        long[] r = roundToInteger(c.fpMant[p], c.fpSe[p], rc);
        if (r == null) {
            return null;
        }
        long mag = r[0];
        long limit = 1L << (bits - 1); // for bits = 64: Long.MIN_VALUE, compared unsigned
        if (r[1] != 0) {
            if (Long.compareUnsigned(mag, limit) > 0) {
                return null;
            }
            return -mag;
        }
        if (Long.compareUnsigned(mag, limit) >= 0) {
            return null;
        }
        return mag;
    }

    static boolean isNaN(long mant, int se) {
        return (se & 0x7FFF) == 0x7FFF && (mant << 1) != 0;
    }

    static boolean isSNaN(long mant, int se) {
        return isNaN(mant, se) && (mant & (1L << 62)) == 0;
    }
}
