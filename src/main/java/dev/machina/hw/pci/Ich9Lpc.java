package dev.machina.hw.pci;

import dev.machina.hw.acpi.AcpiPm;
import dev.machina.hw.acpi.Apm;
import dev.machina.hw.core.BoardMemory;
import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.PciSlot;
import dev.machina.hw.core.ShutdownCause;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.RegionOps;

/**
 * {@code ICH9-LPC}: function 1F.0 of the ICH9, the LPC bridge with the ACPI power management
 * (QEMU 7.2 hw/isa/lpc_ich9.c, hw/acpi/ich9.c; Intel ICH9 datasheet 316972): identity 8086:2918
 * revision 2, class 0601, multifunction.
 *
 * <h2>Registers</h2>
 * <ul>
 *   <li>PMBASE 0x40 (bits 15:7; reset 0x00000001) and ACPI_CNTL 0x44 (ACPI_EN bit 7, SCI_IRQ_SEL
 *       bits 2:0: 0 IRQ 9, 1 IRQ 10, 2 IRQ 11, 4-7 IRQ 20-23): the 128-byte PM block while ACPI_EN
 *       is set and PMBASE is not 0 (PM1 +0, PM1_CNT +4, PM_TMR +8, GPE0 +0x20 (16 bytes),
 *       SMI_EN +0x30 and SMI_STS +0x34 (32-bit accesses only), TCO +0x60 (32 bytes)). QEMU 7.2's
 *       write mask of byte 0x40 is ACPI_CNTL's (0x87), so bits 2:0 of PMBASE are writable
 *       (tests/chipset/qemu72/q35-config-wmask.txt); this model keeps that.</li>
 *   <li>PIRQ[A-D]_ROUT 0x60-0x63 and PIRQ[E-H]_ROUT 0x68-0x6B (reset 0x80): bit 7 disables, bits
 *       3:0 the ISA IRQ. Each PIRQ also drives I/O APIC input 16+n.</li>
 *   <li>GEN_PMCON_1 0xA0: SMI_LOCK (bit 4) sticks once set and locks SMI_EN's GBL_SMI_EN.</li>
 *   <li>RCBA 0xF0 (bits 31:14, enable bit 0): the 16 KiB chipset configuration registers in
 *       memory (plain storage, reset 0 except D31IR-D25IR 0x3140-0x3150, interrupt pin routes
 *       INTA-D to PIRQA-D, and GCS 0x3410 = 0x20). D25IR-D31IR steer the INTx of devices 25-31;
 *       other slots' INTA-D go to PIRQ E-H rotated by slot (QEMU's ich9_cc_init).</li>
 *   <li>0x82 reads 0x01 after reset (recorded, QEMU 7.2).</li>
 *   <li>SMI_EN: APMC_EN (bit 5) set at reset without SMM, as QEMU does so that SeaBIOS skips its
 *       SMI handshake. There is no SMM: APMC writes other than ACPI enable (0x02) / disable (0x03)
 *       do nothing.</li>
 *   <li>TCO: registers with their reset values (TCO2_CNT 0x08, SW_IRQ_GEN 0x03, TCO_TMR 0x04),
 *       stored; the watchdog timer itself is not modelled.</li>
 * </ul>
 *
 * <h2>QEMU interface</h2>
 * <ul>
 *   <li>GPIO out {@code gsi[0..23]}: ISA IRQs and PIRQ lines to the 8259/IOAPIC GSIs; the SCI joins
 *       the GSI ACPI_CNTL selects.</li>
 *   <li>I/O 0xCF9 {@code lpc-reset-control} (RST_CNT, over 0xCF8 at priority 1): bit 2 resets,
 *       bits 3 and 1 are kept. APM at 0xB2/0xB3.</li>
 * </ul>
 */
public final class Ich9Lpc implements DeviceModel.Pci {
    public static final int DEVICE_ID = 0x2918;
    public static final int PMBASE = 0x40;
    public static final int ACPI_CNTL = 0x44;
    public static final int ACPI_EN = 0x80;
    public static final int PIRQA_ROUT = 0x60;
    public static final int PIRQE_ROUT = 0x68;
    public static final int GEN_PMCON_1 = 0xA0;
    public static final int SMI_LOCK = 0x10;
    public static final int RCBA = 0xF0;
    public static final int PIRQS = 8;
    public static final long RCBA_SIZE = 0x4000;
    static final int CC_D31IR = 0x3140;
    static final int CC_GCS = 0x3410;
    static final int PMIO_SIZE = 128;
    static final int GPE0_LEN = 16;
    static final int SMI_EN_APMC_EN = 1 << 5;
    static final int SMI_EN_GBL_SMI_EN = 1;
    static final int APM_ACPI_ENABLE = 0x02;
    static final int APM_ACPI_DISABLE = 0x03;

    private final boolean smmEnabled;
    private final int s4Val;
    private final boolean enableTco;
    private PciConfigSpace config;
    private ChipsetSlot slot;
    private AcpiPm acpi;
    private Apm apm;
    private IrqLine[] gsi;
    private MemoryRegion pmIo;
    private MemoryRegion rcrb;
    private final byte[] chip = new byte[(int) RCBA_SIZE];
    private final int[][] irr = new int[32][4];
    private final boolean[] pirqLevel = new boolean[PIRQS];
    private final boolean[] gsiLevel = new boolean[24];
    private final byte[] tco = new byte[32];
    private boolean sciLevel;
    private int sciGsi = 9;
    private int smiEn;
    private int smiEnWmask = -1;
    private int smiSts;
    private int rstCnt;

    public Ich9Lpc(boolean smmEnabled, int s4Val, boolean enableTco) {
        this.smmEnabled = smmEnabled;
        this.s4Val = s4Val;
        this.enableTco = enableTco;
    }

    /**
     * Maps the PM register block (disabled until the guest sets PMBASE and PMIOSE) into the I/O space:
     * QEMU 7.2's pc_q35_init does it (ich9_lpc_pm_init → ich9_pm_init) after the board's basic ISA
     * devices, so it is the newest region at port 0 (info mtree lists it before the DMA controller's).
     */
    public void attachPmIo() {
        slot.transaction(() -> slot.boardMemory().io().addSubregionOverlap(0, pmIo, 0));
    }

    @Override
    public void realize(PciSlot s) {
        slot = ChipsetSlot.of(s);
        config = slot.configSpace();
        config.identify(PciHeader.VENDOR_INTEL, DEVICE_ID, 0x02, 0x060100);
        config.writable(PMBASE, 4, 0x0000FF87);
        gsi = slot.gpio().outputs("gsi", 24);
        acpi = new AcpiPm(level -> {
            sciLevel = level;
            updateGsis();
        }, slot.timers(), slot.machine(), s4Val, !smmEnabled, GPE0_LEN);
        apm = new Apm(v -> acpi.apmCommand(v == APM_ACPI_ENABLE, v == APM_ACPI_DISABLE));
        BoardMemory m = slot.boardMemory();
        slot.transaction(() -> {
            pmIo = slot.regions().container("ich9-pm", PMIO_SIZE);
            MemoryRegion[] pm1 = acpi.pm1Regions(slot.regions());
            pmIo.addSubregion(0, pm1[0]);
            pmIo.addSubregion(4, pm1[1]);
            pmIo.addSubregion(8, pm1[2]);
            pmIo.addSubregion(0x20, acpi.gpeRegion(slot.regions()));
            pmIo.addSubregion(0x30, slot.regions().io("acpi-smi", 8, new RegionOps() {
                @Override
                public long read(long offset, int size) {
                    return (offset == 0 ? smiEn : smiSts) & 0xFFFFFFFFL;
                }

                @Override
                public void write(long offset, int size, long value) {
                    if (offset == 0) {
                        smiEn = (smiEn & ~smiEnWmask) | ((int) value & smiEnWmask);
                    }
                }
            }, AccessRule.sizes(4, 4)));
            if (enableTco) {
                pmIo.addSubregion(0x60, slot.regions().io("sm-tco", 32, new RegionOps() {
                    @Override
                    public long read(long offset, int size) {
                        return tco[(int) offset] & 0xFF;
                    }

                    @Override
                    public void write(long offset, int size, long value) {
                        tco[(int) offset] = (byte) value;
                    }
                }, AccessRule.sizes(1, 4, 1, 1)));
            }
            pmIo.setEnabled(false);
            m.io().addSubregion(Apm.PORT, apm.region(slot.regions()));
            m.io().addSubregionOverlap(0xCF9, slot.regions().io("lpc-reset-control", 1, new RegionOps() {
                @Override
                public long read(long offset, int size) {
                    return rstCnt;
                }

                @Override
                public void write(long offset, int size, long value) {
                    if ((value & 4) != 0) {
                        slot.machine().requestReset(ShutdownCause.GUEST_RESET);
                        return;
                    }
                    rstCnt = (int) value & 0x0A;
                }
            }, AccessRule.sizes(1, 4, 1, 1)), 1);
            rcrb = slot.regions().io("lpc-rcrb-mmio", RCBA_SIZE, new RegionOps() {
                @Override
                public long read(long offset, int size) {
                    long v = 0;
                    for (int i = 0; i < size; i++) {
                        v |= (chip[(int) offset + i] & 0xFFL) << (8 * i);
                    }
                    return v;
                }

                @Override
                public void write(long offset, int size, long value) {
                    for (int i = 0; i < size; i++) {
                        chip[(int) offset + i] = (byte) (value >>> (8 * i));
                    }
                    updateRouting();
                }
            }, AccessRule.sizes(1, 4).unaligned());
        });
        slot.bus().setIrqs((devfn, pin) -> irr[devfn >> 3][pin], this::setPirq, PIRQS);
        int[] rcbaOld = {0};
        config.onWrite((addr, len, value) -> {
            if (overlaps(addr, len, PMBASE, 4) || overlaps(addr, len, ACPI_CNTL, 1)) {
                slot.transaction(this::updatePmbaseSci);
            }
            if (overlaps(addr, len, RCBA, 4)) {
                slot.transaction(() -> updateRcba(rcbaOld));
            }
            if (overlaps(addr, len, PIRQA_ROUT, 4) || overlaps(addr, len, PIRQE_ROUT, 4)) {
                updateGsis();
            }
            if (overlaps(addr, len, GEN_PMCON_1, 2)) {
                if ((config.get8(GEN_PMCON_1) & SMI_LOCK) != 0) {
                    config.writable(GEN_PMCON_1, 1, config.wmask8(GEN_PMCON_1) & ~SMI_LOCK);
                    smiEnWmask &= ~SMI_EN_GBL_SMI_EN;
                }
            }
        });
        config.set8(0x82, 0x01);
        this.rcbaOldRef = rcbaOld;
        resetRegisters();
    }

    private int[] rcbaOldRef;

    private static boolean overlaps(int addr, int len, int start, int n) {
        return addr < start + n && start < addr + len;
    }

    private void updatePmbaseSci() {
        int base = config.get32(PMBASE) & 0xFF80;
        boolean on = (config.get8(ACPI_CNTL) & ACPI_EN) != 0 && base != 0;
        pmIo.setEnabled(false);
        pmIo.setAddress(base);
        pmIo.setEnabled(on);
        int newGsi = switch (config.get8(ACPI_CNTL) & 7) {
            case 0 -> 9;
            case 1 -> 10;
            case 2 -> 11;
            case 4 -> 20;
            case 5 -> 21;
            case 6 -> 22;
            case 7 -> 23;
            default -> -1;
        };
        if (newGsi != sciGsi) {
            sciGsi = newGsi;
            updateGsis();
        }
    }

    private void updateRcba(int[] old) {
        int rcba = config.get32(RCBA);
        if ((old[0] & 1) != 0) {
            slot.boardMemory().system().removeSubregion(rcrb);
        }
        if ((rcba & 1) != 0) {
            slot.boardMemory().system().addSubregionOverlap(rcba & 0xFFFFC000L, rcrb, 1);
        }
        old[0] = rcba;
    }

    /** ich9_cc_init / ich9_cc_update: INTx of each slot to a PIRQ. */
    private void updateRouting() {
        for (int slotNo = 0; slotNo < 32; slotNo++) {
            for (int pin = 0; pin < 4; pin++) {
                irr[slotNo][pin] = (pin + slotNo) % 4 + 4;
            }
        }
        int[] dirSlots = {31, 30, 29, 28, 27, 26, 25};
        int[] dirOffsets = {0x3140, 0x3142, 0x3144, 0x3146, 0x3148, 0x314C, 0x3150};
        for (int i = 0; i < dirSlots.length; i++) {
            int dir = (chip[dirOffsets[i]] & 0xFF) | (chip[dirOffsets[i] + 1] & 0xFF) << 8;
            for (int pin = 0; pin < 4; pin++) {
                irr[dirSlots[i]][pin] = (dir >> (4 * pin)) & 7;
            }
        }
        updateGsis();
    }

    private void setPirq(int pirq, boolean level) {
        pirqLevel[pirq] = level;
        updateGsis();
    }

    private int route(int pirq) {
        return config.get8(pirq < 4 ? PIRQA_ROUT + pirq : PIRQE_ROUT + pirq - 4);
    }

    private void updateGsis() {
        if (gsi == null) {
            return;
        }
        boolean[] now = new boolean[24];
        for (int p = 0; p < PIRQS; p++) {
            int r = route(p);
            if ((r & 0x80) == 0 && pirqLevel[p]) {
                now[r & 0x0F] = true;
            }
            if (pirqLevel[p]) {
                now[16 + p] = true;
            }
        }
        if (sciGsi >= 0 && sciLevel) {
            now[sciGsi] = true;
        }
        for (int i = 0; i < 24; i++) {
            if (now[i] != gsiLevel[i]) {
                gsiLevel[i] = now[i];
                gsi[i].set(now[i]);
            }
        }
    }

    private void resetRegisters() {
        config.set16(PciHeader.COMMAND, 0);
        for (int i = 0; i < 4; i++) {
            config.set8(PIRQA_ROUT + i, 0x80);
            config.set8(PIRQE_ROUT + i, 0x80);
        }
        config.set8(ACPI_CNTL, 0);
        config.set32(PMBASE, 1);
        config.set32(RCBA, 0);
        java.util.Arrays.fill(chip, (byte) 0);
        // ich9_cc_reset stores each DnnIR default (0x3210: INTA-D to PIRQA-D) as a 32-bit value
        // although the registers are 16 bits apart; the bytes QEMU 7.2 ends up with (recorded in
        // tests/chipset/qemu72/q35-pm-registers.txt) leave D30IR 0 (all of device 30 to PIRQA)
        for (int off : new int[] {0x3142, 0x3140, 0x3144, 0x3146, 0x3148, 0x314C, 0x3150}) {
            putLong(off, 0x3210);
        }
        putLong(CC_GCS, 0x20);
        byte[] tcoReset = new byte[32];
        tcoReset[0x0A] = 0x08;
        tcoReset[0x10] = 0x03;
        tcoReset[0x12] = 0x04;
        System.arraycopy(tcoReset, 0, tco, 0, 32);
        smiEn = smmEnabled ? 0 : SMI_EN_APMC_EN;
        smiEnWmask = -1;
        smiSts = 0;
        rstCnt = 0;
        sciLevel = false;
        acpi.reset();
        slot.transaction(() -> {
            updatePmbaseSci();
            updateRcba(rcbaOldRef);
        });
        updateRouting();
    }

    private void putLong(int off, int v) {
        for (int i = 0; i < 4; i++) {
            chip[off + i] = (byte) (v >>> (8 * i));
        }
    }

    @Override
    public void reset() {
        if (config != null) {
            resetRegisters();
        }
    }

    /** PMBASE's base (bits 15:7), what QEMU's FADT gives as the PM1 block. */
    public int pmBase() {
        return config.get32(PMBASE) & 0xFF80;
    }

    public AcpiPm acpi() {
        return acpi;
    }
}
