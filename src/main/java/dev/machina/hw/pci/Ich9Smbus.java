package dev.machina.hw.pci;

import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.PciSlot;
import dev.machina.memory.MemoryRegion;

/**
 * {@code ICH9-SMB}: function 1F.3 of the ICH9, the SMBus controller (QEMU 7.2 hw/i2c/smbus_ich9.c):
 * identity 8086:2930 revision 2, class 0C05, interrupt pin INTA. BAR4 (SMBA) is the 64-byte
 * {@link PmSmbus} host block, which decodes while HOSTC (0x40) has HST_EN (bit 0) and not I2C_EN
 * (bit 2); bit 3 of HOSTC is read only.
 */
public final class Ich9Smbus implements DeviceModel.Pci {
    public static final int DEVICE_ID = 0x2930;
    public static final int HOSTC = 0x40;
    private final PmSmbus smbus = new PmSmbus();
    private MemoryRegion io;
    private PciConfigSpace config;

    @Override
    public void realize(PciSlot slot) {
        config = ChipsetSlot.of(slot).configSpace();
        config.identify(PciHeader.VENDOR_INTEL, DEVICE_ID, 0x02, 0x0C0500);
        config.set8(PciHeader.INTERRUPT_PIN, 1);
        config.writable(HOSTC, 1, 0xF7);
        io = smbus.region(slot.regions());
        io.setEnabled(false);
        slot.registerBar(4, true, false, false, io);
        config.onWrite((addr, len, value) -> {
            if (addr <= HOSTC && HOSTC < addr + len) {
                update();
            }
        });
    }

    private void update() {
        int hostc = config.get8(HOSTC);
        io.setEnabled((hostc & 1) != 0 && (hostc & 4) == 0);
    }

    @Override
    public void reset() {
        smbus.reset();
    }
}
