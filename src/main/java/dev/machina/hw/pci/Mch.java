package dev.machina.hw.pci;

import dev.machina.hw.core.BoardMemory;
import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.PciSlot;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.RegionOps;

/**
 * {@code mch}: function 00.0 of the Q35 Memory Controller Hub (QEMU 7.2 hw/pci-host/q35.c; Intel
 * 3 Series Express Chipset datasheet 316966): identity 8086:29C0 revision 0, class 0600.
 *
 * <h2>Registers</h2>
 * <ul>
 *   <li>0x50 EXT_TSEG_MBYTES (QEMU's own): writing 0xFFFF reads back {@code extended-tseg-mbytes}
 *       (16 by default; the reset value is that answer).</li>
 *   <li>0x60 PCIEXBAR (64 bits, reset 0xB0000000): bit 0 enables MMCONFIG, bits 2:1 its length
 *       (00 256 MiB, 01 128 MiB, 10 64 MiB) and bits 35:26 the base as the length allows. The
 *       reserved length 11 turns MMCONFIG off (QEMU 7.2 aborts the emulator: a guest must not be
 *       able to do that here).</li>
 *   <li>0x90-0x96 PAM0-PAM6: {@link Pam}.</li>
 *   <li>0x9C F_SMBASE (QEMU's SMRAM at SMBASE, {@code smbase-smram}): writing 0xFF answers 0x01
 *       (supported) and leaves only LCK (bit 1) writable; setting LCK hides 0x30000-0x4FFFF
 *       (reads all ones) from a non-SMM CPU and locks the register.</li>
 *   <li>0x9D SMRAM (reset 0x02; writable D_OPEN, D_CLS, D_LCK, G_SMRAME): with D_OPEN clear the
 *       PCI space shows at 0xA0000-0xBFFFF; D_LCK clears D_OPEN and leaves only D_CLS writable.
 *       0x9E ESMRAMC (reset 0x38; writable H_SMRAME, TSEG_SZ, T_EN; none once D_LCK): with T_EN and
 *       G_SMRAME the top 1, 2, 8 or {@code extended-tseg-mbytes} MiB of RAM below 4 GiB is TSEG,
 *       which reads all ones and drops writes (QEMU's {@code tseg-blackhole}): there is no SMM
 *       CPU to see it. With H_SMRAME and D_OPEN the low window hides too.</li>
 *   <li>Everything else from 0x40 is writable (QEMU's default write mask).</li>
 * </ul>
 */
public final class Mch implements DeviceModel.Pci {
    public static final int DEVICE_ID = 0x29C0;
    public static final int EXT_TSEG_MBYTES = 0x50;
    public static final int PCIEXBAR = 0x60;
    public static final long PCIEXBAR_DEFAULT = 0xB0000000L;
    public static final int PAM0 = 0x90;
    public static final int F_SMBASE = 0x9C;
    public static final int SMRAM = 0x9D;
    public static final int ESMRAMC = 0x9E;
    static final int SMRAM_D_OPEN = 0x40;
    static final int SMRAM_D_CLS = 0x20;
    static final int SMRAM_D_LCK = 0x10;
    static final int SMRAM_G_SMRAME = 0x08;
    static final int SMRAM_DEFAULT = 0x02;
    static final int SMRAM_WMASK = SMRAM_D_OPEN | SMRAM_D_CLS | SMRAM_D_LCK | SMRAM_G_SMRAME;
    static final int ESMRAMC_H_SMRAME = 0x80;
    static final int ESMRAMC_TSEG_SZ = 0x06;
    static final int ESMRAMC_T_EN = 0x01;
    static final int ESMRAMC_DEFAULT = 0x38;
    static final int ESMRAMC_WMASK = ESMRAMC_H_SMRAME | ESMRAMC_TSEG_SZ | ESMRAMC_T_EN;
    static final long SMBASE_ADDR = 0x30000;
    static final long SMBASE_SIZE = 0x20000;

    private final int extTsegMbytes;
    private final boolean smbaseSmram;
    private PciConfigSpace config;
    private ChipsetSlot slot;
    private Pam pam;
    private MemoryRegion smramRegion;
    private MemoryRegion tsegBlackhole;
    private MemoryRegion smbaseBlackhole;

    public Mch(int extTsegMbytes, boolean smbaseSmram) {
        this.extTsegMbytes = extTsegMbytes;
        this.smbaseSmram = smbaseSmram;
    }

    private static final RegionOps BLACKHOLE = new RegionOps() {
        @Override
        public long read(long offset, int size) {
            return 0xFFFFFFFFL;
        }

        @Override
        public void write(long offset, int size, long value) {
        }
    };

    @Override
    public void realize(PciSlot s) {
        if (extTsegMbytes > 0xFFF) {
            throw new IllegalArgumentException("invalid extended-tseg-mbytes value: " + extTsegMbytes);
        }
        slot = ChipsetSlot.of(s);
        config = slot.configSpace();
        config.identify(PciHeader.VENDOR_INTEL, DEVICE_ID, 0, 0x060000);
        BoardMemory m = slot.boardMemory();
        slot.transaction(() -> {
            smramRegion = slot.regions().alias("smram-region", m.pci(), I440fx.SMRAM_C_BASE, I440fx.SMRAM_C_SIZE);
            m.system().addSubregionOverlap(I440fx.SMRAM_C_BASE, smramRegion, 1);
            pam = new Pam(slot.regions(), m);
            smbaseBlackhole = slot.regions().io("smbase-blackhole", SMBASE_SIZE, BLACKHOLE, AccessRule.sizes(1, 4, 4, 4));
            smbaseBlackhole.setEnabled(false);
            m.system().addSubregionOverlap(SMBASE_ADDR, smbaseBlackhole, 1);
        });
        config.onWrite(this::written);
        resetRegisters();
    }

    private static boolean overlaps(int addr, int len, int start, int n) {
        return addr < start + n && start < addr + len;
    }

    private void written(int addr, int len, int value) {
        slot.transaction(() -> {
            if (overlaps(addr, len, PAM0, 7)) {
                updatePam();
            }
            if (overlaps(addr, len, PCIEXBAR, 8)) {
                updatePciexbar();
            }
            if (overlaps(addr, len, SMRAM, 2)) {
                updateSmram();
            }
            if (overlaps(addr, len, EXT_TSEG_MBYTES, 2)) {
                updateExtTseg();
            }
            if (overlaps(addr, len, F_SMBASE, 1)) {
                updateSmbase();
            }
        });
    }

    private void updatePciexbar() {
        long bar = (config.get32(PCIEXBAR) & 0xFFFFFFFFL) | (config.get32(PCIEXBAR + 4) & 0xFFFFFFFFL) << 32;
        boolean enable = (bar & 1) != 0;
        long mask = 0xFF0000000L; // bits 35:28
        long length;
        switch ((int) (bar >> 1) & 3) {
            case 0 -> length = 256L << 20;
            case 1 -> {
                length = 128L << 20;
                mask |= 1L << 27;
            }
            case 2 -> {
                length = 64L << 20;
                mask |= 3L << 26;
            }
            default -> {
                enable = false; // reserved length
                length = 0;
            }
        }
        slot.bus().mmconfigUpdate(enable, bar & mask, length);
    }

    private void updatePam() {
        int[] regs = new int[7];
        for (int i = 0; i < 7; i++) {
            regs[i] = config.get8(PAM0 + i);
        }
        pam.update(regs);
    }

    private void updateSmram() {
        int esmramc = config.get8(ESMRAMC);
        boolean hSmrame = (esmramc & ESMRAMC_H_SMRAME) != 0;
        if ((config.get8(SMRAM) & SMRAM_D_LCK) != 0) {
            config.set8(SMRAM, config.get8(SMRAM) & ~SMRAM_D_OPEN);
            config.writable(SMRAM, 1, SMRAM_D_CLS);
            config.writable(ESMRAMC, 1, 0);
        }
        int smram = config.get8(SMRAM);
        smramRegion.setEnabled((smram & SMRAM_D_OPEN) == 0 || hSmrame);
        long tseg = 0;
        if ((esmramc & ESMRAMC_T_EN) != 0 && (smram & SMRAM_G_SMRAME) != 0) {
            tseg = switch ((esmramc & ESMRAMC_TSEG_SZ) >> 1) {
                case 0 -> 1L << 20;
                case 1 -> 2L << 20;
                case 2 -> 8L << 20;
                default -> (long) extTsegMbytes << 20;
            };
        }
        BoardMemory m = slot.boardMemory();
        if (tsegBlackhole != null) {
            m.system().removeSubregion(tsegBlackhole);
            tsegBlackhole = null;
        }
        long below4g = slot.bus().ramBelow4g();
        if (tseg > 0 && tseg <= below4g) {
            tsegBlackhole = slot.regions().io("tseg-blackhole", tseg, BLACKHOLE, AccessRule.sizes(1, 4, 4, 4));
            m.system().addSubregionOverlap(below4g - tseg, tsegBlackhole, 1);
        }
    }

    private void updateExtTseg() {
        if (extTsegMbytes > 0 && config.get16(EXT_TSEG_MBYTES) == 0xFFFF) {
            config.set16(EXT_TSEG_MBYTES, extTsegMbytes);
        }
    }

    private void updateSmbase() {
        if (!smbaseSmram) {
            return;
        }
        int reg = config.get8(F_SMBASE);
        if (reg == 0xFF) {
            config.writable(F_SMBASE, 1, 0x02);
            config.set8(F_SMBASE, 0x01);
            return;
        }
        if (config.wmask8(F_SMBASE) == 0xFF) {
            config.set8(F_SMBASE, 0); // default state: the written value is discarded
            reg = 0;
        }
        boolean lck = (reg & 0x02) != 0;
        if (lck) {
            config.writable(F_SMBASE, 1, config.wmask8(F_SMBASE) & ~0x02);
            config.set8(F_SMBASE, 0x02);
        }
        smbaseBlackhole.setEnabled(lck);
    }

    private void resetRegisters() {
        config.set32(PCIEXBAR, (int) PCIEXBAR_DEFAULT);
        config.set32(PCIEXBAR + 4, 0);
        config.set8(SMRAM, SMRAM_DEFAULT);
        config.set8(ESMRAMC, ESMRAMC_DEFAULT);
        config.writable(SMRAM, 1, SMRAM_WMASK);
        config.writable(ESMRAMC, 1, ESMRAMC_WMASK);
        if (extTsegMbytes > 0) {
            config.set16(EXT_TSEG_MBYTES, 0xFFFF);
        }
        config.set8(F_SMBASE, 0);
        config.writable(F_SMBASE, 1, 0xFF);
        slot.transaction(() -> {
            updatePciexbar();
            updatePam();
            updateSmram();
            updateExtTseg();
            updateSmbase();
        });
    }

    @Override
    public void reset() {
        if (config != null) {
            config.set16(PciHeader.COMMAND, 0);
            resetRegisters();
        }
    }
}
