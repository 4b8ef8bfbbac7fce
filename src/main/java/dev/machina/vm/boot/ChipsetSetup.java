package dev.machina.vm.boot;

import dev.machina.memory.AddressSpace;

/**
 * The chipset programming a PC BIOS does before an OS runs and that Linux relies on, for the
 * firmware-less path: the ACPI PM I/O block enabled at 0x600 (what the ACPI tables describe, and
 * where Linux writes SLP_TYP|SLP_EN for a power-off) and the PCI interrupt routers set to IRQ
 * 10/10/11/11, with the values SeaBIOS 1.16.2 writes on QEMU 7.2 (../shared/x86/pc-boot/README.md
 * 1.2; src/fw/pciinit.c piix_isa_bridge_setup, piix4_pm_setup, mch_isa_bridge_setup, ich9_lpc_setup). It uses
 * PCI configuration mechanism #1 (0xCF8/0xCFC) as the firmware would.
 */
final class ChipsetSetup {
    static final int PM_BASE = 0x600;

    private ChipsetSetup() {}

    static void run(String family, AddressSpace io) {
        switch (family) {
            case "pc-i440fx" -> {
                int isa = bdf(0, 1, 0), pm = bdf(0, 1, 3);
                for (int i = 0; i < 4; i++) {
                    write(io, isa, 0x60 + i, 1, i < 2 ? 10 : 11);  // PIRQA-D route control
                }
                write(io, pm, 0x40, 4, PM_BASE | 1);               // PMBA
                write(io, pm, 0x80, 1, 0x01);                      // PMREGMISC: PMIOSE
                write(io, pm, 0x3C, 1, 9);                         // interrupt line: SCI on IRQ 9
            }
            case "pc-q35" -> {
                int lpc = bdf(0, 0x1F, 0);
                for (int i = 0; i < 4; i++) {
                    write(io, lpc, 0x60 + i, 1, i < 2 ? 10 : 11);  // PIRQA-D
                    write(io, lpc, 0x68 + i, 1, i < 2 ? 10 : 11);  // PIRQE-H
                }
                write(io, lpc, 0x40, 4, PM_BASE | 1);              // PMBASE
                write(io, lpc, 0x44, 1, 0x80);                     // ACPI_CNTL: ACPI_EN
            }
            default -> {
                // isapc: no PCI, no ACPI PM
            }
        }
    }

    static int bdf(int bus, int dev, int fn) {
        return bus << 16 | dev << 11 | fn << 8;
    }

    static void write(AddressSpace io, int bdf, int reg, int size, int value) {
        io.write(0xCF8, 4, 0x80000000L | bdf | (reg & 0xFC));
        io.write(0xCFC + (reg & 3), size, value & 0xFFFFFFFFL);
    }
}
