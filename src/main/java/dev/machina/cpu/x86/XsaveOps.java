package dev.machina.cpu.x86;

/**
 * The XSAVE feature set for the two state components this core has, x87 (0) and SSE (1) (SDM Vol. 1 ch. 13,
 * Vol. 2 XSAVE, XRSTOR, XSAVEOPT, XGETBV, XSETBV): CPUID.1:ECX.XSAVE[26], OSXSAVE[27] mirroring CR4.OSXSAVE,
 * leaf 0Dh, XCR0, and the 0F AE memory forms /4 XSAVE, /5 XRSTOR, /6 XSAVEOPT (with the other 0F AE forms
 * passed on to {@link CacheLineOps} and {@link SimdFp}).
 *
 * <ul>
 *   <li>XCR0 supports bits 0 and 1 only (no AVX, MPX, PKRU: CPUID.(0Dh,0):EAX = 3); it is 1 after reset.
 *       Leaf 0Dh: sub-leaf 0 EAX = 3, EBX = ECX = 576 (the legacy region and the header), sub-leaf 1 EAX = 5
 *       (xsaveopt, xgetbv1; no xsavec/xsaves), EBX = 576; the others 0. QEMU 7.2's max offers more components
 *       (AVX, MPX, PKRU: EAX = 21Fh), which this core does not implement.</li>
 *   <li>XGETBV (0F 01 D0): #UD unless CR4.OSXSAVE; ECX = 0 gives XCR0, ECX = 1 (xgetbv1) XCR0 AND XINUSE,
 *       which is XCR0 here (every component counts as in use, as in QEMU 7.2); other ECX #GP(0).</li>
 *   <li>XSETBV (0F 01 D1): #GP(0) above CPL 0, #UD unless CR4.OSXSAVE, #GP(0) for ECX other than 0, bit 0
 *       clear or bits beyond 1 (QEMU 7.2's order of the checks).</li>
 *   <li>XSAVE / XSAVEOPT: RFBM = XCR0 AND EDX:EAX; x87 state as FXSAVE writes it (bytes 0-23, 32-159) for
 *       RFBM[0]; MXCSR and MXCSR_MASK (24-31) and XMM0-7 (160-287) for RFBM[1]; XSTATE_BV (512) gets RFBM's
 *       bits set (all in use), its others kept; nothing else of the header is written. XSAVEOPT is XSAVE
 *       (the SDM lets it write what it may skip; QEMU 7.2 does the same).</li>
 *   <li>XRSTOR: standard form only: #GP(0) when XSTATE_BV sets a bit XCR0 does not, when XCOMP_BV or bytes
 *       16-23 of the header are not 0 (bit 63 of XCOMP_BV, the compacted form, included), and for reserved
 *       MXCSR bits; RFBM[i] with XSTATE_BV[i] loads component i, without it puts it in its initial state
 *       (x87: FNINIT with the registers zeroed; SSE: XMM zeroed); MXCSR is loaded whenever RFBM[1].</li>
 *   <li>All three: #UD unless CR4.OSXSAVE (and with a LOCK, 66, F2 or F3 prefix), #NM with CR0.TS (as the
 *       SDM says; QEMU 7.2 does not check TS here), #GP(0) for an area not 64-byte aligned; the whole
 *       576 bytes are checked before anything is written or loaded.</li>
 * </ul>
 */
final class XsaveOps {
    private XsaveOps() {}

    static final int CR4_OSXSAVE = 1 << 18;
    static final int W_1_ECX_OSXSAVE = 1 << 27;
    /** The XCR0 bits this core supports: x87 and SSE. */
    static final long XCR0_SUPPORTED = 3;
    /** Size of the standard-format area for x87 and SSE: the legacy region and the header. */
    static final int AREA = 576;

    static boolean offered(CpuModel m) {
        return (m.features()[CpuModel.W_1_ECX] & CpuModel.ECX_XSAVE) != 0;
    }

    /** CPUID.(0Dh,1):EAX bits this core implements: xsaveopt (0), xgetbv1 (2); not xsavec (1), xsaves (3). */
    static final int D1_XSAVEOPT = 1, D1_XGETBV1 = 4;

    /** CPUID leaf 0Dh, sub-leaf {@code sub}, where the guest sees xsave; sub-leaf 1's EAX as the model lists it. */
    static int[] leafD(CpuModel m, int sub) {
        return switch (sub) {
            case 0 -> new int[] {(int) XCR0_SUPPORTED, AREA, AREA, 0};
            case 1 -> new int[] {d1(m), AREA, 0, 0};
            default -> new int[4];
        };
    }

    /** The model's CPUID.(0Dh,1):EAX (its FEAT_XSAVE word) cut to xsaveopt and xgetbv1. */
    static int d1(CpuModel m) {
        int[] l = m.leaves().get(0xDL << 8 | 1);
        return l == null ? 0 : l[0] & (D1_XSAVEOPT | D1_XGETBV1);
    }

    /** 0F AE with a memory operand (/4 /5 /6 /7) and its register forms: XSAVE family, CLWB/CLFLUSHOPT, SSE. */
    static Op group15(Insn i) {
        if (i.isReg() || i.reg < 4 || i.reg == 7 || (i.reg == 6 && i.p66)) {
            return i.reg >= 6 ? CacheLineOps.group15(i) : SimdFp.build(i);
        }
        String name = i.reg == 4 ? "XSAVE" : i.reg == 5 ? "XRSTOR" : "XSAVEOPT";
        if (!offered(i.model)) {
            return SystemOps.missingFeature(name, "xsave");
        }
        if (i.p66 || i.rep != 0) {
            return null;
        }
        if (i.reg == 6 && (d1(i.model) & D1_XSAVEOPT) == 0) {
            return SystemOps.missingFeature(name, "xsaveopt");
        }
        return new Area(i.reg == 5, i.addr());
    }

    /** 0F 01 D0 XGETBV, 0F 01 D1 XSETBV. */
    static Op xgetbvXsetbv(Insn i) {
        boolean set = i.rm == 1;
        if (!offered(i.model)) {
            return SystemOps.missingFeature(set ? "XSETBV" : "XGETBV", "xsave");
        }
        if (i.p66 || i.rep != 0) {
            return null;
        }
        return new Op() {
            @Override
            void exec(Cpu c) {
                if (set) {
                    if (c.pe && c.cpl != 0) {
                        throw c.gp(0);
                    }
                    if ((c.cr4 & CR4_OSXSAVE) == 0) {
                        throw c.ud();
                    }
                    long v = (c.r[Cpu.EDX] & 0xFFFFFFFFL) << 32 | (c.r[Cpu.EAX] & 0xFFFFFFFFL);
                    if (c.r[Cpu.ECX] != 0 || (v & 1) == 0 || (v & ~XCR0_SUPPORTED) != 0) {
                        throw c.gp(0);
                    }
                    c.xcr0 = v;
                    return;
                }
                if ((c.cr4 & CR4_OSXSAVE) == 0) {
                    throw c.ud();
                }
                int ecx = c.r[Cpu.ECX];
                if (ecx != 0 && (ecx != 1 || (d1(c.model) & D1_XGETBV1) == 0)) {
                    throw c.gp(0);
                }
                c.r[Cpu.EAX] = (int) c.xcr0; // ECX = 1: XCR0 AND XINUSE, every component in use
                c.r[Cpu.EDX] = (int) (c.xcr0 >>> 32);
            }
        };
    }

    static final class Area extends MemOp {
        private final boolean restore;

        Area(boolean restore, Addr a) {
            super(a);
            this.restore = restore;
        }

        @Override
        void exec(Cpu c) {
            if ((c.cr4 & CR4_OSXSAVE) == 0) {
                throw c.ud();
            }
            if ((c.cr0 & Cpu.CR0_TS) != 0) {
                throw c.fault(Vectors.NM);
            }
            int ea = ea(c);
            if (((c.base[seg] + ea) & 63) != 0) {
                throw c.gp(0);
            }
            long rfbm = c.xcr0 & ((c.r[Cpu.EDX] & 0xFFFFFFFFL) << 32 | (c.r[Cpu.EAX] & 0xFFFFFFFFL));
            if (restore) {
                xrstor(c, ea, rfbm);
            } else {
                xsave(c, ea, rfbm);
            }
        }

        private int at(int ea, int off) {
            return (ea + off) & amask;
        }

        private void xsave(Cpu c, int ea, long rfbm) {
            c.rdw(1, seg, ea); // the whole area writable first
            c.rdw(1, seg, at(ea, AREA - 1));
            if ((rfbm & 1) != 0) {
                c.wr16(seg, ea, c.fpuCw);
                c.wr16(seg, at(ea, 2), c.fpuSw);
                int ftw = 0;
                for (int p = 0; p < 8; p++) {
                    ftw |= X87.tag(c, p) != X87.TAG_EMPTY ? 1 << p : 0;
                }
                c.wr8(seg, at(ea, 4), ftw);
                c.wr8(seg, at(ea, 5), 0);
                c.wr16(seg, at(ea, 6), c.fpuFop);
                c.wr32(seg, at(ea, 8), c.fpuFip);
                c.wr16(seg, at(ea, 12), c.fpuFcs);
                c.wr16(seg, at(ea, 14), 0);
                c.wr32(seg, at(ea, 16), c.fpuFdp);
                c.wr16(seg, at(ea, 20), c.fpuFds);
                c.wr16(seg, at(ea, 22), 0);
                for (int i = 0; i < 8; i++) {
                    int q = at(ea, 32 + 16 * i);
                    int p = X87.phys(c, i);
                    c.wr32(seg, q, (int) c.fpMant[p]);
                    c.wr32(seg, (q + 4) & amask, (int) (c.fpMant[p] >>> 32));
                    c.wr16(seg, (q + 8) & amask, c.fpSe[p]);
                    c.wr16(seg, (q + 10) & amask, 0);
                    c.wr32(seg, (q + 12) & amask, 0);
                }
            }
            if ((rfbm & 2) != 0) {
                c.wr32(seg, at(ea, 24), c.mxcsr);
                c.wr32(seg, at(ea, 28), SimdFp.MXCSR_MASK);
                for (int k = 0; k < 16; k++) {
                    int q = at(ea, 160 + 8 * k);
                    c.wr32(seg, q, (int) c.xmm[k]);
                    c.wr32(seg, (q + 4) & amask, (int) (c.xmm[k] >>> 32));
                }
            }
            // XSTATE_BV: RFBM's bits set (in use), the others as they were
            int bv = c.rd32(seg, at(ea, 512));
            c.wr32(seg, at(ea, 512), (bv & ~(int) rfbm) | (int) rfbm);
        }

        private void xrstor(Cpu c, int ea, long rfbm) {
            c.rd8(seg, ea); // the whole area readable first
            c.rd8(seg, at(ea, AREA - 1));
            long bv = (c.rd32(seg, at(ea, 512)) & 0xFFFFFFFFL) | (long) c.rd32(seg, at(ea, 516)) << 32;
            int h = c.rd32(seg, at(ea, 520)) | c.rd32(seg, at(ea, 524)) | c.rd32(seg, at(ea, 528)) | c.rd32(seg, at(ea, 532));
            if ((bv & ~c.xcr0) != 0 || h != 0) {
                throw c.gp(0);
            }
            int mx = c.rd32(seg, at(ea, 24));
            if ((rfbm & 2) != 0 && (mx & ~SimdFp.MXCSR_MASK) != 0) {
                throw c.gp(0);
            }
            if ((rfbm & 1) != 0) {
                if ((bv & 1) != 0) {
                    c.fpuCw = c.rd16(seg, ea) | 0x40;
                    c.fpuSw = c.rd16(seg, at(ea, 2));
                    int ftw = c.rd8(seg, at(ea, 4));
                    c.fpuFop = c.rd16(seg, at(ea, 6)) & 0x7FF;
                    c.fpuFip = c.rd32(seg, at(ea, 8));
                    c.fpuFcs = c.rd16(seg, at(ea, 12));
                    c.fpuFdp = c.rd32(seg, at(ea, 16));
                    c.fpuFds = c.rd16(seg, at(ea, 20));
                    int top = (c.fpuSw >>> 11) & 7;
                    for (int i = 0; i < 8; i++) {
                        int q = at(ea, 32 + 16 * i);
                        int p = (top + i) & 7;
                        c.fpMant[p] = (c.rd32(seg, q) & 0xFFFFFFFFL) | ((long) c.rd32(seg, (q + 4) & amask) << 32);
                        c.fpSe[p] = c.rd16(seg, (q + 8) & amask);
                    }
                    for (int p = 0; p < 8; p++) {
                        X87.setTag(c, p, (ftw >>> p & 1) != 0 ? X87.tagOf(c.fpMant[p], c.fpSe[p]) : X87.TAG_EMPTY);
                    }
                    X87Ops.recomputeEs(c);
                } else {
                    X87Ops.fninit(c);
                    java.util.Arrays.fill(c.fpMant, 0);
                    java.util.Arrays.fill(c.fpSe, 0);
                }
            }
            if ((rfbm & 2) != 0) {
                c.mxcsr = mx;
                for (int k = 0; k < 16; k++) {
                    int q = at(ea, 160 + 8 * k);
                    c.xmm[k] = (bv & 2) == 0 ? 0 : (c.rd32(seg, q) & 0xFFFFFFFFL) | ((long) c.rd32(seg, (q + 4) & amask) << 32);
                }
            }
        }
    }
}
