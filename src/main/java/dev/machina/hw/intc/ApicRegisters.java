package dev.machina.hw.intc;

/**
 * The register file of a {@link LocalApic} (SDM Vol. 3A table 10-1 names) and the 256-bit vector
 * sets ISR, TMR and IRR as eight 32-bit words each, as the register page shows them.
 */
final class ApicRegisters {
    long apicBase;
    int id;
    int tpr;
    int spuriousVec;
    int logDest;
    int destMode;
    final int[] isr = new int[8];
    final int[] tmr = new int[8];
    final int[] irr = new int[8];
    final int[] lvt = new int[LocalApic.LVT_COUNT];
    int esr;
    int icrLow;
    int icrHigh;
    int divideConf;
    int countShift;
    int initialCount;
    long loadTime;
    long nextTime;
    /** The 8259's INTR as last driven on LINT0, and LINT1's level. */
    boolean picLevel;
    boolean lint1Level;
    /** An AP waits for a start-up IPI after INIT; the BSP never does. */
    boolean waitForSipi;

    /** QEMU's apic_init_reset (the ID and the MSR are the caller's). */
    void reset() {
        tpr = 0;
        spuriousVec = 0xFF;
        logDest = 0;
        destMode = 0xF;
        java.util.Arrays.fill(isr, 0);
        java.util.Arrays.fill(tmr, 0);
        java.util.Arrays.fill(irr, 0);
        java.util.Arrays.fill(lvt, LocalApic.LVT_MASKED);
        esr = 0;
        icrLow = 0;
        icrHigh = 0;
        divideConf = 0;
        countShift = 0;
        initialCount = 0;
        loadTime = 0;
        nextTime = 0;
        waitForSipi = (apicBase & LocalApic.MSR_BSP) == 0;
    }

    static void set(int[] bits, int vector) {
        bits[(vector >> 5) & 7] |= 1 << (vector & 31);
    }

    static void clear(int[] bits, int vector) {
        bits[(vector >> 5) & 7] &= ~(1 << (vector & 31));
    }

    static boolean get(int[] bits, int vector) {
        return (bits[(vector >> 5) & 7] & (1 << (vector & 31))) != 0;
    }

    /** The highest set vector, or -1. */
    static int highest(int[] bits) {
        for (int i = 7; i >= 0; i--) {
            if (bits[i] != 0) {
                return i * 32 + 31 - Integer.numberOfLeadingZeros(bits[i]);
            }
        }
        return -1;
    }
}
