package dev.machina.hw.pci;

import dev.machina.hw.core.BoardMemory;
import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.SysBusSlot;
import dev.machina.memory.MemoryRegion;

/**
 * {@code i440FX-pcihost}: the host side of the 82441FX PMC (QEMU 7.2 hw/pci-host/i440fx.c): the
 * root PCI bus {@code pci.0} and configuration mechanism #1.
 *
 * <h2>QEMU interface</h2>
 * <ul>
 *   <li>I/O: {@code pci-conf-idx} at 0xCF8 and {@code pci-conf-data} at 0xCFC, 4 bytes each
 *       ({@link PciConfigMechanism}).</li>
 *   <li>Memory: the board maps its {@code pci} window under system memory at priority -1 (what
 *       QEMU's pc_pci_as_mapping_init does from this realize).</li>
 *   <li>The bus: {@link #bus()}, on which the board then plugs {@code i440FX} at 00.0 and the
 *       rest; BARs decode into the board's {@code io} and {@code pci} regions.</li>
 *   <li>Properties ({@code pci-hole64-size}, {@code x-pci-hole64-fix}, {@code short_root_bus}) only
 *       shape the ACPI tables and firmware view; the model itself has none.</li>
 * </ul>
 */
public final class I440fxHost implements DeviceModel.SysBus {
    private PciBus bus;
    private PciConfigMechanism mechanism;

    @Override
    public void realize(SysBusSlot slot) {
        BoardMemory m = slot.boardMemory();
        bus = new PciBus(slot.path() + "/pci.0", m, slot.regions()::transaction);
        mechanism = new PciConfigMechanism(bus);
        MemoryRegion[] r = mechanism.regions(slot.regions());
        slot.addIo(0xCF8, r[0]);
        slot.addIo(0xCFC, r[1]);
    }

    /** The root bus; exists once realized. */
    public PciBus bus() {
        if (bus == null) {
            throw new IllegalStateException("i440FX-pcihost is not realized yet");
        }
        return bus;
    }

    @Override
    public void reset() {
        if (bus != null) {
            bus.reset();
        }
    }
}
