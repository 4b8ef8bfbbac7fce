package dev.machina.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * QEMU 7.2's QOM as a management tool probes it, for qom-list-types, qom-list-properties and
 * device-list-properties when Machina presents QEMU 7.2 (MACHINA_QEMU_VERSION=7.2): every type of
 * qemu-system-x86_64 7.2 with {@code -machine none} with its parent and the interfaces it implements, and
 * each type's properties as QEMU 7.2 replies (machines/qom/qemu72-qom.json, written by
 * tools/gen_qemu72_qom.py from QEMU 7.2.22's recorded replies). Where QEMU 7.2 exits instead of answering
 * (an assertion in a type's instance_init) there is no recorded reply: {@link #properties} is empty and the
 * caller answers from Machina's registry.
 */
final class Qemu72Qom {
    private static final String RESOURCE = "/machines/qom/qemu72-qom.json";
    private static volatile Qemu72Qom packaged;

    /** A type: its parent (null for "object" and "interface") and whether it is abstract. */
    record Type(String name, String parent, boolean isAbstract, List<String> implementsExtra) { }

    private final Map<String, Type> types = new LinkedHashMap<>();
    private final JsonNode properties;

    Qemu72Qom(JsonNode data) {
        for (JsonNode t : data.get("types")) {
            List<String> extra = new java.util.ArrayList<>();
            t.path("implements").forEach(i -> extra.add(i.asText()));
            String name = t.get("name").asText();
            types.put(name, new Type(name, t.hasNonNull("parent") ? t.get("parent").asText() : null,
                    t.path("abstract").asBoolean(), List.copyOf(extra)));
        }
        this.properties = data.get("properties");
    }

    static synchronized Qemu72Qom packaged() { // synchronized: loaded ahead on another thread (Introspection.warm)
        Qemu72Qom p = packaged;
        if (p == null) {
            try (InputStream in = Qemu72Qom.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                p = new Qemu72Qom(QmpJson.mapper().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            packaged = p;
        }
        return p;
    }

    boolean contains(String type) {
        return types.containsKey(type);
    }

    boolean isAbstract(String type) {
        return types.get(type).isAbstract();
    }

    /** Whether {@code type} is {@code of} or one of its descendants, or implements it (object_class_dynamic_cast). */
    boolean isA(String type, String of) {
        for (String t = type; t != null; t = types.get(t) == null ? null : types.get(t).parent()) {
            if (t.equals(of)) {
                return true;
            }
            Type ty = types.get(t);
            if (ty != null && ty.implementsExtra().contains(of)) {
                return true;
            }
        }
        return false;
    }

    /** qom-list-types as QEMU 7.2 answers it (an unknown {@code implementsType} implements nothing). */
    ArrayNode listTypes(String implementsType, boolean withAbstract) {
        ArrayNode a = QmpJson.NODES.arrayNode();
        for (Type t : types.values()) {
            if (t.isAbstract() && !withAbstract) {
                continue;
            }
            if (implementsType != null && !isA(t.name(), implementsType)) {
                continue;
            }
            ObjectNode o = a.addObject();
            if (t.isAbstract()) {
                o.put("abstract", true);
            }
            o.put("name", t.name());
            if (t.parent() != null) {
                o.put("parent", t.parent());
            }
        }
        return a;
    }

    /**
     * QEMU 7.2's reply to {@code kind} (qom-list-properties or device-list-properties) for {@code type}: its
     * entries, or its error thrown as a {@link QmpError}; empty where nothing was recorded (QEMU 7.2 exits).
     */
    Optional<ArrayNode> properties(String kind, String type) {
        JsonNode p = properties.path(type).path(kind);
        if (p.isMissingNode()) {
            return Optional.empty();
        }
        if (p.has("error")) {
            throw new QmpError(QmpError.ErrorClass.valueOf(p.get("class").asText()), p.get("error").asText());
        }
        return Optional.of(resolve(kind, p, new HashSet<>()));
    }

    /** A list kept whole, or as another type's list with some entries left out and some changed. */
    private ArrayNode resolve(String kind, JsonNode p, Set<String> seen) {
        if (p.isArray()) {
            return p.deepCopy();
        }
        String like = p.get("like").asText();
        if (!seen.add(like)) {
            throw new IllegalStateException(RESOURCE + ": " + kind + " of " + like + " refers to itself");
        }
        ArrayNode base = resolve(kind, properties.path(like).path(kind), seen);
        TreeMap<String, JsonNode> byName = new TreeMap<>();
        base.forEach(e -> byName.put(e.get("name").asText(), e));
        p.path("lacks").forEach(n -> byName.remove(n.asText()));
        p.path("differs").forEach(e -> byName.put(e.get("name").asText(), e.deepCopy()));
        ArrayNode a = QmpJson.NODES.arrayNode();
        byName.values().forEach(a::add);
        return a;
    }
}
