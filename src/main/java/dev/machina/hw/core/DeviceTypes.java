package dev.machina.hw.core;

import dev.machina.qom.PropertyDefault;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.TypeInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The abstract bases QEMU's hw/core defines: {@code device}, {@code bus}, the system bus and its
 * devices, {@code machine}, and the interfaces boards and buses share. Facts (names, parents,
 * property names and types) from QEMU 7.2's {@code qom-list-properties}; descriptions are ours.
 */
public final class DeviceTypes {
    private DeviceTypes() {}

    private static PropertyType.StructType struct(String name, Object... fieldPairs) {
        Map<String, PropertyType> fields = new LinkedHashMap<>();
        for (int i = 0; i < fieldPairs.length; i += 2) {
            fields.put((String) fieldPairs[i], (PropertyType) fieldPairs[i + 1]);
        }
        return new PropertyType.StructType(name, fields);
    }

    static final PropertyType SMP = struct("SMPConfiguration", "cpus", PropertyType.INT64, "sockets", PropertyType.INT64,
            "dies", PropertyType.INT64, "clusters", PropertyType.INT64, "cores", PropertyType.INT64,
            "threads", PropertyType.INT64, "maxcpus", PropertyType.INT64);
    static final PropertyType MEMORY = struct("MemorySizeConfiguration", "size", PropertyType.SIZE,
            "max-size", PropertyType.SIZE, "slots", PropertyType.UINT64);
    static final PropertyType BOOT = struct("BootConfiguration", "order", PropertyType.STR, "once", PropertyType.STR,
            "menu", PropertyType.BOOL, "splash", PropertyType.STR, "splash-time", PropertyType.INT64,
            "reboot-timeout", PropertyType.INT64, "strict", PropertyType.BOOL);

    /** A known default for a struct property, members in the order given. */
    private static PropertyDefault known(Object... memberPairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < memberPairs.length; i += 2) {
            m.put((String) memberPairs[i], memberPairs[i + 1]);
        }
        return new PropertyDefault.Known(Collections.unmodifiableMap(m));
    }

    public static List<TypeInfo> all() {
        PropertyType string = new PropertyType.StrType("string");
        return List.of(
                TypeInfo.builder("device").parent("object").abstractType().hotpluggable(true)
                        .description("base of every device: realized once configured, attached to a bus").build(),
                TypeInfo.builder("bus").parent("object").abstractType()
                        .description("base of every bus that devices plug into").build(),
                TypeInfo.builder("System").parent("bus")
                        .description("the system bus that sys-bus-devices sit on").build(),
                TypeInfo.builder("sys-bus-device").parent("device").abstractType().hotpluggable(false)
                        .description("a device on the system bus: memory-mapped, wired by the board").build(),
                TypeInfo.builder("hotplug-handler").interfaceType()
                        .description("something that can plug and unplug devices at run time (a bus or a board)").build(),
                TypeInfo.builder("acpi-device-interface").interfaceType()
                        .description("a device that ACPI events and OSPM status go through").build(),
                TypeInfo.builder("fw-cfg-data-generator").interfaceType()
                        .description("an object that fills a fw_cfg file").build(),
                TypeInfo.builder("machine").parent("object").abstractType()
                        .description("base of every machine (board) type")
                        .property("kernel", string, null, "Linux kernel image to boot directly")
                        .property("initrd", string, null, "initial ramdisk for the kernel")
                        .property("append", string, null, "kernel command line")
                        .property("dtb", string, null, "device tree blob for the kernel")
                        .property("dumpdtb", string, null, "write the generated device tree to this file and stop")
                        .property("dt-compatible", string, null, "replaces the 'compatible' of the device tree root")
                        .property("phandle-start", PropertyType.INT64, "0", "first device tree phandle allocated dynamically")
                        .property("firmware", string, null, "firmware image (BIOS)")
                        .property("dump-guest-core", PropertyType.BOOL, "on", "include guest memory in core dumps")
                        .property("mem-merge", PropertyType.BOOL, "on", "let the host merge identical guest pages")
                        .property("usb", PropertyType.BOOL, "off", "create a USB controller")
                        .property("graphics", PropertyType.BOOL, "on", "emulate a display")
                        .property("suppress-vmdesc", PropertyType.BOOL, "off", "leave the self-description out of migration streams")
                        .property("memory-encryption", string, null, "id of the memory encryption object")
                        .property(PropertySpec.of("memory-backend", new PropertyType.LinkType("memory-backend"), null,
                                "memory backend object that provides guest RAM"))
                        .property(PropertySpec.of("confidential-guest-support",
                                new PropertyType.LinkType("confidential-guest-support"), null, "confidential guest scheme"))
                        .property(new PropertySpec("smp", SMP, known("cpus", 1L, "sockets", 1L, "dies", 1L, "clusters", 1L,
                                "cores", 1L, "threads", 1L, "maxcpus", 1L), "CPU topology", false))
                        // QEMU's MachineClass.default_ram_size: 128 MiB (hw/core/machine.c)
                        .property(new PropertySpec("memory", MEMORY, known("size", 128L << 20),
                                "RAM size, maximum size and hotplug slots", false))
                        .property(PropertySpec.of("boot", BOOT, null, "boot order and menu"))
                        .build());
    }
}
