package dev.machina.hw.pci;

import dev.machina.hw.core.BoardMemory;
import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.SysBusSlot;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.RegionOps;

/**
 * {@code q35-pcihost}: the host side of the Q35 MCH (QEMU 7.2 hw/pci-host/q35.c,
 * hw/pci/pcie_host.c): the root bus {@code pcie.0}, configuration mechanism #1 at 0xCF8/0xCFC and
 * the PCI Express enhanced configuration window (MMCONFIG, region {@code pcie-mmcfg-mmio}) that
 * the MCH's PCIEXBAR places: address {@code base + (bus << 20 | devfn << 12 | register)}, 4 KiB
 * per function (a conventional function reads all ones beyond its 256 bytes, an empty function
 * all ones), only bus 0 exists.
 *
 * <h2>QEMU interface</h2>
 * <ul>
 *   <li>Properties: {@code below-4g-mem-size} (where the MCH puts TSEG, at its top).</li>
 *   <li>Memory: the board maps its {@code pci} window under system memory at priority -1 (QEMU
 *       does it in mch_realize).</li>
 * </ul>
 */
public final class Q35Host implements DeviceModel.SysBus {
    /** PCIE_MMCFG_SIZE_MAX: 256 buses. */
    static final long MMCFG_SIZE_MAX = 256L << 20;

    private final long below4g;
    private PciBus bus;
    private MemoryRegion mmcfg;
    private BoardMemory memory;
    private dev.machina.hw.core.Regions regions;
    private long mmcfgBase;

    public Q35Host(long below4gMemSize) {
        this.below4g = below4gMemSize;
    }

    @Override
    public void realize(SysBusSlot slot) {
        memory = slot.boardMemory();
        regions = slot.regions();
        bus = new PciBus(slot.path() + "/pcie.0", memory, slot.regions()::transaction);
        bus.ramBelow4g(below4g);
        bus.mmconfig(this::updateMmconfig);
        PciConfigMechanism mech = new PciConfigMechanism(bus);
        MemoryRegion[] r = mech.regions(slot.regions());
        slot.addIo(0xCF8, r[0]);
        slot.addIo(0xCFC, r[1]);
    }

    /** pcie_host_mmcfg_update: the window at {@code base}, {@code size} bytes, or none. */
    private void updateMmconfig(boolean enable, long base, long size) {
        if (mmcfg != null) {
            memory.system().removeSubregion(mmcfg);
            mmcfg = null;
        }
        if (!enable) {
            return;
        }
        mmcfg = regions.io("pcie-mmcfg-mmio", size, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                if ((offset >>> 20) != 0) {
                    return 0xFFFFFFFFL; // no bus behind a bridge: only bus 0 exists
                }
                return bus.configRead((int) (offset >>> 12) & 0xFF, (int) offset & 0xFFF, size, 4096) & 0xFFFFFFFFL;
            }

            @Override
            public void write(long offset, int size, long value) {
                if ((offset >>> 20) == 0) {
                    bus.configWrite((int) (offset >>> 12) & 0xFF, (int) offset & 0xFFF, size, (int) value, 4096);
                }
            }
        }, AccessRule.DEFAULT);
        memory.system().addSubregionOverlap(base, mmcfg, 0);
        mmcfgBase = base;
    }

    /** The MMCONFIG window's size (meaningful while {@link #mmconfigBase} is not -1). */
    public long mmconfigSize() {
        return mmcfg == null ? 0 : mmcfg.size();
    }

    /** Where MMCONFIG decodes now, or -1 (for tests and the MCFG table). */
    public long mmconfigBase() {
        return mmcfg == null ? -1 : mmcfgBase;
    }

    public PciBus bus() {
        if (bus == null) {
            throw new IllegalStateException("q35-pcihost is not realized yet");
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
