package dev.machina.vm;

import dev.machina.machine.MachineOption;
import dev.machina.machine.ResolvedMachine;
import dev.machina.qom.QomObject;
import dev.machina.qom.ValueOrigin;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine object's defaults that QEMU's {@code machine_initfn} (hw/core/machine.c) takes from the
 * machine class rather than from a fixed value: the RAM size ({@code ms->ram_size =
 * mc->default_ram_size}, line 1061) and the boot order ({@code machine_copy_boot_config}, line 878,
 * {@code mc->default_boot_order}). They are the type's defaults like the others, so they carry a
 * default origin; the class fields are the machine type's options {@code default-ram-size} and
 * {@code default-boot-order}.
 */
final class ClassDefaults {
    private ClassDefaults() {}

    static void machine(QomObject obj, ResolvedMachine m) {
        ValueOrigin origin = new ValueOrigin.Default(obj.typeName());
        ResolvedMachine.Option ram = m.option(MachineOption.DEFAULT_RAM_SIZE);
        if (ram != null && ram.value() instanceof Long bytes && obj.hasProperty("memory")) {
            member(obj, "memory", "size", bytes, origin);
        }
        ResolvedMachine.Option boot = m.option(MachineOption.DEFAULT_BOOT_ORDER);
        if (obj.hasProperty("boot")) {
            // a class without default_boot_order (none, microvm) gives NULL, which QOM reports as ""
            member(obj, "boot", "order", boot != null && boot.value() instanceof String order ? order : "", origin);
        }
    }

    @SuppressWarnings("unchecked")
    private static void member(QomObject obj, String property, String member, Object value, ValueOrigin origin) {
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) obj.value(property).orElse(Map.of()));
        copy.put(member, value);
        obj.setTyped(property, java.util.Collections.unmodifiableMap(copy), origin);
    }
}
