package dev.machina.machine;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machina.machine.ResolvedMachine.Device;
import dev.machina.machine.ResolvedMachine.DeviceValue;
import dev.machina.util.UserException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ABI of every machine type, as data: for each machine its effective options, the effective
 * value of every (driver, property) its compat sets touch, and its default device graph (type,
 * parent, bus, address, QEMU path, every property value and link of every device). Where a value
 * comes from is left out on purpose: moving an entry from one compat set to another without
 * changing what any machine gets is not a change.
 *
 * <p>{@link #toJson} gives the canonical tree ({@code machine snapshot} writes it; keys sorted, so
 * the same data always gives the same bytes); {@link #read} takes one back from a file, and
 * {@link #changes} lists every way the current data differs from a baseline for the machine types
 * the baseline has. A machine type only the current data has is new, not a change.
 *
 * <p>Shape, version 1: {@code {"format": "machina-machine-snapshot", "version": 1, "machines":
 * {NAME: {"options": {OPTION: value}, "properties": {DRIVER: {PROPERTY: value}}, "devices": {ID:
 * {"type", "parent", "bus", "address", "qemu-path", "properties": {..}, "links": {..}}} or null}}}};
 * an option the machine does not set is left out, one set to none is null; a device's parent, bus,
 * address or QEMU path is left out when it has none.
 */
public final class MachineSnapshot {
    public static final String FORMAT = "machina-machine-snapshot";
    public static final int VERSION = 1;

    private final Map<String, Map<String, Object>> machines;
    /** The dry runs this snapshot was made from (null for one read from a file): where a change comes from. */
    private final Map<String, MachineDiff.Column> columns;

    private MachineSnapshot(Map<String, Map<String, Object>> machines) {
        this(machines, null);
    }

    private MachineSnapshot(Map<String, Map<String, Object>> machines, Map<String, MachineDiff.Column> columns) {
        this.machines = machines;
        this.columns = columns;
    }

    /** The machine types it has, versions sorted as versions. */
    public Set<String> machineNames() {
        return machines.keySet();
    }

    /**
     * Every machine type of the catalog, as {@code dryRun} answers it (the VM builder's dry run of the
     * machine type: device values and compat properties).
     */
    public static MachineSnapshot of(MachineCatalog catalog, java.util.function.Function<String, MachineDiff.Column> dryRun) {
        Map<String, Map<String, Object>> out = new TreeMap<>(MachineOrder.NATURAL);
        Map<String, MachineDiff.Column> cols = new LinkedHashMap<>();
        for (String name : catalog.table().names()) {
            MachineDiff.Column c = dryRun.apply(name);
            cols.put(name, c);
            out.put(name, machine(c));
        }
        return new MachineSnapshot(out, cols);
    }

    private static Map<String, Object> machine(MachineDiff.Column column) {
        ResolvedMachine m = column.machine();
        Map<String, Object> options = new TreeMap<>();
        for (ResolvedMachine.Option o : m.options()) {
            options.put(o.option().key(), o.value() == null ? null : o.option().type().toJson(o.value()));
        }
        Map<String, Object> properties = new TreeMap<>();
        for (MachineDiff.Key k : column.compat().keys()) {
            MachineDiff.Cell c = column.compat().effective(k.driver(), k.property());
            @SuppressWarnings("unchecked")
            Map<String, Object> byProperty = (Map<String, Object>) properties.computeIfAbsent(k.driver(), x -> new TreeMap<>());
            byProperty.put(k.property(), c.state() == MachineDiff.State.VALUE ? c.value() : null);
        }
        Map<String, Object> devices = null;
        if (m.devices() != null) {
            devices = new TreeMap<>(MachineOrder.NATURAL);
            for (Device d : m.devices()) {
                Map<String, Object> dev = new TreeMap<>();
                dev.put("type", d.type());
                putIfSet(dev, "parent", d.parent());
                putIfSet(dev, "bus", d.bus());
                putIfSet(dev, "address", d.address());
                putIfSet(dev, "qemu-path", d.qemuPath());
                Map<String, Object> values = new TreeMap<>();
                for (DeviceValue v : d.values()) {
                    values.put(v.property(), v.type().toJson(v.value()));
                }
                dev.put("properties", values);
                dev.put("links", new TreeMap<>(d.links()));
                devices.put(d.id(), dev);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        // the names that point at it: moving an alias (pc, q35) or the default changes what users get
        if (!m.aliases().isEmpty()) {
            out.put("aliases", List.copyOf(m.aliases()));
        }
        if (m.isDefault()) {
            out.put("default", true);
        }
        out.put("options", options);
        out.put("properties", properties);
        out.put("devices", devices);
        return out;
    }

    private static void putIfSet(Map<String, Object> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** The canonical tree: {@code format}, {@code version}, {@code machines}. */
    public Map<String, Object> toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("machines", machines);
        return root;
    }

    /**
     * The canonical text: the tree as JSON, keys in the tree's (sorted) order, one machine section
     * entry per line (an option, a driver's properties, a device) so a change to the data shows as a
     * change of few lines; LF line ends and a final newline. The same data always gives the same bytes.
     */
    public String render() {
        StringBuilder sb = new StringBuilder();
        write(sb, toJson(), 0);
        return sb.append('\n').toString();
    }

    /** Objects down to a machine's sections are written one member per line; deeper values on one line. */
    private static final int EXPANDED_DEPTH = 3;

    private static void write(StringBuilder sb, Object v, int depth) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            boolean expand = depth <= EXPANDED_DEPTH;
            String inner = expand ? "\n" + "  ".repeat(depth + 1) : "";
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : expand ? "," : ", ").append(inner);
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), depth + 1);
                first = false;
            }
            sb.append(expand ? "\n" + "  ".repeat(depth) : "").append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ");
                write(sb, l.get(i), depth + 1);
            }
            sb.append(']');
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v == null || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof java.math.BigInteger) {
            sb.append(v);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // -- reading a baseline ---------------------------------------------------------------------------

    /** A baseline that cannot be used: the message names the file and the problem. */
    public static final class BadSnapshotException extends UserException {
        BadSnapshotException(String message) {
            super(message);
        }
    }

    /**
     * Reads a snapshot file.
     *
     * @throws BadSnapshotException when it cannot be read, is not JSON (with line and column), or is
     *                              not a snapshot of this version (with the JSON path of the problem)
     */
    public static MachineSnapshot read(String file) {
        String text;
        try {
            dev.machina.util.BoundedInput.Read r = dev.machina.util.BoundedInput.read(Path.of(file), MAX_BASELINE_BYTES);
            if (r.tooLarge()) {
                throw new BadSnapshotException("baseline '" + file + "' is larger than " + dev.machina.util.BoundedInput.size(MAX_BASELINE_BYTES)
                        + " (the limit for a baseline; line " + dev.machina.util.BoundedInput.lineAt(r.bytes(), r.bytes().length)
                        + " is where it falls), so it is not a snapshot" + REMAKE);
            }
            text = dev.machina.util.BoundedInput.utf8(r.bytes());
        } catch (dev.machina.util.BoundedInput.NotUtf8 e) {
            throw new BadSnapshotException("baseline '" + file + "' is not UTF-8 text (line " + e.line() + ", column " + e.column()
                    + "), so it is not a snapshot" + REMAKE);
        } catch (java.nio.file.InvalidPathException e) {
            throw new BadSnapshotException("cannot read baseline '" + file + "': not a valid file name: " + e.getReason());
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadSnapshotException("cannot read baseline '" + file + "': " + DataFiles.reason(e));
        }
        if (text.isBlank()) {
            throw new BadSnapshotException("baseline '" + file + "' is empty; make one with 'machina machine snapshot -o FILE'");
        }
        Object tree;
        try {
            tree = new ObjectMapper().readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? "" : "line " + l.getLineNr() + ", column " + l.getColumnNr() + ": ";
            // Jackson names where an unclosed object began as "[Source: ...; line: L, column: C]": keep the place only
            String what = e.getOriginalMessage().replace('\n', ' ')
                    .replaceAll("\\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
            throw new BadSnapshotException("baseline '" + file + "' is not valid JSON: " + where + what);
        }
        return fromJson(tree, file);
    }

    /** The largest baseline read (64 MiB; the snapshot of all packaged machine types is about 3 MB). */
    static final int MAX_BASELINE_BYTES = 64 << 20;

    private static final String REMAKE = "; make one with 'machina machine snapshot -o FILE'";

    @SuppressWarnings("unchecked")
    static MachineSnapshot fromJson(Object tree, String file) {
        String bad = "baseline '" + file + "' is not a machine snapshot: ";
        if (!(tree instanceof Map<?, ?> root) || !FORMAT.equals(root.get("format"))) {
            throw new BadSnapshotException(bad + "expected a JSON object with \"format\": \"" + FORMAT + "\"" + REMAKE);
        }
        if (!(root.get("version") instanceof Integer version) || version != VERSION) {
            throw new BadSnapshotException("baseline '" + file + "' is a snapshot of version " + root.get("version")
                    + "; this machina reads version " + VERSION + REMAKE);
        }
        if (!(root.get("machines") instanceof Map<?, ?> ms)) {
            throw new BadSnapshotException(bad + "at machines: expected an object of machine types" + REMAKE);
        }
        Map<String, Map<String, Object>> out = new TreeMap<>(MachineOrder.NATURAL);
        for (Map.Entry<?, ?> e : ms.entrySet()) {
            String at = "at machines." + e.getKey();
            if (!(e.getValue() instanceof Map<?, ?> m)) {
                throw new BadSnapshotException(bad + at + ": expected an object" + REMAKE);
            }
            for (String key : List.of("options", "properties", "devices")) {
                Object v = m.get(key);
                if (!m.containsKey(key) || !(v instanceof Map) && !(key.equals("devices") && v == null)) {
                    throw new BadSnapshotException(bad + at + "." + key + ": expected an object" + REMAKE);
                }
            }
            for (Map.Entry<?, ?> p : ((Map<?, ?>) m.get("properties")).entrySet()) {
                if (!(p.getValue() instanceof Map)) {
                    throw new BadSnapshotException(bad + at + ".properties." + p.getKey() + ": expected an object of properties" + REMAKE);
                }
            }
            if (m.get("devices") instanceof Map<?, ?> devs) {
                for (Map.Entry<?, ?> d : devs.entrySet()) {
                    if (!(d.getValue() instanceof Map<?, ?> dev) || !(dev.get("properties") instanceof Map)
                            || !(dev.get("links") instanceof Map)) {
                        throw new BadSnapshotException(bad + at + ".devices." + d.getKey()
                                + ": expected an object with properties and links" + REMAKE);
                    }
                }
            }
            out.put((String) e.getKey(), (Map<String, Object>) m);
        }
        return new MachineSnapshot(out);
    }

    // -- comparing --------------------------------------------------------------------------------------

    /** The marker for "not there" in a {@link Change}. */
    public static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "(absent)";
        }
    };

    /**
     * One change to a machine type of the baseline.
     *
     * @param machine the machine type
     * @param what    {@code machine type}, {@code option NAME}, {@code property DRIVER.PROPERTY},
     *                {@code device ID}, {@code device ID FIELD}, {@code device ID property NAME},
     *                {@code device ID link NAME}
     * @param before  the baseline's value, or {@link #ABSENT}
     * @param after   the current value, or {@link #ABSENT}
     */
    public record Change(String machine, String what, Object before, Object after, String note, String where) {
        public Change(String machine, String what, Object before, Object after) {
            this(machine, what, before, after, null, null);
        }

        /**
         * {@code pc-i440fx-7.1: property virtio-device.queue_reset: false -> true (compat hw-7.1 at
         * compat/hw.yaml:12:9)}: the change, a note on the new value where it needs one, and the data
         * (file, line, column) the new value comes from.
         */
        public String format() {
            if (what.equals("machine type")) {
                return machine + ": machine type removed (the baseline has it)" + (where == null ? "" : " [" + where + "]");
            }
            return machine + ": " + what + ": " + text(before) + " -> " + text(after) + (note == null ? "" : " (" + note + ")")
                    + (where == null ? "" : " [" + where + "]");
        }

        private static String text(Object v) {
            if (v == ABSENT) {
                return "(absent)";
            }
            if (v instanceof String s) {
                return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
            if (v instanceof List<?> l) {
                List<String> parts = new ArrayList<>();
                l.forEach(x -> parts.add(text(x)));
                return "[" + String.join(", ", parts) + "]";
            }
            if (v instanceof Map<?, ?> m) {
                List<String> parts = new ArrayList<>();
                m.forEach((k, x) -> parts.add(k + ": " + text(x)));
                return "{" + String.join(", ", parts) + "}";
            }
            return String.valueOf(v);
        }
    }

    /** Every change from {@code baseline} to this snapshot, for the machine types the baseline has. */
    public List<Change> changesFrom(MachineSnapshot baseline) {
        List<Change> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : baseline.machines.entrySet()) {
            String name = e.getKey();
            Map<String, Object> now = machines.get(name);
            if (now == null) {
                out.add(new Change(name, "machine type", e.getValue(), ABSENT));
                continue;
            }
            Map<String, Object> was = e.getValue();
            List<Change> mine = new ArrayList<>();
            Map<String, Object> names = new LinkedHashMap<>();
            Map<String, Object> namesNow = new LinkedHashMap<>();
            for (String k : List.of("aliases", "default")) {
                if (was.containsKey(k)) {
                    names.put(k, was.get(k));
                }
                if (now.containsKey(k)) {
                    namesNow.put(k, now.get(k));
                }
            }
            // a release adds a newer version and the alias and default move to it: that is no change
            if (movedToNewType(names.get("aliases"), "aliases", baseline)) {
                names.remove("aliases");
                namesNow.remove("aliases");
            }
            if (Boolean.TRUE.equals(names.get("default")) && !namesNow.containsKey("default") && movedToNewType(true, "default", baseline)) {
                names.remove("default");
            }
            compareFlat(mine, name, "", names, namesNow);
            compareFlat(mine, name, "option ", map(was.get("options")), map(now.get("options")));
            Map<String, Object> wasProps = flattenProperties(map(was.get("properties")));
            compareFlat(mine, name, "property ", wasProps, flattenProperties(map(now.get("properties"))));
            compareDevices(mine, name, was.get("devices"), now.get("devices"));
            for (Change c : mine) {
                Change located = columns == null ? c : located(c, columns.get(name));
                if (located != null) {
                    out.add(located);
                }
            }
        }
        return out;
    }

    /**
     * The change with what the current data says about it: a compat property no entry sets any more has
     * its type's default (and is no change at all when that is the baseline's value); every change names
     * the data its new value comes from. Null when the change is none.
     */
    private static Change located(Change c, MachineDiff.Column col) {
        ResolvedMachine m = col.machine();
        String version = col.catalog().table().machine(m.name()) == null ? null
                : col.catalog().table().machine(m.name()).at().location();
        String w = c.what();
        if (w.startsWith("property ") && c.after() == ABSENT) {
            String key = w.substring("property ".length());
            int dot = key.indexOf('.');
            MachineDiff.Cell eff = col.compat().effective(key.substring(0, dot), key.substring(dot + 1));
            if (eff.state() == MachineDiff.State.VALUE) {
                if (c.before() != ABSENT && MachineDiff.sameJson(c.before(), eff.value())) {
                    return null; // the entry went, but the default is what it set: nothing changes for the machine
                }
                return new Change(c.machine(), w, c.before(), eff.value(), "no compat entry sets it now: "
                        + (eff.source().equals("default") ? "the type's default" : eff.source()), version);
            }
            return new Change(c.machine(), w, c.before(), c.after(), "no compat entry sets it now and the type has no known default",
                    version);
        }
        if (w.startsWith("property ")) {
            String key = w.substring("property ".length());
            int dot = key.indexOf('.');
            MachineDiff.Cell eff = col.compat().effective(key.substring(0, dot), key.substring(dot + 1));
            return new Change(c.machine(), w, c.before(), c.after(), null, eff.source());
        }
        if (w.startsWith("option ")) {
            String key = w.substring("option ".length());
            for (ResolvedMachine.Option o : m.options()) {
                if (o.option().key().equals(key)) {
                    return new Change(c.machine(), w, c.before(), c.after(), null, "set by " + o.setBy() + " at " + o.at().location());
                }
            }
            return new Change(c.machine(), w, c.before(), c.after(), null, version);
        }
        java.util.regex.Matcher d = java.util.regex.Pattern.compile("device (\\S+) property (\\S+)").matcher(w);
        if (d.matches() && m.devices() != null) {
            for (Device dev : m.devices()) {
                if (dev.id().equals(d.group(1)) && dev.value(d.group(2)) != null) {
                    DeviceValue v = dev.value(d.group(2));
                    String from = v.compat() != null ? "compat " + v.compat().set() + " at " + v.compat().at().location()
                            : String.valueOf(v.origin());
                    return new Change(c.machine(), w, c.before(), c.after(), null, from);
                }
            }
        }
        return new Change(c.machine(), w, c.before(), c.after(), null, version);
    }

    /** Whether every alias in {@code was} (or the default) now names a machine type the baseline does not have. */
    private boolean movedToNewType(Object was, String key, MachineSnapshot baseline) {
        if (was == null) {
            return false;
        }
        List<?> wanted = was instanceof List<?> l ? l : List.of(was);
        for (Object a : wanted) {
            boolean found = false;
            for (Map.Entry<String, Map<String, Object>> e : machines.entrySet()) {
                Object v = e.getValue().get(key);
                boolean has = v instanceof List<?> l ? l.contains(a) : a.equals(v);
                if (has && !baseline.machines.containsKey(e.getKey())) {
                    found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** The machine types this snapshot has and the baseline does not. */
    public List<String> newSince(MachineSnapshot baseline) {
        List<String> out = new ArrayList<>();
        for (String n : machines.keySet()) {
            if (!baseline.machines.containsKey(n)) {
                out.add(n);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private static Map<String, Object> flattenProperties(Map<String, Object> byDriver) {
        Map<String, Object> out = new LinkedHashMap<>();
        byDriver.forEach((d, props) -> map(props).forEach((p, v) -> out.put(d + "." + p, v)));
        return out;
    }

    private static void compareFlat(List<Change> out, String machine, String prefix, Map<String, Object> was, Map<String, Object> now) {
        Set<String> keys = new TreeSet<>(Comparator.naturalOrder());
        keys.addAll(was.keySet());
        keys.addAll(now.keySet());
        for (String k : keys) {
            Object a = was.containsKey(k) ? was.get(k) : ABSENT;
            Object b = now.containsKey(k) ? now.get(k) : ABSENT;
            if (a == ABSENT || b == ABSENT ? a != b : !MachineDiff.sameJson(a, b)) {
                out.add(new Change(machine, prefix + k, a, b));
            }
        }
    }

    private static void compareDevices(List<Change> out, String machine, Object was, Object now) {
        if (was == null || now == null) {
            if (was != now) {
                out.add(new Change(machine, "device graph", was == null ? ABSENT : "(a graph)", now == null ? ABSENT : "(a graph)"));
            }
            return;
        }
        Map<String, Object> a = map(was);
        Map<String, Object> b = map(now);
        Set<String> ids = new TreeSet<>(MachineOrder.NATURAL);
        ids.addAll(a.keySet());
        ids.addAll(b.keySet());
        for (String id : ids) {
            if (!a.containsKey(id) || !b.containsKey(id)) {
                Object da = a.containsKey(id) ? "type " + map(a.get(id)).get("type") : ABSENT;
                Object db = b.containsKey(id) ? "type " + map(b.get(id)).get("type") : ABSENT;
                out.add(new Change(machine, "device " + id, da, db));
                continue;
            }
            Map<String, Object> x = map(a.get(id));
            Map<String, Object> y = map(b.get(id));
            Map<String, Object> fx = new LinkedHashMap<>();
            Map<String, Object> fy = new LinkedHashMap<>();
            for (String f : List.of("type", "parent", "bus", "address", "qemu-path")) {
                fx.put(f, x.get(f));
                fy.put(f, y.get(f));
            }
            compareFlat(out, machine, "device " + id + " ", fx, fy);
            compareFlat(out, machine, "device " + id + " property ", map(x.get("properties")), map(y.get("properties")));
            compareFlat(out, machine, "device " + id + " link ", map(x.get("links")), map(y.get("links")));
        }
    }
}
