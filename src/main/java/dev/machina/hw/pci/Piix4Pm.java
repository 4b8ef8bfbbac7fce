package dev.machina.hw.pci;

import dev.machina.hw.acpi.AcpiPm;
import dev.machina.hw.acpi.Apm;
import dev.machina.hw.core.BoardMemory;
import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.PciSlot;
import dev.machina.memory.MemoryRegion;

/**
 * {@code PIIX4_PM}: function 3 of the 82371AB PIIX4, power management (QEMU 7.2 hw/acpi/piix4.c;
 * Intel 82371AB datasheet 290562): identity 8086:7113 revision 3, class 0680, status 0x0280,
 * interrupt pin INTA (read only).
 *
 * <h2>Registers</h2>
 * <ul>
 *   <li>PMBA 0x40 (bits 15:6) and PMIOSE 0x80 bit 0: the 64-byte {@code piix4-pm} block with
 *       {@link AcpiPm}'s PM1_STS/EN at +0, PM1_CNT at +4, PM_TMR at +8. Reset: 0x40 = 0x01, 0x80 = 0.</li>
 *   <li>DEVACTB 0x58-0x5B: reset 0; bit 25 (APMC_EN, 0x5B bit 1) set at reset when SMM is off, as
 *       QEMU does to tell SeaBIOS that SMM is already set up (piix4_pm_reset "Mark SMM as already
 *       inited"): SeaBIOS then skips its SMI handshake on 0xB2/0xB3.</li>
 *   <li>0x5F, 0x63, 0x67: QEMU's machine-ready values (0x5F = 0x10, +0x80 with a parallel port at
 *       0x378; 0x63 = 0x60; 0x67 = 0x08 with COM1 at 0x3F8, +0x90 with COM2 at 0x2F8), set at the
 *       first reset, once every device is mapped.</li>
 *   <li>SMBBA 0x90 (bits 15:6) and HOSTC 0xD2 bit 0: the {@link PmSmbus} block; set at realize from
 *       {@code smb_io_base} (the pc board gives 0xB100) and 0xD2 = 0x09, and not reset.</li>
 *   <li>Everything else from 0x40 is writable (QEMU's default write mask).</li>
 * </ul>
 *
 * <h2>QEMU interface</h2>
 * <ul>
 *   <li>GPIO out {@code unnamed-gpio-out[0]}: SCI (the pc board wires it to GSI 9);
 *       {@code smi-irq[0]}: pulsed on an APMC write other than ACPI enable/disable while APMC_EN
 *       is set (no SMM here: the board may leave it unconnected).</li>
 *   <li>I/O: APM at 0xB2/0xB3 ({@link Apm}; 0xF1 enables, 0xF0 disables ACPI), GPE0 at 0xAFE0 (4
 *       bytes). QEMU's PCI and CPU hotplug blocks (0xAE00, 0xAF00) are not modelled.</li>
 *   <li>SMM: Machina has none. With {@code smmEnabled} false (QEMU's {@code smm-enabled}, false
 *       under {@code -machine smm=off}) the model behaves as QEMU 7.2 does with smm=off; the board
 *       must pass false, because SeaBIOS waits forever for an SMI handler otherwise.</li>
 * </ul>
 */
public final class Piix4Pm implements DeviceModel.Pci {
    public static final int DEVICE_ID = 0x7113;
    public static final int PMBA = 0x40;
    public static final int DEVACTB = 0x58;
    public static final int PMREGMISC = 0x80;
    public static final int SMBBA = 0x90;
    public static final int SMBHSTCFG = 0xD2;
    public static final int GPE_BASE = 0xAFE0;
    public static final int GPE_LEN = 4;
    public static final int ACPI_ENABLE = 0xF1;
    public static final int ACPI_DISABLE = 0xF0;

    private final int smbIoBase;
    private final boolean smmEnabled;
    private final int s4Val;
    private PciConfigSpace config;
    private ChipsetSlot slot;
    private AcpiPm acpi;
    private Apm apm;
    private final PmSmbus smbus = new PmSmbus();
    private MemoryRegion pmIo;
    private MemoryRegion smbIo;
    private IrqLine smi;
    private boolean machineReady;

    public Piix4Pm(int smbIoBase, boolean smmEnabled, int s4Val) {
        this.smbIoBase = smbIoBase;
        this.smmEnabled = smmEnabled;
        this.s4Val = s4Val;
    }

    @Override
    public void realize(PciSlot s) {
        slot = ChipsetSlot.of(s);
        config = slot.configSpace();
        config.identify(PciHeader.VENDOR_INTEL, DEVICE_ID, 0x03, 0x068000);
        config.set16(PciHeader.STATUS, PciHeader.STATUS_FAST_BACK | PciHeader.STATUS_DEVSEL_MEDIUM);
        config.set8(PciHeader.INTERRUPT_PIN, 1);
        IrqLine sci = slot.gpio().outputs(1)[0];
        smi = slot.gpio().outputs("smi-irq", 1)[0];
        acpi = new AcpiPm(sci, slot.timers(), slot.machine(), s4Val, !smmEnabled, GPE_LEN);
        apm = new Apm(this::apmCommand);
        BoardMemory m = slot.boardMemory();
        if (!smmEnabled) {
            config.set8(DEVACTB + 3, 0x02);
        }
        config.set8(SMBBA, smbIoBase | 1);
        config.set8(SMBBA + 1, smbIoBase >> 8);
        config.set8(SMBHSTCFG, 0x09);
        slot.transaction(() -> {
            smbIo = smbus.region(slot.regions());
            smbIo.setEnabled(false);
            m.io().addSubregionOverlap(smbIoBase, smbIo, 0);
            pmIo = slot.regions().container("piix4-pm", 64);
            MemoryRegion[] pm1 = acpi.pm1Regions(slot.regions());
            pmIo.addSubregion(0, pm1[0]);
            pmIo.addSubregion(4, pm1[1]);
            pmIo.addSubregion(8, pm1[2]);
            pmIo.setEnabled(false);
            // guest-programmed decoders may land on anything (QEMU lets them overlap)
            m.io().addSubregionOverlap(0, pmIo, 0);
            m.io().addSubregion(Apm.PORT, apm.region(slot.regions()));
            m.io().addSubregion(GPE_BASE, acpi.gpeRegion(slot.regions()));
            updateSmbus();
        });
        resetRegisters();
        config.onWrite((addr, len, value) -> {
            if (covers(addr, len, PMREGMISC) || overlaps(addr, len, PMBA, 4)) {
                slot.transaction(this::updatePmIo);
            }
            if (covers(addr, len, SMBHSTCFG) || overlaps(addr, len, SMBBA, 4)) {
                slot.transaction(this::updateSmbus);
            }
        });
    }

    private static boolean covers(int addr, int len, int reg) {
        return addr <= reg && reg < addr + len;
    }

    private static boolean overlaps(int addr, int len, int start, int n) {
        return addr < start + n && start < addr + len;
    }

    private void updatePmIo() {
        pmIo.setEnabled((config.get8(PMREGMISC) & 1) != 0);
        pmIo.setAddress(config.get32(PMBA) & 0xFFC0);
    }

    private void updateSmbus() {
        smbIo.setEnabled((config.get8(SMBHSTCFG) & 1) != 0);
        smbIo.setAddress(config.get32(SMBBA) & 0xFFC0);
    }

    private void apmCommand(int v) {
        acpi.apmCommand(v == ACPI_ENABLE, v == ACPI_DISABLE);
        if (v == ACPI_ENABLE || v == ACPI_DISABLE) {
            return;
        }
        if ((config.get8(DEVACTB + 3) & 0x02) != 0) {
            smi.pulse();
        }
    }

    @Override
    public void reset() {
        if (config == null) {
            return;
        }
        if (!machineReady) {
            machineReady = true;
            MemoryRegion io = slot.boardMemory().io();
            config.set8(0x5F, 0x10 | (IoPresence.present(io, 0x378) ? 0x80 : 0));
            config.set8(0x63, 0x60);
            config.set8(0x67, (IoPresence.present(io, 0x3F8) ? 0x08 : 0) | (IoPresence.present(io, 0x2F8) ? 0x90 : 0));
        }
        resetRegisters();
    }

    private void resetRegisters() {
        config.set16(PciHeader.COMMAND, 0);
        config.set32(DEVACTB, smmEnabled ? 0 : 0x02000000);
        config.set8(PMBA, 0x01);
        config.set8(PMREGMISC, 0);
        acpi.reset();
        slot.transaction(this::updatePmIo);
    }

    /** PMBA's base (bits 15:6), what QEMU's FADT gives as the PM1 block (QEMU's io_base). */
    public int pmBase() {
        return config.get32(PMBA) & 0xFFC0;
    }

    /** The ACPI registers (for the board's power button and for tests). */
    public AcpiPm acpi() {
        return acpi;
    }
}
