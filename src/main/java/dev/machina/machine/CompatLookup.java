package dev.machina.machine;

import dev.machina.machine.Declarations.CompatEntry;
import dev.machina.machine.Declarations.CompatSet;
import dev.machina.machine.MachineDiff.Cell;
import dev.machina.qom.BadValue;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertyDefault;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.TypeRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compat entries one resolved machine applies, in application order (its chain's sets, newest
 * first, so later entries win), and what they make of one (driver, property): QEMU's rule, where an
 * entry applies to its driver and every type that derives from it or implements it. What
 * {@code machine diff}, {@code --explain} and {@code machine snapshot} share.
 */
final class CompatLookup {
    /** One entry as this machine applies it. */
    record Applied(CompatSet set, CompatEntry entry) {
        String source() {
            return "compat " + set.name() + " (" + lineOf(entry.at()) + ")";
        }
    }

    /** A (driver, property) some applied entry names. */
    record Key(String driver, String property) {}

    private final TypeRegistry registry;
    private final List<Applied> applied = new ArrayList<>();
    private final Map<String, List<Applied>> byProperty = new HashMap<>();

    CompatLookup(MachineCatalog catalog, ResolvedMachine machine) {
        this.registry = catalog.registry();
        for (String name : machine.compatSets()) {
            CompatSet set = catalog.compatSets().get(name);
            for (CompatEntry e : set.entries()) {
                Applied a = new Applied(set, e);
                applied.add(a);
                byProperty.computeIfAbsent(e.property(), k -> new ArrayList<>()).add(a);
            }
        }
    }

    TypeRegistry registry() {
        return registry;
    }

    /** Every (driver, property) the applied entries name, in application order of first mention. */
    Set<Key> keys() {
        Set<Key> out = new LinkedHashSet<>();
        for (Applied a : applied) {
            out.add(new Key(a.entry().driver(), a.entry().property()));
        }
        return out;
    }

    /** The entries that reach an object of type {@code driver} for {@code property}, in application order. */
    List<Applied> touching(String driver, String property) {
        List<Applied> out = new ArrayList<>();
        ObjectType t = registry.find(driver).orElse(null);
        for (Applied a : byProperty.getOrDefault(property, List.of())) {
            String d = a.entry().driver();
            if (d.equals(driver) || t != null && t.isA(d)) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * The effective value of {@code property} on an object of type {@code driver}: the last entry that
     * reaches it, else the type's default, as QEMU's {@code compare-machine-types.py} fills a cell.
     */
    Cell effective(String driver, String property) {
        List<Applied> t = touching(driver, property);
        if (t.isEmpty()) {
            return typeDefault(driver, property);
        }
        Applied win = t.get(t.size() - 1);
        return new Cell(MachineDiff.State.VALUE, typed(driver, property, win.entry().value()), win.source());
    }

    /** The type's own default for the property (no compat entry considered). */
    Cell typeDefault(String driver, String property) {
        ObjectType t = registry.find(driver).orElse(null);
        if (t == null) {
            return new Cell(MachineDiff.State.ABSENT, null, "unknown driver");
        }
        PropertySpec spec = t.property(property).orElse(null);
        if (spec == null) {
            return new Cell(MachineDiff.State.ABSENT, null, t.isInterface()
                    ? "interface (each implementing type has its own default)" : "no such property");
        }
        if (spec.defaultValue() instanceof PropertyDefault.Known k) {
            return new Cell(MachineDiff.State.VALUE, spec.type().toJson(k.value()), "default");
        }
        if (spec.defaultValue() instanceof PropertyDefault.Unknown) {
            return new Cell(MachineDiff.State.UNKNOWN, null, "default (unknown)");
        }
        return new Cell(MachineDiff.State.NONE, null, "default (none)");
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

    /** {@code file:line} of a position (the column is noise in a table). */
    static String lineOf(Position p) {
        return p.line() == 0 ? p.file() : p.file() + ":" + p.line();
    }
}
