package dev.machina.qom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a type's static property schema: as JSON Schema (draft-07), which config files can be
 * checked against, and as a plain description (what {@code device show --format json} prints).
 */
public final class TypeSchemas {
    private TypeSchemas() {}

    public static final String SCHEMA_BASE = "https://machina.dev/schemas/types/";

    /**
     * The JSON Schema of a type's configuration: an object whose keys are the type's properties,
     * each with the schema of its type and its default; unknown keys are not allowed. {@code child<>}
     * properties are left out: they are made by the object, not configured.
     */
    public static Map<String, Object> jsonSchema(ObjectType t) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (PropertySpec p : t.properties()) {
            if (p.type() instanceof PropertyType.ChildType) {
                continue;
            }
            Map<String, Object> s = new LinkedHashMap<>(p.type().jsonSchema());
            if (!p.description().isEmpty()) {
                s.put("description", p.description());
            }
            if (p.defaultValue() instanceof PropertyDefault.Known k) {
                s.put("default", p.type().toJson(k.value()));
            }
            props.put(p.name(), s);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("$schema", "http://json-schema.org/draft-07/schema#");
        m.put("$id", SCHEMA_BASE + t.name() + ".schema.json");
        m.put("title", t.name());
        if (!t.description().isEmpty()) {
            m.put("description", t.description());
        }
        m.put("type", "object");
        m.put("properties", props);
        m.put("additionalProperties", false);
        return m;
    }

    /** One property as {@code device show --format json} prints it. */
    public static Map<String, Object> describe(ObjectType t, PropertySpec p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("type", p.type().name());
        if (p.type() instanceof PropertyType.EnumType e) {
            m.put("values", e.values());
        }
        if (p.defaultValue() instanceof PropertyDefault.Known k) {
            m.put("default", p.type().toJson(k.value()));
        } else if (p.defaultValue() instanceof PropertyDefault.Unknown) {
            m.put("default-unknown", true);
        }
        m.put("description", p.description());
        m.put("settable-after-realize", p.settableAfterRealize());
        String from = t.declaredIn(p.name());
        if (!from.equals(t.name())) {
            m.put("inherited-from", from);
        }
        return m;
    }

    /** The whole type as {@code device show --format json} prints it. */
    public static Map<String, Object> describe(ObjectType t, TypeRegistry registry) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("parent", t.parentName());
        m.put("chain", t.chain());
        m.put("abstract", t.isAbstract());
        m.put("interface", t.isInterface());
        m.put("interfaces", t.allInterfaces(registry));
        m.put("description", t.description());
        if (t.isA("device")) {
            m.put("hotpluggable", t.hotpluggable());
        }
        List<Map<String, Object>> props = new ArrayList<>();
        for (PropertySpec p : t.properties()) {
            props.add(describe(t, p));
        }
        m.put("properties", props);
        return m;
    }
}
