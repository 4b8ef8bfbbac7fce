package dev.machina.vm;

import dev.machina.machine.ResolvedMachine;
import dev.machina.qom.GlobalProperty;
import dev.machina.qom.ObjectTree;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built object graph of one VM: what {@link VmBuilder#dryRun} makes (every object created and
 * every property set, nothing realized) and what the realize phase turns into running device models.
 *
 * <p>What it holds: the composition tree ({@link #tree()}, QEMU's canonical paths); every object the
 * builder made, in creation order ({@link #objects()}), each with its type and ancestry, its bus and
 * bus address, its effective values with their origins and its links ({@link BuiltObject}); the
 * machine-level values ({@link #values()}: RAM size, CPUs, firmware, machine options and properties);
 * and the warnings QEMU would print (user {@code -global}s that matched nothing).
 *
 * <p>Lookups: by QOM path ({@link #at}), by device-graph id ({@link #boardObject}: {@code isa-i8259[0]},
 * {@code i440fx/pci.0}), by user id ({@link #device}), and the devices on a bus ({@link #devicesOn}).
 */
public final class BuiltMachine {
    private final VmSpec spec;
    private final ObjectTree tree;
    private final List<BuiltObject> objects;
    private final Map<String, BuiltObject> byGraphId;
    private final MachineValues values;
    private final Map<GlobalProperty, ResolvedMachine.CompatOrigin> compat;
    private final List<String> warnings;

    BuiltMachine(VmSpec spec, ObjectTree tree, List<BuiltObject> objects, Map<String, BuiltObject> byGraphId,
                 MachineValues values, IdentityHashMap<GlobalProperty, ResolvedMachine.CompatOrigin> compat, List<String> warnings) {
        this.spec = spec;
        this.tree = tree;
        this.objects = List.copyOf(objects);
        this.byGraphId = Collections.unmodifiableMap(new LinkedHashMap<>(byGraphId));
        this.values = values;
        this.compat = compat;
        this.warnings = List.copyOf(warnings);
    }

    public VmSpec spec() { return spec; }

    /** The machine type the VM was built from. */
    public ResolvedMachine machineType() { return spec.machine(); }

    /** The composition tree (containers included). */
    public ObjectTree tree() { return tree; }

    /** Every object the builder made, in creation order (the machine first). */
    public List<BuiltObject> objects() { return objects; }

    /** The machine object ({@code /machine}). */
    public BuiltObject machine() { return values.machine(); }

    /** RAM, CPUs, firmware, machine options and properties. */
    public MachineValues values() { return values; }

    /** Warnings QEMU 7.2 prints for this configuration (unused {@code -global}s), in order. */
    public List<String> warnings() { return warnings; }

    /** The object at a canonical QOM path. */
    public Optional<BuiltObject> at(String path) {
        return objects.stream().filter(o -> o.path().equals(path)).findFirst();
    }

    /** The board object a device-graph entry made ({@code isa-i8259[0]}, {@code i440fx/pci.0}, {@code machine}). */
    public Optional<BuiltObject> boardObject(String graphId) {
        return Optional.ofNullable(byGraphId.get(graphId));
    }

    /** The board objects by device-graph id, in the graph's order. */
    public Map<String, BuiltObject> boardObjects() { return byGraphId; }

    /** The user's {@code -device} with this id. */
    public Optional<BuiltObject> device(String id) {
        return objects.stream().filter(o -> o.kind() == BuiltObject.Kind.USER_DEVICE && o.id().filter(id::equals).isPresent())
                .findFirst();
    }

    /** The devices plugged into a bus, in creation order. */
    public List<BuiltObject> devicesOn(BuiltObject bus) {
        List<BuiltObject> out = new ArrayList<>();
        for (BuiltObject o : objects) {
            if (o.bus().filter(b -> b == bus).isPresent()) {
                out.add(o);
            }
        }
        return out;
    }

    /** Where a compat property this machine applies is written (its set, text and position); empty for a user -global. */
    public Optional<ResolvedMachine.CompatOrigin> compatOrigin(GlobalProperty g) {
        return Optional.ofNullable(compat.get(g));
    }

    /** The global properties the objects were created with: the compat entries, then the user's -globals. */
    public dev.machina.qom.GlobalProperties globals() {
        return tree.globals();
    }
}
