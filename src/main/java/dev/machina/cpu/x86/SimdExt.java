package dev.machina.cpu.x86;

import java.util.Map;
import java.util.TreeMap;

/**
 * The instructions of the three-byte opcode maps 0F 38 xx and 0F 3A xx ib (SDM Vol. 2D Tables A-4
 * and A-5; Vol. 2 for each instruction): SSSE3. One {@link X} op per decoded form.
 *
 * <p>The mandatory prefix picks the form: SSSE3 has an MMX form (no prefix) and an XMM form (66);
 * any other prefix, or a slot the SDM leaves empty, is #UD. A form whose CPUID feature the model
 * does not offer is #UD too (noted as a missing feature, {@link SystemOps#missingFeature}).
 * Availability of the registers is {@link Simd}'s: {@link Simd#mmxCheck}/{@link Simd#mmxState} for
 * an MMX form, {@link Simd#sseCheck} for an XMM form. A 16-byte memory operand must be 16-byte
 * aligned (#GP(0)); MMX forms read 8 bytes without alignment.
 */
final class SimdExt {
    private SimdExt() {}

    /** 0F 38 xx: the opcode byte and the mnemonic of its first form. */
    static final Map<Integer, String> MAP38 = new TreeMap<>();
    /** 0F 3A xx ib. */
    static final Map<Integer, String> MAP3A = new TreeMap<>();

    // ---- SSSE3 kinds ----
    static final int PSHUFB = 1, PHADDW = 2, PHADDD = 3, PHADDSW = 4, PMADDUBSW = 5, PHSUBW = 6, PHSUBD = 7,
            PHSUBSW = 8, PSIGNB = 9, PSIGNW = 10, PSIGND = 11, PMULHRSW = 12, PABSB = 13, PABSW = 14, PABSD = 15,
            PALIGNR = 16;

    // ---- SSE4.1 kinds (66 prefix only) ----
    static final int PBLENDVB = 20, BLENDVPS = 21, BLENDVPD = 22, PTEST = 23, PMOVSXBW = 24, PMOVSXBD = 25,
            PMOVSXBQ = 26, PMOVSXWD = 27, PMOVSXWQ = 28, PMOVSXDQ = 29, PMULDQ = 30, PCMPEQQ = 31, MOVNTDQA = 32,
            PACKUSDW = 33, PMOVZXBW = 34, PMOVZXBD = 35, PMOVZXBQ = 36, PMOVZXWD = 37, PMOVZXWQ = 38, PMOVZXDQ = 39,
            PMINSB = 40, PMINSD = 41, PMINUW = 42, PMINUD = 43, PMAXSB = 44, PMAXSD = 45, PMAXUW = 46, PMAXUD = 47,
            PMULLD = 48, PHMINPOSUW = 49, ROUNDPS = 50, ROUNDPD = 51, ROUNDSS = 52, ROUNDSD = 53, BLENDPS = 54,
            BLENDPD = 55, PBLENDW = 56, PEXTRB = 57, PEXTRW = 58, PEXTRD = 59, EXTRACTPS = 60, PINSRB = 61,
            INSERTPS = 62, PINSRD = 63, DPPS = 64, DPPD = 65, MPSADBW = 66;

    static final int ECX_SSE41 = 1 << 19;

    /** opcode (0x200 | xx for 0F 38, 0x300 | xx for 0F 3A), kind, mnemonic of the SSE4.1 forms. */
    private static final Object[][] SSE41 = {
        {0x210, PBLENDVB, "PBLENDVB"}, {0x214, BLENDVPS, "BLENDVPS"}, {0x215, BLENDVPD, "BLENDVPD"},
        {0x217, PTEST, "PTEST"}, {0x220, PMOVSXBW, "PMOVSXBW"}, {0x221, PMOVSXBD, "PMOVSXBD"},
        {0x222, PMOVSXBQ, "PMOVSXBQ"}, {0x223, PMOVSXWD, "PMOVSXWD"}, {0x224, PMOVSXWQ, "PMOVSXWQ"},
        {0x225, PMOVSXDQ, "PMOVSXDQ"}, {0x228, PMULDQ, "PMULDQ"}, {0x229, PCMPEQQ, "PCMPEQQ"},
        {0x22A, MOVNTDQA, "MOVNTDQA"}, {0x22B, PACKUSDW, "PACKUSDW"}, {0x230, PMOVZXBW, "PMOVZXBW"},
        {0x231, PMOVZXBD, "PMOVZXBD"}, {0x232, PMOVZXBQ, "PMOVZXBQ"}, {0x233, PMOVZXWD, "PMOVZXWD"},
        {0x234, PMOVZXWQ, "PMOVZXWQ"}, {0x235, PMOVZXDQ, "PMOVZXDQ"}, {0x238, PMINSB, "PMINSB"},
        {0x239, PMINSD, "PMINSD"}, {0x23A, PMINUW, "PMINUW"}, {0x23B, PMINUD, "PMINUD"}, {0x23C, PMAXSB, "PMAXSB"},
        {0x23D, PMAXSD, "PMAXSD"}, {0x23E, PMAXUW, "PMAXUW"}, {0x23F, PMAXUD, "PMAXUD"}, {0x240, PMULLD, "PMULLD"},
        {0x241, PHMINPOSUW, "PHMINPOSUW"},
        {0x308, ROUNDPS, "ROUNDPS"}, {0x309, ROUNDPD, "ROUNDPD"}, {0x30A, ROUNDSS, "ROUNDSS"},
        {0x30B, ROUNDSD, "ROUNDSD"}, {0x30C, BLENDPS, "BLENDPS"}, {0x30D, BLENDPD, "BLENDPD"},
        {0x30E, PBLENDW, "PBLENDW"}, {0x314, PEXTRB, "PEXTRB"}, {0x315, PEXTRW, "PEXTRW"}, {0x316, PEXTRD, "PEXTRD"},
        {0x317, EXTRACTPS, "EXTRACTPS"}, {0x320, PINSRB, "PINSRB"}, {0x321, INSERTPS, "INSERTPS"},
        {0x322, PINSRD, "PINSRD"}, {0x340, DPPS, "DPPS"}, {0x341, DPPD, "DPPD"}, {0x342, MPSADBW, "MPSADBW"},
    };

    // ---- SSE4.2, PCLMULQDQ, AES kinds (66 prefix only) ----
    static final int PCMPGTQ = 70, PCMPESTRM = 71, PCMPESTRI = 72, PCMPISTRM = 73, PCMPISTRI = 74, PCLMULQDQ = 75,
            AESIMC = 76, AESENC = 77, AESENCLAST = 78, AESDEC = 79, AESDECLAST = 80, AESKEYGENASSIST = 81;

    static final int ECX_PCLMULQDQ = 1 << 1, ECX_SSE42 = 1 << 20, ECX_MOVBE = 1 << 22, ECX_AES = 1 << 25;

    /** opcode, kind, mnemonic, CPUID.1:ECX feature bit and its name, of the other 66-prefixed forms. */
    private static final Object[][] OTHERS = {
        {0x237, PCMPGTQ, "PCMPGTQ", ECX_SSE42, "sse4.2"}, {0x360, PCMPESTRM, "PCMPESTRM", ECX_SSE42, "sse4.2"},
        {0x361, PCMPESTRI, "PCMPESTRI", ECX_SSE42, "sse4.2"}, {0x362, PCMPISTRM, "PCMPISTRM", ECX_SSE42, "sse4.2"},
        {0x363, PCMPISTRI, "PCMPISTRI", ECX_SSE42, "sse4.2"},
        {0x344, PCLMULQDQ, "PCLMULQDQ", ECX_PCLMULQDQ, "pclmulqdq"},
        {0x2DB, AESIMC, "AESIMC", ECX_AES, "aes"}, {0x2DC, AESENC, "AESENC", ECX_AES, "aes"},
        {0x2DD, AESENCLAST, "AESENCLAST", ECX_AES, "aes"}, {0x2DE, AESDEC, "AESDEC", ECX_AES, "aes"},
        {0x2DF, AESDECLAST, "AESDECLAST", ECX_AES, "aes"}, {0x3DF, AESKEYGENASSIST, "AESKEYGENASSIST", ECX_AES, "aes"},
    };

    private static final int[] SSSE3_38 = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B,
        0x1C, 0x1D, 0x1E};
    private static final String[] SSSE3_NAMES = {"PSHUFB", "PHADDW", "PHADDD", "PHADDSW", "PMADDUBSW", "PHSUBW",
        "PHSUBD", "PHSUBSW", "PSIGNB", "PSIGNW", "PSIGND", "PMULHRSW", "PABSB", "PABSW", "PABSD"};
    private static final int[] SSSE3_KINDS = {PSHUFB, PHADDW, PHADDD, PHADDSW, PMADDUBSW, PHSUBW, PHSUBD, PHSUBSW,
        PSIGNB, PSIGNW, PSIGND, PMULHRSW, PABSB, PABSW, PABSD};

    static {
        for (int k = 0; k < SSSE3_38.length; k++) {
            MAP38.put(SSSE3_38[k], SSSE3_NAMES[k]);
        }
        MAP3A.put(0x0F, "PALIGNR");
        for (Object[][] table : new Object[][][] {SSE41, OTHERS}) {
            for (Object[] f : table) {
                int code = (Integer) f[0];
                (code >= 0x300 ? MAP3A : MAP38).put(code & 0xFF, (String) f[2]);
            }
        }
        MAP38.put(0xF0, "MOVBE");  // F2: CRC32 Gd,Eb
        MAP38.put(0xF1, "MOVBE");  // F2: CRC32 Gd,Ev
    }

    static final int ECX_SSSE3 = 1 << 9;
    /** The CPUID.1:ECX features whose instructions are all here (CpuModel.IMPLEMENTED). */
    static final int ECX_IMPLEMENTED = ECX_SSSE3 | ECX_SSE41 | ECX_SSE42 | ECX_MOVBE | ECX_PCLMULQDQ | ECX_AES;

    static Op build(Insn i) {
        int op = i.opcode & 0xFF;
        int p = Simd.prefix(i);
        if (i.opcode >= 0x300) {
            if (op == 0x0F) {
                return ssse3(i, p, PALIGNR, "PALIGNR");
            }
            return sse41(i, p);
        }
        for (int k = 0; k < SSSE3_38.length; k++) {
            if (SSSE3_38[k] == op) {
                return ssse3(i, p, SSSE3_KINDS[k], SSSE3_NAMES[k]);
            }
        }
        return sse41(i, p);
    }

    private static Op sse41(Insn i, int p) {
        if (i.opcode == 0x2F0 || i.opcode == 0x2F1) {
            return movbeCrc32(i, p);
        }
        for (Object[] f : SSE41) {
            if ((Integer) f[0] == i.opcode) {
                int kind = (Integer) f[1];
                if (p != 0x66 || (kind == MOVNTDQA && i.isReg())) {
                    return null;
                }
                if (!i.hasEcxFeature(ECX_SSE41)) {
                    return SystemOps.missingFeature((String) f[2], "sse4.1");
                }
                return new X(kind, true, i, i.imm & 0xFF);
            }
        }
        for (Object[] f : OTHERS) {
            if ((Integer) f[0] == i.opcode) {
                if (p != 0x66) {
                    return null;
                }
                if (!i.hasEcxFeature((Integer) f[3])) {
                    return SystemOps.missingFeature((String) f[2], (String) f[4]);
                }
                return new X((Integer) f[1], true, i, i.imm & 0xFF);
            }
        }
        return null;
    }

    /**
     * 0F 38 F0/F1: MOVBE r16/32, m16/32 and MOVBE m16/32, r16/32 (no prefix or 66; memory only), or with
     * F2 CRC32 r32, r/m8 (F0) and CRC32 r32, r/m16/32 (F1, 66 for 16 bits).
     */
    private static Op movbeCrc32(Insn i, int p) {
        boolean f1 = i.opcode == 0x2F1;
        if (i.rep == 0xF2) {
            if (!i.hasEcxFeature(ECX_SSE42)) {
                return SystemOps.missingFeature("CRC32", "sse4.2");
            }
            return new Crc32(i, f1 ? i.osize : 1);
        }
        if (i.rep != 0 || i.isReg()) {
            return null;
        }
        if (!i.hasEcxFeature(ECX_MOVBE)) {
            return SystemOps.missingFeature("MOVBE", "movbe");
        }
        return new Movbe(i, f1);
    }

    /** An SSSE3 form: MMX without a prefix, XMM with 66. */
    private static Op ssse3(Insn i, int p, int kind, String name) {
        if (p != 0 && p != 0x66) {
            return null;
        }
        if (!i.hasEcxFeature(ECX_SSSE3)) {
            return SystemOps.missingFeature(name, "ssse3");
        }
        return new X(kind, p == 0x66, i, i.imm & 0xFF);
    }

    // =====================================================================================
    // lane arithmetic on 64-bit chunks
    // =====================================================================================

    private static int satS16(int v) {
        return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }

    /** The element-wise SSSE3 operations on one 64-bit chunk (a destination, b source). */
    static long lane(int k, long a, long b) {
        long r = 0;
        switch (k) {
            case PSIGNB, PABSB -> {
                for (int i = 0; i < 64; i += 8) {
                    int x = (byte) (a >>> i), y = (byte) (b >>> i);
                    int v = k == PABSB ? Math.abs(y) : y < 0 ? -x : y == 0 ? 0 : x;
                    r |= (long) (v & 0xFF) << i;
                }
            }
            case PSIGNW, PABSW, PMULHRSW -> {
                for (int i = 0; i < 64; i += 16) {
                    int x = (short) (a >>> i), y = (short) (b >>> i);
                    int v = switch (k) {
                        case PABSW -> Math.abs(y);
                        case PSIGNW -> y < 0 ? -x : y == 0 ? 0 : x;
                        default -> ((x * y >> 14) + 1) >> 1;
                    };
                    r |= (long) (v & 0xFFFF) << i;
                }
            }
            case PSIGND, PABSD -> {
                for (int i = 0; i < 64; i += 32) {
                    int x = (int) (a >>> i), y = (int) (b >>> i);
                    int v = k == PABSD ? Math.abs(y) : y < 0 ? -x : y == 0 ? 0 : x;
                    r |= (v & 0xFFFFFFFFL) << i;
                }
            }
            case PMADDUBSW -> {
                // unsigned bytes of the destination times signed bytes of the source, adjacent pairs summed with saturation
                for (int i = 0; i < 64; i += 16) {
                    int v = (int) (a >>> i & 0xFF) * (byte) (b >>> i) + (int) (a >>> (i + 8) & 0xFF) * (byte) (b >>> (i + 8));
                    r |= (long) (satS16(v) & 0xFFFF) << i;
                }
            }
            default -> throw new IllegalStateException("SSSE3 kind " + k);
        }
        return r;
    }

    /** A horizontal add or subtract of the adjacent element pairs of one 64-bit chunk: 32 bits of result. */
    static long horizontal(int k, long a) {
        if (k == PHADDD || k == PHSUBD) {
            int x = (int) a, y = (int) (a >>> 32);
            return (k == PHADDD ? x + y : x - y) & 0xFFFFFFFFL;
        }
        long r = 0;
        for (int i = 0; i < 2; i++) {
            int x = (short) (a >>> (32 * i)), y = (short) (a >>> (32 * i + 16));
            int v = switch (k) {
                case PHADDW -> x + y;
                case PHSUBW -> x - y;
                case PHADDSW -> satS16(x + y);
                default -> satS16(x - y); // PHSUBSW
            };
            r |= (long) (v & 0xFFFF) << (16 * i);
        }
        return r;
    }

    private static int byteAt(long lo, long hi, int n) {
        return (int) ((n < 8 ? lo >>> (8 * n) : hi >>> (8 * (n - 8))) & 0xFF);
    }

    /** The element-wise SSE4.1 operations on one 64-bit chunk (a destination, b source, m the chunk's blend mask). */
    static long lane41(int k, long a, long b, long m) {
        switch (k) {
            case PMULDQ:
                return (long) (int) a * (int) b;
            case PCMPEQQ:
                return a == b ? -1L : 0;
            case BLENDPD:
                return (m & 1) != 0 ? b : a;
            case BLENDVPD:
                return m < 0 ? b : a;
            default:
                break;
        }
        int bits = switch (k) {
            case PMINSB, PMAXSB, PBLENDVB -> 8;
            case PMINUW, PMAXUW, PBLENDW -> 16;
            default -> 32;
        };
        long mask = bits == 32 ? 0xFFFFFFFFL : (1L << bits) - 1;
        long r = 0;
        for (int i = 0, n = 0; i < 64; i += bits, n++) {
            long x = a >>> i & mask, y = b >>> i & mask;
            long v = switch (k) {
                case PMINSB -> (byte) x <= (byte) y ? x : y;
                case PMAXSB -> (byte) x >= (byte) y ? x : y;
                case PMINUW, PMINUD -> x <= y ? x : y;
                case PMAXUW, PMAXUD -> x >= y ? x : y;
                case PMINSD -> (int) x <= (int) y ? x : y;
                case PMAXSD -> (int) x >= (int) y ? x : y;
                case PMULLD -> (long) ((int) x * (int) y);
                case PBLENDW, BLENDPS -> (m >>> n & 1) != 0 ? y : x;
                case PBLENDVB, BLENDVPS -> (m >>> (i + bits - 1) & 1) != 0 ? y : x;
                default -> throw new IllegalStateException("SSE4.1 kind " + k);
            };
            r |= (v & mask) << i;
        }
        return r;
    }

    /** The four signed dwords of a 64-bit pair packed into unsigned words with saturation. */
    private static long packusdw(long lo, long hi) {
        long r = 0;
        for (int i = 0; i < 4; i++) {
            int v = (int) ((i < 2 ? lo : hi) >>> (32 * (i & 1)));
            r |= (long) (v < 0 ? 0 : v > 0xFFFF ? 0xFFFF : v) << (16 * i);
        }
        return r;
    }

    /** PMOVSX/PMOVZX: the low elements of v widened (from bytes 1, 2 or 4 to 2, 4 or 8); index n of the result. */
    private static long widen(long v, int from, int to, boolean signed, int n) {
        int fb = 8 * from;
        long e = v >>> (fb * n);
        e = fb == 64 ? e : e & ((1L << fb) - 1);
        if (signed) {
            e = e << (64 - fb) >> (64 - fb);
        }
        return to == 8 ? e : e & ((1L << (8 * to)) - 1);
    }

    /** ROUNDSS/ROUNDPS: one single rounded to an integral value by imm8 (or MXCSR.RC when imm8 bit 2 is set). */
    static int roundS(Cpu c, int v, int imm) {
        if (SimdFp.nan32(v)) {
            if (SimdFp.snan32(v)) {
                c.mxf |= SimdFp.IE;
            }
            return v | 0x00400000;
        }
        if (SimdFp.denormal32(v) && (c.mxcsr & SimdFp.DAZ) != 0) {
            v &= 0x80000000;
        }
        float f = Float.intBitsToFloat(v);
        if (f == 0 || Float.isInfinite(f)) {
            return v;
        }
        double r = roundTo(f, (imm & 4) != 0 ? c.mxcsr >>> 13 & 3 : imm & 3);
        if (r != f && (imm & 8) == 0) {
            c.mxf |= SimdFp.PE;
        }
        return Float.floatToRawIntBits((float) r);
    }

    static long roundD(Cpu c, long v, int imm) {
        if (SimdFp.nan64(v)) {
            if (SimdFp.snan64(v)) {
                c.mxf |= SimdFp.IE;
            }
            return v | 0x0008000000000000L;
        }
        if (SimdFp.denormal64(v) && (c.mxcsr & SimdFp.DAZ) != 0) {
            v &= 0x8000000000000000L;
        }
        double f = Double.longBitsToDouble(v);
        if (f == 0 || Double.isInfinite(f)) {
            return v;
        }
        double r = roundTo(f, (imm & 4) != 0 ? c.mxcsr >>> 13 & 3 : imm & 3);
        if (r != f && (imm & 8) == 0) {
            c.mxf |= SimdFp.PE;
        }
        return Double.doubleToRawLongBits(r);
    }

    /** Rounding to an integral value: 0 nearest even, 1 down, 2 up, 3 toward zero (the sign of a zero result kept). */
    private static double roundTo(double f, int mode) {
        return switch (mode) {
            case 0 -> Math.rint(f);
            case 1 -> Math.floor(f);
            case 2 -> Math.ceil(f);
            default -> f < 0 ? Math.ceil(f) : Math.floor(f);
        };
    }

    /** Element n (byte or word, signed or not) of a 128-bit value. */
    private static long element(long lo, long hi, int n, boolean words, boolean signed) {
        int bits = words ? 16 : 8;
        int at = bits * n;
        long v = (at < 64 ? lo >>> at : hi >>> (at - 64)) & ((1L << bits) - 1);
        return signed ? (words ? (short) v : (byte) v) : v;
    }

    /** An explicit length (EAX, EDX): its absolute value, at most n. */
    private static int explicitLength(int r, int n) {
        long v = Math.abs((long) r);
        return v > n ? n : (int) v;
    }

    /** An implicit length: the index of the first zero element, or n. */
    private static int implicitLength(long lo, long hi, boolean words, int n) {
        for (int i = 0; i < n; i++) {
            if (element(lo, hi, i, words, false) == 0) {
                return i;
            }
        }
        return n;
    }

    private static long dwordAt(long lo, long hi, int n) {
        return (n < 2 ? lo >>> (32 * n) : hi >>> (32 * (n - 2))) & 0xFFFFFFFFL;
    }

    // =====================================================================================
    // the op
    // =====================================================================================

    /** One form of the three-byte maps on MMX (x false) or XMM registers. */
    static final class X extends Simd.Base {
        final int kind, imm;
        final boolean x;

        X(int kind, boolean x, Insn i, int imm) {
            super(i, kind < PCMPESTRM || kind > PCMPISTRI); // the string compares need no alignment (SDM Vol. 1 12.10)
            this.kind = kind;
            this.x = x;
            this.imm = imm;
        }

        @Override
        void exec(Cpu c) {
            if (x) {
                Simd.sseCheck(c);
                if (kind >= PCMPGTQ) {
                    others(c);
                    return;
                }
                if (kind >= PBLENDVB) {
                    sse41(c);
                    return;
                }
                src128(c);
                run128(c, c.vLo, c.vHi);
            } else {
                Simd.mmxCheck(c);
                Simd.setMm(c, d, run64(c.fpMant[d], src64(c, false)));
                Simd.mmxState(c);
            }
        }

        /** The SSE4.1 forms (XMM only). */
        private void sse41(Cpu c) {
            int dl = 2 * d, dh = dl + 1;
            long aLo = c.xmm[dl], aHi = c.xmm[dh];
            long rLo, rHi;
            switch (kind) {
                case PMOVSXBW, PMOVSXBD, PMOVSXBQ, PMOVSXWD, PMOVSXWQ, PMOVSXDQ, PMOVZXBW, PMOVZXBD, PMOVZXBQ, PMOVZXWD,
                        PMOVZXWQ, PMOVZXDQ -> {
                    boolean signed = kind <= PMOVSXDQ;
                    int k = signed ? kind - PMOVSXBW : kind - PMOVZXBW; // BW BD BQ WD WQ DQ
                    int from = k < 3 ? 1 : k < 5 ? 2 : 4;
                    int to = k == 0 ? 2 : k == 1 || k == 3 ? 4 : 8;
                    int n = 16 / to; // elements; the source is n * from bytes (8, 4 or 2)
                    long v;
                    if (s >= 0) {
                        v = c.xmm[2 * s];
                    } else {
                        int ea = ea(c);
                        int bytes = n * from;
                        v = bytes == 8 ? rd64(c, ea) : bytes == 4 ? c.rd32(a.seg(), ea) & 0xFFFFFFFFL : c.rd16(a.seg(), ea);
                    }
                    rLo = rHi = 0;
                    for (int e = 0; e < n; e++) {
                        long w = widen(v, from, to, signed, e);
                        int bit = 8 * to * e;
                        if (bit < 64) {
                            rLo |= w << bit;
                        } else {
                            rHi |= w << (bit - 64);
                        }
                    }
                }
                case ROUNDSS -> {
                    int v = src32(c);
                    c.mxf = 0;
                    int r = roundS(c, v, imm);
                    SimdFp.finish(c);
                    rLo = aLo & 0xFFFFFFFF00000000L | r & 0xFFFFFFFFL;
                    rHi = aHi;
                }
                case ROUNDSD -> {
                    long v = src64(c, true);
                    c.mxf = 0;
                    rLo = roundD(c, v, imm);
                    SimdFp.finish(c);
                    rHi = aHi;
                }
                case PEXTRB, PEXTRW, PEXTRD, EXTRACTPS -> {
                    int size = kind == PEXTRB ? 1 : kind == PEXTRW ? 2 : 4;
                    int n = kind == PEXTRB ? imm & 15 : kind == PEXTRW ? imm & 7 : imm & 3;
                    int bit = 8 * size * n;
                    long h = bit < 64 ? aLo : aHi;
                    int v = (int) (h >>> (bit & 63));
                    v = size == 1 ? v & 0xFF : size == 2 ? v & 0xFFFF : v;
                    if (s >= 0) {
                        c.r[s] = v;
                    } else if (size == 1) {
                        c.wr8(a.seg(), ea(c), v);
                    } else if (size == 2) {
                        c.wr16(a.seg(), ea(c), v);
                    } else {
                        c.wr32(a.seg(), ea(c), v);
                    }
                    return;
                }
                case PINSRB, PINSRD, INSERTPS -> {
                    long v;
                    int n;
                    long elMask;
                    if (kind == PINSRB) {
                        v = (s >= 0 ? c.r[s] : c.rd8(a.seg(), ea(c))) & 0xFFL;
                        n = 8 * (imm & 15);
                        elMask = 0xFFL;
                    } else {
                        if (kind == INSERTPS && s >= 0) {
                            v = dwordAt(c.xmm[2 * s], c.xmm[2 * s + 1], imm >>> 6 & 3);
                        } else {
                            v = (s >= 0 ? c.r[s] : c.rd32(a.seg(), ea(c))) & 0xFFFFFFFFL;
                        }
                        n = 32 * (kind == INSERTPS ? imm >>> 4 & 3 : imm & 3);
                        elMask = 0xFFFFFFFFL;
                    }
                    rLo = aLo;
                    rHi = aHi;
                    if (n < 64) {
                        rLo = rLo & ~(elMask << n) | v << n;
                    } else {
                        rHi = rHi & ~(elMask << (n - 64)) | v << (n - 64);
                    }
                    if (kind == INSERTPS) { // the zero mask
                        for (int e = 0; e < 4; e++) {
                            if ((imm >>> e & 1) != 0) {
                                if (e < 2) {
                                    rLo &= ~(0xFFFFFFFFL << (32 * e));
                                } else {
                                    rHi &= ~(0xFFFFFFFFL << (32 * (e - 2)));
                                }
                            }
                        }
                    }
                }
                default -> {
                    src128(c);
                    long bLo = c.vLo, bHi = c.vHi;
                    switch (kind) {
                        case PTEST -> {
                            boolean zf = (aLo & bLo) == 0 && (aHi & bHi) == 0;
                            boolean cf = (~aLo & bLo) == 0 && (~aHi & bHi) == 0;
                            c.setArithFlags((zf ? Cpu.ZF : 0) | (cf ? Cpu.CF : 0));
                            return;
                        }
                        case MOVNTDQA -> {
                            rLo = bLo;
                            rHi = bHi;
                        }
                        case PACKUSDW -> {
                            rLo = packusdw(aLo, aHi);
                            rHi = packusdw(bLo, bHi);
                        }
                        case PHMINPOSUW -> {
                            int min = 0x10000, at = 0;
                            for (int e = 0; e < 8; e++) {
                                int w = (int) ((e < 4 ? bLo : bHi) >>> (16 * (e & 3))) & 0xFFFF;
                                if (w < min) {
                                    min = w;
                                    at = e;
                                }
                            }
                            rLo = min | (long) at << 16;
                            rHi = 0;
                        }
                        case PBLENDVB, BLENDVPS, BLENDVPD -> {
                            rLo = lane41(kind, aLo, bLo, c.xmm[0]);
                            rHi = lane41(kind, aHi, bHi, c.xmm[1]);
                        }
                        case BLENDPS -> {
                            rLo = lane41(kind, aLo, bLo, imm);
                            rHi = lane41(kind, aHi, bHi, imm >>> 2);
                        }
                        case BLENDPD -> {
                            rLo = lane41(kind, aLo, bLo, imm);
                            rHi = lane41(kind, aHi, bHi, imm >>> 1);
                        }
                        case PBLENDW -> {
                            rLo = lane41(kind, aLo, bLo, imm);
                            rHi = lane41(kind, aHi, bHi, imm >>> 4);
                        }
                        case ROUNDPS -> {
                            c.mxf = 0;
                            rLo = (roundS(c, (int) bLo, imm) & 0xFFFFFFFFL) | (long) roundS(c, (int) (bLo >>> 32), imm) << 32;
                            rHi = (roundS(c, (int) bHi, imm) & 0xFFFFFFFFL) | (long) roundS(c, (int) (bHi >>> 32), imm) << 32;
                            SimdFp.finish(c);
                        }
                        case ROUNDPD -> {
                            c.mxf = 0;
                            rLo = roundD(c, bLo, imm);
                            rHi = roundD(c, bHi, imm);
                            SimdFp.finish(c);
                        }
                        case DPPS -> {
                            c.mxf = 0;
                            int t0 = dpProduct(c, aLo, bLo, 0), t1 = dpProduct(c, aLo >>> 32, bLo >>> 32, 1);
                            int t2 = dpProduct(c, aHi, bHi, 2), t3 = dpProduct(c, aHi >>> 32, bHi >>> 32, 3);
                            int sum = SimdFp.op32(c, SimdFp.ADD, SimdFp.op32(c, SimdFp.ADD, t0, t1),
                                    SimdFp.op32(c, SimdFp.ADD, t2, t3));
                            SimdFp.finish(c);
                            rLo = rHi = 0;
                            for (int e = 0; e < 4; e++) {
                                if ((imm >>> e & 1) != 0) {
                                    if (e < 2) {
                                        rLo |= (sum & 0xFFFFFFFFL) << (32 * e);
                                    } else {
                                        rHi |= (sum & 0xFFFFFFFFL) << (32 * (e - 2));
                                    }
                                }
                            }
                        }
                        case DPPD -> {
                            c.mxf = 0;
                            long t0 = (imm & 0x10) != 0 ? SimdFp.op64(c, SimdFp.MUL, aLo, bLo) : 0;
                            long t1 = (imm & 0x20) != 0 ? SimdFp.op64(c, SimdFp.MUL, aHi, bHi) : 0;
                            long sum = SimdFp.op64(c, SimdFp.ADD, t0, t1);
                            SimdFp.finish(c);
                            rLo = (imm & 1) != 0 ? sum : 0;
                            rHi = (imm & 2) != 0 ? sum : 0;
                        }
                        case MPSADBW -> {
                            int o1 = 4 * (imm >>> 2 & 1), o2 = 4 * (imm & 3);
                            rLo = rHi = 0;
                            for (int e = 0; e < 8; e++) {
                                int sum = 0;
                                for (int j = 0; j < 4; j++) {
                                    sum += Math.abs(byteAt(aLo, aHi, o1 + e + j) - byteAt(bLo, bHi, o2 + j));
                                }
                                if (e < 4) {
                                    rLo |= (long) sum << (16 * e);
                                } else {
                                    rHi |= (long) sum << (16 * (e - 4));
                                }
                            }
                        }
                        default -> {
                            rLo = lane41(kind, aLo, bLo, 0);
                            rHi = lane41(kind, aHi, bHi, 0);
                        }
                    }
                }
            }
            c.xmm[dl] = rLo;
            c.xmm[dh] = rHi;
        }

        /** SSE4.2, PCLMULQDQ and AES (XMM only). */
        private void others(Cpu c) {
            int dl = 2 * d, dh = dl + 1;
            src128(c);
            long aLo = c.xmm[dl], aHi = c.xmm[dh], bLo = c.vLo, bHi = c.vHi;
            switch (kind) {
                case PCMPGTQ -> {
                    c.xmm[dl] = aLo > bLo ? -1L : 0;
                    c.xmm[dh] = aHi > bHi ? -1L : 0;
                }
                case PCMPESTRM, PCMPESTRI, PCMPISTRM, PCMPISTRI -> stringCompare(c, aLo, aHi, bLo, bHi);
                case PCLMULQDQ -> {
                    long x = (imm & 1) != 0 ? aHi : aLo, y = (imm & 0x10) != 0 ? bHi : bLo;
                    long lo = 0, hi = 0;
                    for (int k = 0; k < 64; k++) {
                        if ((y >>> k & 1) != 0) {
                            lo ^= x << k;
                            hi ^= k == 0 ? 0 : x >>> (64 - k);
                        }
                    }
                    c.xmm[dl] = lo;
                    c.xmm[dh] = hi;
                }
                case AESIMC -> {
                    c.xmm[dl] = Aes.invMixColumns(bLo);
                    c.xmm[dh] = Aes.invMixColumns(bHi);
                }
                case AESENC, AESENCLAST -> {
                    long lo = Aes.shiftSub(aLo, aHi, false, 0), hi = Aes.shiftSub(aLo, aHi, false, 1);
                    if (kind == AESENC) {
                        lo = Aes.mixColumns(lo);
                        hi = Aes.mixColumns(hi);
                    }
                    c.xmm[dl] = lo ^ bLo;
                    c.xmm[dh] = hi ^ bHi;
                }
                case AESDEC, AESDECLAST -> {
                    long lo = Aes.shiftSub(aLo, aHi, true, 0), hi = Aes.shiftSub(aLo, aHi, true, 1);
                    if (kind == AESDEC) {
                        lo = Aes.invMixColumns(lo);
                        hi = Aes.invMixColumns(hi);
                    }
                    c.xmm[dl] = lo ^ bLo;
                    c.xmm[dh] = hi ^ bHi;
                }
                case AESKEYGENASSIST -> {
                    int x1 = Aes.subWord((int) (bLo >>> 32)), x3 = Aes.subWord((int) (bHi >>> 32));
                    long rcon = imm;
                    c.xmm[dl] = (x1 & 0xFFFFFFFFL) | ((Integer.rotateRight(x1, 8) ^ rcon) & 0xFFFFFFFFL) << 32;
                    c.xmm[dh] = (x3 & 0xFFFFFFFFL) | ((Integer.rotateRight(x3, 8) ^ rcon) & 0xFFFFFFFFL) << 32;
                }
                default -> throw new IllegalStateException("SIMD kind " + kind);
            }
        }

        /**
         * PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (SDM Vol. 2B 4.1): compares the elements of xmm1 (a) with
         * those of xmm2/m128 (b) as imm8 says (bytes or words, signed or not; equal any, ranges, equal each,
         * equal ordered; the polarity), the lengths explicit (EAX, EDX) or up to the first zero element;
         * the result bits IntRes2 to ECX as an index or to XMM0 as a mask; CF ZF SF OF from them, AF PF 0.
         */
        private void stringCompare(Cpu c, long aLo, long aHi, long bLo, long bHi) {
            boolean words = (imm & 1) != 0, signed = (imm & 2) != 0;
            int n = words ? 8 : 16;
            boolean explicit = kind == PCMPESTRM || kind == PCMPESTRI;
            int la, lb;
            if (explicit) {
                la = explicitLength(c.r[Cpu.EAX], n);
                lb = explicitLength(c.r[Cpu.EDX], n);
            } else {
                la = implicitLength(aLo, aHi, words, n);
                lb = implicitLength(bLo, bHi, words, n);
            }
            int agg = imm >>> 2 & 3;
            int res = 0;
            for (int j = 0; j < n; j++) {
                boolean bit;
                switch (agg) {
                    case 0 -> { // equal any: b[j] is one of a[0..la)
                        bit = false;
                        for (int i = 0; i < la && j < lb; i++) {
                            bit |= element(aLo, aHi, i, words, signed) == element(bLo, bHi, j, words, signed);
                        }
                    }
                    case 1 -> { // ranges: a[i] <= b[j] <= a[i + 1] for a pair i, i + 1 within la
                        bit = false;
                        for (int i = 0; i + 1 < la + 1 && i < n && j < lb; i += 2) {
                            long v = element(bLo, bHi, j, words, signed);
                            boolean ge = v >= element(aLo, aHi, i, words, signed);
                            boolean le = i + 1 < la && v <= element(aLo, aHi, i + 1, words, signed);
                            bit |= ge && le;
                        }
                    }
                    case 2 -> { // equal each: a[j] == b[j]; both past their ends counts as equal
                        boolean va = j < la, vb = j < lb;
                        bit = va && vb ? element(aLo, aHi, j, words, signed) == element(bLo, bHi, j, words, signed) : !va && !vb;
                    }
                    default -> { // equal ordered: a (up to la) occurs in b at j
                        bit = true;
                        for (int i = 0, k = j; i < n - j && k < n; i++, k++) {
                            boolean va = i < la, vb = k < lb;
                            boolean eq = va && vb ? element(aLo, aHi, i, words, signed) == element(bLo, bHi, k, words, signed)
                                    : !va;
                            bit &= eq;
                        }
                    }
                }
                if (bit) {
                    res |= 1 << j;
                }
            }
            int all = (1 << n) - 1;
            switch (imm >>> 4 & 3) {
                case 1 -> res ^= all;
                case 3 -> res ^= (1 << lb) - 1;
                default -> { }
            }
            if (kind == PCMPESTRI || kind == PCMPISTRI) {
                c.r[Cpu.ECX] = res == 0 ? n : (imm & 0x40) != 0 ? 31 - Integer.numberOfLeadingZeros(res)
                        : Integer.numberOfTrailingZeros(res);
            } else if ((imm & 0x40) == 0) {
                c.xmm[0] = res & 0xFFFFFFFFL;
                c.xmm[1] = 0;
            } else {
                long lo = 0, hi = 0;
                int bits = words ? 16 : 8;
                long m = (1L << bits) - 1;
                for (int j = 0; j < n; j++) {
                    if ((res >>> j & 1) != 0) {
                        int at = bits * j;
                        if (at < 64) {
                            lo |= m << at;
                        } else {
                            hi |= m << (at - 64);
                        }
                    }
                }
                c.xmm[0] = lo;
                c.xmm[1] = hi;
            }
            c.setArithFlags((res != 0 ? Cpu.CF : 0) | (lb < n ? Cpu.ZF : 0) | (la < n ? Cpu.SF : 0)
                    | ((res & 1) != 0 ? Cpu.OF : 0));
        }

        /** DPPS: the product of element e (the low dwords of a and b) where imm8 bit 4 + e selects it, else +0.0. */
        private int dpProduct(Cpu c, long a, long b, int e) {
            return (imm >>> (4 + e) & 1) != 0 ? SimdFp.op32(c, SimdFp.MUL, (int) a, (int) b) : 0;
        }

        private long run64(long a, long b) {
            switch (kind) {
                case PSHUFB -> {
                    long r = 0;
                    for (int i = 0; i < 8; i++) {
                        int sel = (int) (b >>> (8 * i)) & 0xFF;
                        if (sel < 0x80) {
                            r |= (a >>> (8 * (sel & 7)) & 0xFF) << (8 * i);
                        }
                    }
                    return r;
                }
                case PHADDW, PHADDD, PHADDSW, PHSUBW, PHSUBD, PHSUBSW -> {
                    return horizontal(kind, a) | horizontal(kind, b) << 32;
                }
                case PALIGNR -> {
                    // destination:source shifted right by imm bytes, the low 8 bytes
                    int n = imm;
                    if (n >= 16) {
                        return 0;
                    }
                    if (n >= 8) {
                        return n == 8 ? a : a >>> (8 * (n - 8));
                    }
                    return n == 0 ? b : b >>> (8 * n) | a << (64 - 8 * n);
                }
                default -> {
                    return lane(kind, a, b);
                }
            }
        }

        private void run128(Cpu c, long bLo, long bHi) {
            long aLo = c.xmm[2 * d], aHi = c.xmm[2 * d + 1];
            long rLo, rHi;
            switch (kind) {
                case PSHUFB -> {
                    rLo = rHi = 0;
                    for (int i = 0; i < 16; i++) {
                        int sel = byteAt(bLo, bHi, i);
                        long v = sel < 0x80 ? byteAt(aLo, aHi, sel & 15) : 0;
                        if (i < 8) {
                            rLo |= v << (8 * i);
                        } else {
                            rHi |= v << (8 * (i - 8));
                        }
                    }
                }
                case PHADDW, PHADDD, PHADDSW, PHSUBW, PHSUBD, PHSUBSW -> {
                    rLo = horizontal(kind, aLo) | horizontal(kind, aHi) << 32;
                    rHi = horizontal(kind, bLo) | horizontal(kind, bHi) << 32;
                }
                case PALIGNR -> {
                    // the 32 bytes destination:source shifted right by imm bytes, the low 16
                    rLo = rHi = 0;
                    for (int i = 0; i < 16; i++) {
                        int n = i + imm;
                        long v = n < 16 ? byteAt(bLo, bHi, n) : n < 32 ? byteAt(aLo, aHi, n - 16) : 0;
                        if (i < 8) {
                            rLo |= v << (8 * i);
                        } else {
                            rHi |= v << (8 * (i - 8));
                        }
                    }
                }
                default -> {
                    rLo = lane(kind, aLo, bLo);
                    rHi = lane(kind, aHi, bHi);
                }
            }
            c.xmm[2 * d] = rLo;
            c.xmm[2 * d + 1] = rHi;
        }
    }

    /** CRC32 r32, r/m8/16/32 (SSE4.2): the CRC-32C (polynomial 1EDC6F41h, bit-reflected) of the source over r32. */
    static final class Crc32 extends Op {
        final int d, s, size;
        final Addr a;

        Crc32(Insn i, int size) {
            this.d = i.reg;
            this.s = i.isReg() ? i.rm : -1;
            this.a = i.isReg() ? null : i.addr();
            this.size = size;
        }

        @Override
        void exec(Cpu c) {
            int v;
            if (s >= 0) {
                v = c.getReg(size, s);
            } else {
                int ea = (c.r[a.base()] + (c.r[a.index()] << a.scale()) + a.disp()) & a.amask();
                v = c.rd(size, a.seg(), ea);
            }
            int crc = c.r[d];
            for (int b = 0; b < 8 * size; b++) {
                crc = ((crc ^ (v >>> b)) & 1) != 0 ? crc >>> 1 ^ 0x82F63B78 : crc >>> 1;
            }
            c.r[d] = crc;
        }
    }

    /** MOVBE r16/32, m16/32 (0F 38 F0) and MOVBE m16/32, r16/32 (F1): a move with the bytes reversed. */
    static final class Movbe extends Op {
        final int reg, size;
        final boolean store;
        final Addr a;

        Movbe(Insn i, boolean store) {
            this.reg = i.reg;
            this.size = i.osize;
            this.store = store;
            this.a = i.addr();
        }

        @Override
        void exec(Cpu c) {
            int ea = (c.r[a.base()] + (c.r[a.index()] << a.scale()) + a.disp()) & a.amask();
            if (store) {
                int v = c.r[reg];
                c.wr(size, a.seg(), ea, size == 4 ? Integer.reverseBytes(v) : Short.reverseBytes((short) v));
            } else {
                int v = c.rd(size, a.seg(), ea);
                c.setReg(size, reg, size == 4 ? Integer.reverseBytes(v) : Short.reverseBytes((short) v) & 0xFFFF);
            }
        }
    }
}
