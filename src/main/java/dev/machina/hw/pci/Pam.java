package dev.machina.hw.pci;

import dev.machina.hw.core.BoardMemory;
import dev.machina.hw.core.Regions;
import dev.machina.memory.MemoryRegion;

/**
 * Programmable Attribute Map: the 13 shadow-RAM segments below 1 MiB (0xF0000-0xFFFFF, 64 KiB, and
 * twelve of 16 KiB from 0xC0000) that the i440FX (registers 0x59-0x5F, 82441FX datasheet 3.2.18)
 * and the Q35 MCH (0x90-0x96) switch between RAM and the PCI bus. Segment {@code i} is controlled
 * by register {@code base + ceil(i/2)}: bits 5:4 for even {@code i}, bits 1:0 for odd (so segment 0,
 * the BIOS area, is the high nibble of the first register).
 *
 * <p>As QEMU 7.2's hw/pci-host/pam.c does it, each segment is four aliases over system memory at
 * priority 1 of which one is enabled: 0 (disabled) the PCI space, 1 (read only) RAM whose writes
 * are dropped, 2 (write only) RAM read and written (QEMU's approximation: reads should go to PCI),
 * 3 RAM.
 */
public final class Pam {
    public static final long BIOS_BASE = 0xF0000;
    public static final long BIOS_SIZE = 0x10000;
    public static final long EXPANSION_BASE = 0xC0000;
    public static final long EXPANSION_SIZE = 0x4000;
    public static final int SEGMENTS = 13;

    private final MemoryRegion[][] aliases = new MemoryRegion[SEGMENTS][4];
    private final int[] current = new int[SEGMENTS];

    public Pam(Regions regions, BoardMemory memory) {
        for (int i = 0; i < SEGMENTS; i++) {
            long start = i == 0 ? BIOS_BASE : EXPANSION_BASE + (i - 1) * EXPANSION_SIZE;
            long size = i == 0 ? BIOS_SIZE : EXPANSION_SIZE;
            MemoryRegion[] a = aliases[i];
            a[0] = regions.alias("pam-pci", memory.pci(), start, size);
            a[1] = regions.alias("pam-rom", memory.ram(), start, size);
            a[1].setReadonly(true);
            a[2] = regions.alias("pam-pci", memory.ram(), start, size);
            a[3] = regions.alias("pam-ram", memory.ram(), start, size);
            for (MemoryRegion r : a) {
                r.setEnabled(false);
                memory.system().addSubregionOverlap(start, r, 1);
            }
            a[0].setEnabled(true);
        }
    }

    /** Applies the PAM registers {@code regs[0..6]} (the bytes at 0x59.. or 0x90..). */
    public void update(int[] regs) {
        for (int i = 0; i < SEGMENTS; i++) {
            int reg = regs[(i + 1) / 2];
            int attr = (i & 1) == 0 ? (reg >> 4) & 3 : reg & 3;
            if (attr != current[i]) {
                aliases[i][current[i]].setEnabled(false);
                aliases[i][attr].setEnabled(true);
                current[i] = attr;
            }
        }
    }

    /** The attribute (0..3) segment {@code i} decodes with now. */
    public int attribute(int i) {
        return current[i];
    }
}
