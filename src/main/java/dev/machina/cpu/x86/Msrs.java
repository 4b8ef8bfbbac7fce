package dev.machina.cpu.x86;

/**
 * The model-specific registers RDMSR and WRMSR reach (SDM Vol. 4 Table 2-2), each as QEMU 7.2's TCG
 * keeps it (target/i386/tcg/sysemu/misc_helper.c helper_rdmsr/helper_wrmsr) and as
 * tests/guests/msr-MODEL.qemu.txt recorded: the TSC, IA32_APIC_BASE, the SYSENTER trio, PAT, the MTRRs
 * (MTRRcap only where the model has MTRR), the machine-check registers (where the model has MCE and
 * MCA: 10 banks), MISC_ENABLE, EFER (the bits the model's features allow: NXE with NX), TSC_AUX,
 * the microcode revision. Like QEMU, an MSR that is none of these reads 0 and ignores writes (the SDM
 * would raise #GP; QEMU 7.2 does not, and guests are tested against QEMU). One deviation, after the
 * SDM: a TSC write sets the counter (QEMU 7.2 TCG ignores it).
 */
final class Msrs {
    private Msrs() {}

    static final int TSC = 0x10, APIC_BASE = 0x1B, BIOS_SIGN_ID = 0x8B, MTRR_CAP = 0xFE, CORE_THREAD_COUNT = 0x35,
            SMI_COUNT = 0x34, SYSENTER_CS = 0x174, SYSENTER_ESP = 0x175, SYSENTER_EIP = 0x176, MCG_CAP = 0x179,
            MCG_STATUS = 0x17A, MCG_CTL = 0x17B, MISC_ENABLE = 0x1A0, MTRR_PHYS_BASE0 = 0x200, MTRR_FIX64K = 0x250,
            MTRR_FIX16K_80000 = 0x258, MTRR_FIX16K_A0000 = 0x259, MTRR_FIX4K_C0000 = 0x268, PAT = 0x277,
            MTRR_DEF_TYPE = 0x2FF, MC0_CTL = 0x400, EFER = 0xC0000080, STAR = 0xC0000081, TSC_AUX = 0xC0000103;

    static final long APIC_BSP = 1 << 8, APIC_ENABLE = 1 << 11, APIC_EXTD = 1 << 10;
    /** QEMU's MSR_IA32_APICBASE_RESERVED: everything but BSP, EXTD, enable and the 20-bit base. */
    static final long APIC_RESERVED = ~(APIC_BSP | APIC_EXTD | APIC_ENABLE | 0xFFFFF000L);
    static final long EFER_SCE = 1, EFER_LME = 1 << 8, EFER_NXE = 1 << 11;
    /** QEMU's MCE_CAP_DEF | MCE_BANKS_DEF: MCG_CTL_P, MCG_SER_P, 10 banks. */
    static final long MCG_CAP_DEFAULT = (1 << 8) | (1 << 24) | 10;
    private static final long MCG_CTL_P = 1 << 8;

    /** The values at RESET (QEMU x86_cpu_reset_hold, mce_init, apic reset; SDM Vol. 3A Table 10-1 for PAT). */
    static void reset(CpuState c) {
        CpuModel m = c.model;
        c.msrApicBase = (m.listed()[CpuModel.W_1_EDX] & CpuModel.EDX_APIC) != 0 ? 0xFEE00000L | APIC_BSP | APIC_ENABLE : 0;
        c.msrEfer = 0;
        c.msrTscAux = 0;
        c.msrStar = 0;
        c.msrMiscEnable = 1 | ((m.listed()[CpuModel.W_1_ECX] & 8) != 0 ? 1 << 18 : 0); // fast strings; MWAIT where the model lists MONITOR
        c.mtrrDefType = 0;
        java.util.Arrays.fill(c.mtrrVar, 0);
        java.util.Arrays.fill(c.mtrrFixed, 0);
        boolean mca = m.has(CpuModel.EDX_MCE) && m.has(CpuModel.EDX_MCA);
        c.mcgCap = mca ? MCG_CAP_DEFAULT : 0;
        c.mcgCtl = mca ? -1L : 0;
        c.mcgStatus = 0;
        java.util.Arrays.fill(c.mceBanks, 0);
        for (int b = 0; b < (c.mcgCap & 0xFF); b++) {
            c.mceBanks[4 * b] = -1L;
        }
    }

    static long read(Cpu c, int n) {
        switch (n) {
            case TSC:
                return c.tsc();
            case APIC_BASE:
                return c.apicBaseMsr != null ? c.apicBaseMsr.read() : c.msrApicBase;
            case BIOS_SIGN_ID:
                // the microcode revision: QEMU's default is KVM's (target/i386/cpu.c x86_cpu_realizefn)
                return c.model.vendor().equals("AuthenticAMD") ? 0x01000065L : 0x100000000L;
            case SMI_COUNT:
                return 0;
            case CORE_THREAD_COUNT:
                return 0x10001; // one core, one thread
            case MTRR_CAP:
                return c.model.has(CpuModel.EDX_MTRR) ? 0x508 : 0; // 8 variable ranges, fixed ranges, WC
            case SYSENTER_CS:
                return c.msrSysenterCs & 0xFFFFL;
            case SYSENTER_ESP:
                return c.msrSysenterEsp;
            case SYSENTER_EIP:
                return c.msrSysenterEip;
            case MCG_CAP:
                return c.mcgCap;
            case MCG_STATUS:
                return c.mcgStatus;
            case MCG_CTL:
                return (c.mcgCap & MCG_CTL_P) != 0 ? c.mcgCtl : 0;
            case MISC_ENABLE:
                return c.msrMiscEnable;
            case PAT:
                return c.msrPat;
            case MTRR_DEF_TYPE:
                return c.mtrrDefType;
            case MTRR_FIX64K:
                return c.mtrrFixed[0];
            case MTRR_FIX16K_80000, MTRR_FIX16K_A0000:
                return c.mtrrFixed[n - MTRR_FIX16K_80000 + 1];
            case EFER:
                return c.msrEfer;
            case STAR:
                return c.msrStar;
            case TSC_AUX:
                return c.msrTscAux;
            default:
                if (n >= MTRR_PHYS_BASE0 && n < MTRR_PHYS_BASE0 + 16) {
                    return c.mtrrVar[n - MTRR_PHYS_BASE0];
                }
                if (n >= MTRR_FIX4K_C0000 && n < MTRR_FIX4K_C0000 + 8) {
                    return c.mtrrFixed[n - MTRR_FIX4K_C0000 + 3];
                }
                if (n >= MC0_CTL && n < MC0_CTL + 4 * (c.mcgCap & 0xFF)) {
                    return c.mceBanks[n - MC0_CTL];
                }
                return 0;
        }
    }

    static void write(Cpu c, int n, long v) {
        switch (n) {
            case TSC -> c.tscOffset = v - c.tscNow();
            case APIC_BASE -> {
                if ((v & APIC_RESERVED) != 0) {
                    throw c.gp(0);
                }
                if (c.apicBaseMsr != null) {
                    c.apicBaseMsr.write(v);
                } else if (c.msrApicBase != 0 || (c.model.listed()[CpuModel.W_1_EDX] & CpuModel.EDX_APIC) != 0) {
                    // QEMU's apic_set_base: the base moves; BSP stays; a disabled APIC stays disabled until reset
                    long keep = c.msrApicBase & (APIC_BSP | APIC_ENABLE);
                    if ((v & APIC_ENABLE) == 0) {
                        keep &= ~APIC_ENABLE;
                    }
                    c.msrApicBase = (v & 0xFFFFF000L) | keep;
                }
            }
            case SYSENTER_CS -> c.msrSysenterCs = (int) v & 0xFFFF;
            case SYSENTER_ESP -> c.msrSysenterEsp = v;
            case SYSENTER_EIP -> c.msrSysenterEip = v;
            case MCG_STATUS -> c.mcgStatus = v;
            case MCG_CTL -> {
                if ((c.mcgCap & MCG_CTL_P) != 0 && (v == 0 || v == -1L)) {
                    c.mcgCtl = v;
                }
            }
            case MISC_ENABLE -> c.msrMiscEnable = v;
            case PAT -> c.msrPat = v;
            case MTRR_DEF_TYPE -> c.mtrrDefType = v;
            case MTRR_FIX64K -> c.mtrrFixed[0] = v;
            case MTRR_FIX16K_80000, MTRR_FIX16K_A0000 -> c.mtrrFixed[n - MTRR_FIX16K_80000 + 1] = v;
            case EFER -> {
                long mask = (c.model.has("nx") ? EFER_NXE : 0) | (c.model.has("syscall") ? EFER_SCE : 0);
                long old = c.msrEfer;
                c.msrEfer = (old & ~mask) | (v & mask);
                if (((old ^ c.msrEfer) & EFER_NXE) != 0) {
                    c.flushTlb();
                }
            }
            case STAR -> c.msrStar = v;
            case TSC_AUX -> c.msrTscAux = v;
            default -> {
                if (n >= MTRR_PHYS_BASE0 && n < MTRR_PHYS_BASE0 + 16) {
                    c.mtrrVar[n - MTRR_PHYS_BASE0] = v;
                } else if (n >= MTRR_FIX4K_C0000 && n < MTRR_FIX4K_C0000 + 8) {
                    c.mtrrFixed[n - MTRR_FIX4K_C0000 + 3] = v;
                } else if (n >= MC0_CTL && n < MC0_CTL + 4 * (c.mcgCap & 0xFF)) {
                    int off = n - MC0_CTL;
                    if ((off & 3) != 0 || v == 0 || v == -1L) {
                        c.mceBanks[off] = v;
                    }
                }
                // anything else: ignored, as QEMU 7.2 does
            }
        }
    }
}
