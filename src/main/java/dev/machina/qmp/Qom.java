package dev.machina.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.machina.qom.BadValue;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.QomException;
import dev.machina.qom.QomObject;
import dev.machina.vm.BuiltMachine;
import dev.machina.vm.BuiltObject;
import dev.machina.vm.EffectiveValue;
import dev.machina.vm.PciAddress;
import dev.machina.vm.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * qom-list, qom-get and qom-set over a built object graph ({@link BuiltMachine}: the running VM's, or
 * the dry run of {@code -machine none} or of a machine in preconfig), with QEMU 7.2's paths, property
 * types, values and errors (tests/qmp/qemu72-pc-qom.jsonl). Besides the type's own properties every
 * object has {@code type}; every device {@code parent_bus}, {@code realized}, {@code hotplugged} and
 * {@code hotpluggable}; children and links are {@code child<T>} and {@code link<T>} whose value is a path.
 * QEMU's memory-region and irq children are not objects in Machina and are not listed.
 *
 * <p>Not thread-safe: callers run these where the machine's state may be touched (the loop thread).
 */
final class Qom {
    /** The graph, whether its devices are realized (a running machine) and the chardev labels with their QOM types. */
    record Graph(BuiltMachine built, boolean realized, Map<String, String> chardevs) {}

    private final Graph g;

    Qom(Graph g) {
        this.g = g;
    }

    /** The root's {@code chardevs} container: not in the builder's tree, made here as QEMU has it. */
    private static final String CHARDEVS = "/chardevs";

    /** An object or the chardevs container by QEMU's absolute or partial path; QEMU's errors. */
    private Optional<QomObject> resolve(String path) {
        try {
            return Optional.of(g.built().tree().resolve(path));
        } catch (QomException e) {
            return Optional.empty();
        }
    }

    private boolean isChardevs(String path) {
        return path.equals(CHARDEVS) || path.equals("chardevs") || path.equals(CHARDEVS + "/");
    }

    /** {@code qom-list}. */
    ArrayNode list(String path) {
        ArrayNode a = QmpJson.NODES.arrayNode();
        a.addObject().put("name", "type").put("type", "string");
        if (isChardevs(path)) {
            g.chardevs().forEach((label, type) -> a.addObject().put("name", label).put("type", "child<" + type + ">"));
            return a;
        }
        QomObject o = resolve(path).orElseThrow(() -> QmpError.deviceNotFound("Device '" + path + "' not found"));
        for (Prop p : props(o)) {
            a.addObject().put("name", p.name()).put("type", p.type());
        }
        return a;
    }

    /**
     * HMP's {@code info qom-tree [path]}: the composition tree under {@code path} ({@code /machine} when
     * none), one object a line as {@code /name (type)}, two more spaces a level, each object's children in
     * byte order of their names (QEMU 7.2's hmp_info_qom_tree); the root is {@code /} and has the chardevs
     * container. An unknown path is QEMU's one line, not an error.
     */
    String tree(String path) {
        StringBuilder sb = new StringBuilder();
        if (path != null && isChardevs(path)) {
            chardevsTree(sb, 0);
            return sb.toString();
        }
        Optional<QomObject> o = path == null ? resolve("/machine") : resolve(path);
        if (o.isEmpty()) {
            return "Path '" + path + "' could not be resolved.\n";
        }
        tree(o.get(), 0, sb);
        return sb.toString();
    }

    private void tree(QomObject o, int indent, StringBuilder sb) {
        boolean root = o == g.built().tree().root();
        sb.append(" ".repeat(indent)).append('/').append(root ? "" : o.name()).append(" (").append(o.typeName()).append(")\n");
        java.util.TreeMap<String, QomObject> kids = new java.util.TreeMap<>(o.children());
        if (root) {
            QomObject objects = kids.remove("objects");
            if (objects != null && !objects.children().isEmpty()) {
                kids.put("objects", objects); // as qom-list: QEMU makes it when first used
            }
            kids.put("chardevs", null); // not in the builder's tree: made here as QEMU has it
        }
        for (Map.Entry<String, QomObject> k : kids.entrySet()) {
            if (k.getValue() == null) {
                chardevsTree(sb, indent + 2);
            } else {
                tree(k.getValue(), indent + 2, sb);
            }
        }
    }

    private void chardevsTree(StringBuilder sb, int indent) {
        sb.append(" ".repeat(indent)).append("/chardevs (container)\n");
        new java.util.TreeMap<>(g.chardevs()).forEach((label, type) ->
                sb.append(" ".repeat(indent + 2)).append('/').append(label).append(" (").append(type).append(")\n"));
    }

    /** One listed property: its name and QEMU's type name. */
    private record Prop(String name, String type) {}

    private List<Prop> props(QomObject o) {
        List<Prop> out = new ArrayList<>();
        boolean device = o.type().isA("device");
        if (device) {
            out.add(new Prop("parent_bus", "link<bus>"));
            out.add(new Prop("realized", "bool"));
            out.add(new Prop("hotplugged", "bool"));
            out.add(new Prop("hotpluggable", "bool"));
        }
        for (PropertySpec p : o.type().properties()) {
            out.add(new Prop(p.name(), qomTypeName(p.type())));
        }
        if (o.type().isA("pci-device")) {
            out.add(new Prop("legacy-addr", "str"));
        }
        if (o.type().isA("bus")) {
            out.add(new Prop("realized", "bool"));
            out.add(new Prop("hotplug-handler", "link<hotplug-handler>"));
            List<BuiltObject> kids = busChildren(o);
            for (int i = 0; i < kids.size(); i++) {
                out.add(new Prop("child[" + i + "]", "link<" + kids.get(i).typeName() + ">"));
            }
        }
        for (Map.Entry<String, QomObject> c : o.children().entrySet()) {
            if (o.type().property(c.getKey()).isEmpty()) {
                out.add(new Prop(c.getKey(), "child<" + c.getValue().typeName() + ">"));
            }
        }
        if (o == g.built().tree().root()) {
            out.removeIf(p -> p.name().equals("objects") && o.children().get("objects").children().isEmpty()); // QEMU makes it when first used
            out.add(new Prop("chardevs", "child<container>"));
        }
        return out;
    }

    /** The devices on a bus, in the order they were plugged (QEMU's child[N] links of the bus). */
    private List<BuiltObject> busChildren(QomObject bus) {
        return g.built().at(bus.path()).map(b -> g.built().devicesOn(b)).orElse(List.of());
    }

    /**
     * QEMU's device_get_hotpluggable: the class says so and the bus it sits on takes hotplug (a PCI bus
     * has a hotplug handler; ISA and the system bus have none).
     */
    private boolean hotpluggable(QomObject o, Optional<BuiltObject> b) {
        Optional<BuiltObject> bus = b.flatMap(BuiltObject::bus);
        return o.type().hotpluggable() && bus.map(x -> x.isA("PCI") || x.isA("PCIE")).orElse(true);
    }

    /** A bus's hotplug handler: a PC's root PCI bus has the ACPI chipset function's (PIIX4 PM, ICH9 LPC); others none. */
    private String hotplugHandler(QomObject bus) {
        if (!bus.type().isA("PCI")) {
            return "";
        }
        return g.built().objects().stream().filter(x -> x.typeName().equals("PIIX4_PM") || x.typeName().equals("ICH9-LPC"))
                .filter(x -> x.bus().map(BuiltObject::path).filter(bus.path()::equals).isPresent()).map(BuiltObject::path).findFirst().orElse("");
    }

    /** QEMU's name of a property type in qom-list: a PCI devfn is an {@code int32} there. */
    private static String qomTypeName(PropertyType t) {
        return t.name().equals("pci-devfn") ? "int32" : t.name();
    }

    /** {@code qom-get}. */
    JsonNode get(String path, String property) {
        if (isChardevs(path)) {
            if (property.equals("type")) {
                return QmpJson.NODES.textNode("container");
            }
            if (g.chardevs().containsKey(property)) {
                return QmpJson.NODES.textNode(CHARDEVS + "/" + property);
            }
            throw QmpError.generic("Property 'container." + property + "' not found");
        }
        QomObject o = resolve(path).orElseThrow(() -> QmpError.deviceNotFound("Device '" + path + "' not found"));
        if (property.equals("type")) {
            return QmpJson.NODES.textNode(o.typeName());
        }
        Optional<BuiltObject> b = g.built().at(o.path());
        if (o.type().isA("device")) {
            switch (property) {
                case "realized":
                    return QmpJson.NODES.booleanNode(g.realized());
                case "hotplugged":
                    return QmpJson.NODES.booleanNode(false);
                case "hotpluggable":
                    return QmpJson.NODES.booleanNode(hotpluggable(o, b));
                case "parent_bus":
                    return QmpJson.NODES.textNode(b.flatMap(BuiltObject::bus).map(BuiltObject::path).orElse(""));
                default:
                    break;
            }
        }
        if (o.type().isA("bus")) {
            switch (property) {
                case "realized":
                    // QEMU 7.2 never realizes the main system bus; the others are realized with their device
                    return QmpJson.NODES.booleanNode(g.realized() && !o.type().isA("System"));
                case "hotplug-handler":
                    return QmpJson.NODES.textNode(hotplugHandler(o));
                default:
                    if (property.matches("child\\[\\d+\\]")) {
                        List<BuiltObject> kids = busChildren(o);
                        int i = Integer.parseInt(property.substring(6, property.length() - 1));
                        if (i < kids.size()) {
                            return QmpJson.NODES.textNode(kids.get(i).path());
                        }
                    }
                    break;
            }
        }
        if (property.equals("legacy-addr") && o.type().isA("pci-device")) {
            return QmpJson.NODES.textNode(b.flatMap(BuiltObject::pciAddress).map(a -> String.format("%02x.%x", a.slot(), a.function())).orElse(""));
        }
        if (property.startsWith("legacy-") && o.type().property(property.substring(7)).map(x -> x.type() instanceof PropertyType.LinkType)
                .orElse(false)) {
            throw QmpError.generic("Property '" + o.typeName() + "." + property + "' is not readable"); // qdev's write-only legacy form of a link
        }
        if (o == g.built().machine().object()) {
            JsonNode m = machineValue(property);
            if (m != null) {
                return m;
            }
        }
        QomObject child = o.children().get(property);
        if (child != null) {
            return QmpJson.NODES.textNode(child.path());
        }
        PropertySpec p = o.type().property(property)
                .orElseThrow(() -> QmpError.generic("Property '" + o.typeName() + "." + property + "' not found"));
        if (p.type() instanceof PropertyType.LinkType) {
            return QmpJson.NODES.textNode(o.getLink(property).map(QomObject::path).orElse(""));
        }
        Optional<Object> v = o.value(property);
        if (v.isEmpty()) {
            if (p.type() instanceof PropertyType.StrType) {
                return QmpJson.NODES.textNode(""); // an unset string property reads as empty, as in QEMU
            }
            throw QmpError.generic("Property '" + o.typeName() + "." + property + "' has no value in Machina (its default is not known)");
        }
        if (p.type().name().equals("pci-devfn")) {
            // QEMU reads a devfn as its number (slot << 3 | function); -1 is "not set"
            return QmpJson.NODES.numberNode(PciAddress.parse(String.valueOf(v.get())).map(PciAddress::devfn).orElse(-1));
        }
        return QmpJson.mapper().valueToTree(new EffectiveValue(property, p.type(), v.get(), o.origin(property)).json());
    }

    /** The machine's structured properties ({@code smp}, {@code memory}) in QEMU's member order. */
    private JsonNode machineValue(String property) {
        switch (property) {
            case "smp": {
                VmSpec.Smp s = g.built().values().smp();
                ObjectNode n = QmpJson.object();
                n.put("cpus", s.cpus());
                n.put("maxcpus", s.maxCpus());
                n.put("threads", s.threads());
                n.put("cores", s.cores());
                n.put("dies", s.dies());
                n.put("sockets", s.sockets());
                n.put("clusters", s.clusters());
                return n;
            }
            case "memory":
                return QmpJson.object().put("size", g.built().values().ramBytes());
            default:
                return null;
        }
    }

    /**
     * {@code qom-set}: the value is checked against the property's type as QEMU's input visitor does
     * ({@code Invalid parameter type for 'P', expected: T}); a device's properties are fixed once it is
     * realized (QEMU's qdev rule), which is checked first.
     */
    void set(String path, String property, JsonNode value) {
        QomObject o = resolve(path).orElseThrow(() -> QmpError.deviceNotFound("Device '" + path + "' not found"));
        PropertySpec p = writable(o, property);
        Object data = data(p, value);
        try {
            o.setData(property, data, "qom-set");
        } catch (QomException e) {
            throw QmpError.generic(e.getMessage());
        }
    }

    /** The property if it can be set now, else QEMU's error (unknown, read-only, or a realized device's). */
    private PropertySpec writable(QomObject o, String property) {
        PropertySpec p = o.type().property(property).orElse(null);
        boolean device = o.type().isA("device");
        if (p == null) {
            if (device && property.equals("realized")) {
                throw QmpError.generic("Property '" + o.typeName() + ".realized' changes only with device_add and device_del in Machina");
            }
            if (property.equals("type") || o.children().containsKey(property)
                    || (device && List.of("parent_bus", "hotplugged", "hotpluggable").contains(property))) {
                throw QmpError.generic("Property '" + o.typeName() + "." + property + "' is not writable");
            }
            throw QmpError.generic("Property '" + o.typeName() + "." + property + "' not found");
        }
        if (device && g.realized() && !p.settableAfterRealize()) {
            Optional<String> id = g.built().at(o.path()).filter(b -> b.kind() == BuiltObject.Kind.USER_DEVICE).flatMap(BuiltObject::id);
            throw QmpError.generic("Attempt to set property '" + property + "' on " + id.map(i -> "device '" + i + "'").orElse("anonymous device")
                    + " (type '" + o.typeName() + "') after it was realized");
        }
        return p;
    }

    /**
     * HMP's {@code qom-set}: with {@code -j} the value is JSON, else QEMU's text form of the property's
     * type ({@code 0x2f8}, {@code on}).
     */
    void setText(String path, String property, String value, boolean json) {
        if (json) {
            JsonNode v;
            try {
                v = QmpJson.parse(value);
            } catch (java.io.IOException | RuntimeException e) {
                throw QmpError.generic("JSON parse error, " + e.getMessage().lines().findFirst().orElse(""));
            }
            set(path, property, v);
            return;
        }
        QomObject o = resolve(path).orElseThrow(() -> QmpError.deviceNotFound("Device '" + path + "' not found"));
        PropertySpec p = writable(o, property);
        Object parsed;
        try {
            parsed = p.type().parse(value);
        } catch (BadValue e) {
            throw QmpError.generic("Parameter '" + property + "' expects " + p.type().expectedForm());
        }
        set(path, property, QmpJson.mapper().valueToTree(p.type().toJson(parsed)));
    }

    /** The JSON value as the property's type reads data; a JSON type that cannot be it is QEMU's visitor error. */
    private static Object data(PropertySpec p, JsonNode value) {
        PropertyType t = p.type();
        String expected;
        boolean ok;
        if (t instanceof PropertyType.BoolType) {
            expected = "boolean";
            ok = value.isBoolean();
        } else if (t instanceof PropertyType.IntType || t instanceof PropertyType.SizeType) {
            expected = t instanceof PropertyType.SizeType ? "size" : "integer";
            ok = value.isIntegralNumber();
        } else if (t instanceof PropertyType.StrType || t instanceof PropertyType.EnumType || t instanceof PropertyType.LinkType) {
            expected = "string";
            ok = value.isTextual();
        } else {
            expected = "a value of " + t.name();
            ok = true;
        }
        if (!ok) {
            throw QmpError.generic("Invalid parameter type for '" + p.name() + "', expected: " + expected);
        }
        Object data = QmpJson.mapper().convertValue(value, Object.class);
        try {
            t.fromData(data); // the range and form checks of the type
        } catch (BadValue e) {
            throw QmpError.generic("Parameter '" + p.name() + "' expects " + t.expectedForm());
        }
        return data;
    }

    /** The QOM type of a chardev backend as QEMU names it ({@code chardev-stdio}, {@code chardev-socket}). */
    static String chardevType(String filename) {
        if (filename.startsWith("unix:") || filename.startsWith("tcp:") || filename.startsWith("disconnected:")) {
            return "chardev-socket";
        }
        int colon = filename.indexOf(':');
        return "chardev-" + (colon < 0 ? filename : filename.substring(0, colon));
    }
}
