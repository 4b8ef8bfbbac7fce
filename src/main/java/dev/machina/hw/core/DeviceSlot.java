package dev.machina.hw.core;

import dev.machina.memory.AddressSpace;
import java.util.Optional;

/**
 * What every bus lends a device when it is realized: who it is, regions it can make, time, pins,
 * the machine's reset/shutdown, and DMA into guest memory. The bus-specific slots
 * ({@link IsaSlot}, {@link SysBusSlot}, {@link PciSlot}) add how the device is mapped and wired.
 * A device keeps what it needs from the slot; it never sees the run loop, files or threads.
 */
public interface DeviceSlot {
    /** The device's QOM path, e.g. {@code /machine/unattached/device[6]}. */
    String path();

    /** Makes regions owned by this device. */
    Regions regions();

    /** The machine's virtual clock and timers on it. */
    Timers timers();

    /** Declares the device's GPIO inputs and outputs. */
    Gpio gpio();

    /** Reset and shutdown requests. */
    MachineControl machine();

    /**
     * The device's view of guest memory for DMA (QEMU's {@code address_space_memory}, or the PCI
     * bus-master space): reads see devices as the CPU does; writes into RAM drop decoded code there.
     */
    AddressSpace dma();

    /**
     * The character device with this id ({@code -chardev ...,id=ID}, {@code -serial} makes
     * {@code serial0}...), for a device's {@code chardev} property; empty when there is none.
     */
    Optional<CharFrontend> chardev(String id);
}
