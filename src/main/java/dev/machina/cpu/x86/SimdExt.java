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
    }

    static final int ECX_SSSE3 = 1 << 9;
    /** The CPUID.1:ECX features whose instructions are all here (CpuModel.IMPLEMENTED). */
    static final int ECX_IMPLEMENTED = ECX_SSSE3;

    static Op build(Insn i) {
        int op = i.opcode & 0xFF;
        int p = Simd.prefix(i);
        if (i.opcode >= 0x300) {
            if (op == 0x0F) {
                return ssse3(i, p, PALIGNR, "PALIGNR");
            }
            return null;
        }
        for (int k = 0; k < SSSE3_38.length; k++) {
            if (SSSE3_38[k] == op) {
                return ssse3(i, p, SSSE3_KINDS[k], SSSE3_NAMES[k]);
            }
        }
        return null;
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

    // =====================================================================================
    // the op
    // =====================================================================================

    /** One form of the three-byte maps on MMX (x false) or XMM registers. */
    static final class X extends Simd.Base {
        final int kind, imm;
        final boolean x;

        X(int kind, boolean x, Insn i, int imm) {
            super(i, true);
            this.kind = kind;
            this.x = x;
            this.imm = imm;
        }

        @Override
        void exec(Cpu c) {
            if (x) {
                Simd.sseCheck(c);
                src128(c);
                run128(c, c.vLo, c.vHi);
            } else {
                Simd.mmxCheck(c);
                Simd.setMm(c, d, run64(c.fpMant[d], src64(c, false)));
                Simd.mmxState(c);
            }
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
}
