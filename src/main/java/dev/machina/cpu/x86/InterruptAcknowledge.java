package dev.machina.cpu.x86;

/**
 * The interrupt-acknowledge cycle: when the CPU takes a maskable interrupt it asks the interrupt
 * controller (the 8259A PIC, later an APIC) for the vector.
 */
@FunctionalInterface
public interface InterruptAcknowledge {
    int acknowledge();
}
