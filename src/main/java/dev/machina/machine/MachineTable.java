package dev.machina.machine;

import dev.machina.machine.Declarations.FamilyDecl;
import dev.machina.machine.Declarations.Layer;
import dev.machina.machine.Declarations.Lifecycle;
import dev.machina.machine.Declarations.OptionSetting;
import dev.machina.machine.Declarations.QemuSource;
import dev.machina.machine.Declarations.Ref;
import dev.machina.machine.Declarations.VersionDecl;
import dev.machina.util.Suggest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machine types the families declare, their names, aliases, default and inheritance: enough to
 * list machines and resolve their options, without compat sets or types (so {@code machine list}
 * needs nothing else). Built by {@link #build}, which reports duplicate names, bad aliases, unknown
 * or cyclic {@code inherits} and a second default.
 *
 * <p>Inheritance, as in QEMU: a version inherits the version named by its {@code inherits}, else the
 * next newer version of its family (the one listed before it), else its family's base layers.
 */
public final class MachineTable {
    private final Map<String, FamilyDecl> families;
    private final Map<String, VersionDecl> machines;
    private final Map<String, String> aliasToMachine;
    private final Map<String, List<String>> machineAliases;
    private final String defaultMachine;

    private MachineTable(Map<String, FamilyDecl> families, Map<String, VersionDecl> machines,
                         Map<String, String> aliasToMachine, String defaultMachine) {
        this.families = families;
        this.machines = machines;
        this.aliasToMachine = aliasToMachine;
        this.defaultMachine = defaultMachine;
        Map<String, List<String>> byMachine = new HashMap<>();
        aliasToMachine.forEach((a, m) -> byMachine.computeIfAbsent(m, k -> new ArrayList<>()).add(a));
        this.machineAliases = byMachine;
    }

    /** One step of a machine's chain, oldest influence first: a family base layer or a version. */
    public record Step(String label, QemuSource source, List<OptionSetting> options, List<Ref> compat,
                       VersionDecl version, FamilyDecl family) {}

    public static MachineTable build(List<FamilyDecl> decls, List<MachineError> errors) {
        Map<String, FamilyDecl> families = new LinkedHashMap<>();
        Map<String, VersionDecl> machines = new LinkedHashMap<>();
        for (FamilyDecl f : decls) {
            if (f.name() == null) {
                continue;
            }
            FamilyDecl before = families.putIfAbsent(f.name(), f);
            if (before != null) {
                errors.add(new MachineError.Duplicate(withPath(f.at(), "family"), "family", f.name(), before.at()));
                continue;
            }
            for (VersionDecl v : f.versions()) {
                VersionDecl first = machines.putIfAbsent(v.name(), v);
                if (first != null) {
                    errors.add(new MachineError.Duplicate(v.at(), "version", v.name(), first.at()));
                }
            }
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        Map<String, Position> aliasAt = new HashMap<>();
        String dflt = null;
        Position dfltAt = null;
        for (FamilyDecl f : families.values()) {
            for (Map.Entry<String, Ref> a : f.aliases().entrySet()) {
                String alias = a.getKey();
                Ref target = a.getValue();
                if (machines.containsKey(alias)) {
                    errors.add(new MachineError.AliasClash(target.at(), alias, "the name of a machine type ("
                            + machines.get(alias).at().location() + ")"));
                } else if (aliases.containsKey(alias)) {
                    errors.add(new MachineError.AliasClash(target.at(), alias, "an alias of '" + aliases.get(alias)
                            + "' (" + aliasAt.get(alias).location() + ")"));
                } else if (!machines.containsKey(target.name())) {
                    errors.add(new MachineError.UnknownMachine(target.at(), "alias '" + alias + "'", target.name(),
                            Suggest.closest(target.name(), machines.keySet(), 3)));
                } else {
                    aliases.put(alias, target.name());
                    aliasAt.put(alias, target.at());
                }
            }
            Ref d = f.defaultMachine();
            if (d != null) {
                if (!machines.containsKey(d.name())) {
                    errors.add(new MachineError.UnknownMachine(d.at(), "default", d.name(),
                            Suggest.closest(d.name(), machines.keySet(), 3)));
                } else if (dflt != null) {
                    errors.add(new MachineError.TwoDefaults(d.at(), d.name(), dflt, dfltAt));
                } else {
                    dflt = d.name();
                    dfltAt = d.at();
                }
            }
        }
        MachineTable t = new MachineTable(families, Collections.unmodifiableMap(machines),
                Collections.unmodifiableMap(aliases), dflt);
        t.checkInheritance(errors);
        checkBases(families.values(), machines, errors);
        return t;
    }

    /**
     * A family's base is applied only to chains that start in the family, at its newest version
     * (the only one without a newer version to inherit): when that version inherits from another
     * family, base options would be silently dropped, so they are an error.
     */
    private static void checkBases(java.util.Collection<FamilyDecl> families, Map<String, VersionDecl> machines,
                                   List<MachineError> errors) {
        for (FamilyDecl f : families) {
            if (f.base().isEmpty() || f.versions().isEmpty()) {
                continue;
            }
            VersionDecl newest = f.versions().get(0);
            VersionDecl parent = newest.inherits() == null ? null : machines.get(newest.inherits().name());
            // an unknown parent and one in the same family (always a cycle) are reported as such
            if (parent != null && !parent.family().equals(f.name())) {
                Position p = f.base().get(0).at();
                errors.add(new MachineError.UnusedBase(new Position(p.file(), p.line(), p.column(), "base"), f.name(),
                        newest.name(), newest.inherits().name()));
            }
        }
    }

    private static Position withPath(Position p, String path) {
        return new Position(p.file(), p.line(), p.column(), path);
    }

    /** The version a version inherits from, or null for its family's base. */
    private VersionDecl parentOf(VersionDecl v) {
        if (v.inherits() != null) {
            return machines.get(v.inherits().name());
        }
        FamilyDecl f = families.get(v.family());
        int i = indexOfSame(f.versions(), v);
        return i > 0 ? f.versions().get(i - 1) : null;
    }

    /** Machines whose chain of parents loops (reported by {@link #build}). */
    private final Set<String> cyclic = new java.util.HashSet<>();

    /** Whether a machine's chain of parents loops, so it cannot be resolved. */
    public boolean inCycle(String machine) {
        return cyclic.contains(machine);
    }

    private void checkInheritance(List<MachineError> errors) {
        Set<String> reported = new java.util.HashSet<>();
        for (VersionDecl v : machines.values()) {
            if (v.inherits() != null && !machines.containsKey(v.inherits().name())) {
                errors.add(new MachineError.UnknownMachine(v.inherits().at(), "inherits", v.inherits().name(),
                        Suggest.closest(v.inherits().name(), machines.keySet(), 3)));
            }
        }
        for (VersionDecl v : machines.values()) {
            List<VersionDecl> seen = new ArrayList<>();
            VersionDecl cur = v;
            while (cur != null) {
                int at = indexOfSame(seen, cur);
                if (at >= 0) {
                    List<String> cycle = new ArrayList<>();
                    seen.subList(at, seen.size()).forEach(x -> cycle.add(x.name()));
                    cycle.add(cur.name());
                    cyclic.add(v.name());
                    if (reported.add(String.join(",", new java.util.TreeSet<>(cycle)))) {
                        VersionDecl closer = seen.get(seen.size() - 1);
                        Position where = closer.inherits() != null ? closer.inherits().at() : closer.at();
                        errors.add(new MachineError.InheritanceCycle(where, cycle));
                    }
                    break;
                }
                seen.add(cur);
                cur = cur.inherits() != null && !machines.containsKey(cur.inherits().name()) ? null : parentOf(cur);
            }
        }
    }

    /** Index of this very declaration (not an equal one: two versions may share a name by mistake). */
    private static int indexOfSame(List<VersionDecl> list, VersionDecl v) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == v) {
                return i;
            }
        }
        return -1;
    }

    // -- queries ------------------------------------------------------------------------------------

    /** Machine names in file order. */
    public List<String> names() { return List.copyOf(machines.keySet()); }

    public Map<String, FamilyDecl> families() { return Collections.unmodifiableMap(families); }

    public VersionDecl machine(String name) { return machines.get(name); }

    /** The machine a name or alias stands for, or null. */
    public String canonical(String nameOrAlias) {
        return machines.containsKey(nameOrAlias) ? nameOrAlias : aliasToMachine.get(nameOrAlias);
    }

    /** All names a user may type: machine names and aliases. */
    public Set<String> knownNames() {
        Set<String> s = new LinkedHashSet<>(machines.keySet());
        s.addAll(aliasToMachine.keySet());
        return s;
    }

    public List<String> aliasesOf(String machine) { return machineAliases.getOrDefault(machine, List.of()); }

    public String defaultMachine() { return defaultMachine; }

    /**
     * The steps a machine is made of, in application order: the base layers of the family at the
     * root of its chain, then each version from that root down to the machine itself.
     *
     * @throws MachineDataException on a cycle (which {@link #build} also reports)
     */
    public List<Step> chain(String machine) {
        List<VersionDecl> versions = new ArrayList<>();
        for (VersionDecl v = machines.get(machine); v != null; v = parentOf(v)) {
            if (indexOfSame(versions, v) >= 0) {
                List<String> cycle = new ArrayList<>();
                versions.subList(indexOfSame(versions, v), versions.size()).forEach(x -> cycle.add(x.name()));
                cycle.add(v.name());
                throw new MachineDataException(new MachineError.InheritanceCycle(v.at(), cycle));
            }
            versions.add(v);
            if (v.inherits() != null && !machines.containsKey(v.inherits().name())) {
                break;
            }
        }
        Collections.reverse(versions);
        List<Step> steps = new ArrayList<>();
        FamilyDecl root = families.get(versions.get(0).family());
        for (Layer l : root.base()) {
            steps.add(new Step(l.source() != null && l.source().function() != null ? l.source().function() : root.name() + " base",
                    l.source(), l.options(), l.compat(), null, root));
        }
        for (VersionDecl v : versions) {
            steps.add(new Step(v.name(), v.source(), v.options(), v.compat(), v, families.get(v.family())));
        }
        return steps;
    }

    /** One option's effective value (null: explicitly none) and the step that set it. */
    public record OptionValue(MachineOption option, Object value, Step from, Position at) {}

    /** Every option any step sets, last setting wins, in {@link MachineOption} order. */
    public Map<MachineOption, OptionValue> options(String machine) {
        Map<MachineOption, OptionValue> out = new EnumMap<>(MachineOption.class);
        for (Step s : chain(machine)) {
            for (OptionSetting o : s.options()) {
                out.put(o.option(), new OptionValue(o.option(), o.value(), s, o.at()));
            }
        }
        return out;
    }

    /** What {@code machine list} shows of one machine. */
    /**
     * What a listing shows of one machine type. {@code deprecated} and {@code removedUpstream} are as of
     * the release the summary was made for ({@link #inRelease}; the newest release the data describes
     * unless made for another).
     */
    public record Summary(String name, String family, List<String> aliases, boolean isDefault, String description,
                          String qemuFamily, Lifecycle lifecycle, boolean deprecated, boolean removedUpstream) {
        public Summary(String name, String family, List<String> aliases, boolean isDefault, String description,
                       String qemuFamily, Lifecycle lifecycle) {
            this(name, family, aliases, isDefault, description, qemuFamily, lifecycle,
                    lifecycle.deprecatedIn(QemuRelease.NEWEST), !lifecycle.existsIn(name, QemuRelease.NEWEST)
                            && lifecycle.removedUpstreamIn() != null);
        }
    }

    /**
     * The listing as QEMU {@code release} has it: a type that release does not have yet (pc-q35-8.0 for
     * 7.2) is left out; one it has removed stays in the list, marked removed; deprecation is that
     * release's; the aliases and the default move to the newest version of their family the release has
     * (7.2's pc is pc-i440fx-7.2).
     */
    public static List<Summary> inRelease(List<Summary> all, String release) {
        List<Summary> present = new ArrayList<>();
        for (Summary s : all) {
            String first = s.lifecycle().since() != null ? s.lifecycle().since() : since(s.name());
            if (first == null || QemuRelease.compare(first, release) <= 0) {
                present.add(s);
            }
        }
        // where an alias or the default points at a type the release lacks: the newest of that family it has
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        Set<String> defaults = new HashSet<>();
        for (Summary s : all) {
            if (s.lifecycle().existsIn(s.name(), release)) {
                aliasesOf(aliases, s.name()).addAll(s.aliases());
                if (s.isDefault()) {
                    defaults.add(s.name());
                }
                continue;
            }
            if (s.aliases().isEmpty() && !s.isDefault()) {
                continue;
            }
            Summary best = null;
            for (Summary o : all) {
                if (o.family().equals(s.family()) && since(o.name()) != null && o.lifecycle().existsIn(o.name(), release)
                        && (best == null || QemuRelease.compare(since(o.name()), since(best.name())) > 0)) {
                    best = o;
                }
            }
            if (best != null) {
                aliasesOf(aliases, best.name()).addAll(s.aliases());
                if (s.isDefault()) {
                    defaults.add(best.name());
                }
            }
        }
        List<Summary> out = new ArrayList<>();
        for (Summary s : present) {
            boolean exists = s.lifecycle().existsIn(s.name(), release);
            out.add(new Summary(s.name(), s.family(), exists ? List.copyOf(aliases.getOrDefault(s.name(), List.of())) : List.of(),
                    exists && defaults.contains(s.name()), s.description(), s.qemuFamily(), s.lifecycle(),
                    s.lifecycle().deprecatedIn(release), !exists));
        }
        return List.copyOf(out);
    }

    /**
     * The list of aliases of a name, made on first use. No lambda ({@code computeIfAbsent}): {@code
     * machine list} runs this, and the first lambda of a run bootstraps java.lang.invoke.
     */
    private static List<String> aliasesOf(Map<String, List<String>> aliases, String name) {
        List<String> l = aliases.get(name);
        if (l == null) {
            l = new ArrayList<>();
            aliases.put(name, l);
        }
        return l;
    }

    /** The release a versioned machine type is new in (pc-q35-8.0: 8.0), else null. */
    private static String since(String machine) {
        return MachineCatalog.since(machine);
    }

    public Summary summary(String machine) {
        Map<MachineOption, OptionValue> o = options(machine);
        OptionValue d = o.get(MachineOption.DESCRIPTION);
        OptionValue f = o.get(MachineOption.QEMU_FAMILY);
        VersionDecl v = machines.get(machine);
        return new Summary(machine, v.family(), aliasesOf(machine), machine.equals(defaultMachine),
                d == null || d.value() == null ? "" : (String) d.value(),
                f == null ? null : (String) f.value(), v.lifecycle());
    }

    /** Every machine, in {@code -machine help} order (versions sorted as versions). */
    public List<Summary> summaries() {
        List<Summary> all = new ArrayList<>();
        for (String n : machines.keySet()) {
            all.add(summary(n));
        }
        all.sort((a, b) -> MachineOrder.HELP.compare(new MachineOrder.Entry(a.name(), a.qemuFamily()),
                new MachineOrder.Entry(b.name(), b.qemuFamily())));
        return all;
    }
}
