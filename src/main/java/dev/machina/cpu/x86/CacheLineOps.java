package dev.machina.cpu.x86;

/**
 * CLFLUSHOPT (66 0F AE /7, CPUID.7:EBX[23]) and CLWB (66 0F AE /6, CPUID.7:EBX[24]) with a memory operand,
 * SDM Vol. 2A: this core has no caches, so all they do is what CLFLUSH does here, the checks of a byte
 * load at the operand (segment, then #PF); #UD where the model lacks the feature. The other forms of
 * 0F AE /6 and /7 (MFENCE, SFENCE, CLFLUSH) are {@link SimdFp}'s. QEMU 7.2 TCG decodes the operand of all
 * three and checks nothing (gen_nop_modrm): a guest that flushes an unmapped line sees a #PF here,
 * as the SDM says, and none there.
 */
final class CacheLineOps {
    private CacheLineOps() {}

    static final int LEAF7_EBX_CLFLUSHOPT = 1 << 23, LEAF7_EBX_CLWB = 1 << 24;

    /** 0F AE /6 and /7. */
    static Op group15(Insn i) {
        if (!i.p66 || i.isReg() || i.reg < 6) {
            return SimdFp.build(i);
        }
        boolean opt = i.reg == 7;
        if ((i.model.leaf7Ebx() & (opt ? LEAF7_EBX_CLFLUSHOPT : LEAF7_EBX_CLWB)) == 0) {
            return SystemOps.missingFeature(opt ? "CLFLUSHOPT" : "CLWB", opt ? "clflushopt" : "clwb");
        }
        return new Flush(i.addr());
    }

    static final class Flush extends MemOp {
        Flush(Addr a) {
            super(a);
        }

        @Override
        void exec(Cpu c) {
            int ea = ea(c);
            c.checkSeg(seg, ea, 1, false);
            c.translate(c.base[seg] + ea, false, c.cpl == 3);
        }
    }
}
