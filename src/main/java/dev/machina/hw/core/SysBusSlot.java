package dev.machina.hw.core;

import dev.machina.memory.MemoryRegion;

/**
 * A device's place on the system bus (QEMU's {@code SysBusDevice}): memory regions the board maps
 * at addresses its data gives, I/O ports the device places itself, and interrupt outputs named
 * {@code sysbus-irq[N]} the board wires. Chipsets (host bridges) also get the board's memory to
 * remap ({@link #boardMemory()}).
 */
public interface SysBusSlot extends DeviceSlot {
    /** Declares MMIO region number {@code n} (in call order, from 0); the board maps it (sysbus_init_mmio). */
    void initMmio(MemoryRegion region);

    /** Maps {@code region} in the I/O space at {@code port} (sysbus_add_io). */
    void addIo(int port, MemoryRegion region);

    /** Declares {@code count} interrupt outputs {@code sysbus-irq[0..count-1]} (sysbus_init_irq). */
    default IrqLine[] initIrqs(int count) {
        return gpio().outputs("sysbus-irq", count);
    }

    /** The board's memory tree: system memory, I/O space, RAM and the PCI window (host bridges only). */
    BoardMemory boardMemory();
}
