package dev.machina.hw.pci;

import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.PciSlot;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.RegionOps;

/**
 * {@code piix3-ide}: function 1 of the PIIX3, the IDE controller in legacy (compatibility) mode
 * with no drives attached (QEMU 7.2 hw/ide/piix.c; Intel 82371FB/SB datasheet 290550): identity
 * 8086:7010, class 0101 with programming interface 0x80 (bus master capable, both channels in
 * compatibility mode), status 0x0280.
 *
 * <h2>QEMU interface</h2>
 * <ul>
 *   <li>BAR4 (BMIBA): 16 I/O ports of bus-master IDE registers, per channel (at 0 and 8): BMICX
 *       command (byte 0, bits 0 and 3 kept), BMISX status (byte 2: bits 6:5 written, bits 2:1
 *       cleared by writing 1, bit 0 read-only), bytes 1 and 3 read 0xFF, wider accesses to them
 *       read all ones; BMIDTP descriptor table pointer (bytes 4-7, dword aligned).</li>
 *   <li>I/O 0x1F0-0x1F7 + 0x3F6 (primary) and 0x170-0x177 + 0x376 (secondary): the ATA command
 *       blocks. With no drive on a channel QEMU's ide_ioport_read returns 0 for every register
 *       and the data port, which SeaBIOS reads as "no device"; writes are dropped. Machina models
 *       only this no-drive case (so IRQ 14/15 are never raised; QEMU raises IRQ 14 when a command
 *       is sent to an absent master, which nothing here needs).</li>
 *   <li>0x40/0x42 IDETIM (IDE decode enable, bit 15): plain registers. QEMU 7.2 decodes the legacy
 *       ports whatever they hold, and so does this model.</li>
 * </ul>
 */
public final class PiixIde implements DeviceModel.Pci {
    public static final int DEVICE_ID = 0x7010;
    static final int[][] CHANNEL_PORTS = {{0x1F0, 0x3F6}, {0x170, 0x376}};

    private final int[] cmd = new int[2];
    private final int[] status = new int[2];
    private final int[] prdt = new int[2];
    private PciConfigSpace config;

    @Override
    public void realize(PciSlot s) {
        ChipsetSlot slot = ChipsetSlot.of(s);
        config = slot.configSpace();
        config.identify(PciHeader.VENDOR_INTEL, DEVICE_ID, 0, 0x010180);
        MemoryRegion bar = slot.regions().container("piix-bmdma-container", 16);
        for (int ch = 0; ch < 2; ch++) {
            int c = ch;
            bar.addSubregion(ch * 8, slot.regions().io("piix-bmdma", 4, new RegionOps() {
                @Override
                public long read(long offset, int size) {
                    return bmRead(c, (int) offset, size);
                }

                @Override
                public void write(long offset, int size, long value) {
                    bmWrite(c, (int) offset, size, (int) value);
                }
            }));
            bar.addSubregion(ch * 8 + 4, slot.regions().io("bmdma", 4, new RegionOps() {
                @Override
                public long read(long offset, int size) {
                    long mask = (1L << (size * 8)) - 1;
                    return ((prdt[c] & 0xFFFFFFFFL) >>> (offset * 8)) & mask;
                }

                @Override
                public void write(long offset, int size, long value) {
                    int shift = (int) offset * 8;
                    long mask = (1L << (size * 8)) - 1;
                    long a = prdt[c] & 0xFFFFFFFFL & ~(mask << shift);
                    prdt[c] = (int) ((a | ((value & mask) << shift)) & ~3L);
                }
            }));
        }
        slot.registerBar(4, true, false, false, bar);
        for (int[] ports : CHANNEL_PORTS) {
            slot.boardMemory().io().addSubregion(ports[0], slot.regions().io("ide", 8, AtaNoDrive.OPS));
            slot.boardMemory().io().addSubregion(ports[1], slot.regions().io("ide", 1, AtaNoDrive.OPS));
        }
        reset();
    }

    long bmRead(int ch, int offset, int size) {
        if (size != 1) {
            return (1L << (size * 8)) - 1;
        }
        return switch (offset & 3) {
            case 0 -> cmd[ch];
            case 2 -> status[ch];
            default -> 0xFF;
        };
    }

    void bmWrite(int ch, int offset, int size, int v) {
        if (size != 1) {
            return;
        }
        switch (offset & 3) {
            case 0 -> cmd[ch] = v & 0x09; // no drive: a started transfer has nothing to move
            case 2 -> status[ch] = (v & 0x60) | (status[ch] & 1) | (status[ch] & ~v & 0x06);
            default -> { }
        }
    }

    @Override
    public void reset() {
        if (config == null) {
            return;
        }
        config.set16(PciHeader.COMMAND, 0);
        config.set16(PciHeader.STATUS, PciHeader.STATUS_FAST_BACK | PciHeader.STATUS_DEVSEL_MEDIUM);
        for (int ch = 0; ch < 2; ch++) {
            cmd[ch] = 0;
            status[ch] = 0;
            prdt[ch] = 0;
        }
    }

    /** An ATA channel with neither master nor slave: every register reads 0, writes do nothing. */
    static final class AtaNoDrive {
        static final RegionOps OPS = new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
            }
        };

        private AtaNoDrive() {}
    }
}
