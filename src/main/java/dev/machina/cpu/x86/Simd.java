package dev.machina.cpu.x86;

/**
 * MMX, SSE, SSE2 and SSE3 (SDM Vol. 1 chapters 9-12, Vol. 2 for each instruction; opcodes from
 * Vol. 2D Table A-3 with their mandatory prefixes 66/F3/F2): one {@link V} op per decoded form,
 * its kind numbered below.
 *
 * <p>Registers: MMX register n is the significand of x87 physical register n ({@link CpuState#fpMant});
 * XMM n is {@code xmm[2n]} (low) and {@code xmm[2n+1]} (high).
 *
 * <p>Availability (Vol. 3A 2.5, Vol. 2 "Exceptions" of each page, Vol. 3A Table 22-1 ... 22-7):
 * an MMX-register form is #UD under CR0.EM, #NM under CR0.TS, takes a pending x87 exception first
 * (#MF, or FERR# under CR0.NE = 0), and puts the x87 in MMX state (TOP = 0, every tag valid, the
 * exponent of a written register all ones, Vol. 1 9.5); an XMM form is #UD under CR0.EM or with
 * CR4.OSFXSR clear and #NM under CR0.TS. Each form exists only where the CPU model's CPUID says so
 * (MMX, SSE, SSE2, SSE3), else #UD at decode. A 16-byte memory operand of a packed form must be
 * 16-byte aligned (#GP(0)) except for the unaligned moves (MOVUPS/MOVUPD/MOVDQU/LDDQU).
 *
 * <p>The floating-point part is in {@link SimdFp}.
 */
final class Simd {
    private Simd() {}

    // availability classes
    static final int MMX = 1, SSE = 2, BOTH = 3;

    // ---- element-wise integer operations on 64-bit chunks (the XMM forms apply them to both halves) ----
    static final int PADDB = 1, PADDW = 2, PADDD = 3, PADDQ = 4, PSUBB = 5, PSUBW = 6, PSUBD = 7, PSUBQ = 8,
            PADDSB = 9, PADDSW = 10, PADDUSB = 11, PADDUSW = 12, PSUBSB = 13, PSUBSW = 14, PSUBUSB = 15, PSUBUSW = 16,
            PCMPEQB = 17, PCMPEQW = 18, PCMPEQD = 19, PCMPGTB = 20, PCMPGTW = 21, PCMPGTD = 22, PMULLW = 23,
            PMULHW = 24, PMULHUW = 25, PMADDWD = 26, PAND = 27, PANDN = 28, POR = 29, PXOR = 30, PAVGB = 31,
            PAVGW = 32, PMINUB = 33, PMAXUB = 34, PMINSW = 35, PMAXSW = 36, PSADBW = 37, PMULUDQ = 38;
    static final int LANE_LAST = 38;
    // ---- whole-register integer operations ----
    static final int PACKSSWB = 40, PACKSSDW = 41, PACKUSWB = 42, PUNPCKLBW = 43, PUNPCKLWD = 44, PUNPCKLDQ = 45,
            PUNPCKLQDQ = 46, PUNPCKHBW = 47, PUNPCKHWD = 48, PUNPCKHDQ = 49, PUNPCKHQDQ = 50,
            PSRLW = 51, PSRLD = 52, PSRLQ = 53, PSRAW = 54, PSRAD = 55, PSLLW = 56, PSLLD = 57, PSLLQ = 58,
            PSRLWI = 59, PSRLDI = 60, PSRLQI = 61, PSRAWI = 62, PSRADI = 63, PSLLWI = 64, PSLLDI = 65, PSLLQI = 66,
            PSRLDQ = 67, PSLLDQ = 68, PSHUFW = 69, PSHUFD = 70, PSHUFHW = 71, PSHUFLW = 72;
    // ---- moves and the rest ----
    static final int MOVD_IN = 80, MOVD_OUT = 81, MOVQ_IN = 82, MOVQ_OUT = 83, MOVQ_XIN = 84, MOVQ_XOUT = 85,
            MOVQ2DQ = 86, MOVDQ2Q = 87, MOV_XIN = 88, MOV_XOUT = 89, EMMS = 90, PMOVMSKB = 91, PEXTRW = 92,
            PINSRW = 93, MASKMOV = 94, LDMXCSR = 95, STMXCSR = 96;

    static int prefix(Insn i) {
        return i.rep != 0 ? i.rep : i.p66 ? 0x66 : 0;
    }

    /** The forms of 0F 60-7F and 0F D0-FF (and 0F C4/C5) whose operation is integer MMX/SSE2. */
    static Op build(Insn i) {
        int op = i.opcode & 0xFF;
        int p = prefix(i);
        boolean mmxOk = i.hasFeature(CpuModel.EDX_MMX);
        // the integer instructions SSE added on MMX registers are also AMD's MMX extensions (mmxext, AMD APM Vol. 5)
        boolean sseOk = i.hasFeature(CpuModel.EDX_SSE) || (i.model.features()[CpuModel.W_81_EDX] & CpuModel.EDX81_MMXEXT) != 0;
        boolean sse2Ok = i.hasFeature(CpuModel.EDX_SSE2);
        // the MMX forms (no prefix) and the SSE2 forms (66)
        int k = intKind(op, i.reg);
        if (k != 0 && immediate(op) && op != 0x70 && !i.isReg()) {
            return null; // the shift-by-immediate groups have register forms only
        }
        if (k != 0) {
            if (p == 0) {
                boolean sseAdd = k == PMINUB || k == PMAXUB || k == PMINSW || k == PMAXSW || k == PAVGB || k == PAVGW
                        || k == PMULHUW || k == PSADBW || k == PSHUFW;
                boolean sse2Add = k == PADDQ || k == PSUBQ || k == PMULUDQ;
                if (k == PUNPCKLQDQ || k == PUNPCKHQDQ || k == PSRLDQ || k == PSLLDQ || k == PSHUFD
                        || !mmxOk || (sseAdd && !sseOk) || (sse2Add && !sse2Ok)) {
                    return null;
                }
                return new V(k, MMX, false, i, immediate(op) ? i.imm & 0xFF : 0, 8, false);
            }
            if (p == 0x66 && sse2Ok) { // (66 0F 70 is PSHUFD: see V)
                return new V(k, SSE, true, i, immediate(op) ? i.imm & 0xFF : 0, 16, true);
            }
            if (op == 0x70 && sse2Ok && (p == 0xF3 || p == 0xF2)) {
                return new V(p == 0xF3 ? PSHUFHW : PSHUFLW, SSE, true, i, i.imm & 0xFF, 16, true);
            }
            return null;
        }
        switch (op) {
            case 0xF0 -> { // LDDQU xmm, m128 (SSE3): an unaligned load
                return p == 0xF2 && !i.isReg() && i.hasEcxFeature(CpuModel.ECX_SSE3)
                        ? new V(MOV_XIN, SSE, true, i, 0, 16, false) : null;
            }
            case 0x6E -> { // MOVD mm, r/m32 / MOVD xmm, r/m32
                if (p == 0 && mmxOk) {
                    return new V(MOVD_IN, MMX, false, i, 0, 4, false);
                }
                return p == 0x66 && sse2Ok ? new V(MOVD_IN, SSE, true, i, 0, 4, false) : null;
            }
            case 0x7E -> { // MOVD r/m32, mm / MOVD r/m32, xmm / MOVQ xmm, xmm/m64
                if (p == 0 && mmxOk) {
                    return new V(MOVD_OUT, MMX, false, i, 0, 4, false);
                }
                if (p == 0x66 && sse2Ok) {
                    return new V(MOVD_OUT, SSE, true, i, 0, 4, false);
                }
                return p == 0xF3 && sse2Ok ? new V(MOVQ_XIN, SSE, true, i, 0, 8, false) : null;
            }
            case 0x6F, 0x7F -> { // MOVQ mm, mm/m64 (and back) / MOVDQA / MOVDQU
                boolean out = op == 0x7F;
                if (p == 0 && mmxOk) {
                    return new V(out ? MOVQ_OUT : MOVQ_IN, MMX, false, i, 0, 8, false);
                }
                if ((p == 0x66 || p == 0xF3) && sse2Ok) {
                    return new V(out ? MOV_XOUT : MOV_XIN, SSE, true, i, 0, 16, p == 0x66);
                }
                return null;
            }
            case 0x77 -> { // EMMS
                return p == 0 && mmxOk ? new V(EMMS, MMX, false, i, 0, 0, false) : null;
            }
            case 0xD6 -> { // MOVQ xmm/m64, xmm / MOVQ2DQ / MOVDQ2Q
                if (!sse2Ok) {
                    return null;
                }
                if (p == 0x66) {
                    return new V(MOVQ_XOUT, SSE, true, i, 0, 8, false);
                }
                if ((p == 0xF3 || p == 0xF2) && i.isReg()) {
                    return new V(p == 0xF3 ? MOVQ2DQ : MOVDQ2Q, BOTH, true, i, 0, 0, false);
                }
                return null;
            }
            case 0xD7 -> { // PMOVMSKB r32, mm / xmm
                if (!i.isReg()) {
                    return null;
                }
                if (p == 0 && sseOk && mmxOk) {
                    return new V(PMOVMSKB, MMX, false, i, 0, 0, false);
                }
                return p == 0x66 && sse2Ok ? new V(PMOVMSKB, SSE, true, i, 0, 0, false) : null;
            }
            case 0xC4 -> { // PINSRW mm, r32/m16, imm8 / xmm
                if (p == 0 && sseOk && mmxOk) {
                    return new V(PINSRW, MMX, false, i, i.imm & 0xFF, 2, false);
                }
                return p == 0x66 && sse2Ok ? new V(PINSRW, SSE, true, i, i.imm & 0xFF, 2, false) : null;
            }
            case 0xC5 -> { // PEXTRW r32, mm, imm8 / xmm
                if (!i.isReg()) {
                    return null;
                }
                if (p == 0 && sseOk && mmxOk) {
                    return new V(PEXTRW, MMX, false, i, i.imm & 0xFF, 0, false);
                }
                return p == 0x66 && sse2Ok ? new V(PEXTRW, SSE, true, i, i.imm & 0xFF, 0, false) : null;
            }
            case 0xE7 -> { // MOVNTQ m64, mm / MOVNTDQ m128, xmm
                if (i.isReg()) {
                    return null;
                }
                if (p == 0 && sseOk && mmxOk) {
                    return new V(MOVQ_OUT, MMX, false, i, 0, 8, false);
                }
                return p == 0x66 && sse2Ok ? new V(MOV_XOUT, SSE, true, i, 0, 16, true) : null;
            }
            case 0xF7 -> { // MASKMOVQ mm, mm / MASKMOVDQU xmm, xmm
                if (!i.isReg()) {
                    return null;
                }
                if (p == 0 && sseOk && mmxOk) {
                    return new V(MASKMOV, MMX, false, i, 0, 0, false);
                }
                return p == 0x66 && sse2Ok ? new V(MASKMOV, SSE, true, i, 0, 0, false) : null;
            }
            default -> {
                return null;
            }
        }
    }

    private static boolean immediate(int op) {
        return op == 0x70 || op == 0x71 || op == 0x72 || op == 0x73;
    }

    /** The integer operation of an opcode (ModRM.reg for the shift groups 71-73), or 0. */
    private static int intKind(int op, int reg) {
        return switch (op) {
            case 0x60 -> PUNPCKLBW;
            case 0x61 -> PUNPCKLWD;
            case 0x62 -> PUNPCKLDQ;
            case 0x63 -> PACKSSWB;
            case 0x64 -> PCMPGTB;
            case 0x65 -> PCMPGTW;
            case 0x66 -> PCMPGTD;
            case 0x67 -> PACKUSWB;
            case 0x68 -> PUNPCKHBW;
            case 0x69 -> PUNPCKHWD;
            case 0x6A -> PUNPCKHDQ;
            case 0x6B -> PACKSSDW;
            case 0x6C -> PUNPCKLQDQ;
            case 0x6D -> PUNPCKHQDQ;
            case 0x70 -> PSHUFW; // 66: PSHUFD (see V)
            case 0x71 -> reg == 2 ? PSRLWI : reg == 4 ? PSRAWI : reg == 6 ? PSLLWI : 0;
            case 0x72 -> reg == 2 ? PSRLDI : reg == 4 ? PSRADI : reg == 6 ? PSLLDI : 0;
            case 0x73 -> reg == 2 ? PSRLQI : reg == 3 ? PSRLDQ : reg == 6 ? PSLLQI : reg == 7 ? PSLLDQ : 0;
            case 0x74 -> PCMPEQB;
            case 0x75 -> PCMPEQW;
            case 0x76 -> PCMPEQD;
            case 0xD1 -> PSRLW;
            case 0xD2 -> PSRLD;
            case 0xD3 -> PSRLQ;
            case 0xD4 -> PADDQ;
            case 0xD5 -> PMULLW;
            case 0xD8 -> PSUBUSB;
            case 0xD9 -> PSUBUSW;
            case 0xDA -> PMINUB;
            case 0xDB -> PAND;
            case 0xDC -> PADDUSB;
            case 0xDD -> PADDUSW;
            case 0xDE -> PMAXUB;
            case 0xDF -> PANDN;
            case 0xE0 -> PAVGB;
            case 0xE1 -> PSRAW;
            case 0xE2 -> PSRAD;
            case 0xE3 -> PAVGW;
            case 0xE4 -> PMULHUW;
            case 0xE5 -> PMULHW;
            case 0xE8 -> PSUBSB;
            case 0xE9 -> PSUBSW;
            case 0xEA -> PMINSW;
            case 0xEB -> POR;
            case 0xEC -> PADDSB;
            case 0xED -> PADDSW;
            case 0xEE -> PMAXSW;
            case 0xEF -> PXOR;
            case 0xF1 -> PSLLW;
            case 0xF2 -> PSLLD;
            case 0xF3 -> PSLLQ;
            case 0xF4 -> PMULUDQ;
            case 0xF5 -> PMADDWD;
            case 0xF6 -> PSADBW;
            case 0xF8 -> PSUBB;
            case 0xF9 -> PSUBW;
            case 0xFA -> PSUBD;
            case 0xFB -> PSUBQ;
            case 0xFC -> PADDB;
            case 0xFD -> PADDW;
            case 0xFE -> PADDD;
            default -> 0;
        };
    }

    // =====================================================================================
    // availability and register access
    // =====================================================================================

    /** The checks before any MMX-register instruction (SDM Vol. 3A Table 22-1 order: #UD, #NM, #MF). */
    static void mmxCheck(Cpu c) {
        if ((c.cr0 & Cpu.CR0_EM) != 0) {
            throw c.ud();
        }
        if ((c.cr0 & Cpu.CR0_TS) != 0) {
            throw c.fault(Vectors.NM);
        }
        if ((c.fpuSw & X87.ES) != 0) {
            c.fpuPending();
        }
    }

    /** The checks before an SSE instruction: #UD under CR0.EM or without CR4.OSFXSR, #NM under CR0.TS. */
    static void sseCheck(Cpu c) {
        if ((c.cr0 & Cpu.CR0_EM) != 0 || (c.cr4 & SystemOps.CR4_OSFXSR) == 0) {
            throw c.ud();
        }
        if ((c.cr0 & Cpu.CR0_TS) != 0) {
            throw c.fault(Vectors.NM);
        }
    }

    /** The x87 state after an MMX instruction (SDM Vol. 1 Table 9-2): TOP = 0, every tag valid. */
    static void mmxState(Cpu c) {
        c.fpuSw &= ~0x3800;
        c.fpuTw = 0;
    }

    static void setMm(Cpu c, int n, long v) {
        c.fpMant[n] = v;
        c.fpSe[n] = 0xFFFF;
    }

    // =====================================================================================
    // lane arithmetic
    // =====================================================================================

    private static int satS8(int v) {
        return v > 127 ? 127 : v < -128 ? -128 : v;
    }

    private static int satU8(int v) {
        return v > 255 ? 255 : v < 0 ? 0 : v;
    }

    private static int satS16(int v) {
        return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }

    private static int satU16(int v) {
        return v > 65535 ? 65535 : v < 0 ? 0 : v;
    }

    /** One element-wise operation on a 64-bit chunk: a is the destination, b the source. */
    static long lane(int k, long a, long b) {
        switch (k) {
            case PADDQ:
                return a + b;
            case PSUBQ:
                return a - b;
            case PAND:
                return a & b;
            case PANDN:
                return ~a & b;
            case POR:
                return a | b;
            case PXOR:
                return a ^ b;
            case PMULUDQ:
                return (a & 0xFFFFFFFFL) * (b & 0xFFFFFFFFL);
            case PSADBW: {
                int sum = 0;
                for (int i = 0; i < 64; i += 8) {
                    sum += Math.abs((int) (a >>> i & 0xFF) - (int) (b >>> i & 0xFF));
                }
                return sum;
            }
            case PMADDWD: {
                long r = 0;
                for (int i = 0; i < 64; i += 32) {
                    int s = (short) (a >>> i) * (short) (b >>> i) + (short) (a >>> (i + 16)) * (short) (b >>> (i + 16));
                    r |= (s & 0xFFFFFFFFL) << i;
                }
                return r;
            }
            default:
                break;
        }
        int bits = switch (k) {
            case PADDB, PSUBB, PADDSB, PADDUSB, PSUBSB, PSUBUSB, PCMPEQB, PCMPGTB, PAVGB, PMINUB, PMAXUB -> 8;
            case PADDD, PSUBD, PCMPEQD, PCMPGTD -> 32;
            default -> 16;
        };
        long mask = bits == 32 ? 0xFFFFFFFFL : (1L << bits) - 1;
        long r = 0;
        for (int i = 0; i < 64; i += bits) {
            int x = (int) (a >>> i & mask), y = (int) (b >>> i & mask);
            int sx = bits == 8 ? (byte) x : bits == 16 ? (short) x : x;
            int sy = bits == 8 ? (byte) y : bits == 16 ? (short) y : y;
            int v = switch (k) {
                case PADDB, PADDW, PADDD -> x + y;
                case PSUBB, PSUBW, PSUBD -> x - y;
                case PADDSB -> satS8(sx + sy);
                case PADDSW -> satS16(sx + sy);
                case PADDUSB -> satU8(x + y);
                case PADDUSW -> satU16(x + y);
                case PSUBSB -> satS8(sx - sy);
                case PSUBSW -> satS16(sx - sy);
                case PSUBUSB -> satU8(x - y);
                case PSUBUSW -> satU16(x - y);
                case PCMPEQB, PCMPEQW, PCMPEQD -> x == y ? -1 : 0;
                case PCMPGTB, PCMPGTW, PCMPGTD -> sx > sy ? -1 : 0;
                case PMULLW -> sx * sy;
                case PMULHW -> (sx * sy) >> 16;
                case PMULHUW -> (x * y) >>> 16;
                case PAVGB, PAVGW -> (x + y + 1) >>> 1;
                case PMINUB -> Math.min(x, y);
                case PMAXUB -> Math.max(x, y);
                case PMINSW -> Math.min(sx, sy);
                case PMAXSW -> Math.max(sx, sy);
                default -> throw new IllegalStateException("lane kind " + k);
            };
            r |= (v & mask) << i;
        }
        return r;
    }

    /** Shift of every element of a 64-bit chunk by an unsigned count (beyond the element width: 0 or the sign). */
    static long shift(int k, long a, long count) {
        int bits = switch (k) {
            case PSRLW, PSRAW, PSLLW, PSRLWI, PSRAWI, PSLLWI -> 16;
            case PSRLD, PSRAD, PSLLD, PSRLDI, PSRADI, PSLLDI -> 32;
            default -> 64;
        };
        boolean arith = k == PSRAW || k == PSRAD || k == PSRAWI || k == PSRADI;
        boolean left = k == PSLLW || k == PSLLD || k == PSLLQ || k == PSLLWI || k == PSLLDI || k == PSLLQI;
        if (Long.compareUnsigned(count, bits - 1) > 0) {
            if (!arith) {
                return 0;
            }
            count = bits - 1;
        }
        int n = (int) count;
        if (bits == 64) {
            return left ? a << n : a >>> n;
        }
        long mask = (1L << bits) - 1;
        long r = 0;
        for (int i = 0; i < 64; i += bits) {
            long x = a >>> i & mask;
            long v;
            if (left) {
                v = x << n;
            } else if (arith) {
                v = (bits == 16 ? (short) x : (int) x) >> n;
            } else {
                v = x >>> n;
            }
            r |= (v & mask) << i;
        }
        return r;
    }

    /** Packs the four words (or two dwords) of a 64-bit chunk into 32 bits with saturation. */
    static long pack(int k, long a) {
        long r = 0;
        if (k == PACKSSDW) {
            for (int i = 0; i < 2; i++) {
                r |= (long) (satS16((int) (a >>> (32 * i))) & 0xFFFF) << (16 * i);
            }
            return r;
        }
        for (int i = 0; i < 4; i++) {
            int w = (short) (a >>> (16 * i));
            r |= (long) ((k == PACKSSWB ? satS8(w) : satU8(w)) & 0xFF) << (8 * i);
        }
        return r;
    }

    /** Interleaves the elements of two 32-bit halves: x0 y0 x1 y1 ... (64 bits). */
    static long interleave(int bits, long x, long y) {
        long mask = bits == 32 ? 0xFFFFFFFFL : (1L << bits) - 1;
        long r = 0;
        int o = 0;
        for (int i = 0; i < 32; i += bits) {
            r |= (x >>> i & mask) << o;
            o += bits;
            r |= (y >>> i & mask) << o;
            o += bits;
        }
        return r;
    }

    static long shuffleWords(long a, int imm) {
        long r = 0;
        for (int i = 0; i < 4; i++) {
            r |= (a >>> (16 * (imm >>> (2 * i) & 3)) & 0xFFFF) << (16 * i);
        }
        return r;
    }

    private static long dword(long lo, long hi, int n) {
        return (n < 2 ? lo >>> (32 * n) : hi >>> (32 * (n - 2))) & 0xFFFFFFFFL;
    }

    static int byteMask(long v) {
        int m = 0;
        for (int i = 0; i < 8; i++) {
            m |= (int) (v >>> (8 * i + 7) & 1) << i;
        }
        return m;
    }

    // =====================================================================================
    // the op
    // =====================================================================================

    /** What every SIMD form has: its registers (ModRM.reg, ModRM.rm or -1) or memory operand, and the memory helpers. */
    abstract static class Base extends Op {
        final int d, s;
        final Addr a;
        /** A 16-byte memory operand must be 16-byte aligned. */
        final boolean align;

        Base(Insn i, boolean align) {
            this.d = i.reg;
            this.s = i.isReg() ? i.rm : -1;
            this.a = i.isReg() ? null : i.addr();
            this.align = align;
        }

        final int ea(Cpu c) {
            return (c.r[a.base()] + (c.r[a.index()] << a.scale()) + a.disp()) & a.amask();
        }

        final long rd64(Cpu c, int ea) {
            int sg = a.seg();
            long lo = c.rd32(sg, ea) & 0xFFFFFFFFL;
            return lo | ((long) c.rd32(sg, (ea + 4) & a.amask()) << 32);
        }

        final void wr64(Cpu c, int ea, long v) {
            int sg = a.seg();
            c.rdw(4, sg, (ea + 4) & a.amask()); // both halves writable before anything is written
            c.wr32(sg, ea, (int) v);
            c.wr32(sg, (ea + 4) & a.amask(), (int) (v >>> 32));
        }

        final void alignCheck(Cpu c, int ea) {
            if (((c.base[a.seg()] + ea) & 15) != 0) {
                throw c.gp(0);
            }
        }

        /** The 128-bit source (XMM rm or m128) into c.vLo/c.vHi. */
        final void src128(Cpu c) {
            if (s >= 0) {
                c.vLo = c.xmm[2 * s];
                c.vHi = c.xmm[2 * s + 1];
                return;
            }
            int ea = ea(c);
            if (align) {
                alignCheck(c, ea);
            }
            c.vLo = rd64(c, ea);
            c.vHi = rd64(c, (ea + 8) & a.amask());
        }

        /** Stores 128 bits to the memory operand (checked writable at both ends first). */
        final void store128(Cpu c, long lo, long hi) {
            int ea = ea(c);
            if (align) {
                alignCheck(c, ea);
            }
            c.rdw(1, a.seg(), (ea + 15) & a.amask());
            wr64(c, ea, lo);
            wr64(c, (ea + 8) & a.amask(), hi);
        }

        /** The 64-bit source: MMX rm (or the low half of XMM rm for an XMM form) or m64. */
        final long src64(Cpu c, boolean xmmReg) {
            if (s >= 0) {
                return xmmReg ? c.xmm[2 * s] : c.fpMant[s];
            }
            return rd64(c, ea(c));
        }

        /** The 32-bit source: the low dword of XMM rm or m32. */
        final int src32(Cpu c) {
            return s >= 0 ? (int) c.xmm[2 * s] : c.rd32(a.seg(), ea(c));
        }
    }

    /** One MMX/SSE integer or move form. */
    static final class V extends Base {
        final int kind, cls, imm, msize;
        final boolean x;
        final int asizeMask;
        /** The MASKMOV destination DS:rDI (a segment override applies). */
        final int maskSeg;

        V(int kind, int cls, boolean x, Insn i, int imm, int msize, boolean align) {
            super(i, align);
            this.kind = kind == PSHUFW && x ? PSHUFD : kind;
            this.cls = cls;
            this.x = x;
            this.imm = imm;
            this.msize = msize;
            this.asizeMask = i.asize == 2 ? 0xFFFF : -1;
            this.maskSeg = i.dsOr();
        }

        @Override
        void exec(Cpu c) {
            if ((cls & SSE) != 0) {
                sseCheck(c);
            }
            if ((cls & MMX) != 0) {
                mmxCheck(c);
            }
            run(c);
            if ((cls & MMX) != 0 && kind != EMMS) {
                mmxState(c);
            }
        }

        private void run(Cpu c) {
            int k = kind;
            if (k <= LANE_LAST) {
                if (x) {
                    src128(c);
                    c.xmm[2 * d] = lane(k, c.xmm[2 * d], c.vLo);
                    c.xmm[2 * d + 1] = lane(k, c.xmm[2 * d + 1], c.vHi);
                } else {
                    setMm(c, d, lane(k, c.fpMant[d], src64(c, false)));
                }
                return;
            }
            switch (k) {
                case PACKSSWB, PACKSSDW, PACKUSWB -> {
                    if (x) {
                        src128(c);
                        long lo = pack(k, c.xmm[2 * d]) | pack(k, c.xmm[2 * d + 1]) << 32;
                        c.xmm[2 * d + 1] = pack(k, c.vLo) | pack(k, c.vHi) << 32;
                        c.xmm[2 * d] = lo;
                    } else {
                        setMm(c, d, pack(k, c.fpMant[d]) | pack(k, src64(c, false)) << 32);
                    }
                }
                case PUNPCKLBW, PUNPCKLWD, PUNPCKLDQ, PUNPCKHBW, PUNPCKHWD, PUNPCKHDQ -> {
                    int bits = k == PUNPCKLBW || k == PUNPCKHBW ? 8 : k == PUNPCKLWD || k == PUNPCKHWD ? 16 : 32;
                    boolean high = k >= PUNPCKHBW;
                    if (x) {
                        src128(c);
                        long av = high ? c.xmm[2 * d + 1] : c.xmm[2 * d];
                        long bv = high ? c.vHi : c.vLo;
                        c.xmm[2 * d] = interleave(bits, av, bv);
                        c.xmm[2 * d + 1] = interleave(bits, av >>> 32, bv >>> 32);
                    } else {
                        // the low-order MMX forms read m32, the high-order ones m64
                        long bv = s >= 0 ? c.fpMant[s] : high ? rd64(c, ea(c)) : c.rd32(a.seg(), ea(c)) & 0xFFFFFFFFL;
                        long av = c.fpMant[d];
                        setMm(c, d, high ? interleave(bits, av >>> 32, bv >>> 32) : interleave(bits, av, bv));
                    }
                }
                case PUNPCKLQDQ -> {
                    src128(c);
                    c.xmm[2 * d + 1] = c.vLo;
                }
                case PUNPCKHQDQ -> {
                    src128(c);
                    c.xmm[2 * d] = c.xmm[2 * d + 1];
                    c.xmm[2 * d + 1] = c.vHi;
                }
                case PSRLW, PSRLD, PSRLQ, PSRAW, PSRAD, PSLLW, PSLLD, PSLLQ -> {
                    if (x) {
                        src128(c);
                        long n = c.vLo;
                        c.xmm[2 * d] = shift(k, c.xmm[2 * d], n);
                        c.xmm[2 * d + 1] = shift(k, c.xmm[2 * d + 1], n);
                    } else {
                        setMm(c, d, shift(k, c.fpMant[d], src64(c, false)));
                    }
                }
                case PSRLWI, PSRLDI, PSRLQI, PSRAWI, PSRADI, PSLLWI, PSLLDI, PSLLQI -> {
                    // register-only forms: the register is ModRM.rm
                    if (x) {
                        c.xmm[2 * s] = shift(k, c.xmm[2 * s], imm);
                        c.xmm[2 * s + 1] = shift(k, c.xmm[2 * s + 1], imm);
                    } else {
                        setMm(c, s, shift(k, c.fpMant[s], imm));
                    }
                }
                case PSRLDQ, PSLLDQ -> {
                    int n = imm > 16 ? 16 : imm;
                    long lo = c.xmm[2 * s], hi = c.xmm[2 * s + 1];
                    for (int i = 0; i < n; i++) {
                        if (k == PSRLDQ) {
                            lo = lo >>> 8 | hi << 56;
                            hi >>>= 8;
                        } else {
                            hi = hi << 8 | lo >>> 56;
                            lo <<= 8;
                        }
                    }
                    c.xmm[2 * s] = lo;
                    c.xmm[2 * s + 1] = hi;
                }
                case PSHUFW -> setMm(c, d, shuffleWords(src64(c, false), imm));
                case PSHUFD -> {
                    src128(c);
                    long lo = dword(c.vLo, c.vHi, imm & 3) | dword(c.vLo, c.vHi, imm >>> 2 & 3) << 32;
                    long hi = dword(c.vLo, c.vHi, imm >>> 4 & 3) | dword(c.vLo, c.vHi, imm >>> 6 & 3) << 32;
                    c.xmm[2 * d] = lo;
                    c.xmm[2 * d + 1] = hi;
                }
                case PSHUFHW -> {
                    src128(c);
                    c.xmm[2 * d] = c.vLo;
                    c.xmm[2 * d + 1] = shuffleWords(c.vHi, imm);
                }
                case PSHUFLW -> {
                    src128(c);
                    c.xmm[2 * d] = shuffleWords(c.vLo, imm);
                    c.xmm[2 * d + 1] = c.vHi;
                }
                case MOVD_IN -> {
                    int v = s >= 0 ? c.r[s] : c.rd32(a.seg(), ea(c));
                    if (x) {
                        c.xmm[2 * d] = v & 0xFFFFFFFFL;
                        c.xmm[2 * d + 1] = 0;
                    } else {
                        setMm(c, d, v & 0xFFFFFFFFL);
                    }
                }
                case MOVD_OUT -> {
                    int v = (int) (x ? c.xmm[2 * d] : c.fpMant[d]);
                    if (s >= 0) {
                        c.r[s] = v;
                    } else {
                        c.wr32(a.seg(), ea(c), v);
                    }
                }
                case MOVQ_IN -> setMm(c, d, src64(c, false));
                case MOVQ_OUT -> {
                    long v = c.fpMant[d];
                    if (s >= 0) {
                        setMm(c, s, v);
                    } else {
                        wr64(c, ea(c), v);
                    }
                }
                case MOVQ_XIN -> {
                    long v = src64(c, true);
                    c.xmm[2 * d] = v;
                    c.xmm[2 * d + 1] = 0;
                }
                case MOVQ_XOUT -> {
                    long v = c.xmm[2 * d];
                    if (s >= 0) {
                        c.xmm[2 * s] = v;
                        c.xmm[2 * s + 1] = 0;
                    } else {
                        wr64(c, ea(c), v);
                    }
                }
                case MOVQ2DQ -> {
                    c.xmm[2 * d] = c.fpMant[s];
                    c.xmm[2 * d + 1] = 0;
                }
                case MOVDQ2Q -> setMm(c, d, c.xmm[2 * s]);
                case MOV_XIN -> {
                    src128(c);
                    c.xmm[2 * d] = c.vLo;
                    c.xmm[2 * d + 1] = c.vHi;
                }
                case MOV_XOUT -> {
                    if (s >= 0) {
                        c.xmm[2 * s] = c.xmm[2 * d];
                        c.xmm[2 * s + 1] = c.xmm[2 * d + 1];
                    } else {
                        store128(c, c.xmm[2 * d], c.xmm[2 * d + 1]);
                    }
                }
                case EMMS -> c.fpuTw = 0xFFFF; // every tag empty (SDM Vol. 1 9.6.3); TOP is left alone
                case PMOVMSKB -> c.r[d] = x ? byteMask(c.xmm[2 * s]) | byteMask(c.xmm[2 * s + 1]) << 8
                        : byteMask(c.fpMant[s]);
                case PEXTRW -> {
                    int n = x ? imm & 7 : imm & 3;
                    long v = x ? c.xmm[2 * s + (n >>> 2)] : c.fpMant[s];
                    c.r[d] = (int) (v >>> (16 * (n & 3))) & 0xFFFF;
                }
                case PINSRW -> {
                    int w = s >= 0 ? c.r[s] & 0xFFFF : c.rd16(a.seg(), ea(c));
                    int n = x ? imm & 7 : imm & 3;
                    int sh = 16 * (n & 3);
                    if (x) {
                        int h = 2 * d + (n >>> 2);
                        c.xmm[h] = c.xmm[h] & ~(0xFFFFL << sh) | (long) w << sh;
                    } else {
                        setMm(c, d, c.fpMant[d] & ~(0xFFFFL << sh) | (long) w << sh);
                    }
                }
                case MASKMOV -> {
                    int n = x ? 16 : 8;
                    int di = c.r[Cpu.EDI] & asizeMask;
                    for (int i = 0; i < n; i++) {
                        long m = x ? c.xmm[2 * s + (i >>> 3)] : c.fpMant[s];
                        if ((m >>> (8 * (i & 7) + 7) & 1) != 0) {
                            long v = x ? c.xmm[2 * d + (i >>> 3)] : c.fpMant[d];
                            c.wr8(maskSeg, (di + i) & asizeMask, (int) (v >>> (8 * (i & 7))));
                        }
                    }
                }
                default -> throw new IllegalStateException("SIMD kind " + k);
            }
        }
    }
}
