package dev.machina.hw.pci;

import dev.machina.hw.core.BoardMemory;
import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.PciSlot;
import dev.machina.memory.MemoryRegion;

/**
 * {@code i440FX}: function 00.0 of the 82441FX PCI and Memory Controller (QEMU 7.2
 * hw/pci-host/i440fx.c; Intel 82441FX datasheet 290549): identity 8086:1237 revision 2, class
 * 0600 (host bridge), PAM shadow RAM and the SMRAM control register.
 *
 * <h2>Registers</h2>
 * <ul>
 *   <li>0x57: QEMU's non-standard RAM size in 8 MiB units (at most 255), for old coreboot.</li>
 *   <li>0x59-0x5F PAM0-PAM6: see {@link Pam}.</li>
 *   <li>0x72 SMRAM (reset 0x02, C_BASE_SEG): while D_OPEN (bit 6) is clear, 0xA0000-0xBFFFF shows
 *       the PCI space ({@code smram-region}, where VGA sits) over RAM; with D_OPEN set RAM shows.
 *       There is no SMM here (SeaBIOS is told SMM is done, see {@link Piix4Pm}), so G_SMRAME and
 *       D_LCK only store their bits, as in QEMU 7.2 ("XXX: implement SMRAM.D_LOCK").</li>
 *   <li>All of 0x40-0xFF is writable, as QEMU's default write mask leaves it
 *       (tests/chipset/qemu72/pc-config-wmask.txt).</li>
 * </ul>
 * QEMU has no reset handler for this function: PAM and SMRAM keep their values over a system
 * reset (only the standard header is reset by the bus).
 */
public final class I440fx implements DeviceModel.Pci {
    public static final int DEVICE_ID = 0x1237;
    public static final int COREBOOT_RAM_SIZE = 0x57;
    public static final int PAM0 = 0x59;
    public static final int PAM_SIZE = 7;
    public static final int SMRAM = 0x72;
    public static final int SMRAM_D_OPEN = 0x40;
    public static final int SMRAM_DEFAULT = 0x02;
    /** The legacy SMRAM window, QEMU's SMRAM_C_BASE/SMRAM_C_SIZE. */
    public static final long SMRAM_C_BASE = 0xA0000;
    public static final long SMRAM_C_SIZE = 0x20000;

    private PciConfigSpace config;
    private Pam pam;
    private MemoryRegion smramRegion;
    private ChipsetSlot slot;

    @Override
    public void realize(PciSlot s) {
        slot = ChipsetSlot.of(s);
        config = slot.configSpace();
        config.identify(PciHeader.VENDOR_INTEL, DEVICE_ID, 0x02, 0x060000);
        config.set8(SMRAM, SMRAM_DEFAULT);
        BoardMemory m = slot.boardMemory();
        long mib8 = m.ram().size() / (8L << 20);
        config.set8(COREBOOT_RAM_SIZE, (int) Math.min(mib8, 255));
        slot.transaction(() -> {
            smramRegion = slot.regions().alias("smram-region", m.pci(), SMRAM_C_BASE, SMRAM_C_SIZE);
            m.system().addSubregionOverlap(SMRAM_C_BASE, smramRegion, 1);
            pam = new Pam(slot.regions(), m);
            update();
        });
        config.onWrite((addr, len, value) -> {
            if (addr < PAM0 + PAM_SIZE && addr + len > PAM0 || (addr <= SMRAM && addr + len > SMRAM)) {
                slot.transaction(this::update);
            }
        });
    }

    private void update() {
        int[] regs = new int[PAM_SIZE];
        for (int i = 0; i < PAM_SIZE; i++) {
            regs[i] = config.get8(PAM0 + i);
        }
        pam.update(regs);
        smramRegion.setEnabled((config.get8(SMRAM) & SMRAM_D_OPEN) == 0);
    }
}
