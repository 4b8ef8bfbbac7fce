package dev.machina.cpu.x86;

/**
 * Supervisor-mode protections of the -cpu max features (SDM Vol. 3A 2.5, 4.6): CR4.SMEP (CPUID.7:EBX[7]),
 * CR4.SMAP (CPUID.7:EBX[20]) with STAC/CLAC and EFLAGS.AC, and CR4.UMIP (CPUID.7:ECX[2]).
 *
 * <ul>
 *   <li>SMEP: a supervisor-mode instruction fetch from a user-mode page (U/S set at every level of the walk)
 *       is a #PF with P and I/D set (with CR4.SMEP every fetch fault has I/D, SDM 4.7).</li>
 *   <li>SMAP: a supervisor-mode data access to a user-mode page is a #PF (P, W/R as the access, U/S clear)
 *       unless CPL &lt; 3 and EFLAGS.AC = 1. The SDM also refuses implicit accesses (GDT, IDT, TSS) whatever AC
 *       says; QEMU 7.2 TCG, whose behaviour is the reference here, refuses them only at CPL 3 or with AC = 0
 *       (its cpu_mmu_index_kernel), and so does this core: an implicit access is made with CPL's AC rule.</li>
 *   <li>STAC / CLAC (0F 01 CB / CA) set / clear EFLAGS.AC; #UD without smap and at CPL &gt; 0.</li>
 *   <li>UMIP: SGDT, SIDT, SLDT, SMSW and STR are #GP(0) at CPL &gt; 0.</li>
 * </ul>
 * The TLB keeps no supervisor translation of a user-mode page under SMAP (whether one may be used depends on
 * AC at each access) and none as executable under SMEP ({@link CpuMemory#translate}).
 */
final class SupervisorProtection {
    private SupervisorProtection() {}

    /** The CR4 bits of these features a MOV to CR4 may set, where the guest sees the feature. */
    static int cr4Allowed(CpuModel m) {
        int a = 0;
        a |= (m.leaf7Ebx() & CpuModel.LEAF7_EBX_SMEP) != 0 ? Cpu.CR4_SMEP : 0;
        a |= (m.leaf7Ebx() & CpuModel.LEAF7_EBX_SMAP) != 0 ? Cpu.CR4_SMAP : 0;
        a |= (m.leaf7Ecx() & CpuModel.LEAF7_ECX_UMIP) != 0 ? Cpu.CR4_UMIP : 0;
        return a;
    }

    /**
     * Whether a supervisor-mode access to a user-mode page is refused (called with CR4.SMEP or SMAP set):
     * a fetch under SMEP; a data access under SMAP unless CPL &lt; 3 and EFLAGS.AC = 1.
     */
    static boolean refused(CpuMemory c, boolean fetch) {
        if (fetch) {
            return (c.cr4 & Cpu.CR4_SMEP) != 0;
        }
        return (c.cr4 & Cpu.CR4_SMAP) != 0 && !(c.cpl < 3 && (c.flags & Cpu.AC) != 0);
    }

    /** UMIP: the store-descriptor-table instructions are #GP(0) above CPL 0. */
    static void umip(Cpu c) {
        if ((c.cr4 & Cpu.CR4_UMIP) != 0 && c.cpl > 0) {
            throw c.gp(0);
        }
    }

    /** 0F 01 CA CLAC, 0F 01 CB STAC. */
    static Op clacStac(Insn i) {
        boolean stac = i.rm == 3;
        if ((i.model.leaf7Ebx() & CpuModel.LEAF7_EBX_SMAP) == 0) {
            return SystemOps.missingFeature(stac ? "STAC" : "CLAC", "smap");
        }
        return new Op() {
            @Override
            void exec(Cpu c) {
                if (c.cpl > 0) {
                    throw c.ud();
                }
                c.flags = stac ? c.flags | Cpu.AC : c.flags & ~Cpu.AC;
            }
        };
    }
}
