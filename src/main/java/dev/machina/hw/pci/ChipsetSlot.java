package dev.machina.hw.pci;

import dev.machina.hw.core.BoardMemory;
import dev.machina.hw.core.PciSlot;

/**
 * What a chipset function gets beyond an ordinary PCI device's slot: the bus itself (the ISA
 * bridge routes its PIRQs, QEMU's pci_bus_irqs), the board's memory (PAM, SMRAM, PMBASE, RCBA
 * and MMCONFIG are decoders the chipset places itself, not BARs) and the memory transaction that
 * makes several such changes one remap. Every slot of a {@link PciBus} is one.
 */
public interface ChipsetSlot extends PciSlot {
    PciBus bus();

    BoardMemory boardMemory();

    /** The function's configuration space with its guest access paths. */
    PciConfigSpace configSpace();

    void transaction(Runnable changes);

    /** The chipset view of {@code slot}; a slot from elsewhere is a wiring mistake of the board. */
    static ChipsetSlot of(PciSlot slot) {
        if (slot instanceof ChipsetSlot c) {
            return c;
        }
        throw new IllegalStateException(slot.path() + ": a chipset function must sit on a hw.pci bus");
    }
}
