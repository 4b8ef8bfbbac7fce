package dev.machina.config;

import dev.machina.config.OptionGroup.Param;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.TypeRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates {@code schemas/vm-config.schema.json}, the JSON Schema (draft-07) of the YAML, JSON and
 * HOCON forms, from the option-group table and the type registry: every group with the keys it
 * takes, and every concrete device type with its properties (typed as the registry types them),
 * selected by {@code driver}. A test checks the committed file against this; regenerate it with
 * {@code tools/machina config schema -o schemas/vm-config.schema.json}.
 */
public final class VmConfigSchema {
    private VmConfigSchema() {}

    public static final String ID = "https://machina.dev/schemas/vm-config.schema.json";

    /**
     * The schema as the committed file has it: two-space indented objects, arrays on one line (the
     * lists of property names would otherwise take a line per name), LF, a final newline.
     */
    public static String text(TypeRegistry registry) {
        com.fasterxml.jackson.core.util.DefaultPrettyPrinter pp = new com.fasterxml.jackson.core.util.DefaultPrettyPrinter(
                com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER))
                .withObjectIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new com.fasterxml.jackson.core.util.DefaultPrettyPrinter.FixedSpaceIndenter());
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writer(pp).writeValueAsString(generate(registry)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the schema", e);
        }
    }

    public static Map<String, Object> generate(TypeRegistry registry) {
        Map<String, Object> defs = new LinkedHashMap<>();
        defs.put("scalar", map("description", "a value: text as QEMU reads it; numbers and booleans are taken by their text (true/false as on/off)",
                "type", List.of("string", "number", "boolean")));
        defs.put("nested", map("description", "a value, or members that become dotted keys (a: {b: 1} is a.b = 1; a: [x] is a.0 = x)",
                "anyOf", List.of(ref("scalar"), map("type", "array", "items", ref("nested")),
                        map("type", "object", "additionalProperties", ref("nested")))));
        defs.put("id", map("description", IdRules.RULE, "type", "string", "pattern", "^[A-Za-z][A-Za-z0-9._-]*$", "maxLength", 63));
        Map<String, Object> groups = new LinkedHashMap<>();
        for (OptionGroup g : OptionGroups.all()) {
            groups.put(g.name(), ref("group-" + g.name()));
            defs.put("group-" + g.name(), group(g, registry));
        }
        // a device type: the typed properties of each type in its chain (shared by every type that
        // inherits them), closed by the list of every name it takes
        List<Object> deviceCases = new ArrayList<>();
        Map<PropertyType, String> typeDefs = new LinkedHashMap<>();
        for (ObjectType t : registry.all()) {
            if (!t.isA("device") || t.isAbstract()) {
                continue;
            }
            List<Object> parts = new ArrayList<>();
            for (String a : t.chain()) {
                ObjectType at = registry.type(a);
                if (!defs.containsKey("props-" + a)) {
                    Map<String, Object> own = new LinkedHashMap<>();
                    for (PropertySpec p : at.info().properties()) {
                        if (!(p.type() instanceof PropertyType.ChildType)) {
                            own.put(p.name(), ref(typeDef(p.type(), typeDefs, defs)));
                        }
                    }
                    defs.put("props-" + a, own.isEmpty() ? null : map("properties", own));
                }
                if (defs.get("props-" + a) != null) {
                    parts.add(ref("props-" + a));
                }
            }
            // each name once (draft-07 wants enum items unique; apic declares an 'id' of its own)
            java.util.Set<String> names = new java.util.LinkedHashSet<>(List.of("driver", "id", "bus"));
            t.properties().stream().filter(p -> !(p.type() instanceof PropertyType.ChildType)).forEach(p -> names.add(p.name()));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("description", t.description().isEmpty() ? t.name() : t.name() + ": " + t.description());
            if (!parts.isEmpty()) { // draft-07 wants at least one schema in an allOf
                d.put("allOf", parts);
            }
            d.put("propertyNames", map("enum", names));
            defs.put("device-" + t.name(), d);
            deviceCases.add(map("if", map("properties", map("driver", map("const", t.name())), "required", List.of("driver")),
                    "then", ref("device-" + t.name())));
        }
        defs.values().removeIf(java.util.Objects::isNull);
        @SuppressWarnings("unchecked")
        Map<String, Object> device = (Map<String, Object>) defs.get("group-device");
        device.put("allOf", deviceCases);
        defs.put("section", map("description", "one option: a mapping with one group name and its keys",
                "type", "object", "minProperties", 1, "maxProperties", 1, "properties", groups, "additionalProperties", false));

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("$id", ID);
        root.put("title", "Machina VM configuration");
        root.put("description", "The YAML, JSON and HOCON forms of a VM configuration: the sections of a QEMU -readconfig file "
                + "(or the options of a command line) in order. Generated by 'machina config schema' from the option groups "
                + "and the device types; do not edit by hand.");
        root.put("type", "object");
        root.put("required", List.of("sections"));
        root.put("properties", map(
                "$schema", map("type", "string"),
                "vars", map("description", "free-form: a place for YAML anchors and HOCON substitution sources; not part of the configuration"),
                "sections", map("type", "array", "items", ref("section"))));
        root.put("additionalProperties", false);
        root.put("definitions", defs);
        root.put("examples", List.of(example()));
        return root;
    }

    /** The example the schema carries (and the tests read and check). */
    static Map<String, Object> example() {
        return map("sections", List.of(
                map("machine", map("type", "pc")),
                map("memory", map("size", "2G")),
                map("smp-opts", map("cpus", "2")),
                map("machina-cpu", map("model", "qemu64")),
                map("name", map("guest", "vm1")),
                map("machina-nodefaults", map()),
                map("chardev", map("id", "c0", "backend", "file", "path", "out.txt")),
                map("device", map("id", "s0", "driver", "isa-serial", "chardev", "c0"))));
    }

    /**
     * One definition per property type ({@code type-uint32}, {@code type-OnOffAuto}, ...), shared by
     * every property of that type, so the schema stays small with hundreds of device types. Each
     * property's description and default are in {@code machina device show TYPE --format json-schema}.
     */
    private static String typeDef(PropertyType t, Map<PropertyType, String> known, Map<String, Object> defs) {
        String have = known.get(t);
        if (have != null) {
            return have;
        }
        String base = "type-" + t.name().replaceAll("[^A-Za-z0-9_-]", "_");
        String name = base;
        for (int i = 2; defs.containsKey(name); i++) {
            name = base + "-" + i;
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("description", t.name() + ": " + t.expectedForm());
        s.putAll(t.jsonSchema());
        defs.put(name, s);
        known.put(t, name);
        return name;
    }

    private static Map<String, Object> group(OptionGroup g, TypeRegistry registry) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("description", g.description() + (g.options().isEmpty() ? "" : " (" + String.join(", ", g.options()) + ")"));
        if (g.isFlag()) {
            s.put("type", List.of("object", "null"));
            s.put("maxProperties", 0);
            return s;
        }
        s.put("type", "object");
        Map<String, Object> props = new LinkedHashMap<>();
        if (g.idRule() != OptionGroup.IdRule.NONE) {
            props.put("id", ref("id"));
        }
        for (Map.Entry<String, Param> p : g.params().entrySet()) {
            props.put(p.getKey(), param(p.getValue()));
        }
        if (g.name().equals("machine")) {
            registry.find("machine").ifPresent(m -> {
                for (PropertySpec p : m.properties()) {
                    if (!(p.type() instanceof PropertyType.ChildType)) {
                        props.put(p.name(), p.type() instanceof PropertyType.StructType ? map("type", "object") : p.type().jsonSchema());
                    }
                }
            });
        }
        s.put("properties", props);
        List<String> required = switch (g.name()) {
            case "device" -> List.of("driver");
            case "object" -> List.of("qom-type", "id");
            case "global" -> List.of("driver", "property", "value");
            case "netdev" -> List.of("type", "id");
            case "chardev" -> List.of("backend", "id");
            default -> List.of();
        };
        if (!required.isEmpty()) {
            s.put("required", required);
        }
        if (g.name().equals("drive")) {
            s.put("patternProperties", map("^(file|backing|encrypt|data-file)\\.", ref("scalar")));
            s.put("additionalProperties", false);
        } else {
            s.put("additionalProperties", g.anyKey() ? ref("nested") : false);
        }
        return s;
    }

    private static Map<String, Object> param(Param p) {
        if (!p.choices().isEmpty()) {
            return map("enum", p.choices());
        }
        return switch (p.type()) {
            case STRING -> map("type", "string");
            case BOOL -> PropertyType.BOOL.jsonSchema();
            case NUMBER -> map("anyOf", List.of(map("type", "integer", "minimum", 0), map("type", "string", "pattern", "^\\s*\\+?(0[xX][0-9a-fA-F]+|[0-9]+)$")));
            case SIZE -> PropertyType.SIZE.jsonSchema();
        };
    }

    private static Map<String, Object> ref(String def) {
        return map("$ref", "#/definitions/" + def);
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
