package dev.machina.hw.core;

import dev.machina.memory.MemoryRegion;

/**
 * A device's place on a PCI bus: the function's configuration header is kept by the bus (hw.pci),
 * which maps the BARs the device registers whenever the guest programs them and the command
 * register enables decoding, and routes INTx through the board's PIRQ routing. This is the
 * interface a PCI device model sees; the PCI bus model implements it.
 */
public interface PciSlot extends DeviceSlot {
    /** Bus number, device and function (e.g. 00:1f.2) as QEMU's {@code addr} property places it. */
    int devfn();

    /**
     * Declares BAR {@code n} (0..5) backed by {@code region}; {@code io} for an I/O BAR, else memory
     * ({@code prefetchable}, {@code bits64} as the BAR type bits say). QEMU's {@code pci_register_bar}.
     */
    void registerBar(int n, boolean io, boolean prefetchable, boolean bits64, MemoryRegion region);

    /** The function's configuration space (identification, masks, write hooks). */
    PciConfig config();

    /** The function's interrupt pin INTA#..INTD# (0..3) as the device drives it (pci_set_irq). */
    IrqLine intx(int pin);
}
