package dev.machina.vm;

import dev.machina.machine.MachineDiff;
import dev.machina.machine.MachineDiff.Cell;
import dev.machina.machine.MachineDiff.Key;
import dev.machina.machine.MachineDiff.State;
import dev.machina.machine.ResolvedMachine;
import dev.machina.qom.BadValue;
import dev.machina.qom.GlobalProperty;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertyDefault;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.TypeRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a built machine's compat properties make of a (driver, property), for a type whether or not an
 * object of it exists (an interface, an abstract base, a device the graph lacks): the same rule the
 * builder applies when it creates objects ({@link dev.machina.qom.GlobalProperties#touching}), asked
 * without creating one. {@code machine diff}'s compat rows, {@code --explain} and {@code machine show}'s
 * compat table answer from it.
 */
public final class CompatProbe implements MachineDiff.CompatValues {
    private final BuiltMachine built;
    private final TypeRegistry registry;

    public CompatProbe(BuiltMachine built) {
        this.built = built;
        this.registry = built.spec().catalog().registry();
    }

    private List<GlobalProperty> compat() {
        return built.globals().compat();
    }

    @Override
    public Set<Key> keys() {
        Set<Key> out = new LinkedHashSet<>();
        for (GlobalProperty g : compat()) {
            out.add(new Key(g.driver(), g.property()));
        }
        return out;
    }

    /** The compat entries that reach an object of type {@code driver} for {@code property}, in application order. */
    List<GlobalProperty> touching(String driver, String property) {
        ObjectType t = registry.find(driver).orElse(null);
        if (t != null) {
            return built.globals().touching(t, property).stream().filter(g -> !g.user()).toList();
        }
        return compat().stream().filter(g -> g.property().equals(property) && g.driver().equals(driver)).toList();
    }

    private String source(GlobalProperty g) {
        return built.compatOrigin(g).map(o -> "compat " + o.set() + " (" + o.at().fileLine() + ")").orElse("compat");
    }

    @Override
    public Cell effective(String driver, String property) {
        java.util.Optional<InstanceInit.Reset> reset = InstanceInit.of(driver, property, built.spec().catalog().qemuRelease());
        if (reset.isPresent()) {
            return new Cell(State.VALUE, typed(driver, property, reset.get().value()), reset.get().source());
        }
        java.util.Optional<Cell> realized = realized(driver, property);
        if (realized.isPresent()) {
            return realized.get();
        }
        List<GlobalProperty> t = touching(driver, property);
        if (t.isEmpty()) {
            return typeDefault(driver, property);
        }
        GlobalProperty win = t.get(t.size() - 1);
        return new Cell(State.VALUE, typed(driver, property, win.value()), source(win));
    }

    /**
     * The CPU properties whose value QEMU's x86_cpu_realizefn computes from the others ({@link CpuRealize}):
     * an unset level, xlevel, xlevel2 or level-func7 (QEMU's UINT32_MAX "auto") becomes its minimum, the
     * minimums rise to the leaves the features need. What a guest and a QMP qom-get see is that value,
     * not the sentinel.
     */
    private static final Set<String> REALIZED_CPU = Set.of("level", "xlevel", "xlevel2", "level-func7", "min-level", "min-xlevel");

    /**
     * For an x86 CPU type and a level property: the value a CPU of that type has once realized on this
     * machine (its model's values, the compat entries, then {@link CpuRealize}); empty for anything else.
     */
    private java.util.Optional<Cell> realized(String driver, String property) {
        ObjectType t = registry.find(driver).orElse(null);
        if (t == null || t.isAbstract() || !REALIZED_CPU.contains(property) || t.property(property).isEmpty()
                || !(t.isA("x86_64-cpu") || t.isA("i386-cpu"))) {
            return java.util.Optional.empty();
        }
        dev.machina.qom.QomObject cpu = built.tree().create(driver);
        Object before = cpu.value(property).orElse(null);
        CpuRealize.apply(cpu);
        Object after = cpu.value(property).orElse(null);
        if (after == null || after.equals(before)) {
            return java.util.Optional.empty(); // realize leaves it as set: the compat entry or the default says it
        }
        PropertySpec spec = t.property(property).get();
        return java.util.Optional.of(new Cell(State.VALUE, spec.type().toJson(after), String.valueOf(cpu.origin(property))));
    }

    @Override
    public Cell typeDefault(String driver, String property) {
        ObjectType t = registry.find(driver).orElse(null);
        if (t == null) {
            return new Cell(State.ABSENT, null, "unknown driver");
        }
        PropertySpec spec = t.property(property).orElse(null);
        if (spec == null) {
            return new Cell(State.ABSENT, null, t.isInterface()
                    ? "interface (each implementing type has its own default)" : "no such property");
        }
        if (spec.defaultValue() instanceof PropertyDefault.Known k) {
            return new Cell(State.VALUE, spec.type().toJson(k.value()), "default");
        }
        if (spec.defaultValue() instanceof PropertyDefault.Unknown) {
            return new Cell(State.UNKNOWN, null, "default (unknown)");
        }
        return new Cell(State.NONE, null, "default (none)");
    }

    @Override
    public List<MachineDiff.Step> chain(String driver, String property) {
        List<GlobalProperty> t = touching(driver, property);
        List<MachineDiff.Step> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            GlobalProperty g = t.get(i);
            ResolvedMachine.CompatOrigin o = built.compatOrigin(g).orElse(null);
            boolean wins = i == t.size() - 1 && InstanceInit.of(driver, property, built.spec().catalog().qemuRelease()).isEmpty();
            out.add(new MachineDiff.Step(o == null ? "" : o.set(), g.driver(), g.value(), typed(driver, property, g.value()),
                    o == null ? "" : o.at().fileLine(), wins));
        }
        return List.copyOf(out);
    }

    /**
     * One row of {@code machine show}'s compat table: the entry that wins for (driver, property) and the ones
     * it overrides; {@code resetBy} (else null) names the instance_init that sets the property after the
     * compat entries, so that {@code value} is its value and not the entry's ({@link InstanceInit}).
     */
    public record Effective(String driver, String property, Object value, ResolvedMachine.CompatOrigin winner,
                            List<ResolvedMachine.CompatOrigin> overridden, String resetBy) {}

    /**
     * Every (driver, property) the compat entries name, sorted, with the entry an object of that driver
     * gets (the last that reaches it, which may name an ancestor of the driver) and the ones before it.
     */
    public List<Effective> table() {
        List<Key> keys = new ArrayList<>(keys());
        keys.sort((a, b) -> {
            int d = a.driver().compareTo(b.driver());
            return d != 0 ? d : a.property().compareTo(b.property());
        });
        List<Effective> out = new ArrayList<>();
        for (Key k : keys) {
            List<GlobalProperty> t = touching(k.driver(), k.property());
            if (t.isEmpty()) {
                continue; // cannot happen: the key's own entry reaches its driver
            }
            List<ResolvedMachine.CompatOrigin> origins = t.stream().map(g -> built.compatOrigin(g).orElseThrow()).toList();
            GlobalProperty win = t.get(t.size() - 1);
            java.util.Optional<InstanceInit.Reset> reset = InstanceInit.of(k.driver(), k.property(), built.spec().catalog().qemuRelease());
            out.add(new Effective(k.driver(), k.property(), typed(k.driver(), k.property(), reset.map(InstanceInit.Reset::value)
                    .orElse(win.value())), origins.get(origins.size() - 1), origins.subList(0, origins.size() - 1),
                    reset.map(InstanceInit.Reset::source).orElse(null)));
        }
        return List.copyOf(out);
    }

    /** A compat text as the property's type reads it (JSON-ready), or the text when the type is not known. */
    Object typed(String driver, String property, String text) {
        ObjectType t = registry.find(driver).orElse(null);
        PropertySpec spec = t == null ? null : spec(t, property);
        if (spec == null) {
            return text;
        }
        try {
            return spec.type().toJson(spec.type().parse(text));
        } catch (BadValue e) {
            return text; // the loader reports a bad compat value; here it stays as written
        }
    }

    /**
     * The property as the type declares it; for an interface (which declares none of its own) or a
     * property only some subtypes have (QEMU's optional entries), the first subtype that has it.
     */
    private PropertySpec spec(ObjectType t, String property) {
        PropertySpec spec = t.property(property).orElse(null);
        if (spec == null) {
            for (ObjectType sub : registry.list(new TypeRegistry.Filter(t.name(), false))) {
                if (sub.property(property).isPresent()) {
                    return sub.property(property).get();
                }
            }
        }
        return spec;
    }
}
