package dev.machina.cpu.x86;

/**
 * IA32_APIC_BASE (MSR 0x1B) when a local APIC device keeps it (QEMU's cpu_get_apic_base /
 * cpu_set_apic_base): RDMSR reads {@link #read}, WRMSR passes a value without reserved bits to
 * {@link #write} (a reserved bit raises #GP(0) before). Without one the CPU keeps the register itself.
 */
public interface ApicBaseMsr {
    long read();

    void write(long value);

    /** CR8 (cr8legacy's LOCK MOV CR0): the task-priority class, TPR bits 7:4. */
    default int cr8() {
        return 0;
    }

    /** Writes CR8: TPR = (value &amp; 0xF) &lt;&lt; 4. */
    default void writeCr8(int value) {
    }
}
