package dev.machina.hw.pci;

import dev.machina.hw.core.Regions;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.RegionOps;

/**
 * The SMBus host controller of PIIX4 PM and ICH9 SMBus (QEMU 7.2 hw/i2c/pm_smbus.c) with the eight
 * SPD EEPROMs the pc and q35 boards put at 0x50-0x57 (smbus_eeprom_init with no SPD data: 256 zero
 * bytes each, a byte-data or word-data read returns 0, writes are kept): HST_STS (0x00), HST_CNT (0x02), HST_CMD (0x03), HST_ADD (0x04), HST_D0/D1 (0x05,
 * 0x06), HOST_BLOCK_DB (0x07). Setting START in HST_CNT without INTREN sets HOST_BUSY; the
 * transaction runs at the next read of HST_STS (QEMU's start_transaction_on_status_read), which
 * still reports HOST_BUSY; it then ends with INTR, or DEV_ERR when no EEPROM has the address or the
 * protocol is one this model lacks (only quick, byte, byte data and word data are modelled). HST_STS bits are
 * cleared by writing 1. Region {@code pm-smbus}, 64 bytes, byte callbacks.
 */
public final class PmSmbus {
    static final int HST_STS = 0x00;
    static final int HST_CNT = 0x02;
    static final int STS_HOST_BUSY = 0x01;
    static final int STS_INTR = 0x02;
    static final int STS_DEV_ERR = 0x04;
    static final int CTL_INTREN = 0x01;
    static final int CTL_START = 0x40;

    private final int[] regs = new int[8];
    private boolean pending;

    public int read(int offset) {
        if (offset == HST_STS) {
            int v = regs[HST_STS];
            if (pending) {
                pending = false;
                transaction();
            }
            return v;
        }
        return offset < regs.length ? regs[offset] : 0;
    }

    public void write(int offset, int v) {
        v &= 0xFF;
        switch (offset) {
            case HST_STS -> regs[HST_STS] &= ~(v & ~STS_HOST_BUSY);
            case HST_CNT -> {
                regs[HST_CNT] = v & ~CTL_START;
                if ((v & CTL_START) != 0) {
                    regs[HST_STS] |= STS_HOST_BUSY;
                    if ((v & CTL_INTREN) != 0) {
                        transaction();
                    } else {
                        pending = true;
                    }
                }
            }
            default -> {
                if (offset < regs.length) {
                    regs[offset] = v;
                }
            }
        }
    }

    static final int HST_CMD = 0x03;
    static final int HST_ADD = 0x04;
    static final int HST_D0 = 0x05;
    static final int HST_D1 = 0x06;
    private final byte[][] eeproms = new byte[8][256];
    private final int[] eepromOffset = new int[8];

    private void transaction() {
        int addr = regs[HST_ADD] >> 1;
        boolean read = (regs[HST_ADD] & 1) != 0;
        int prot = (regs[HST_CNT] >> 2) & 7;
        int cmd = regs[HST_CMD];
        boolean ok = addr >= 0x50 && addr <= 0x57 && prot <= 3;
        if (ok) {
            byte[] e = eeproms[addr - 0x50];
            int n = addr - 0x50;
            switch (prot) {
                case 0 -> { } // quick command
                case 1 -> {
                    if (read) {
                        regs[HST_D0] = e[eepromOffset[n]++ & 0xFF] & 0xFF;
                    } else {
                        eepromOffset[n] = cmd;
                    }
                }
                case 2 -> {
                    if (read) {
                        regs[HST_D0] = e[cmd] & 0xFF;
                        eepromOffset[n] = cmd + 1;
                    } else {
                        e[cmd] = (byte) regs[HST_D0];
                    }
                }
                default -> {
                    if (read) {
                        regs[HST_D0] = e[cmd] & 0xFF;
                        regs[HST_D1] = e[(cmd + 1) & 0xFF] & 0xFF;
                    } else {
                        e[cmd] = (byte) regs[HST_D0];
                        e[(cmd + 1) & 0xFF] = (byte) regs[HST_D1];
                    }
                }
            }
        }
        regs[HST_STS] = (regs[HST_STS] & ~STS_HOST_BUSY) | (ok ? STS_INTR : STS_DEV_ERR);
    }

    public void reset() {
        java.util.Arrays.fill(regs, 0);
        pending = false;
    }

    public MemoryRegion region(Regions r) {
        return r.io("pm-smbus", 64, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return PmSmbus.this.read((int) offset);
            }

            @Override
            public void write(long offset, int size, long value) {
                PmSmbus.this.write((int) offset, (int) value);
            }
        }, AccessRule.sizes(1, 4, 1, 1));
    }
}
