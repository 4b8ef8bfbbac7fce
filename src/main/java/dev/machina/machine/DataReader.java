package dev.machina.machine;

import dev.machina.machine.Declarations.CompatEntry;
import dev.machina.machine.Declarations.CompatSet;
import dev.machina.machine.Declarations.DeviceChanges;
import dev.machina.machine.Declarations.DeviceDecl;
import dev.machina.machine.Declarations.EnumDecl;
import dev.machina.machine.Declarations.FamilyDecl;
import dev.machina.machine.Declarations.Layer;
import dev.machina.machine.Declarations.Lifecycle;
import dev.machina.machine.Declarations.OptionSetting;
import dev.machina.machine.Declarations.PropertyDecl;
import dev.machina.machine.Declarations.QemuSource;
import dev.machina.machine.Declarations.Ref;
import dev.machina.machine.Declarations.StructDecl;
import dev.machina.machine.Declarations.TypeDecl;
import dev.machina.machine.Declarations.Value;
import dev.machina.machine.Declarations.VersionDecl;
import dev.machina.qom.BadValue;
import dev.machina.util.Suggest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads parsed documents into {@link Declarations}. It checks shapes itself (a mapping where one is
 * needed, a string where one is needed), so it never fails on a document the schema would reject;
 * those problems become {@link MachineError.WrongShape}s, reported when no schema check ran.
 * Machine options are typed here, since their types are fixed ({@link MachineOption}).
 */
final class DataReader {
    private final List<MachineError> shapeErrors = new ArrayList<>();
    private final List<MachineError> errors = new ArrayList<>();

    /** Problems only the reader sees (a missing or unknown kind). */
    List<MachineError> errors() { return errors; }

    /** Shape problems (and unknown or ill-typed options) that a schema check reports too. */
    List<MachineError> shapeErrors() { return shapeErrors; }

    // -- typed access -----------------------------------------------------------------------------

    private YamlNode child(YamlNode map, String key, String expected, boolean required) {
        if (map == null || !map.isMap()) {
            return null;
        }
        YamlNode n = map.get(key);
        if (n == null) {
            if (required) {
                shapeErrors.add(new MachineError.WrongShape(map.position(), "key '" + key + "' (" + expected + ")", "none"));
            }
            return null;
        }
        return n;
    }

    private String str(YamlNode map, String key, boolean required) {
        YamlNode n = child(map, key, "a string", required);
        if (n == null) {
            return null;
        }
        if (!n.isScalar() || n.value() == null) {
            shapeErrors.add(new MachineError.WrongShape(n.position(), "a string", n.describe()));
            return null;
        }
        return n.text();
    }

    private Ref ref(YamlNode map, String key, boolean required) {
        String s = str(map, key, required);
        return s == null ? null : new Ref(s, map.get(key).position());
    }

    private boolean bool(YamlNode map, String key) {
        YamlNode n = child(map, key, "true or false", false);
        if (n == null) {
            return false;
        }
        if (!(n.value() instanceof Boolean b)) {
            shapeErrors.add(new MachineError.WrongShape(n.position(), "true or false", n.describe()));
            return false;
        }
        return b;
    }

    private List<YamlNode> list(YamlNode map, String key, boolean required) {
        YamlNode n = child(map, key, "a list", required);
        if (n == null) {
            return List.of();
        }
        if (!n.isList()) {
            shapeErrors.add(new MachineError.WrongShape(n.position(), "a list", n.describe()));
            return List.of();
        }
        return n.items();
    }

    private YamlNode mapping(YamlNode map, String key, boolean required) {
        YamlNode n = child(map, key, "a mapping", required);
        if (n == null) {
            return null;
        }
        if (!n.isMap()) {
            shapeErrors.add(new MachineError.WrongShape(n.position(), "a mapping", n.describe()));
            return null;
        }
        return n;
    }

    private List<Ref> refs(YamlNode map, String key) {
        List<Ref> out = new ArrayList<>();
        for (YamlNode i : list(map, key, false)) {
            if (i.isScalar() && i.value() != null) {
                out.add(new Ref(i.text(), i.position()));
            } else {
                shapeErrors.add(new MachineError.WrongShape(i.position(), "a name", i.describe()));
            }
        }
        return out;
    }

    private QemuSource source(YamlNode map) {
        YamlNode s = mapping(map, "source", false);
        if (s == null) {
            return null;
        }
        YamlNode line = s.get("line");
        int l = line != null && line.value() instanceof Long n ? n.intValue() : 0;
        return new QemuSource(str(s, "release", true), str(s, "file", true), l, str(s, "array", false),
                str(s, "function", false));
    }

    // -- documents ----------------------------------------------------------------------------------

    /** The document's kind, or null (with an error) when it has none that is known. */
    String kind(YamlNode doc) {
        if (!doc.isMap()) {
            shapeErrors.add(new MachineError.WrongShape(doc.position(), "a mapping with 'kind'", doc.describe()));
            return null;
        }
        YamlNode k = doc.get("kind");
        if (k != null && !k.isScalar()) {
            shapeErrors.add(new MachineError.WrongShape(k.position(), "the name of a kind (machine-family, compat-sets, "
                    + "device-types, cpu-models)", k.describe()));
            return null;
        }
        String kind = k == null ? null : k.text();
        if (kind == null || !SchemaValidator.FILES.containsKey(kind)) {
            errors.add(new MachineError.UnknownKind(k == null ? doc.position() : k.position(), kind));
            return null;
        }
        return kind;
    }

    List<CompatSet> compatSets(YamlNode doc) {
        List<CompatSet> out = new ArrayList<>();
        for (YamlNode s : list(doc, "sets", true)) {
            String name = str(s, "name", true);
            if (name == null) {
                continue;
            }
            List<CompatEntry> entries = new ArrayList<>();
            for (YamlNode e : list(s, "entries", true)) {
                String driver = str(e, "driver", true);
                String property = str(e, "property", true);
                String value = str(e, "value", true);
                if (driver != null && property != null && value != null) {
                    entries.add(new CompatEntry(driver, property, value, bool(e, "optional"), str(e, "from-macro", false),
                            e.position()));
                }
            }
            out.add(new CompatSet(name, str(s, "kind", false), str(s, "restores", false), source(s), str(s, "note", false),
                    List.copyOf(entries), s.position()));
        }
        return out;
    }

    List<PropertyDecl> properties(YamlNode owner, String key) {
        List<PropertyDecl> out = new ArrayList<>();
        for (YamlNode p : list(owner, key, false)) {
            String name = str(p, "name", true);
            Ref type = ref(p, "type", true);
            if (name == null || type == null) {
                continue;
            }
            YamlNode d = p.get("default");
            Value dflt = d == null ? null : new Value(d.toPlain(), d.position());
            YamlNode u = p.get("unset-value");
            Value unset = u == null ? null : new Value(u.toPlain(), u.position());
            List<Declarations.ReleaseDefault> versions = new ArrayList<>();
            for (YamlNode r : list(p, "defaults", false)) {
                String qemu = str(r, "qemu", true);
                YamlNode v = r.get("value");
                if (qemu != null && v != null) {
                    versions.add(new Declarations.ReleaseDefault(qemu, new Value(v.toPlain(), v.position()),
                            str(r, "source", false), r.position()));
                }
            }
            out.add(new PropertyDecl(name, type, dflt, bool(p, "default-unknown"), str(p, "description", false),
                    str(p, "source", false), unset, str(p, "no-effect", false), p.position(), versions));
        }
        return out;
    }

    void types(YamlNode doc, List<TypeDecl> types, List<EnumDecl> enums, List<StructDecl> structs) {
        types(doc, types, enums, structs, false);
    }

    /**
     * {@link #types(YamlNode, List, List, List)}; with {@code deferProperties}, each type's property list
     * is read from its node only when first used (by another reader, whose problems are not reported:
     * for data checked already, see {@link DataReading#read(DataFiles.DataFile, boolean, boolean)}).
     */
    void types(YamlNode doc, List<TypeDecl> types, List<EnumDecl> enums, List<StructDecl> structs, boolean deferProperties) {
        YamlNode en = mapping(doc, "enums", false);
        if (en != null) {
            for (String name : en.keys()) {
                YamlNode e = en.get(name);
                List<String> values = new ArrayList<>();
                for (YamlNode v : list(e, "values", true)) {
                    values.add(v.text() == null ? String.valueOf(v.value()) : v.text());
                }
                if (!values.isEmpty()) {
                    enums.add(new EnumDecl(name, List.copyOf(values), en.keyPosition(name)));
                }
            }
        }
        YamlNode st = mapping(doc, "structs", false);
        if (st != null) {
            for (String name : st.keys()) {
                YamlNode fields = mapping(st.get(name), "fields", true);
                if (fields == null) {
                    continue;
                }
                Map<String, Ref> f = new LinkedHashMap<>();
                for (String fn : fields.keys()) {
                    Ref r = ref(fields, fn, true);
                    if (r != null) {
                        f.put(fn, r);
                    }
                }
                structs.add(new StructDecl(name, Collections.unmodifiableMap(f), st.keyPosition(name)));
            }
        }
        for (YamlNode t : list(doc, "types", true)) {
            String name = str(t, "name", true);
            String parent = str(t, "parent", true);
            if (name == null || parent == null) {
                continue;
            }
            List<String> interfaces = new ArrayList<>();
            YamlNode ifs = t.get("interfaces");
            if (ifs != null && ifs.isList()) {
                for (YamlNode i : ifs.items()) {
                    if (i.isScalar()) {
                        interfaces.add(i.text());
                    }
                }
            }
            List<PropertyDecl> props = deferProperties ? new dev.machina.util.LazyList<>(() -> List.copyOf(new DataReader().properties(t, "properties")))
                    : properties(t, "properties");
            types.add(new TypeDecl(name, parent, bool(t, "abstract"), str(t, "description", false), str(t, "source", false),
                    props, t.position(), List.copyOf(interfaces)));
        }
    }

    FamilyDecl family(YamlNode doc) {
        return family(doc, true);
    }

    /**
     * A machine family; without {@code graphs}, the device graph and the machine type's properties
     * are left unread (what listing machines needs is the rest).
     */
    FamilyDecl family(YamlNode doc, boolean graphs) {
        return family(doc, graphs, false);
    }

    /**
     * A machine family whose device graphs (the family's, each version's changes, the default devices)
     * are read when first used: for data the build checked (a run reads one family's graph, not those of
     * the 150 machine types it does not start). A problem found then is thrown, as deferred type
     * properties are ({@link MachineDataException}); the check before found none in the same data.
     */
    FamilyDecl familyDeferred(YamlNode doc) {
        return family(doc, true, true);
    }

    /** Reads with a reader of its own, once, when first asked; a problem found is thrown. */
    private static <T> java.util.function.Supplier<T> once(java.util.function.Function<DataReader, T> read) {
        return new dev.machina.util.Lazy<>(() -> {
            DataReader r = new DataReader();
            T v = read.apply(r);
            List<MachineError> problems = new ArrayList<>(r.errors());
            problems.addAll(r.shapeErrors());
            if (!problems.isEmpty()) {
                throw new MachineDataException(problems);
            }
            return v;
        });
    }

    private DeviceChanges deferredChanges(YamlNode c) {
        if (c == null) {
            return DeviceChanges.NONE;
        }
        java.util.function.Supplier<DeviceChanges> d = once(r -> r.deviceChanges(c));
        return new DeviceChanges(new dev.machina.util.LazyList<>(() -> d.get().add()),
                new dev.machina.util.LazyList<>(() -> d.get().remove()), new dev.machina.util.LazyMap<>(() -> d.get().set()),
                new dev.machina.util.LazyMap<>(() -> d.get().setAt()));
    }

    private FamilyDecl family(YamlNode doc, boolean graphs, boolean defer) {
        String name = str(doc, "family", true);
        YamlNode qom = mapping(doc, "qom", true);
        Ref qomParent = ref(qom, "parent", true);
        List<PropertyDecl> qomProps = qom == null || !graphs ? List.of() : properties(qom, "properties");
        Map<String, Ref> aliases = new LinkedHashMap<>();
        YamlNode al = mapping(doc, "aliases", false);
        if (al != null) {
            for (String a : al.keys()) {
                Ref target = ref(al, a, true);
                if (target != null) {
                    aliases.put(a, new Ref(target.name(), al.keyPosition(a)));
                }
            }
        }
        List<Layer> base = new ArrayList<>();
        for (YamlNode l : list(doc, "base", false)) { // a family whose versions all inherit elsewhere has none
            base.add(new Layer(source(l), options(l), refs(l, "compat"), l.position()));
        }
        List<DeviceDecl> devices = !graphs || !doc.has("devices") ? null
                : defer ? new dev.machina.util.LazyList<>(once(r -> r.devices(r.list(doc, "devices", false))))
                : devices(list(doc, "devices", false));
        List<VersionDecl> versions = new ArrayList<>();
        for (YamlNode v : list(doc, "versions", true)) {
            String vn = str(v, "name", true);
            if (vn == null) {
                continue;
            }
            versions.add(new VersionDecl(vn, name, ref(v, "inherits", false), refs(v, "compat"), options(v),
                    !graphs ? DeviceChanges.NONE : defer ? deferredChanges(mapping(v, "devices", false))
                            : deviceChanges(mapping(v, "devices", false)),
                    lifecycle(mapping(v, "lifecycle", false)), source(v), v.position()));
        }
        List<Declarations.DefaultDeviceDecl> defaults = !graphs ? List.of()
                : defer ? new dev.machina.util.LazyList<>(once(r -> r.defaultDevices(doc))) : defaultDevices(doc);
        return new FamilyDecl(name, qomParent, qomProps, Collections.unmodifiableMap(aliases), ref(doc, "default", false),
                List.copyOf(base), devices, List.copyOf(versions), doc.position(), defaults);
    }

    private List<Declarations.DefaultDeviceDecl> defaultDevices(YamlNode doc) {
        List<Declarations.DefaultDeviceDecl> defaults = new ArrayList<>();
        List<YamlNode> items = list(doc, "default-devices", false);
        List<DeviceDecl> ds = devices(items);
        int i = 0;
        for (YamlNode d : items) {
            if (str(d, "id", true) == null || str(d, "type", true) == null) {
                continue;
            }
            YamlNode why = mapping(d, "default", true);
            List<String> removed = new ArrayList<>();
            for (YamlNode r : list(why, "removed-by", true)) {
                removed.add(r.text() == null ? String.valueOf(r.value()) : r.text());
            }
            defaults.add(new Declarations.DefaultDeviceDecl(ds.get(i++), str(d, "after", false),
                    str(why, "kind", true), List.copyOf(removed), str(why, "model", false), source(why)));
        }
        return List.copyOf(defaults);
    }

    private Lifecycle lifecycle(YamlNode l) {
        if (l == null) {
            return Lifecycle.NONE;
        }
        return new Lifecycle(str(l, "deprecated", false), str(l, "removed-upstream-in", false), str(l, "note", false),
                str(l, "since", false), str(l, "deprecated-since", false));
    }

    private List<OptionSetting> options(YamlNode owner) {
        YamlNode o = mapping(owner, "options", false);
        if (o == null) {
            return List.of();
        }
        List<OptionSetting> out = new ArrayList<>();
        for (String key : o.keys()) {
            YamlNode v = o.get(key);
            MachineOption opt = MachineOption.byKey(key);
            if (opt == null) {
                shapeErrors.add(new MachineError.UnknownOption(o.keyPosition(key), key, Suggest.closest(key, MachineOption.keys(), 3)));
                continue;
            }
            Object data = v.toPlain();
            if (data == null) {
                if (opt.type() instanceof dev.machina.qom.PropertyType.StrType) {
                    out.add(new OptionSetting(opt, null, v.position()));
                } else {
                    shapeErrors.add(new MachineError.BadValue(v.position(), "machine", key, opt.type().name(), "null",
                            "only string options can be none", opt.type().expectedForm()));
                }
                continue;
            }
            try {
                out.add(new OptionSetting(opt, Values.fromData(opt.type(), data), v.position()));
            } catch (BadValue e) {
                shapeErrors.add(new MachineError.BadValue(v.position(), "machine", key, opt.type().name(), Values.text(data),
                        e.getMessage(), e.expected()));
            }
        }
        return List.copyOf(out);
    }

    private List<DeviceDecl> devices(List<YamlNode> items) {
        List<DeviceDecl> out = new ArrayList<>();
        for (YamlNode d : items) {
            String id = str(d, "id", true);
            String type = str(d, "type", true);
            if (id == null || type == null) {
                continue;
            }
            List<Declarations.SetGroup> set = new ArrayList<>();
            YamlNode props = mapping(d, "properties", false);
            if (props != null) {
                set.add(new Declarations.SetGroup(values(props), null, false, props.position()));
            }
            for (YamlNode g : list(d, "set", false)) {
                Map<String, Value> v = values(mapping(g, "values", true));
                set.add(new Declarations.SetGroup(v, source(g), bool(g, "if-unchanged"), g.position()));
            }
            out.add(new DeviceDecl(id, type, str(d, "qemu-path", false), str(d, "parent", false), str(d, "bus", false),
                    str(d, "address", false), List.copyOf(set), values(mapping(d, "observed", false)),
                    values(mapping(d, "links", false)), d.position()));
        }
        return List.copyOf(out);
    }

    private static Map<String, Value> values(YamlNode m) {
        if (m == null) {
            return Map.of();
        }
        Map<String, Value> out = new LinkedHashMap<>();
        for (String k : m.keys()) {
            YamlNode v = m.get(k);
            out.put(k, new Value(v.toPlain(), v.position()));
        }
        return Collections.unmodifiableMap(out);
    }

    private DeviceChanges deviceChanges(YamlNode c) {
        if (c == null) {
            return DeviceChanges.NONE;
        }
        Map<String, Map<String, Value>> set = new LinkedHashMap<>();
        Map<String, Position> setAt = new LinkedHashMap<>();
        YamlNode s = mapping(c, "set", false);
        if (s != null) {
            for (String id : s.keys()) {
                set.put(id, values(mapping(s, id, true)));
                setAt.put(id, s.keyPosition(id));
            }
        }
        return new DeviceChanges(devices(list(c, "add", false)), refs(c, "remove"), Collections.unmodifiableMap(set),
                Collections.unmodifiableMap(setAt));
    }
}
