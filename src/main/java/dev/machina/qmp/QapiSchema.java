package dev.machina.qmp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The QMP schema as data: {@code schemas/qmp.qapi}, in QAPI's syntax (single-quoted JSON, {@code #}
 * comments, one definition per expression). It validates a command's arguments as QEMU's QObject input
 * visitor does (same order, same messages), checks values against a declared type (the tests check
 * every reply), and renders QEMU's introspection format for {@code query-qmp-schema}.
 */
public final class QapiSchema {
    /** Where the schema travels in the jar (pom.xml copies {@code schemas/} there). */
    public static final String RESOURCE = "/schemas/qmp.qapi";

    /** A member of a struct: {@code '*name'} in the file is optional. */
    public record Member(String name, String type, boolean optional) {}

    /** A named type, a list ({@code [T]}) or a builtin. */
    public record Type(String name, Kind kind, List<Member> members, List<String> values, String element) {}

    public enum Kind { BUILTIN, ENUM, STRUCT, ARRAY }

    public record Command(String name, String argType, String returns, boolean allowPreconfig, List<String> features) {}

    public record Event(String name, String dataType, List<String> features) {}

    private static final List<String> INTEGERS = List.of("int", "int8", "int16", "int32", "int64", "uint8", "uint16",
            "uint32", "uint64", "size");

    private final Map<String, Type> types = new LinkedHashMap<>();
    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final Map<String, Event> events = new LinkedHashMap<>();
    /** Definition order of commands and events, as query-qmp-schema lists them. */
    private final List<Object> entities = new ArrayList<>();
    private int implicit;

    private QapiSchema() {
        for (String b : List.of("str", "int", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                "size", "number", "bool", "any", "null")) {
            types.put(b, new Type(b, Kind.BUILTIN, List.of(), List.of(), null));
        }
    }

    private static final ObjectMapper QAPI = JsonMapper.builder(JsonFactory.builder()
                    .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
                    .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
                    .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
                    .build())
            .build();

    /** The packaged schema. */
    public static QapiSchema packaged() {
        try (InputStream in = QapiSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the QMP schema " + RESOURCE + " is not packaged");
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses schema text; a malformed or inconsistent definition is an IllegalArgumentException naming it. */
    public static QapiSchema parse(String text) {
        QapiSchema s = new QapiSchema();
        try (JsonParser p = QAPI.createParser(text)) {
            MappingIterator<JsonNode> it = QAPI.readValues(p, JsonNode.class);
            while (it.hasNext()) {
                s.define(it.next());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("qmp.qapi: " + e.getMessage() + " at line " + lineOf(e), e);
        }
        s.check();
        return s;
    }

    private static int lineOf(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                ? j.getLocation().getLineNr() : -1;
    }

    private void define(JsonNode d) {
        if (d.has("enum")) {
            List<String> values = new ArrayList<>();
            d.get("data").forEach(v -> values.add(v.asText()));
            put(new Type(d.get("enum").asText(), Kind.ENUM, List.of(), List.copyOf(values), null));
        } else if (d.has("struct")) {
            put(new Type(d.get("struct").asText(), Kind.STRUCT, members(d.get("data")), List.of(), null));
        } else if (d.has("command")) {
            String name = d.get("command").asText();
            Command c = new Command(name, argType(d.get("data")), returnType(d.get("returns")),
                    d.path("allow-preconfig").asBoolean(false), strings(d.get("features")));
            commands.put(name, c);
            entities.add(c);
        } else if (d.has("event")) {
            String name = d.get("event").asText();
            Event e = new Event(name, argType(d.get("data")), strings(d.get("features")));
            events.put(name, e);
            entities.add(e);
        } else {
            throw new IllegalArgumentException("qmp.qapi: a definition needs enum, struct, command or event: " + d);
        }
    }

    private void put(Type t) {
        if (types.put(t.name(), t) != null) {
            throw new IllegalArgumentException("qmp.qapi: type " + t.name() + " is defined twice");
        }
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null) {
            n.forEach(v -> out.add(v.asText()));
        }
        return List.copyOf(out);
    }

    private List<Member> members(JsonNode data) {
        List<Member> out = new ArrayList<>();
        if (data == null) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            boolean optional = e.getKey().startsWith("*");
            out.add(new Member(optional ? e.getKey().substring(1) : e.getKey(), typeRef(e.getValue()), optional));
        }
        return List.copyOf(out);
    }

    /** A type reference: a name, or {@code ['T']} for a list of T. */
    private String typeRef(JsonNode n) {
        if (n.isArray()) {
            String elem = n.get(0).asText();
            String name = "[" + elem + "]";
            types.putIfAbsent(name, new Type(name, Kind.ARRAY, List.of(), List.of(), elem));
            return name;
        }
        return n.asText();
    }

    private String argType(JsonNode data) {
        if (data == null) {
            return null;
        }
        if (data.isTextual()) {
            return data.asText();
        }
        String name = "q_obj_" + (implicit++) + "-arg";
        put(new Type(name, Kind.STRUCT, members(data), List.of(), null));
        return name;
    }

    private String returnType(JsonNode returns) {
        return returns == null ? null : typeRef(returns);
    }

    private void check() {
        for (Type t : types.values()) {
            for (Member m : t.members()) {
                need(m.type(), t.name() + "." + m.name());
            }
            if (t.element() != null) {
                need(t.element(), t.name());
            }
        }
        for (Command c : commands.values()) {
            if (c.argType() != null) {
                need(c.argType(), c.name());
            }
            if (c.returns() != null) {
                need(c.returns(), c.name());
            }
        }
        for (Event e : events.values()) {
            if (e.dataType() != null) {
                need(e.dataType(), e.name());
            }
        }
    }

    private void need(String type, String where) {
        if (!types.containsKey(type)) {
            throw new IllegalArgumentException("qmp.qapi: " + where + " names type '" + type + "', which is not defined");
        }
    }

    public Optional<Command> command(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    public Map<String, Command> commands() {
        return java.util.Collections.unmodifiableMap(commands);
    }

    public Map<String, Event> events() {
        return java.util.Collections.unmodifiableMap(events);
    }

    public Type type(String name) {
        Type t = types.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no QAPI type " + name);
        }
        return t;
    }

    // ---------------------------------------------------------------- validation (QObject input visitor)

    /**
     * Checks a command's arguments as QEMU does before the command runs: members in declaration order
     * (missing, wrongly typed), then members nobody asked for ("Parameter 'x' is unexpected").
     */
    public void checkArguments(Command c, ObjectNode args) {
        if (c.argType() == null) {
            if (args != null && args.size() > 0) {
                throw QmpError.generic("Parameter '" + args.fieldNames().next() + "' is unexpected");
            }
            return;
        }
        checkStruct(type(c.argType()), args == null ? QmpJson.object() : args, null);
    }

    private void checkStruct(Type t, ObjectNode obj, String prefix) {
        for (Member m : t.members()) {
            JsonNode v = obj.get(m.name());
            String full = prefix == null ? m.name() : prefix + "." + m.name();
            if (v == null) {
                if (!m.optional()) {
                    throw QmpError.generic("Parameter '" + full + "' is missing");
                }
                continue;
            }
            checkValue(m.type(), v, full);
        }
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (t.members().stream().noneMatch(m -> m.name().equals(k))) {
                throw QmpError.generic("Parameter '" + (prefix == null ? k : prefix + "." + k) + "' is unexpected");
            }
        }
    }

    /** Checks one value against a type; {@code name} is the full name QEMU's visitor would report. */
    public void checkValue(String typeName, JsonNode v, String name) {
        Type t = type(typeName);
        switch (t.kind()) {
            case BUILTIN -> builtin(t.name(), v, name);
            case ENUM -> {
                if (!v.isTextual()) {
                    throw invalidType(name, "string");
                }
                if (!t.values().contains(v.textValue())) {
                    // QEMU 7.2's enum visitor names a list element 'null' (it has no name of its own)
                    throw QmpError.generic("Parameter '" + (name.endsWith("]") ? "null" : name)
                            + "' does not accept value '" + v.textValue() + "'");
                }
            }
            case STRUCT -> {
                if (!v.isObject()) {
                    throw invalidType(name, "object");
                }
                checkStruct(t, (ObjectNode) v, name);
            }
            case ARRAY -> {
                if (!v.isArray()) {
                    throw invalidType(name, "array");
                }
                for (int i = 0; i < v.size(); i++) {
                    checkValue(t.element(), v.get(i), name + "[" + i + "]");
                }
            }
        }
    }

    private static void builtin(String b, JsonNode v, String name) {
        switch (b) {
            case "str" -> {
                if (!v.isTextual()) {
                    throw invalidType(name, "string");
                }
            }
            case "bool" -> {
                if (!v.isBoolean()) {
                    throw invalidType(name, "boolean");
                }
            }
            case "number" -> {
                if (!v.isNumber()) {
                    throw invalidType(name, "number");
                }
            }
            case "null" -> {
                if (!v.isNull()) {
                    throw invalidType(name, "null");
                }
            }
            case "any" -> { }
            default -> integer(b, v, name);
        }
    }

    private static void integer(String b, JsonNode v, String name) {
        boolean unsigned = b.startsWith("uint") || b.equals("size");
        if (!v.isIntegralNumber() || (!unsigned && !v.canConvertToLong())
                || (unsigned && (v.bigIntegerValue().signum() < 0 && !v.canConvertToLong()
                || v.bigIntegerValue().bitLength() > 64))) {
            throw invalidType(name, "integer");
        }
        if (b.equals("int") || b.equals("int64") || b.equals("uint64") || b.equals("size")) {
            return;
        }
        int bits = Integer.parseInt(b.replaceAll("[^0-9]", ""));
        long x = v.longValue();
        boolean ok = unsigned ? x >= 0 && x < (1L << bits) : x >= -(1L << (bits - 1)) && x < (1L << (bits - 1));
        if (!ok) {
            throw QmpError.generic("Parameter '" + name + "' expects " + b);
        }
    }

    private static QmpError invalidType(String name, String expected) {
        return QmpError.generic("Invalid parameter type for '" + name + "', expected: " + expected);
    }

    // ---------------------------------------------------------------- introspection (qapi/introspect.json)

    /**
     * The schema as {@code query-qmp-schema} returns it: commands and events in definition order, then
     * every type they reach, each non-builtin type under a number as QEMU 7.2 masks them (names are not
     * ABI), builtins under their JSON names, lists as {@code [N]}.
     */
    public ArrayNode introspect() {
        Map<String, String> names = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        ArrayNode out = QmpJson.NODES.arrayNode();
        String empty = "0";
        names.put("", empty); // the empty object: "0", as in QEMU
        List<ObjectNode> typeEntries = new ArrayList<>();
        ObjectNode emptyObj = QmpJson.object();
        emptyObj.put("name", empty);
        emptyObj.putArray("members");
        emptyObj.put("meta-type", "object");
        typeEntries.add(emptyObj);
        for (Object e : entities) {
            ObjectNode n = QmpJson.object();
            if (e instanceof Command c) {
                n.put("name", c.name());
                n.put("ret-type", c.returns() == null ? empty : ref(c.returns(), names, order));
                n.put("meta-type", "command");
                n.put("arg-type", c.argType() == null ? empty : ref(c.argType(), names, order));
                features(n, c.features());
            } else if (e instanceof Event ev) {
                n.put("name", ev.name());
                n.put("meta-type", "event");
                n.put("arg-type", ev.dataType() == null ? empty : ref(ev.dataType(), names, order));
                features(n, ev.features());
            }
            out.add(n);
        }
        for (int i = 0; i < order.size(); i++) { // order grows while members are named
            Type t = type(order.get(i));
            ObjectNode n = QmpJson.object();
            n.put("name", names.get(t.name()));
            switch (t.kind()) {
                case BUILTIN -> {
                    n.put("json-type", jsonType(t.name()));
                    n.put("meta-type", "builtin");
                }
                case ENUM -> {
                    ArrayNode ms = n.putArray("members");
                    t.values().forEach(v -> ms.addObject().put("name", v));
                    n.put("meta-type", "enum");
                    ArrayNode vs = n.putArray("values");
                    t.values().forEach(vs::add);
                }
                case ARRAY -> {
                    n.put("element-type", ref(t.element(), names, order));
                    n.put("meta-type", "array");
                }
                case STRUCT -> {
                    ArrayNode ms = n.putArray("members");
                    for (Member m : t.members()) {
                        ObjectNode mn = ms.addObject();
                        mn.put("name", m.name());
                        if (m.optional()) {
                            mn.putNull("default");
                        }
                        mn.put("type", ref(m.type(), names, order));
                    }
                    n.put("meta-type", "object");
                }
            }
            typeEntries.add(n);
        }
        typeEntries.forEach(out::add);
        return out;
    }

    private static void features(ObjectNode n, List<String> features) {
        if (!features.isEmpty()) {
            ArrayNode a = n.putArray("features");
            features.forEach(a::add);
        }
    }

    private String ref(String typeName, Map<String, String> names, List<String> order) {
        Type t = type(typeName);
        String canonical = t.kind() == Kind.BUILTIN ? builtinName(t.name()) : t.name();
        String have = names.get(canonical);
        if (have != null) {
            return have;
        }
        String name;
        if (t.kind() == Kind.BUILTIN) {
            name = canonical;
        } else if (t.kind() == Kind.ARRAY) {
            name = "[" + ref(t.element(), names, order) + "]";
        } else if (t.kind() == Kind.STRUCT && t.members().isEmpty()) {
            name = "0";
            names.put(canonical, name);
            return name;
        } else {
            name = Integer.toString(names.values().stream().filter(v -> v.matches("[0-9]+")).mapToInt(Integer::parseInt)
                    .max().orElse(0) + 1);
        }
        names.put(canonical, name);
        order.add(t.kind() == Kind.BUILTIN ? canonical : t.name());
        return name;
    }

    private static String builtinName(String b) {
        return INTEGERS.contains(b) ? "int" : b;
    }

    private static String jsonType(String b) {
        return switch (b) {
            case "str" -> "string";
            case "int" -> "int";
            case "number" -> "number";
            case "bool" -> "boolean";
            case "null" -> "null";
            default -> "value";
        };
    }
}
