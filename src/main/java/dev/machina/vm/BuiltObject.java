package dev.machina.vm;

import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.QomObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One object of a built machine, as the builder made it: its place in the composition tree, its
 * type and ancestry, the bus it sits on and its address there, every property with its effective
 * value and origin, and its links. The {@link QomObject} itself is what the realize phase turns into a
 * device model; everything else here is read-only facts about it.
 *
 * <p>Kinds: the machine object ({@code /machine}); objects of the machine type's default device graph
 * ({@link Kind#BOARD}: what QEMU's board code creates, at {@code /machine/unattached/device[N]} or
 * under a name such as {@code /machine/i440fx}); the objects the machine makes for the user's options
 * ({@link Kind#MEMORY_BACKEND}: {@code /objects/pc.ram}); the user's {@code -device}s
 * ({@code /machine/peripheral/ID} or {@code /machine/peripheral-anon/device[N]}) and {@code -object}s
 * ({@code /objects/ID}).
 */
public final class BuiltObject {
    /** Who made the object. */
    public enum Kind { MACHINE, BOARD, MEMORY_BACKEND, USER_DEVICE, USER_OBJECT }

    private final Kind kind;
    private final String id;
    private final QomObject object;
    private BuiltObject bus;
    private PciAddress address;
    private final String where;
    private final Map<String, String> links = new LinkedHashMap<>();

    BuiltObject(Kind kind, String id, QomObject object, BuiltObject bus, PciAddress address, String where) {
        this.kind = kind;
        this.id = id;
        this.object = object;
        this.bus = bus;
        this.address = address;
        this.where = where;
    }

    public Kind kind() { return kind; }

    /**
     * The object's name in the data or options: a device-graph id for board objects
     * ({@code isa-i8259[0]}, {@code i440fx/pci.0}), the user's id for {@code -device}/{@code -object}
     * (empty for a {@code -device} without one), {@code machine} for the machine.
     */
    public Optional<String> id() { return Optional.ofNullable(id); }

    /** The canonical QOM path, e.g. {@code /machine/unattached/device[6]}. */
    public String path() { return object.path(); }

    public QomObject object() { return object; }

    public ObjectType type() { return object.type(); }

    public String typeName() { return object.typeName(); }

    /** The type, its parent, ... up to {@code object}. */
    public List<String> ancestry() { return object.type().chain(); }

    /** Whether the object is a {@code name}: its type, an ancestor or an interface. */
    public boolean isA(String name) { return object.type().isA(name); }

    /** The bus the object is plugged into (for a device), as a built object itself. */
    public Optional<BuiltObject> bus() { return Optional.ofNullable(bus); }

    /** The object's slot and function on its PCI bus, for a PCI device. */
    public Optional<PciAddress> pciAddress() { return Optional.ofNullable(address); }

    /** Where the object was asked for: the data position of a graph entry, or the option. */
    public String where() { return where; }

    /** Links by name to the QOM path of their target ({@code pit} → {@code /machine/unattached/device[10]}). */
    public Map<String, String> links() { return Collections.unmodifiableMap(links); }

    /** Plugs the object into its bus (the builder does this once every bus exists). */
    void plug(BuiltObject onBus, PciAddress at) {
        this.bus = onBus;
        this.address = at;
    }

    void link(String name, String targetPath) {
        links.put(name, targetPath);
    }

    /** Every property with a value, in the type's property order (links and children left out). */
    public List<EffectiveValue> values() {
        List<EffectiveValue> out = new ArrayList<>();
        for (PropertySpec p : object.type().properties()) {
            if (p.type() instanceof PropertyType.LinkType || p.type() instanceof PropertyType.ChildType) {
                continue;
            }
            value(p.name()).ifPresent(out::add);
        }
        return out;
    }

    /** One property's effective value, if it has one (a property without a default that nothing set has none). */
    public Optional<EffectiveValue> value(String property) {
        PropertySpec p = object.type().property(property).orElse(null);
        if (p == null) {
            return Optional.empty();
        }
        return object.value(property).map(v -> new EffectiveValue(property, p.type(), v, object.origin(property)));
    }

    @Override
    public String toString() {
        return typeName() + "@" + path();
    }
}
