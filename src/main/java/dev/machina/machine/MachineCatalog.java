package dev.machina.machine;

import dev.machina.machine.DataFiles.DataFile;
import dev.machina.machine.Declarations.All;
import dev.machina.machine.Declarations.CompatEntry;
import dev.machina.machine.Declarations.CompatSet;
import dev.machina.machine.Declarations.DeviceChanges;
import dev.machina.machine.Declarations.DeviceDecl;
import dev.machina.machine.Declarations.EnumDecl;
import dev.machina.machine.Declarations.FamilyDecl;
import dev.machina.machine.Declarations.PropertyDecl;
import dev.machina.machine.Declarations.Ref;
import dev.machina.machine.Declarations.StructDecl;
import dev.machina.machine.Declarations.TypeDecl;
import dev.machina.machine.Declarations.Value;
import dev.machina.machine.Declarations.VersionDecl;
import dev.machina.machine.ResolvedMachine.Device;
import dev.machina.qom.BadValue;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertyDefault;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.QomError;
import dev.machina.qom.TypeInfo;
import dev.machina.qom.TypeRegistry;
import dev.machina.util.Suggest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All machine data, checked: the machine table, the compat sets and a type registry that holds the
 * built-in types, the declared catalog ({@code machines/types/}) and one QOM type per machine
 * ({@code NAME-machine}). Made by {@link #load} (which refuses data with problems) or
 * {@link #check} (which lists them); {@link #resolve} turns one machine into a {@link ResolvedMachine}.
 *
 * <p>Loading is a recipe of named phases, each with its own errors: parse (YAML, with positions) →
 * schema (optional: JSON Schema per file kind) → read (declarations) → machines (names, aliases,
 * inheritance) → types (registry) → compat (every entry against the registry) → graphs (device types,
 * properties, references) → resolve (every machine, so version changes are checked too).
 */
public final class MachineCatalog {
    private final MachineTable table;
    private final Map<String, CompatSet> compatSets;
    private final TypeRegistry registry;
    private final String release;

    private MachineCatalog(MachineTable table, Map<String, CompatSet> compatSets, TypeRegistry registry, String release) {
        this.table = table;
        this.compatSets = compatSets;
        this.registry = registry;
        this.release = release;
    }

    public MachineTable table() { return table; }
    /** The QEMU release whose property defaults this catalog has ({@link QemuRelease}). */
    public String qemuRelease() { return release; }
    public TypeRegistry registry() { return registry; }
    public Map<String, CompatSet> compatSets() { return Collections.unmodifiableMap(compatSets); }

    // -- loading ------------------------------------------------------------------------------------

    /** Parsed and read declarations, with the problems found so far. */
    record Parsed(All decls, List<MachineError> errors, int files) {}

    /** Parses and reads files; with {@code schemas}, checks each against its kind's JSON Schema first. */
    static Parsed parse(List<DataFile> files, boolean schemas, DataReading reading) {
        return parse(files, schemas, reading, false);
    }

    private static Parsed parse(List<DataFile> files, boolean schemas, DataReading reading, boolean checkedBefore) {
        List<MachineError> errors = new ArrayList<>();
        All all = All.empty();
        for (DataFile f : files) {
            DataReading.FileResult r = reading.read(f, schemas, checkedBefore);
            all = all.plus(r.decls());
            errors.addAll(r.errors());
        }
        return new Parsed(all, errors, files.size());
    }

    /**
     * Loads data and builds the catalog.
     *
     * @param schemas check every file against its JSON Schema (slower; {@code machine validate} does)
     * @throws MachineDataException listing every problem found
     */
    public static MachineCatalog load(List<DataFile> files, boolean schemas, List<TypeInfo> builtins) {
        return load(files, schemas, builtins, new DataReading());
    }

    /** {@link #load(List, boolean, List)}, reusing what {@code reading} has read before. */
    public static MachineCatalog load(List<DataFile> files, boolean schemas, List<TypeInfo> builtins, DataReading reading) {
        return load(files, schemas, builtins, reading, QemuRelease.NEWEST);
    }

    /**
     * {@link #load(List, boolean, List, DataReading)} with the property defaults of the given QEMU release
     * ({@link QemuRelease}): a type's {@code defaults:} entries up to that release apply.
     */
    public static MachineCatalog load(List<DataFile> files, boolean schemas, List<TypeInfo> builtins, DataReading reading,
                                      String release) {
        List<MachineError> errors = new ArrayList<>();
        MachineCatalog c = build(parse(files, schemas, reading), builtins, errors, release, false);
        if (!errors.isEmpty()) {
            throw new MachineDataException(sorted(errors));
        }
        return c;
    }

    /**
     * {@link #load(List, boolean, List, DataReading, String)} for files that {@link #check} found no problem
     * in, with these built-in types (the packaged data, which the build checks: see
     * {@code dev.machina.cli.DataCheck}): what only finds problems is left out (every compat entry
     * against the registry, the registry's property checks), and a declared type's properties are read
     * and typed when the type is first resolved, not for all 700 types at start-up (the x86 CPU models
     * alone have 38,000). The catalog is the one {@link #load} makes, property for property.
     *
     * @throws MachineDataException as {@link #load} would, for problems outside the deferred properties
     */
    public static MachineCatalog loadChecked(List<DataFile> files, List<TypeInfo> builtins, DataReading reading, String release) {
        List<MachineError> errors = new ArrayList<>();
        MachineCatalog c = build(parse(files, false, reading, true), builtins, errors, release, true);
        if (!errors.isEmpty()) {
            throw new MachineDataException(sorted(errors));
        }
        return c;
    }

    /**
     * Only the machine table of machine-family files, without schema checks, compat sets or types:
     * what {@code machine list} and {@code -machine help} need.
     *
     * @throws MachineDataException listing the problems the table itself has
     */
    public static MachineTable loadTable(List<DataFile> familyFiles) {
        List<MachineError> errors = new ArrayList<>();
        List<FamilyDecl> families = new ArrayList<>();
        for (DataFile f : familyFiles) {
            try {
                DataReader r = new DataReader();
                YamlNode doc = YamlNode.parse(f.name(), f.text());
                if ("machine-family".equals(r.kind(doc))) {
                    families.add(r.family(doc, false));
                }
                errors.addAll(r.errors());
                errors.addAll(r.shapeErrors());
            } catch (MachineDataException e) {
                errors.addAll(e.errors());
            }
        }
        MachineTable t = MachineTable.build(families, errors);
        if (!errors.isEmpty()) {
            throw new MachineDataException(sorted(errors));
        }
        return t;
    }

    /** What {@link #check} found: every problem, and how much it looked at. */
    public record Check(List<MachineError> errors, int files, int families, int machines, int compatSets, int types) {}

    /**
     * Every problem in the files (none when they are fine), sorted by file and position: schemas,
     * declarations, references, and the resolution of every machine.
     */
    public static Check check(List<DataFile> files, List<TypeInfo> builtins) {
        return check(files, builtins, new DataReading());
    }

    /** {@link #check(List, List)}, reusing what {@code reading} has read and checked before. */
    public static Check check(List<DataFile> files, List<TypeInfo> builtins, DataReading reading) {
        List<MachineError> errors = new ArrayList<>();
        MachineCatalog c = build(parse(files, true, reading), builtins, errors, QemuRelease.NEWEST, false);
        if (c == null) {
            return new Check(sorted(errors), files.size(), 0, 0, 0, 0);
        }
        for (String m : c.table.names()) {
            if (!c.table.inCycle(m)) { // a cycle is reported once, by the table
                c.resolve(m, errors, false);
            }
        }
        return new Check(sorted(errors), files.size(), c.table.families().size(), c.table.names().size(),
                c.compatSets.size(), c.registry.names().size());
    }

    private static List<MachineError> sorted(List<MachineError> errors) {
        Set<String> seen = new LinkedHashSet<>();
        List<MachineError> out = new ArrayList<>();
        for (MachineError e : errors) {
            // a problem in a family's graph shows once, not once per machine that inherits it
            if (seen.add(e.where().location() + " " + e.where().path() + " " + e.rule())) {
                out.add(e);
            }
        }
        out.sort(java.util.Comparator.comparing((MachineError e) -> e.where().file())
                .thenComparingInt(e -> e.where().line()).thenComparingInt(e -> e.where().column()));
        return out;
    }

    private static MachineCatalog build(Parsed p, List<TypeInfo> builtins, List<MachineError> errors, String release,
                                        boolean checkedBefore) {
        errors.addAll(p.errors());
        All d = p.decls();
        MachineTable table = MachineTable.build(d.families(), errors);
        TypeRegistry registry = buildTypes(d, table, builtins, errors, release, checkedBefore);
        Map<String, CompatSet> sets = new LinkedHashMap<>();
        for (CompatSet s : d.compatSets()) {
            CompatSet first = sets.putIfAbsent(s.name(), s);
            if (first != null) {
                errors.add(new MachineError.Duplicate(s.at(), "compat set", s.name(), first.at()));
            } else if (registry != null && !checkedBefore) {
                for (CompatEntry e : s.entries()) {
                    checkEntry(registry, e, errors);
                }
            }
        }
        for (FamilyDecl f : table.families().values()) {
            for (var l : f.base()) {
                checkRefs(l.compat(), sets, errors);
            }
            for (VersionDecl v : f.versions()) {
                checkRefs(v.compat(), sets, errors);
            }
        }
        return registry == null ? null : new MachineCatalog(table, sets, registry, release);
    }

    private static void checkRefs(List<Ref> refs, Map<String, CompatSet> sets, List<MachineError> errors) {
        for (Ref r : refs) {
            if (!sets.containsKey(r.name())) {
                errors.add(new MachineError.UnknownCompatSet(r.at(), r.name(), Suggest.closest(r.name(), sets.keySet(), 3)));
            }
        }
    }

    // -- types ----------------------------------------------------------------------------------------

    private static TypeRegistry buildTypes(All d, MachineTable table, List<TypeInfo> builtins, List<MachineError> errors,
                                           String release, boolean deferProperties) {
        Map<String, PropertyType> named = new LinkedHashMap<>();
        Map<String, Position> namedAt = new HashMap<>();
        for (EnumDecl e : d.enums()) {
            if (namedAt.containsKey(e.name())) {
                errors.add(new MachineError.Duplicate(e.at(), "enum", e.name(), namedAt.get(e.name())));
                continue;
            }
            named.put(e.name(), new PropertyType.EnumType(e.name(), e.values()));
            namedAt.put(e.name(), e.at());
        }
        for (StructDecl s : d.structs()) {
            if (namedAt.containsKey(s.name())) {
                errors.add(new MachineError.Duplicate(s.at(), "struct", s.name(), namedAt.get(s.name())));
                continue;
            }
            Map<String, PropertyType> fields = new LinkedHashMap<>();
            for (var f : s.fields().entrySet()) {
                PropertyType t = propertyType(f.getValue(), named, errors);
                if (t != null) {
                    fields.put(f.getKey(), t);
                }
            }
            named.put(s.name(), new PropertyType.StructType(s.name(), fields));
            namedAt.put(s.name(), s.at());
        }
        Set<String> builtinNames = new java.util.HashSet<>();
        builtins.forEach(b -> builtinNames.add(b.name()));
        Map<String, TypeDecl> builtinDecls = new HashMap<>();
        for (TypeDecl t : d.types()) {
            if (builtinNames.contains(t.name())) {
                builtinDecls.putIfAbsent(t.name(), t);
            }
        }
        if (!builtinDecls.isEmpty()) {
            List<TypeInfo> withDefaults = new ArrayList<>();
            for (TypeInfo bt : builtins) {
                TypeDecl decl = builtinDecls.get(bt.name());
                withDefaults.add(decl == null ? bt : withReleaseDefaults(bt, decl, release, errors));
            }
            builtins = withDefaults;
        }
        Map<String, Position> declaredAt = new HashMap<>();
        Map<String, Position> byOrigin = new HashMap<>(); // a declaration's location → its position (with the path)
        TypeRegistry.Builder b = TypeRegistry.builder().addAll(builtins);
        for (TypeDecl t : d.types()) {
            if (builtinNames.contains(t.name())) {
                continue; // a type implemented or declared in code wins over its declaration as data
            }
            declaredAt.putIfAbsent(t.name(), t.at());
            byOrigin.putIfAbsent(t.at().location(), t.at());
            TypeInfo.Builder tb = TypeInfo.builder(t.name()).parent(t.parent()).origin(t.at().location());
            if (t.abstractType()) {
                tb.abstractType();
            }
            tb.implementing(t.interfaces().toArray(String[]::new));
            if (t.description() != null) {
                tb.description(t.description());
            }
            if (deferProperties) {
                TypeInfo header = tb.build();
                b.addDeferred(header, () -> withProperties(header, t, named, release));
                continue;
            }
            for (PropertyDecl p : t.properties()) {
                PropertySpec spec = property(t.name(), p, named, errors, release);
                if (spec != null) {
                    tb.property(spec);
                }
            }
            b.add(tb.build());
        }
        for (String m : table.names()) {
            FamilyDecl f = table.families().get(table.machine(m).family());
            if (f.qomParent() == null) {
                continue;
            }
            String qom = m + "-machine";
            declaredAt.putIfAbsent(qom, f.qomParent().at());
            byOrigin.putIfAbsent(f.qomParent().at().location(), f.qomParent().at());
            TypeInfo.Builder tb = TypeInfo.builder(qom).parent(f.qomParent().name()).origin(f.qomParent().at().location())
                    .description("the " + m + " machine");
            for (PropertyDecl p : f.qomProperties()) {
                PropertySpec spec = property(qom, p, named, errors, release);
                if (spec != null) {
                    tb.property(spec);
                }
            }
            b.add(tb.build());
        }
        List<QomError> problems = b.check();
        if (!problems.isEmpty()) {
            for (QomError q : problems) {
                if (q instanceof QomError.BadDeclaration bd) {
                    // at the declaration the problem is in (for "declared twice", the second one), not the first of that name
                    Position at = byOrigin.getOrDefault(bd.origin(), declaredAt.getOrDefault(bd.type(), Position.of("(built-in types)")));
                    errors.add(new MachineError.BadType(at, bd.type(), bd.problem()));
                } else {
                    errors.add(new MachineError.BadType(Position.of("(types)"), "?", q.message()));
                }
            }
            return null;
        }
        return b.build();
    }

    /** A deferred type's whole declaration: {@code header} with the properties {@code t} declares. */
    private static TypeInfo withProperties(TypeInfo header, TypeDecl t, Map<String, PropertyType> named, String release) {
        List<MachineError> errors = new ArrayList<>();
        List<PropertySpec> props = new ArrayList<>();
        for (PropertyDecl p : t.properties()) {
            PropertySpec spec = property(t.name(), p, named, errors, release);
            if (spec != null) {
                props.add(spec);
            }
        }
        if (!errors.isEmpty()) { // the check before found none in the same data; stated all the same
            throw new MachineDataException(sorted(errors));
        }
        return new TypeInfo(header.name(), header.parent(), header.abstractType(), header.interfaceType(), header.interfaces(),
                props, header.description(), header.factory(), header.hotpluggable(), header.origin());
    }

    /**
     * The properties QEMU 7.2 introspects as "str" that are qdev MAC addresses (DEFINE_PROP_MACADDR, "Ethernet 6-byte
     * MAC Address"): every "mac" of its x86 devices (28, the NICs' DEFINE_NIC_PROPERTIES) and fp_start_macaddr.
     */
    static final java.util.Set<String> MAC_PROPERTIES = java.util.Set.of("mac", "fp_start_macaddr");

    private static final List<String> SIMPLE_TYPES = List.of("bool", "str", "string", "size", "int8", "int16", "int32",
            "int64", "uint8", "uint16", "uint32", "uint64", "OnOffAuto");

    static PropertyType propertyType(Ref ref, Map<String, PropertyType> named, List<MachineError> errors) {
        String n = ref.name();
        PropertyType t = named.get(n);
        if (t == null) {
            t = PropertyType.simple(n);
        }
        if (t == null && n.startsWith("list<") && n.endsWith(">")) {
            PropertyType e = propertyType(new Ref(n.substring(5, n.length() - 1), ref.at()), named, errors);
            return e == null ? null : new PropertyType.ListType(e);
        }
        if (t == null) {
            List<String> known = new ArrayList<>(SIMPLE_TYPES);
            known.addAll(named.keySet());
            errors.add(new MachineError.UnknownPropertyType(ref.at(), n, Suggest.closest(n, known, 3)));
        }
        return t;
    }

    private static PropertySpec property(String owner, PropertyDecl p, Map<String, PropertyType> named,
                                         List<MachineError> errors, String release) {
        PropertyType t = propertyType(p.type(), named, errors);
        if (t == null) {
            return null;
        }
        if (t == PropertyType.STR && MAC_PROPERTIES.contains(p.name())) {
            t = PropertyType.MACADDR;
        }
        PropertyDefault dflt = p.unknownDefault() ? PropertyDefault.UNKNOWN : PropertyDefault.NONE;
        if (p.defaultValue() != null) {
            try {
                dflt = new PropertyDefault.Known(Values.fromData(t, p.defaultValue().data()));
            } catch (BadValue e) {
                errors.add(new MachineError.BadValue(p.defaultValue().at(), owner, p.name(), t.name(),
                        Values.text(p.defaultValue().data()), e.getMessage(), e.expected()));
            }
        }
        dflt = releaseDefault(owner, p, t, dflt, release, errors);
        java.util.Optional<Object> unset = java.util.Optional.empty();
        if (p.unsetValue() != null) {
            try {
                unset = java.util.Optional.of(Values.fromData(t, p.unsetValue().data()));
            } catch (BadValue e) {
                errors.add(new MachineError.BadValue(p.unsetValue().at(), owner, p.name(), t.name(),
                        Values.text(p.unsetValue().data()), e.getMessage(), e.expected()));
            }
        }
        return new PropertySpec(p.name(), t, dflt, p.description(), false, unset, java.util.Optional.ofNullable(p.noEffect()));
    }

    /** A property's default in the release: the newest of its {@code defaults:} at or before it, else {@code base}. */
    private static PropertyDefault releaseDefault(String owner, PropertyDecl p, PropertyType t, PropertyDefault base,
                                                  String release, List<MachineError> errors) {
        PropertyDefault dflt = base;
        String prev = null; // each entry is checked, whichever applies
        for (Declarations.ReleaseDefault r : p.releaseDefaults()) {
            if (prev != null && QemuRelease.compare(r.qemu(), prev) <= 0) {
                errors.add(new MachineError.BadValue(r.at(), owner, p.name(), t.name(), r.qemu(),
                        "defaults must be in release order, oldest first", "a release after " + prev));
            }
            prev = r.qemu();
            try {
                Object v = Values.fromData(t, r.value().data());
                if (QemuRelease.compare(r.qemu(), release) <= 0) {
                    dflt = new PropertyDefault.Known(v, since(r));
                }
            } catch (BadValue e) {
                errors.add(new MachineError.BadValue(r.value().at(), owner, p.name(), t.name(),
                        Values.text(r.value().data()), e.getMessage(), e.expected()));
            }
        }
        return dflt;
    }

    /**
     * A type implemented or declared in code with the release defaults its declaration in the data
     * gives (a data declaration of a built-in type carries only those: {@code defaults:} of its properties).
     */
    private static TypeInfo withReleaseDefaults(TypeInfo builtin, TypeDecl decl, String release, List<MachineError> errors) {
        List<PropertySpec> props = new ArrayList<>(builtin.properties());
        for (PropertyDecl p : decl.properties()) {
            if (p.releaseDefaults().isEmpty()) {
                continue;
            }
            int i = 0;
            while (i < props.size() && !props.get(i).name().equals(p.name())) {
                i++;
            }
            if (i == props.size()) {
                errors.add(new MachineError.BadType(p.at(), builtin.name(),
                        "the built-in type has no property '" + p.name() + "' for its release defaults"));
                continue;
            }
            PropertySpec spec = props.get(i);
            props.set(i, spec.withDefault(releaseDefault(builtin.name(), p, spec.type(), spec.defaultValue(), release, errors)));
        }
        return new TypeInfo(builtin.name(), builtin.parent(), builtin.abstractType(), builtin.interfaceType(),
                builtin.interfaces(), props, builtin.description(), builtin.factory(), builtin.hotpluggable(), builtin.origin());
    }

    /** "QEMU 8.0+, QEMU 9.0.0 hw/isa/lpc_ich9.c:820": the release a default holds from and where it was read. */
    private static String since(Declarations.ReleaseDefault r) {
        String where = r.source() == null ? "" : r.source();
        int semi = where.indexOf(';');
        where = semi < 0 ? where : where.substring(0, semi);
        where = where.replaceAll(" DEFINE_PROP_\\w+$", "").trim();
        return "QEMU " + r.qemu() + "+" + (where.isEmpty() ? "" : ", " + where);
    }

    // -- compat ----------------------------------------------------------------------------------------

    private static void checkEntry(TypeRegistry reg, CompatEntry e, List<MachineError> errors) {
        ObjectType t = reg.find(e.driver()).orElse(null);
        if (t == null) {
            errors.add(new MachineError.UnknownDriver(e.at(), e.driver(), Suggest.closest(e.driver(), reg.names(), 3)));
            return;
        }
        PropertySpec spec = t.property(e.property()).orElse(null);
        if (spec == null && (e.optional() || t.isInterface())) {
            // QEMU skips an optional entry where an object lacks the property, and an interface declares
            // no properties of its own: some subtype (implementer) must have it
            for (ObjectType sub : reg.list(new TypeRegistry.Filter(t.name(), false))) {
                if (sub.property(e.property()).isPresent()) {
                    spec = sub.property(e.property()).get();
                    break;
                }
            }
        }
        if (spec == null) {
            errors.add(new MachineError.UnknownProperty(e.at(), e.driver(), e.property(),
                    Suggest.closest(e.property(), t.propertyNames(), 3)));
            return;
        }
        try {
            spec.type().parse(e.value());
        } catch (BadValue bv) {
            errors.add(new MachineError.BadValue(e.at(), e.driver(), e.property(), spec.type().name(), e.value(),
                    bv.getMessage(), bv.expected()));
        }
    }

    // -- resolution ------------------------------------------------------------------------------------

    /** A machine name a user typed that names no machine. */
    public static final class UnknownMachineException extends dev.machina.util.UserException {
        public UnknownMachineException(String name, List<String> suggestions) {
            super("unknown machine type '" + name + "'" + (suggestions.isEmpty() ? "" : "; did you mean "
                    + String.join(", ", suggestions.stream().map(s -> "'" + s + "'").toList()) + "?")
                    + " ('machina machine list --all' lists them all)");
        }
    }

    /**
     * The machine type {@code name} (or alias) means in the catalog's QEMU release, or null when there is
     * none of that name.
     *
     * @throws NotInReleaseException for a versioned type newer than the release
     */
    public String canonical(String name) {
        String m = table.canonical(name);
        return m == null ? null : inRelease(name, m);
    }

    /** The machine (or alias) {@code name}, fully resolved. */
    public ResolvedMachine resolve(String name) {
        String m = table.canonical(name);
        if (m == null) {
            throw new UnknownMachineException(name, Suggest.closest(name, table.knownNames(), 3));
        }
        m = inRelease(name, m);
        List<MachineError> errors = new ArrayList<>();
        ResolvedMachine r = resolve(m, errors, true);
        if (!errors.isEmpty()) {
            throw new MachineDataException(sorted(errors));
        }
        return r;
    }

    /**
     * The devices QEMU adds to a machine type when -nodefaults is not given ({@code default-devices:} of
     * its family), in the order they are realized: a kind the machine type's options turn off
     * ({@code no-serial}, {@code no-floppy}, ...) is left out, and the VGA and NIC take the model its
     * {@code default-display} and {@code default-nic} options give (QEMU's get_default_vga_model and
     * pc_nic_init). A device whose model is not the one the family walked keeps none of the walk's values.
     */
    public List<ResolvedMachine.DefaultDevice> defaultDevices(ResolvedMachine r) {
        FamilyDecl family = table.families().get(r.family());
        List<ResolvedMachine.DefaultDevice> out = new ArrayList<>();
        if (family == null) {
            return out;
        }
        List<MachineError> ignored = new ArrayList<>(); // the data's own errors are machine validate's to report
        java.util.Set<String> dropped = new java.util.HashSet<>();
        for (Declarations.DefaultDeviceDecl dd : family.defaultDevices()) {
            DeviceDecl d = dd.device();
            if (defaultOff(r, dd.kind()) || d.parent() != null && dropped.contains(d.parent())) {
                dropped.add(d.id());
                continue;
            }
            String type = defaultModel(r, dd);
            if (type == null) {
                dropped.add(d.id());
                continue;
            }
            ObjectType t = registry.find(type).orElse(null);
            if (t == null) {
                dropped.add(d.id());
                continue;
            }
            Map<String, Setting> set = new LinkedHashMap<>();
            Map<String, Setting> observed = new LinkedHashMap<>();
            // what the board code sets is the same code for another model (qdev_set_nic_properties sets any
            // NIC's mac and netdev): kept where the model has the property; the walk's values are the walked model's
            for (Declarations.SetGroup g : d.set()) {
                g.values().forEach((k, x) -> {
                    if (type.equals(d.type()) || t.property(k).isPresent()) {
                        set.put(k, new Setting(x, g.source(), g.ifUnchanged()));
                    }
                });
            }
            if (type.equals(d.type())) {
                d.observed().forEach((k, x) -> observed.put(k, new Setting(x, null, false)));
            }
            Map<String, String> links = new LinkedHashMap<>();
            d.links().forEach((k, v) -> links.put(k, String.valueOf(v.data())));
            Device dev = new Device(d.id(), type, d.qemuPath(), d.parent(), d.bus(), d.address(), List.of(),
                    Collections.unmodifiableMap(links), graphValues(t, set, ignored), graphValues(t, observed, ignored));
            out.add(new ResolvedMachine.DefaultDevice(dev, dd.after(), dd.kind(), dd.removedBy(),
                    dd.source() == null ? null : dd.source().toString()));
        }
        return out;
    }

    /**
     * The machine type with its default devices in its graph, each right after the device QEMU realizes
     * before it (so /machine/unattached/device[N] numbers follow QEMU's), as QEMU builds it without
     * -nodefaults.
     */
    public ResolvedMachine withDefaultDevices(ResolvedMachine r) {
        if (r.devices() == null) {
            return r;
        }
        List<Device> order = new ArrayList<>(r.devices());
        for (ResolvedMachine.DefaultDevice dd : defaultDevices(r)) {
            int at = order.size();
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i).id().equals(dd.after())) {
                    at = i + 1;
                    break;
                }
            }
            order.add(at, dd.device());
        }
        return r.withDevices(order);
    }

    private static boolean defaultOff(ResolvedMachine r, String kind) {
        MachineOption o = switch (kind == null ? "" : kind) {
            case "serial" -> MachineOption.NO_SERIAL;
            case "parallel" -> MachineOption.NO_PARALLEL;
            case "floppy" -> MachineOption.NO_FLOPPY;
            case "cdrom" -> MachineOption.NO_CDROM;
            default -> null;
        };
        ResolvedMachine.Option v = o == null ? null : r.option(o);
        return v != null && Boolean.TRUE.equals(v.value());
    }

    /**
     * get_default_vga_model and pc_nic_init: the machine type's default-display and default-nic pick the
     * model (QEMU 7.2.0 softmmu/vl.c:956, hw/i386/pc.c:1332); null where the machine type has none.
     */
    private static String defaultModel(ResolvedMachine r, Declarations.DefaultDeviceDecl d) {
        if ("nic".equals(d.kind())) {
            ResolvedMachine.Option nic = r.option(MachineOption.DEFAULT_NIC);
            return nic != null && nic.value() instanceof String s ? s : d.device().type();
        }
        if ("vga".equals(d.kind())) {
            ResolvedMachine.Option display = r.option(MachineOption.DEFAULT_DISPLAY);
            ResolvedMachine.Option pci = r.option(MachineOption.PCI_ENABLED);
            boolean hasPci = pci == null || !Boolean.FALSE.equals(pci.value());
            // unset (null) is QEMU's NULL default_display: cirrus where the board can have it
            String v = display != null && display.value() instanceof String s ? s : "cirrus";
            if (v.equals("none")) {
                return null;
            }
            return switch (v) {
                case "std" -> hasPci ? "VGA" : "isa-vga";
                case "cirrus" -> hasPci ? "cirrus-vga" : "isa-cirrus-vga";
                default -> d.device().type();
            };
        }
        return d.device().type();
    }

    /** A machine type not in the catalog's QEMU release (pc-q35-8.0 when presenting 7.2). */
    public static final class NotInReleaseException extends dev.machina.util.UserException {
        public NotInReleaseException(String name, String since, String release) {
            super("machine type '" + name + "' is not in QEMU " + release + " (it is new in " + since + "); "
                    + QemuRelease.ENV + "=" + release + " chose that release");
        }
    }

    /**
     * The release a versioned machine type is new in (pc-q35-8.0: 8.0), else null: the name ends in
     * {@code -DIGITS.DIGITS}. Written out rather than as a regular expression: {@code machine list}
     * calls it, and the first {@code Pattern} of a run spins up the lambda machinery (tens of ms).
     */
    static String since(String machine) {
        int dash = machine.lastIndexOf('-');
        int dot = machine.lastIndexOf('.');
        if (dash < 0 || dot < dash + 2 || dot > machine.length() - 2) {
            return null;
        }
        for (int i = dash + 1; i < machine.length(); i++) {
            char c = machine.charAt(i);
            if (i != dot && (c < '0' || c > '9')) {
                return null;
            }
        }
        return machine.substring(dash + 1);
    }

    /**
     * The machine type a name means in the catalog's release: an alias (pc, q35) is the newest version
     * of its family that release has, as that release's QEMU points it; a versioned type newer than the
     * release is refused.
     */
    private String inRelease(String name, String m) {
        String since = since(m);
        if (since == null || QemuRelease.compare(since, release) <= 0 || release.equals(QemuRelease.NEWEST)) {
            return m; // the newest release takes every type the data has (a data file may add 11.0)
        }
        if (!name.equals(m)) {
            String family = table.machine(m).family();
            String best = null;
            for (String n : table.names()) {
                String v = since(n);
                if (table.machine(n).family().equals(family) && v != null && QemuRelease.compare(v, release) <= 0
                        && (best == null || QemuRelease.compare(v, since(best)) > 0)) {
                    best = n;
                }
            }
            if (best != null) {
                return best;
            }
        }
        throw new NotInReleaseException(m, since, release);
    }

    /** Resolves one machine: its chain, options, compat sets and device graph, with the graph's values checked. */
    private ResolvedMachine resolve(String m, List<MachineError> errors, boolean unused) {
        List<MachineTable.Step> steps = table.chain(m);
        List<ResolvedMachine.Option> options = new ArrayList<>();
        for (MachineTable.OptionValue o : table.options(m).values()) {
            options.add(new ResolvedMachine.Option(o.option(), o.value(), o.from().label(), o.from().source(), o.at()));
        }
        List<String> setNames = new ArrayList<>();
        for (MachineTable.Step s : steps) {
            for (Ref r : s.compat()) {
                if (compatSets.containsKey(r.name())) { // an unknown one is reported by the reference check
                    setNames.add(r.name());
                }
            }
        }
        List<String> chain = new ArrayList<>();
        for (MachineTable.Step s : steps) {
            if (s.version() != null) {
                chain.add(s.version().name());
            }
        }
        List<Device> devices = devices(m, steps, errors);
        VersionDecl v = table.machine(m);
        return new ResolvedMachine(m, v.family(), m + "-machine", table.aliasesOf(m), m.equals(table.defaultMachine()),
                v.lifecycle(), v.source(), List.copyOf(chain), List.copyOf(options), List.copyOf(setNames), devices);
    }

    /** The device graph after every version's changes, or null when no family in the chain has one. */
    private List<Device> devices(String m, List<MachineTable.Step> steps, List<MachineError> errors) {
        FamilyDecl root = steps.get(0).family();
        if (root.devices() == null) {
            for (MachineTable.Step s : steps) {
                Position at = s.version() == null ? null : firstChange(s.version().devices());
                if (at != null) {
                    errors.add(new MachineError.NoDeviceGraph(at, root.name()));
                }
            }
            return null;
        }
        Map<String, DeviceDecl> graph = new LinkedHashMap<>();
        Map<String, Map<String, Setting>> values = new LinkedHashMap<>();
        for (DeviceDecl d : root.devices()) {
            addDevice(d, graph, values, errors);
        }
        for (MachineTable.Step s : steps) {
            if (s.version() == null) {
                continue;
            }
            DeviceChanges c = s.version().devices();
            for (Ref r : c.remove()) {
                if (graph.remove(r.name()) == null) {
                    errors.add(new MachineError.UnknownDevice(r.at(), "remove", r.name(), Suggest.closest(r.name(), graph.keySet(), 3)));
                }
                values.remove(r.name());
            }
            for (DeviceDecl d : c.add()) {
                addDevice(d, graph, values, errors);
            }
            for (var e : c.set().entrySet()) {
                Map<String, Setting> v = values.get(e.getKey());
                if (v == null) {
                    errors.add(new MachineError.UnknownDevice(c.setAt().get(e.getKey()), "set", e.getKey(),
                            Suggest.closest(e.getKey(), graph.keySet(), 3)));
                } else {
                    e.getValue().forEach((k, x) -> v.put(k, new Setting(x, null, false)));
                }
            }
        }
        List<Device> out = new ArrayList<>();
        for (String id : graph.keySet()) { // the data's order: the order the board creates the devices in
            DeviceDecl d = graph.get(id);
            String typeName = d.type().equals("<machine>") ? m + "-machine" : d.type();
            for (var ref : new String[][] {{"bus", d.bus()}, {"parent", d.parent()}}) {
                if (ref[1] != null && !graph.containsKey(ref[1])) {
                    errors.add(new MachineError.UnknownDevice(d.at(), ref[0], ref[1], Suggest.closest(ref[1], graph.keySet(), 3)));
                }
            }
            Map<String, String> links = new LinkedHashMap<>();
            for (var l : d.links().entrySet()) {
                String target = String.valueOf(l.getValue().data());
                if (!target.startsWith("/") && !graph.containsKey(target)) {
                    errors.add(new MachineError.UnknownDevice(l.getValue().at(), "link '" + l.getKey() + "'", target,
                            Suggest.closest(target, graph.keySet(), 3)));
                }
                links.put(l.getKey(), target);
            }
            ObjectType t = registry.find(typeName).orElse(null);
            if (t == null) {
                errors.add(new MachineError.UnknownDriver(d.at(), typeName, Suggest.closest(typeName, registry.names(), 3)));
                continue;
            }
            Map<String, Setting> observed = new LinkedHashMap<>();
            d.observed().forEach((k, x) -> observed.put(k, new Setting(x, null, false)));
            out.add(new Device(id, typeName, d.qemuPath(), d.parent(), d.bus(), d.address(), List.of(),
                    Collections.unmodifiableMap(links), graphValues(t, values.get(id), errors), graphValues(t, observed, errors)));
        }
        return List.copyOf(out);
    }

    /** Where a version's first device change is written, or null when it changes nothing. */
    private static Position firstChange(DeviceChanges c) {
        List<Position> all = new ArrayList<>(c.setAt().values());
        c.add().forEach(d -> all.add(d.at()));
        c.remove().forEach(r -> all.add(r.at()));
        return all.stream().min(java.util.Comparator.comparingInt(Position::line).thenComparingInt(Position::column))
                .orElse(null);
    }

    /** A value of the graph as written, with the code that sets it (if the data says). */
    private record Setting(Value value, Declarations.QemuSource source, boolean ifUnchanged) {}

    private static void addDevice(DeviceDecl d, Map<String, DeviceDecl> graph, Map<String, Map<String, Setting>> values,
                                  List<MachineError> errors) {
        DeviceDecl first = graph.putIfAbsent(d.id(), d);
        if (first != null) {
            errors.add(new MachineError.Duplicate(d.at(), "device id", d.id(), first.at()));
        } else {
            Map<String, Setting> v = new LinkedHashMap<>();
            for (Declarations.SetGroup g : d.set()) {
                g.values().forEach((k, x) -> v.put(k, new Setting(x, g.source(), g.ifUnchanged())));
            }
            values.put(d.id(), v);
        }
    }

    /** The graph's values of one device, typed by the device type's properties; the others are reported. */
    private static Map<String, ResolvedMachine.GraphValue> graphValues(ObjectType t, Map<String, Setting> graphValues,
                                                                      List<MachineError> errors) {
        Map<String, ResolvedMachine.GraphValue> out = new LinkedHashMap<>();
        for (var e : graphValues.entrySet()) {
            Value v = e.getValue().value();
            PropertySpec spec = t.property(e.getKey()).orElse(null);
            if (spec == null) {
                errors.add(new MachineError.UnknownProperty(v.at(), t.name(), e.getKey(),
                        Suggest.closest(e.getKey(), t.propertyNames(), 3)));
                continue;
            }
            try {
                out.put(e.getKey(), new ResolvedMachine.GraphValue(Values.fromData(spec.type(), v.data()), v.at(),
                        e.getValue().source(), e.getValue().ifUnchanged()));
            } catch (BadValue bv) {
                errors.add(new MachineError.BadValue(v.at(), t.name(), e.getKey(), spec.type().name(),
                        Values.text(v.data()), bv.getMessage(), bv.expected()));
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
