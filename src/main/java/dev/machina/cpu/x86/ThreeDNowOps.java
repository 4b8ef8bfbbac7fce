package dev.machina.cpu.x86;

/**
 * 3DNow! (CPUID.80000001h:EDX bit 31) and the 3DNow! extensions (bit 30), AMD APM Vol. 5: 0F 0F /r ib, the
 * suffix byte after the ModRM (and displacement) selecting the operation on two packed singles (or dwords /
 * words) of MMX registers, and FEMMS (0F 0E, EMMS). Extensions: PI2FW, PF2IW, PFNACC, PFPNACC, PSWAPD.
 *
 * <p>Arithmetic is IEEE single precision rounded to nearest (AMD leaves infinities, NaNs and denormals
 * undefined for 3DNow!; here they follow IEEE float arithmetic). PF2ID/PF2IW truncate and saturate.
 * PFRCP and PFRSQRT give 1/x and 1/sqrt(|x|) (with x's sign) of the source's low single in both halves, each computed in
 * single precision, and PFRCPIT1, PFRSQIT1 and PFRCPIT2 copy the source: QEMU 7.2's choice (its results
 * are already exact, "no need to actually increase precision"), where a real K6-2/Athlon's table lookup
 * gives 12 (then 24) bits; code that runs the APM's refinement sequence gets a correct result either way.
 * An undefined suffix byte is #UD.
 */
final class ThreeDNowOps {
    private ThreeDNowOps() {}

    static final int EDX81_3DNOWEXT = 1 << 30, EDX81_3DNOW = 1 << 31;

    private static int w81(Insn i) {
        return i.model.features()[CpuModel.W_81_EDX];
    }

    /** 0F 0E: FEMMS, EMMS of 3DNow!. */
    static Op femms(Insn i) {
        if ((w81(i) & EDX81_3DNOW) == 0) {
            return SystemOps.missingFeature("FEMMS", "3dnow");
        }
        return new Simd.V(Simd.EMMS, Simd.MMX, false, i, 0, 0, false);
    }

    /** 0F 0F /r ib. */
    static Op build(Insn i) {
        int k = i.imm & 0xFF;
        boolean ext = k == 0x0C || k == 0x1C || k == 0x8A || k == 0x8E || k == 0xBB;
        boolean base = switch (k) {
            case 0x0D, 0x1D, 0x90, 0x94, 0x96, 0x97, 0x9A, 0x9E, 0xA0, 0xA4, 0xA6, 0xA7, 0xAA, 0xAE, 0xB0, 0xB4, 0xB6, 0xB7,
                    0xBF -> true;
            default -> false;
        };
        if (!base && !ext) {
            return null;
        }
        if ((w81(i) & EDX81_3DNOW) == 0) {
            return SystemOps.missingFeature("3DNow!", "3dnow");
        }
        if (ext && (w81(i) & EDX81_3DNOWEXT) == 0) {
            return SystemOps.missingFeature("3DNow!+", "3dnowext");
        }
        return new P(k, i);
    }

    private static float lo(long v) {
        return Float.intBitsToFloat((int) v);
    }

    private static float hi(long v) {
        return Float.intBitsToFloat((int) (v >>> 32));
    }

    private static long pack(int l, int h) {
        return (l & 0xFFFFFFFFL) | (long) h << 32;
    }

    private static long pack(float l, float h) {
        return pack(Float.floatToRawIntBits(l), Float.floatToRawIntBits(h));
    }

    private static int cmp(boolean b) {
        return b ? -1 : 0;
    }

    private static int sat16(int v) {
        return Math.max(-32768, Math.min(32767, v));
    }

    static long op(int k, long d, long s) {
        float d0 = lo(d), d1 = hi(d), s0 = lo(s), s1 = hi(s);
        return switch (k) {
            case 0x0C -> pack((float) (short) s, (float) (short) (s >>> 32));               // PI2FW
            case 0x0D -> pack((float) (int) s, (float) (int) (s >>> 32));                   // PI2FD
            case 0x1C -> pack(sat16((int) s0), sat16((int) s1));                            // PF2IW
            case 0x1D -> pack((int) s0, (int) s1);                                          // PF2ID
            case 0x8A -> pack(d0 - d1, s0 - s1);                                            // PFNACC
            case 0x8E -> pack(d0 - d1, s0 + s1);                                            // PFPNACC
            case 0x90 -> pack(cmp(d0 >= s0), cmp(d1 >= s1));                                // PFCMPGE
            case 0x94 -> pack(d0 < s0 ? d0 : s0, d1 < s1 ? d1 : s1);                        // PFMIN
            case 0x96 -> pack(1f / s0, 1f / s0);                                            // PFRCP
            case 0x97 -> {                                                                  // PFRSQRT
                float r = Math.copySign(1f / (float) Math.sqrt(Math.abs(s0)), s0); // the source's sign (APM)
                yield pack(r, r);
            }
            case 0x9A -> pack(d0 - s0, d1 - s1);                                            // PFSUB
            case 0x9E -> pack(d0 + s0, d1 + s1);                                            // PFADD
            case 0xA0 -> pack(cmp(d0 > s0), cmp(d1 > s1));                                  // PFCMPGT
            case 0xA4 -> pack(d0 < s0 ? s0 : d0, d1 < s1 ? s1 : d1);                        // PFMAX
            case 0xA6, 0xA7, 0xB6 -> s;                                                     // PFRCPIT1, PFRSQIT1, PFRCPIT2
            case 0xAA -> pack(s0 - d0, s1 - d1);                                            // PFSUBR
            case 0xAE -> pack(d0 + d1, s0 + s1);                                            // PFACC
            case 0xB0 -> pack(cmp(d0 == s0), cmp(d1 == s1));                                // PFCMPEQ
            case 0xB4 -> pack(d0 * s0, d1 * s1);                                            // PFMUL
            case 0xB7 -> {                                                                  // PMULHRW
                long r = 0;
                for (int n = 0; n < 4; n++) {
                    int p = (short) (d >>> (16 * n)) * (short) (s >>> (16 * n)) + 0x8000;
                    r |= (long) ((p >> 16) & 0xFFFF) << (16 * n);
                }
                yield r;
            }
            case 0xBB -> s >>> 32 | s << 32;                                                // PSWAPD
            default -> {                                                                    // 0xBF PAVGUSB
                long r = 0;
                for (int n = 0; n < 8; n++) {
                    long a = d >>> (8 * n) & 0xFF, b = s >>> (8 * n) & 0xFF;
                    r |= ((a + b + 1) >>> 1) << (8 * n);
                }
                yield r;
            }
        };
    }

    static final class P extends Simd.Base {
        private final int k;

        P(int k, Insn i) {
            super(i, false);
            this.k = k;
        }

        @Override
        void exec(Cpu c) {
            Simd.mmxCheck(c);
            long s = src64(c, false);
            Simd.setMm(c, d, op(k, c.fpMant[d], s));
            Simd.mmxState(c);
        }
    }
}
