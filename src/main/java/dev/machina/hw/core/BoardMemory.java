package dev.machina.hw.core;

import dev.machina.memory.MemoryRegion;

/**
 * The regions a board makes and a chipset reshapes: QEMU passes the same four to {@code i440fx_init}
 * and to the Q35 host as links ({@code ram-mem}, {@code pci-mem}, {@code system-mem}, {@code io-mem}).
 * PAM segments, SMRAM, the PCI hole, MMCONFIG and BARs are aliases and subregions the chipset adds
 * here and enables, disables or moves; each change is one remap (a TLB flush for the CPU).
 */
public interface BoardMemory {
    /** The CPU's physical address space root ({@code system}). */
    MemoryRegion system();

    /** The I/O port space root ({@code io}). */
    MemoryRegion io();

    /** All guest RAM ({@code pc.ram}); the board maps it through aliases such as {@code ram-below-4g}. */
    MemoryRegion ram();

    /** The PCI memory window ({@code pci}, mapped under system memory at priority -1), holding the ROMs. */
    MemoryRegion pci();
}
