package dev.machina.vm;

import dev.machina.machine.MachineOption;
import dev.machina.machine.ResolvedMachine;
import java.util.Optional;

/**
 * The machine-level values of a built machine: what the board code reads from the machine type and
 * the machine object rather than from one device. Options are the machine type's (QEMU's
 * MachineClass fields: {@code isa-bios-alias}, {@code rom-file-has-mr}, {@code pci-enabled}, ...);
 * properties are the machine object's effective values ({@code acpi}, {@code smm}, {@code hpet},
 * {@code max-ram-below-4g}, ...), with origins.
 *
 * @param type      the machine type, resolved
 * @param ram       the RAM size and where it was set
 * @param smp       the CPU topology
 * @param cpuType   the QOM type of the CPUs ({@code qemu64-x86_64-cpu})
 * @param firmware  the firmware file name the machine loads ({@code bios-256k.bin}); see {@link #firmwareFrom}
 * @param firmwareFrom where the firmware name comes from: {@code -bios}/{@code -machine firmware=}, the
 *                  machine type's {@code default-machine-options}, or QEMU's built-in {@code bios.bin}
 * @param machine   the machine object
 * @param below4g   bytes of RAM mapped from address 0 (QEMU's below_4g_mem_size, as pc_init1 / pc_q35_init
 *                  split RAM around the PCI hole); -1 where the board's split is not modelled (Xen)
 * @param above4g   bytes of RAM mapped from 4 GiB up (above_4g_mem_size); -1 likewise
 */
public record MachineValues(ResolvedMachine type, VmSpec.Memory ram, VmSpec.Smp smp, String cpuType, String firmware,
                            String firmwareFrom, BuiltObject machine, long below4g, long above4g) {

    /** QEMU's BIOS_FILENAME (hw/i386/x86.c), loaded when the machine object names no firmware. */
    public static final String DEFAULT_BIOS = "bios.bin";

    public long ramBytes() {
        return ram.bytes();
    }

    /** A machine option's typed value; empty when no step of the machine's chain sets it (or sets it to none). */
    public Optional<Object> option(MachineOption o) {
        ResolvedMachine.Option v = type.option(o);
        return v == null ? Optional.empty() : Optional.ofNullable(v.value());
    }

    /** A boolean machine option; false when it is not set. */
    public boolean flag(MachineOption o) {
        return option(o).map(Boolean.TRUE::equals).orElse(false);
    }

    /** A property of the machine object ({@code acpi}, {@code smm}, {@code hpet}, ...), with its origin. */
    public Optional<EffectiveValue> property(String name) {
        return machine.value(name);
    }
}
