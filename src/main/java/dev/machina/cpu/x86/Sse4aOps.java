package dev.machina.cpu.x86;

/**
 * SSE4A (CPUID.80000001h:ECX.SSE4A[6], AMD APM Vol. 4): EXTRQ (66 0F 78 /0 ib ib, 66 0F 79 /r), INSERTQ
 * (F2 0F 78 /r ib ib, F2 0F 79 /r), MOVNTSS (F3 0F 2B /r) and MOVNTSD (F2 0F 2B /r).
 *
 * <p>EXTRQ takes a field of LENGTH bits starting at bit INDEX of the destination's low quadword and
 * returns it zero-extended in that quadword; INSERTQ puts the source's low LENGTH bits into the
 * destination's low quadword at INDEX, leaving its other bits. LENGTH and INDEX are bits 5:0 of the
 * immediates (first LENGTH, then INDEX), or of the source's bytes 0 and 1 (EXTRQ) / 8 and 9 (INSERTQ);
 * a LENGTH of 0 means 64. The APM leaves INDEX + LENGTH > 64 and the upper quadword undefined: here the
 * field is the bits that exist (the value shifted right / the mask shifted left and cut at bit 63) and
 * the upper quadword is kept, which is what QEMU 7.2 TCG gives. The four are register-only (a memory
 * ModRM is #UD, as is EXTRQ's immediate form with ModRM.reg != 0); MOVNTSS/MOVNTSD store the low dword
 * / quadword of the XMM register to memory with no alignment rule (their register forms are #UD).
 * Without SSE4A every form is #UD (0F 78/79 without a prefix are VMREAD/VMWRITE: #UD with no VMX).
 */
final class Sse4aOps {
    private Sse4aOps() {}

    static final int W_81_ECX_SSE4A = 1 << 6;

    private static boolean has(Insn i) {
        return (i.model.features()[CpuModel.W_81_ECX] & W_81_ECX_SSE4A) != 0;
    }

    /** 0F 78 and 0F 79: EXTRQ with 66, INSERTQ with F2; #UD otherwise. */
    static Op build(Insn i) {
        int p = Simd.prefix(i);
        boolean imm = (i.opcode & 0xFF) == 0x78;
        if (p != 0x66 && p != 0xF2) {
            return null;
        }
        String name = p == 0x66 ? "EXTRQ" : "INSERTQ";
        if (!has(i)) {
            return SystemOps.missingFeature(name, "sse4a");
        }
        if (!i.isReg() || (imm && p == 0x66 && i.reg != 0)) {
            return null;
        }
        int len = imm ? i.imm & 0x3F : -1, index = imm ? i.imm2 & 0x3F : -1;
        // EXTRQ xmm, imm8, imm8 (/0) names its register in ModRM.rm; the other three: ModRM.reg is the destination
        int d = imm && p == 0x66 ? i.rm : i.reg;
        return new Field(p == 0xF2, d, i.rm, len, index);
    }

    /** F3 0F 2B (MOVNTSS) and F2 0F 2B (MOVNTSD), memory forms only. */
    static Op movnt(Insn i) {
        boolean sd = Simd.prefix(i) == 0xF2;
        if (!has(i)) {
            return SystemOps.missingFeature(sd ? "MOVNTSD" : "MOVNTSS", "sse4a");
        }
        return i.isReg() ? null : new Store(sd, i);
    }

    /** The low quadword's field of LEN bits (0 = 64) at INDEX, zero-extended. */
    static long extract(long v, int len, int index) {
        long mask = len == 0 ? -1L : (1L << len) - 1;
        return (v >>> index) & mask;
    }

    /** DST's low quadword with LEN bits (0 = 64) at INDEX replaced by SRC's low LEN bits. */
    static long insert(long dst, long src, int len, int index) {
        long mask = len == 0 ? -1L : (1L << len) - 1;
        return (dst & ~(mask << index)) | ((src & mask) << index);
    }

    static final class Field extends Op {
        private final boolean insert;
        private final int d, s, len, index;

        /** LEN and INDEX from the immediates, or -1 to take them from the source register. */
        Field(boolean insert, int d, int s, int len, int index) {
            this.insert = insert;
            this.d = d;
            this.s = s;
            this.len = len;
            this.index = index;
        }

        @Override
        void exec(Cpu c) {
            Simd.sseCheck(c);
            long dst = c.xmm[2 * d];
            if (insert) {
                long src = c.xmm[2 * s];
                long ctl = c.xmm[2 * s + 1];
                int n = len >= 0 ? len : (int) ctl & 0x3F, at = index >= 0 ? index : (int) (ctl >>> 8) & 0x3F;
                c.xmm[2 * d] = insert(dst, src, n, at);
            } else {
                long ctl = c.xmm[2 * s];
                int n = len >= 0 ? len : (int) ctl & 0x3F, at = index >= 0 ? index : (int) (ctl >>> 8) & 0x3F;
                c.xmm[2 * d] = extract(dst, n, at);
            }
        }
    }

    static final class Store extends Simd.Base {
        private final boolean sd;

        Store(boolean sd, Insn i) {
            super(i, false);
            this.sd = sd;
        }

        @Override
        void exec(Cpu c) {
            Simd.sseCheck(c);
            int ea = ea(c);
            if (sd) {
                wr64(c, ea, c.xmm[2 * d]);
            } else {
                c.wr32(a.seg(), ea, (int) c.xmm[2 * d]);
            }
        }
    }
}
