package dev.machina.hw.pci;

import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.PciSlot;
import dev.machina.hw.core.ShutdownCause;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.RegionOps;

/**
 * {@code PIIX3}: function 0 of the 82371SB PIIX3, the PCI-to-ISA bridge (QEMU 7.2 hw/isa/piix3.c;
 * Intel 82371FB/SB datasheet 290550): identity 8086:7000 revision 0, class 0601, PIRQ routing and
 * the reset control register.
 *
 * <h2>QEMU interface</h2>
 * <ul>
 *   <li>GPIO out {@code isa-irqs[0..15]}: the ISA IRQ lines the PIRQs are steered to (QEMU 7.2
 *       hands PIIX3 the board's GSI array; later QEMU names these outputs {@code isa-irqs}). The
 *       board wires them to the GSIs (8259 and IOAPIC pins 0-15).</li>
 *   <li>The PCI bus's INTx: slot {@code s} pin {@code p} (0 = INTA#) drives PIRQ
 *       {@code (s - 1 + p) mod 4} (QEMU's pci_slot_get_pirq for i440FX).</li>
 *   <li>I/O 0xCF9 {@code piix3-reset-control} (1 byte, over 0xCF8's dword at priority 1): bit 2
 *       written as 1 resets the machine; otherwise bit 1 (System Reset type) is kept and read back.</li>
 *   <li>The ELCR (0x4D0/0x4D1) belongs to the 8259 model; the RTC, DMA and ISA bus are separate
 *       devices of the board.</li>
 * </ul>
 *
 * <h2>Registers</h2>
 * PIRQRC[A-D] 0x60-0x63: bit 7 disables routing, bits 3:0 are the ISA IRQ; each ISA IRQ is the OR of
 * the PIRQs routed to it. Reset values are QEMU's piix3_reset after the bus's header reset (command
 * 0, status 0x0200; tests/chipset/qemu72/pc-config-reset.txt). Everything from 0x40 is writable.
 */
public final class Piix3 implements DeviceModel.Pci {
    public static final int DEVICE_ID = 0x7000;
    public static final int PIRQRC = 0x60;
    public static final int PIRQS = 4;
    public static final int RCR_PORT = 0xCF9;
    private static final int RCR_SYSTEM_RESET = 0x02;
    private static final int RCR_RESET_CPU = 0x04;

    private PciConfigSpace config;
    private IrqLine[] isaIrqs;
    private final boolean[] pirqLevel = new boolean[PIRQS];
    private final boolean[] isaLevel = new boolean[16];
    private int rcr;
    private ChipsetSlot slot;

    @Override
    public void realize(PciSlot s) {
        slot = ChipsetSlot.of(s);
        config = slot.configSpace();
        config.identify(PciHeader.VENDOR_INTEL, DEVICE_ID, 0, 0x060100);
        isaIrqs = slot.gpio().outputs("isa-irqs", 16);
        MemoryRegion r = slot.regions().io("piix3-reset-control", 1, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return rcr;
            }

            @Override
            public void write(long offset, int size, long value) {
                writeRcr((int) value);
            }
        }, AccessRule.sizes(1, 4, 1, 1));
        slot.boardMemory().io().addSubregionOverlap(RCR_PORT, r, 1);
        slot.bus().setIrqs((devfn, pin) -> ((devfn >> 3) - 1 + pin) & 3, this::setPirq, PIRQS);
        config.onWrite((addr, len, value) -> {
            if (addr < PIRQRC + 4 && addr + len > PIRQRC) {
                updateIsaLevels();
            }
        });
        reset();
    }

    void writeRcr(int v) {
        if ((v & RCR_RESET_CPU) != 0) {
            slot.machine().requestReset(ShutdownCause.GUEST_RESET);
            return;
        }
        rcr = v & RCR_SYSTEM_RESET;
    }

    private void setPirq(int pirq, boolean level) {
        pirqLevel[pirq] = level;
        updateIsaLevels();
    }

    private void updateIsaLevels() {
        boolean[] now = new boolean[16];
        for (int p = 0; p < PIRQS; p++) {
            int route = config.get8(PIRQRC + p);
            if (route < 16 && pirqLevel[p]) {
                now[route] = true;
            }
        }
        for (int irq = 0; irq < 16; irq++) {
            // only changes: QEMU 7.2's piix3_write_config drives all 16 GSIs to the PCI level after a
            // routing write (even lines no PIRQ uses); here an ISA line is the OR of its drivers
            if (now[irq] != isaLevel[irq]) {
                isaLevel[irq] = now[irq];
                isaIrqs[irq].set(now[irq]);
            }
        }
    }

    @Override
    public void reset() {
        if (config == null) {
            return;
        }
        config.set16(PciHeader.COMMAND, 0);
        config.set16(PciHeader.STATUS, PciHeader.STATUS_DEVSEL_MEDIUM);
        int[][] values = {
            {0x4c, 0x4d}, {0x4e, 0x03}, {0x4f, 0x00}, {0x60, 0x80}, {0x61, 0x80}, {0x62, 0x80}, {0x63, 0x80},
            {0x69, 0x02}, {0x70, 0x80}, {0x76, 0x0c}, {0x77, 0x0c}, {0x78, 0x02}, {0x79, 0x00}, {0x80, 0x00},
            {0x82, 0x00}, {0xa0, 0x08}, {0xa2, 0x00}, {0xa3, 0x00}, {0xa4, 0x00}, {0xa5, 0x00}, {0xa6, 0x00},
            {0xa7, 0x00}, {0xa8, 0x0f}, {0xaa, 0x00}, {0xab, 0x00}, {0xac, 0x00}, {0xae, 0x00},
        };
        for (int[] v : values) {
            config.set8(v[0], v[1]);
        }
        java.util.Arrays.fill(isaLevel, false);
        rcr = 0;
    }

    /** The reset control register (for tests and snapshots). */
    public int rcr() {
        return rcr;
    }
}
