package dev.machina.hw.core;

import dev.machina.memory.MemoryRegion;

/**
 * A device's place on an ISA bus (QEMU's {@code ISADevice} helpers): I/O ports in the ISA I/O
 * space and the bus's 16 IRQ lines, which the board routes to the 8259 pair and the IOAPIC.
 */
public interface IsaSlot extends DeviceSlot {
    /**
     * Maps {@code region} at I/O port {@code port} (QEMU's {@code isa_register_ioport}). Claiming a
     * port another device has is a {@link dev.machina.memory.MemoryException} naming both.
     */
    void registerIo(int port, MemoryRegion region);

    /** The bus's IRQ line {@code isaIrq} (0..15), QEMU's {@code isa_get_irq}. */
    IrqLine irq(int isaIrq);
}
