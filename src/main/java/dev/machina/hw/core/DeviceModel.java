package dev.machina.hw.core;

/**
 * The behaviour behind one QOM device object. A model is made from the object's effective
 * property values (by the model catalog), realized once on the slot its bus lends
 * ({@link Isa}, {@link SysBus}, {@link Pci}), and reset by the machine: at power-on after every
 * device is realized, and at every system reset, in the same order (QEMU's resettable "hold"
 * phase; a model's reset puts its registers in their documented reset state and may drive its
 * output lines).
 */
public interface DeviceModel {
    /** Puts the device in its reset state (datasheet reset values). */
    default void reset() {
    }

    /** A device on no bus (QEMU's plain TYPE_DEVICE: split-irq, or-irq). */
    interface Plain extends DeviceModel {
        void realize(DeviceSlot slot);
    }

    /** A device on an ISA bus. */
    interface Isa extends DeviceModel {
        void realize(IsaSlot slot);
    }

    /** A device on the system bus. */
    interface SysBus extends DeviceModel {
        void realize(SysBusSlot slot);
    }

    /** A device (function) on a PCI bus. */
    interface Pci extends DeviceModel {
        void realize(PciSlot slot);
    }
}
