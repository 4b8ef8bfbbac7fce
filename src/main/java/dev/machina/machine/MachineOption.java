package dev.machina.machine;

import dev.machina.qom.PropertyType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of a machine type: QEMU's MachineClass, PCMachineClass and X86MachineClass fields that
 * are data (not functions), under kebab-case names, each with a type. The machine-family schema
 * ({@code schemas/machine-family.schema.json}) lists the same names; a test keeps the two in step.
 * Declaration order is the order {@code machine show} prints them in.
 */
public enum MachineOption {
    DESCRIPTION("description", Types.STR_OR_NONE, "what -machine help prints for the type (MachineClass.desc)"),
    QEMU_FAMILY("qemu-family", Types.STR_OR_NONE, "QEMU's family string; -machine help groups and sorts by it"),
    HW_VERSION("hw-version", Types.STR_OR_NONE, "the QEMU version old guests see in device model ids"),
    MAX_CPUS("max-cpus", PropertyType.UINT32, "most CPUs -smp may ask for (query-machines cpu-max)"),
    DEFAULT_CPU_TYPE("default-cpu-type", Types.STR_OR_NONE, "CPU type used without -cpu"),
    DEFAULT_CPU_VERSION("default-cpu-version", Types.CPU_VERSION, "version of the CPU models used without one (legacy: unversioned)"),
    HOTPLUGGABLE_CPUS("hotpluggable-cpus", PropertyType.BOOL, "CPUs can be added with device_add"),
    DEFAULT_RAM_ID("default-ram-id", Types.STR_OR_NONE, "id of the memory backend made for -m"),
    DEFAULT_RAM_SIZE("default-ram-size", PropertyType.SIZE, "RAM without -m"),
    NUMA_MEM_SUPPORTED("numa-mem-supported", PropertyType.BOOL, "-numa node,mem= is accepted"),
    AUTO_ENABLE_NUMA_WITH_MEMHP("auto-enable-numa-with-memhp", PropertyType.BOOL, "memory hotplug turns NUMA on"),
    AUTO_ENABLE_NUMA_WITH_MEMDEV("auto-enable-numa-with-memdev", PropertyType.BOOL, "a memdev turns NUMA on"),
    NUMA_MEM_ALIGN_SHIFT("numa-mem-align-shift", PropertyType.UINT32, "NUMA node memory alignment as a power of two"),
    NUMA_LEGACY_AUTO_ASSIGN_RAM("numa-legacy-auto-assign-ram", PropertyType.BOOL, "split RAM over NUMA nodes the pre-2.x way"),
    SMP_PREFER_SOCKETS("smp-prefer-sockets", PropertyType.BOOL, "-smp fills sockets before cores"),
    SMP_DIES_SUPPORTED("smp-dies-supported", PropertyType.BOOL, "-smp dies= is accepted"),
    SMP_MODULES_SUPPORTED("smp-modules-supported", PropertyType.BOOL, "-smp modules= is accepted"),
    SMP_CACHE_SUPPORTED("smp-cache-supported", Types.CACHE_LEVELS, "cache levels -machine smp-cache may describe"),
    DEFAULT_BOOT_ORDER("default-boot-order", Types.STR_OR_NONE, "boot order without -boot"),
    BLOCK_DEFAULT_INTERFACE("block-default-interface", Types.STR_OR_NONE, "interface of -drive without if="),
    DEFAULT_DISPLAY("default-display", Types.STR_OR_NONE, "display device without -vga (none: no display device)"),
    DEFAULT_NIC("default-nic", Types.STR_OR_NONE, "NIC model of -nic/-net without model="),
    DEFAULT_MACHINE_OPTIONS("default-machine-options", Types.STR_OR_NONE, "-machine options applied before the user's"),
    DEFAULT_KERNEL_IRQCHIP_SPLIT("default-kernel-irqchip-split", PropertyType.BOOL, "KVM irqchip defaults to split"),
    UNITS_PER_DEFAULT_BUS("units-per-default-bus", PropertyType.UINT32, "drives per bus of the default interface"),
    NO_FLOPPY("no-floppy", PropertyType.BOOL, "no default floppy drive"),
    NO_PARALLEL("no-parallel", PropertyType.BOOL, "no default parallel port"),
    NO_SERIAL("no-serial", PropertyType.BOOL, "no default serial port"),
    NO_CDROM("no-cdrom", PropertyType.BOOL, "no default CD-ROM drive"),
    NO_TCO("no-tco", PropertyType.BOOL, "no TCO watchdog in the ICH9 LPC bridge"),
    PCI_ENABLED("pci-enabled", PropertyType.BOOL, "the board has a PCI bus"),
    PCI_ROOT_UID("pci-root-uid", PropertyType.UINT32, "_UID of the PCI root bus in ACPI"),
    DEFAULT_SOUTH_BRIDGE("default-south-bridge", Types.STR_OR_NONE, "south bridge type"),
    ACPI_BUILD("acpi-build", PropertyType.BOOL, "ACPI tables are built by QEMU"),
    ACPI_DATA_SIZE("acpi-data-size", PropertyType.SIZE, "size reserved for ACPI tables"),
    LEGACY_ACPI_TABLE_SIZE("legacy-acpi-table-size", PropertyType.UINT32, "fixed ACPI table size of old machines"),
    RSDP_IN_RAM("rsdp-in-ram", PropertyType.BOOL, "the RSDP is placed in guest RAM"),
    RESIZABLE_ACPI_BLOB("resizable-acpi-blob", PropertyType.BOOL, "ACPI blobs may grow across migration"),
    NO_SMBUS_ACPI("no-smbus-acpi", PropertyType.BOOL, "leave the SMBus out of the ACPI tables"),
    SMBIOS_DEFAULTS("smbios-defaults", PropertyType.BOOL, "fill SMBIOS with default strings"),
    SMBIOS_LEGACY_MODE("smbios-legacy-mode", PropertyType.BOOL, "SMBIOS tables the pre-2.1 way"),
    SMBIOS_UUID_ENCODED("smbios-uuid-encoded", PropertyType.BOOL, "SMBIOS UUID in little-endian wire format"),
    DEFAULT_SMBIOS_ENTRY_POINT_TYPE("default-smbios-entry-point-type", Types.SMBIOS_EP, "SMBIOS entry point (32-bit, 64-bit or auto)"),
    SMBIOS_MEMORY_DEVICE_SIZE("smbios-memory-device-size", PropertyType.SIZE, "largest SMBIOS memory device entry"),
    GIGABYTE_ALIGN("gigabyte-align", PropertyType.BOOL, "RAM below 4G ends on a gigabyte boundary"),
    RESERVED_MEMORY("reserved-memory", PropertyType.BOOL, "reserve room for hotplugged memory"),
    ENFORCE_AMD_1TB_HOLE("enforce-amd-1tb-hole", PropertyType.BOOL, "keep RAM out of AMD's HyperTransport hole below 1 TiB"),
    ENFORCE_ALIGNED_DIMM("enforce-aligned-dimm", PropertyType.BOOL, "DIMMs are aligned to their page size"),
    BROKEN_RESERVED_END("broken-reserved-end", PropertyType.BOOL, "the reserved memory end is computed the pre-2.5 way"),
    BROKEN_32BIT_MEM_ADDR_CHECK("broken-32bit-mem-addr-check", PropertyType.BOOL, "the 32-bit physical address check is skipped"),
    ISA_BIOS_ALIAS("isa-bios-alias", PropertyType.BOOL, "with -drive if=pflash, the BIOS below 1 MiB is an alias of the flash, not a copy"),
    OPTION_ROM_HAS_MR("option-rom-has-mr", PropertyType.BOOL, "option ROMs are migrated as memory regions"),
    ROM_FILE_HAS_MR("rom-file-has-mr", PropertyType.BOOL, "ROM files are migrated as memory regions"),
    LEGACY_FW_CFG_ORDER("legacy-fw-cfg-order", PropertyType.BOOL, "fw_cfg files in the pre-2.6 order"),
    FW_CFG_DMA("fw-cfg-dma", PropertyType.BOOL, "fw_cfg DMA interface (and the DMA Linux boot ROM)"),
    LINUXBOOT_DMA("linuxboot-dma", PropertyType.BOOL, "the Linux boot ROM uses fw_cfg DMA"),
    PVH_ENABLED("pvh-enabled", PropertyType.BOOL, "-kernel accepts PVH ELF images"),
    KVMCLOCK_ENABLED("kvmclock-enabled", PropertyType.BOOL, "kvmclock is offered"),
    KVMCLOCK_CREATE_ALWAYS("kvmclock-create-always", PropertyType.BOOL, "the kvmclock device exists even without the CPU flag"),
    SAVE_TSC_KHZ("save-tsc-khz", PropertyType.BOOL, "the TSC frequency is migrated"),
    LEGACY_CPU_HOTPLUG("legacy-cpu-hotplug", PropertyType.BOOL, "CPU hotplug through the pre-2.7 ACPI interface"),
    APIC_XRUPT_OVERRIDE("apic-xrupt-override", PropertyType.BOOL, "the MADT has the IRQ0 to GSI2 override"),
    COMPAT_APIC_ID_MODE("compat-apic-id-mode", PropertyType.BOOL, "APIC ids are numbered the pre-1.4 way"),
    SMBUS_NO_MIGRATION_SUPPORT("smbus-no-migration-support", PropertyType.BOOL, "the SMBus state is not migrated"),
    NVDIMM_SUPPORTED("nvdimm-supported", PropertyType.BOOL, "NVDIMM devices are accepted");

    private final String key;
    private final PropertyType type;
    private final String description;

    MachineOption(String key, PropertyType type, String description) {
        this.key = key;
        this.type = type;
        this.description = description;
    }

    /** The kebab-case name used in files and output. */
    public String key() { return key; }
    public PropertyType type() { return type; }
    public String description() { return description; }

    private static final Map<String, MachineOption> BY_KEY = new HashMap<>();

    static {
        for (MachineOption o : values()) {
            BY_KEY.put(o.key, o);
        }
    }

    /** The option called {@code key}, or null. */
    public static MachineOption byKey(String key) {
        return BY_KEY.get(key);
    }

    public static List<String> keys() {
        return java.util.Arrays.stream(values()).map(MachineOption::key).toList();
    }

    /** Property types that only options use. */
    static final class Types {
        private Types() {}

        /** A string; in files {@code null} says "explicitly none" (QEMU's NULL). */
        static final PropertyType STR_OR_NONE = PropertyType.STR;
        static final PropertyType CPU_VERSION = new PropertyType.StrType("cpu-version", "legacy|[1-9][0-9]*",
                "legacy or a version number from 1");
        static final PropertyType SMBIOS_EP = new PropertyType.EnumType("SmbiosEntryPointType", List.of("32", "64", "auto"));
        static final PropertyType CACHE_LEVELS = new PropertyType.ListType(
                new PropertyType.EnumType("CacheLevel", List.of("l1d", "l1i", "l2", "l3")));
    }
}
