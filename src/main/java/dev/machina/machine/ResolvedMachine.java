package dev.machina.machine;

import dev.machina.machine.Declarations.Lifecycle;
import dev.machina.machine.Declarations.QemuSource;
import dev.machina.qom.PropertyType;
import dev.machina.qom.ValueOrigin;
import java.util.List;
import java.util.Map;

/**
 * One machine type resolved from its chain: its options, the compat sets it applies, and its default
 * device graph (each device's place and the values the graph gives it), each with where it comes
 * from. Immutable; made by {@link MachineCatalog#resolve}. The effective values of the devices are
 * not computed here: the VM builder's dry run computes them (in QEMU's order, with the compat sets
 * and the type defaults) and gives back a copy with {@link Device#values()} filled ({@link #withDevices}).
 *
 * @param name       the machine type, e.g. {@code pc-i440fx-2.5}
 * @param family     the family file that declares it
 * @param qomType    its QOM type, {@code NAME-machine}
 * @param aliases    other names for it ({@code pc})
 * @param isDefault  the machine used without {@code -machine}
 * @param lifecycle  deprecation and upstream removal, as of the newest QEMU read
 * @param source     where QEMU defines the type
 * @param chain      the versions it is made of, from the root of its chain down to itself
 * @param options    every option with a value, in {@link MachineOption} order
 * @param compatSets the compat sets it applies, in application order (later ones win)
 * @param devices    the default device graph, sorted by id; null when the facts do not say
 */
public record ResolvedMachine(String name, String family, String qomType, List<String> aliases, boolean isDefault,
                              Lifecycle lifecycle, QemuSource source, List<String> chain, List<Option> options,
                              List<String> compatSets, List<Device> devices) {

    /** The same machine with its devices replaced (by the dry run's, which carry effective values). */
    public ResolvedMachine withDevices(List<Device> built) {
        return new ResolvedMachine(name, family, qomType, aliases, isDefault, lifecycle, source, chain, options, compatSets,
                built == null ? null : List.copyOf(built));
    }

    /**
     * A device QEMU adds when -nodefaults is not given, for one machine type: the device (its model as the
     * machine type picks it), the graph id it is realized right after, its kind (serial, parallel, vga, nic,
     * cdrom, floppy, monitor), the options that remove it and where QEMU adds it.
     */
    public record DefaultDevice(Device device, String after, String kind, List<String> removedBy, String source) {}

    /** An option's value (null: explicitly none) and the step of the chain that set it. */
    public record Option(MachineOption option, Object value, String setBy, QemuSource source, Position at) {}

    /** Where one compat entry comes from. */
    public record CompatOrigin(String set, String text, QemuSource source, Position at) {
        @Override
        public String toString() {
            return set + (source == null ? "" : ": " + source);
        }
    }

    /**
     * One device property's effective value and its origin (default, compat entry or device graph);
     * {@code compat} is the winning compat entry when that is where the value comes from, else null.
     */
    public record DeviceValue(String property, PropertyType type, Object value, ValueOrigin origin, CompatOrigin compat) {}

    /**
     * One device of the default graph.
     *
     * @param id       a stable name, unique in the graph ({@code isa-fdc}, {@code smbus-eeprom[3]})
     * @param type     its QOM type
     * @param qemuPath where QEMU 7.2 puts it in the composition tree
     * @param parent   the device whose child it is, if any
     * @param bus      the id of the bus it sits on, if any
     * @param address  its address on a PCI bus ({@code 01.1}), if any
     * @param values   every property with a value, in the type's property order (empty until a dry run fills it)
     * @param links    link properties: name to the id (or path) of the target
     * @param set      what the board sets on the device before realize, typed, each with the QEMU code
     *                 that sets it and where the data says so (what a builder replays), in the order written
     * @param observed what QEMU 7.2 reported for it (never replayed), typed
     */
    public record Device(String id, String type, String qemuPath, String parent, String bus, String address,
                         List<DeviceValue> values, Map<String, String> links, Map<String, GraphValue> set,
                         Map<String, GraphValue> observed) {
        public DeviceValue value(String property) {
            return values.stream().filter(v -> v.property().equals(property)).findFirst().orElse(null);
        }
    }

    /**
     * A value the device graph gives a device: typed by the property's type, with where it is written,
     * the QEMU code that sets it (null for hand-written data without one) and whether the board sets it
     * only where the value is still the type's default.
     */
    public record GraphValue(Object value, Position at, QemuSource source, boolean ifUnchanged) {}

    public Option option(MachineOption o) {
        return options.stream().filter(x -> x.option() == o).findFirst().orElse(null);
    }

    public Device device(String id) {
        return devices == null ? null : devices.stream().filter(d -> d.id().equals(id)).findFirst().orElse(null);
    }
}
