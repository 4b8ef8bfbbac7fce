package dev.machina.hw.pci;

import dev.machina.hw.core.Regions;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.RegionOps;

/**
 * PCI configuration mechanism #1 of a host bridge (PCI Local Bus Specification 3.0, 3.2.2.3.2):
 * CONFIG_ADDRESS at 0xCF8 and CONFIG_DATA at 0xCFC-0xCFF, as QEMU 7.2's hw/pci/pci_host.c models
 * them (checked in tests/chipset/qemu72/pci-conf-mechanism.txt):
 * <ul>
 *   <li>CONFIG_ADDRESS is written only by a 32-bit access at 0xCF8 (others are dropped); a read of
 *       any size at any of its four ports returns the register's low bytes
 *       ({@code inb 0xcfa} reads bits 7:0).</li>
 *   <li>CONFIG_DATA: with bit 31 (enable) clear a read is all ones and a write is dropped; else the
 *       access goes to bus {@code [23:16]}, devfn {@code [15:8]}, register
 *       {@code [7:0] | (port & 3)} (the low two bits of CONFIG_ADDRESS are not masked). Bits 30:24
 *       are ignored. Only bus 0 exists (no PCI bridges are modelled): other buses read all ones.</li>
 * </ul>
 */
public final class PciConfigMechanism {
    private static final int ENABLE = 1 << 31;
    /** PCI_CONFIG_SPACE_SIZE: mechanism #1 reaches the first 256 bytes of a function. */
    private static final int LIMIT = 256;

    private final PciBus bus;
    private int address;

    public PciConfigMechanism(PciBus bus) {
        this.bus = bus;
    }

    /** A read of CONFIG_ADDRESS (offset 0..3 into 0xCF8). */
    public int readAddress(int offset, int size) {
        return address;
    }

    public void writeAddress(int offset, int size, int value) {
        if (offset == 0 && size == 4) {
            address = value;
        }
    }

    /** A read of CONFIG_DATA (offset 0..3 into 0xCFC, {@code size} bytes). */
    public int readData(int offset, int size) {
        if ((address & ENABLE) == 0) {
            return -1;
        }
        int a = address | (offset & 3);
        if (((a >>> 16) & 0xFF) != 0) {
            return -1;
        }
        return bus.configRead((a >>> 8) & 0xFF, a & 0xFF, size, LIMIT);
    }

    public void writeData(int offset, int size, int value) {
        if ((address & ENABLE) == 0) {
            return;
        }
        int a = address | (offset & 3);
        if (((a >>> 16) & 0xFF) != 0) {
            return;
        }
        bus.configWrite((a >>> 8) & 0xFF, a & 0xFF, size, value, LIMIT);
    }

    /** CONFIG_ADDRESS, for snapshots and {@code info pci}-like views. */
    public int address() {
        return address;
    }

    /**
     * The host bridge's two regions (QEMU's {@code pci-conf-idx} and {@code pci-conf-data}, 4 bytes
     * each, default access rule); the host maps them at 0xCF8 and 0xCFC.
     */
    public MemoryRegion[] regions(Regions r) {
        MemoryRegion idx = r.io("pci-conf-idx", 4, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return readAddress((int) offset, size) & 0xFFFFFFFFL;
            }

            @Override
            public void write(long offset, int size, long value) {
                writeAddress((int) offset, size, (int) value);
            }
        });
        MemoryRegion data = r.io("pci-conf-data", 4, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return readData((int) offset, size) & 0xFFFFFFFFL;
            }

            @Override
            public void write(long offset, int size, long value) {
                writeData((int) offset, size, (int) value);
            }
        });
        return new MemoryRegion[] {idx, data};
    }
}
