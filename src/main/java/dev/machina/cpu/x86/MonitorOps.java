package dev.machina.cpu.x86;

/**
 * MONITOR (0F 01 C8) and MWAIT (0F 01 C9), CPUID.1:ECX.MONITOR[3], as QEMU 7.2 TCG gives them: #UD above
 * CPL 0 and on a model without monitor; #GP(0) when ECX is not 0 (no extensions, though leaf 5 lists the
 * interrupt break-event one: QEMU refuses it too); MONITOR arms nothing (there is one CPU and no cache
 * line to watch) but checks its address DS:EAX (or the override; EAX or AX by the address size) as a byte
 * load, as the SDM says (QEMU checks nothing); MWAIT halts as HLT does until an interrupt (QEMU's do_hlt:
 * the EAX hints name no C-state here).
 */
final class MonitorOps {
    private MonitorOps() {}

    static final int W_1_ECX_MONITOR = 1 << 3;

    static Op build(Insn i) {
        boolean mwait = i.rm == 1;
        if ((i.model.features()[CpuModel.W_1_ECX] & W_1_ECX_MONITOR) == 0) {
            return SystemOps.missingFeature(mwait ? "MWAIT" : "MONITOR", "monitor");
        }
        int seg = i.segOverride >= 0 ? i.segOverride : Cpu.DS;
        int amask = i.asize == 2 ? 0xFFFF : -1;
        return new Op() {
            @Override
            void exec(Cpu c) {
                if (c.cpl != 0) {
                    throw c.ud();
                }
                if (c.r[Cpu.ECX] != 0) {
                    throw c.gp(0);
                }
                if (mwait) {
                    c.setHalted(true);
                    return;
                }
                int ea = c.r[Cpu.EAX] & amask;
                c.checkSeg(seg, ea, 1, false);
                c.translate(c.base[seg] + ea, false, false);
            }
        };
    }
}
