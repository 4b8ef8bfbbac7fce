package dev.machina.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of {@code -blockdev}, {@code -netdev} and {@code -object} checked against QEMU 7.2's
 * QAPI schema, as QEMU's input visitors check them, with QEMU's messages. The schema is the one QEMU
 * 7.2 itself reports ({@code query-qmp-schema}, recorded by tools/qemu72/record_qmp_schema.py into
 * tools/qemu72/qmp-schema.json, packaged in the jar): object types with their members (optional when
 * they have a "default"), flat unions (a "tag" and "variants"), enums, alternates, arrays, builtins.
 *
 * <p>The visit follows qapi-visit's generated code: members in declaration order (a missing mandatory
 * member is reported when its turn comes), then the variant branch the tag selects, then the members
 * nobody visited ("is unexpected") when the struct ends. The first error stops the visit, as
 * {@code &error_fatal} does.
 *
 * <p>Three readers, as in QEMU 7.2:
 * <ul>
 * <li>{@link Reader#JSON}: a JSON argument, typed (qobject-input-visitor.c, strict);</li>
 * <li>{@link Reader#KEYVAL}: {@code -blockdev} and {@code -audiodev} key=value, {@code [object]} in a
 *     file: every scalar is text, parsed per the member's type (the visitor's keyval mode);</li>
 * <li>{@link Reader#OPTS}: {@code -netdev} and {@code -object} key=value (QemuOpts and opts-visitor.c:
 *     flat, a list is a repeated key, an unknown key is "Invalid parameter").</li>
 * </ul>
 * {@code -audiodev} and {@code -chardev} are not checked here: QEMU 7.2's introspection does not
 * include Audiodev (query-audiodevs came in 8.0), and its {@code -chardev} is QemuOpts read by each
 * backend's own parse function, not a QAPI visit.
 */
public final class QapiCheck {
    public static final String RESOURCE = "/qemu72/qmp-schema.json";

    public enum Reader { JSON, KEYVAL, OPTS }

    /** The roots: the argument type of the QMP command each option feeds. */
    public enum Root {
        BLOCKDEV("blockdev-add", null), NETDEV("netdev_add", null), OBJECT("object-add", null),
        /** -numa: parse_numa visits NumaOptions, set-numa-node's argument, with the opts visitor */
        NUMA("set-numa-node", null),
        /** -audiodev: audio_parse_option visits an Audiodev (not a QMP argument in 7.2: {@link #AUDIO_RESOURCE}) */
        AUDIODEV(null, "Audiodev"),
        /**
         * -display: parse_display_qapi (softmmu/vl.c) visits a DisplayOptions, which 7.2's schema holds as the
         * return type of query-display-options
         */
        DISPLAY("query-display-options", null, true);

        final String command;
        final String type;
        final boolean returned;

        Root(String command, String type) {
            this(command, type, false);
        }

        Root(String command, String type, boolean returned) {
            this.command = command;
            this.type = type;
            this.returned = returned;
        }
    }

    /**
     * The names of the alternates, which QEMU's "expected: NAME" message uses but introspection masks
     * (qapi/block-core.json, qapi/block-core.json, qapi/block-core.json, qapi/block-core.json,
     * qapi/common.json of QEMU 7.2; recognised by their branches).
     */
    private static final Map<String, String> ALTERNATE_NAMES = Map.of(
            "str|37", "BlockDirtyBitmapMergeSource",
            "str|null", "StrOrNull",
            "49|str", "BlockdevRef",
            "49|str|null", "BlockdevRefOrNull",
            "639|640", "Qcow2OverlapChecks");

    private static volatile QapiCheck packaged;

    public static final String INT_RESOURCE = "/qemu72/qapi-int-types.json";

    /**
     * QEMU 7.2's Audiodev (qapi/audio.json), in the introspection form with its own type names: 7.2's
     * query-qmp-schema does not report it, so it is transcribed (tools/qemu72/audiodev-schema.json) and
     * checked against QEMU 7.2's answers (tests/qemu72/qapi-errors, the -audiodev cases).
     */
    public static final String AUDIO_RESOURCE = "/qemu72/audiodev-schema.json";

    /**
     * The integer widths of set-numa-node's NumaOptions (qapi/machine.json of QEMU 7.2, transcribed:
     * set-numa-node works only in preconfig, which tools/qemu72/record_qapi_ints.py does not probe).
     */
    public static final String NUMA_INT_RESOURCE = "/qemu72/qapi-int-types-numa.json";

    private final Map<String, JsonNode> types = new HashMap<>();
    /** "TYPE.member" → int8..uint64 or size: what introspection reports as "int" (tools/qemu72/record_qapi_ints.py). */
    private final Map<String, String> ints = new HashMap<>();
    private final Map<Root, String> roots = new LinkedHashMap<>();

    private QapiCheck(JsonNode schema, JsonNode intTypes, JsonNode audio, JsonNode numaInts) {
        intTypes.fields().forEachRemaining(f -> ints.put(f.getKey(), f.getValue().asText()));
        numaInts.fields().forEachRemaining(f -> ints.put(f.getKey(), f.getValue().asText()));
        audio.get("int-types").fields().forEachRemaining(f -> ints.put(f.getKey(), f.getValue().asText()));
        for (JsonNode e : schema) {
            types.put(e.get("name").asText(), e);
        }
        for (JsonNode e : audio.get("schema")) {
            if (types.putIfAbsent(e.get("name").asText(), e) != null) {
                throw new IllegalStateException(AUDIO_RESOURCE + ": type " + e.get("name").asText() + " is also in " + RESOURCE);
            }
        }
        for (String key : (Iterable<String>) numaInts::fieldNames) {
            String type = key.substring(0, key.indexOf('.'));
            String member = key.substring(key.indexOf('.') + 1).replace("[]", "");
            JsonNode t = types.get(type);
            boolean found = false;
            for (JsonNode m : t == null ? JsonNodeFactory.instance.arrayNode() : t.path("members")) {
                found |= m.get("name").asText().equals(member) && m.get("type").asText().matches("\\[?int]?");
            }
            if (!found) {
                throw new IllegalStateException(NUMA_INT_RESOURCE + ": " + key + " is no integer member of " + RESOURCE);
            }
        }
        for (Root r : Root.values()) {
            if (r.type != null) {
                roots.put(r, r.type);
                continue;
            }
            JsonNode c = types.get(r.command);
            String field = r.returned ? "ret-type" : "arg-type";
            if (c == null || !c.has(field)) {
                throw new IllegalStateException("QEMU 7.2's schema has no command " + r.command);
            }
            roots.put(r, c.get(field).asText());
        }
    }

    /** QEMU 7.2's schema as packaged in the jar. */
    public static QapiCheck packaged() {
        QapiCheck q = packaged;
        if (q == null) {
            try (InputStream in = QapiCheck.class.getResourceAsStream(RESOURCE);
                    InputStream widths = QapiCheck.class.getResourceAsStream(INT_RESOURCE);
                    InputStream audio = QapiCheck.class.getResourceAsStream(AUDIO_RESOURCE);
                    InputStream numa = QapiCheck.class.getResourceAsStream(NUMA_INT_RESOURCE)) {
                if (in == null || widths == null || audio == null || numa == null) {
                    throw new IllegalStateException("QEMU 7.2's QAPI schema " + RESOURCE + " is not packaged");
                }
                ObjectMapper m = new ObjectMapper();
                q = new QapiCheck(m.readTree(in).get("schema"), m.readTree(widths).get("types"), m.readTree(audio),
                        m.readTree(numa).get("types"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            packaged = q;
        }
        return q;
    }

    /** The schema root of a group's arguments, for the groups QEMU 7.2 reads through QAPI. */
    public static Optional<Root> root(String group) {
        return switch (group) {
            case "machina-blockdev" -> Optional.of(Root.BLOCKDEV);
            case "netdev" -> Optional.of(Root.NETDEV);
            case "object" -> Optional.of(Root.OBJECT);
            case "machina-audiodev" -> Optional.of(Root.AUDIODEV);
            case "numa" -> Optional.of(Root.NUMA);
            case "machina-display" -> Optional.of(Root.DISPLAY);
            case "machina-audio" -> Optional.of(Root.AUDIODEV); // -audio: the Audiodev without model (ConfigValidator.qapi)
            case "net", "nic" -> Optional.of(Root.NETDEV); // net_client_init visits a Netdev for -net and -nic too (ConfigValidator.qapi)
            default -> Optional.empty();
        };
    }

    /** Whether QEMU 7.2's schema knows a value of the tag of a root (ObjectOptions' qom-type, ...). */
    public boolean knows(Root root, String tag) {
        JsonNode t = types.get(roots.get(root));
        for (JsonNode m : t.get("members")) {
            if (m.get("name").asText().equals(t.get("tag").asText())) {
                for (JsonNode v : types.get(m.get("type").asText()).get("values")) {
                    if (v.asText().equals(tag)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * What QEMU 7.2 refuses.
     *
     * @param message QEMU's words
     * @param key     the key (dotted, keyval's spelling) the error is about, "" for the whole option
     * @param fix     what would be right
     */
    public record Refusal(String message, String key, String fix) {}

    /** The first error QEMU 7.2 would report for these arguments, in its words, or empty. */
    public Optional<Refusal> check(Root root, JsonNode args, Reader reader) {
        try {
            new Visit(reader).struct(types.get(roots.get(root)), args, "");
            return Optional.empty();
        } catch (Refused r) {
            return Optional.of(new Refusal(r.getMessage(), r.path.replaceAll("\\[(\\d+)\\]", ".$1"), r.fix));
        }
    }

    /**
     * A section's entries as the tree a visitor sees: dotted keys nest, numeric components make
     * lists ({@code a.0}, as keyval_parse does), and a key given more than once is a list (QemuOpts'
     * repeated options, which the opts visitor reads as a list).
     */
    public static ObjectNode tree(List<Entry> entries, Optional<String> id) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        Map<String, Integer> counts = new HashMap<>();
        for (Entry e : entries) {
            counts.merge(e.key(), 1, Integer::sum);
        }
        if (id.isPresent() && !counts.containsKey("id")) {
            root.put("id", id.get());
        }
        for (Entry e : entries) {
            String[] parts = e.key().split("\\.", -1);
            JsonNode node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                ObjectNode o = (ObjectNode) node;
                JsonNode next = o.get(parts[i]);
                if (next == null || !next.isObject()) {
                    next = JsonNodeFactory.instance.objectNode();
                    o.set(parts[i], next);
                }
                node = next;
            }
            ObjectNode parent = (ObjectNode) node;
            String last = parts[parts.length - 1];
            if (counts.get(e.key()) > 1) {
                JsonNode list = parent.get(last);
                if (list == null || !list.isArray()) {
                    list = JsonNodeFactory.instance.arrayNode();
                    parent.set(last, list);
                }
                ((ArrayNode) list).add(e.value());
            } else if (!parent.has(last)) {
                parent.put(last, e.value());
            }
        }
        return listify(root);
    }

    /** Objects whose keys are all 0, 1, ... n-1 become arrays (keyval_listify). */
    private static ObjectNode listify(ObjectNode o) {
        Iterator<Map.Entry<String, JsonNode>> it = o.fields();
        Map<String, JsonNode> replace = new LinkedHashMap<>();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isObject()) {
                ObjectNode child = listify((ObjectNode) f.getValue());
                Optional<ArrayNode> list = asList(child);
                replace.put(f.getKey(), list.isPresent() ? list.get() : child);
            }
        }
        replace.forEach(o::set);
        return o;
    }

    private static Optional<ArrayNode> asList(ObjectNode o) {
        if (o.isEmpty()) {
            return Optional.empty();
        }
        int n = o.size();
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < n; i++) {
            JsonNode v = o.get(Integer.toString(i));
            if (v == null) {
                return Optional.empty();
            }
            a.add(v);
        }
        return Optional.of(a);
    }

    private static final java.util.regex.Pattern INTEGER =
            java.util.regex.Pattern.compile("\\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)");

    /**
     * {@code qemu_strtoi64}/{@code qemu_strtou64} with base 0: blanks before, a sign, hex, octal or
     * decimal, nothing after; out of 64 bits is an error; a negative unsigned value wraps (strtoull).
     */
    static Optional<BigInteger> integer(String s, boolean unsigned) {
        java.util.regex.Matcher m = INTEGER.matcher(s);
        if (!m.matches()) {
            return Optional.empty();
        }
        String digits = m.group(2);
        BigInteger b = digits.startsWith("0x") || digits.startsWith("0X") ? new BigInteger(digits.substring(2), 16)
                : digits.length() > 1 && digits.charAt(0) == '0' ? new BigInteger(digits.substring(1), 8) : new BigInteger(digits);
        boolean negative = m.group(1).equals("-");
        if (unsigned) {
            if (b.bitLength() > 64) {
                return Optional.empty();
            }
            return Optional.of(negative && b.signum() > 0 ? BigInteger.ONE.shiftLeft(64).subtract(b) : b);
        }
        b = negative ? b.negate() : b;
        return b.bitLength() > 63 ? Optional.empty() : Optional.of(b);
    }

    /** A refusal: the message is QEMU's. */
    private static final class Refused extends RuntimeException {
        final String path;
        final String fix;

        Refused(String message, String path, String fix) {
            super(message, null, false, false);
            this.path = path;
            this.fix = fix;
        }
    }

    private final class Visit {
        final Reader reader;

        Visit(Reader reader) {
            this.reader = reader;
        }

        /** The name a visit_type_* error gives (qapi-visit-core.c): the member's own, "null" for a list element. */
        private String bare(String path) {
            if (path.endsWith("]") || inList) {
                return "null";
            }
            return path.substring(path.lastIndexOf('.') + 1);
        }

        private static String child(String path, String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        private Refused type(String path, String expected) {
            return new Refused("Invalid parameter type for '" + path + "', expected: " + expected, path, switch (expected) {
                case "integer", "number" -> "write a number" + (reader == Reader.JSON ? " without quotes" : "");
                case "boolean" -> reader == Reader.JSON ? "write true or false" : "write on or off";
                case "string" -> reader == Reader.JSON ? "write a string in quotes" : "write one value, not sub-keys";
                case "object" -> reader == Reader.JSON ? "write an object {...}" : "write it as " + path + ".KEY=VALUE";
                case "array" -> reader == Reader.JSON ? "write a list [...]" : "write it as " + path + ".0=..., " + path + ".1=...";
                case "null" -> "write null";
                default -> "write one of the forms of " + expected;
            });
        }

        private Refused value(String path, String expected) {
            return new Refused("Parameter '" + path + "' expects " + expected, path, expected.contains("size")
                    ? "write a size such as 64M" : expected.contains("'on'") ? "write on or off"
                    : expected.matches("u?int\\d+") && reader == Reader.JSON && !expected.endsWith("64") ? "write a number in the range of a " + expected
                    : "write a number" + (reader == Reader.JSON ? " without quotes" : ""));
        }

        /** An object type's members, its variant's, then what is left over. */
        void struct(JsonNode type, JsonNode node, String path) {
            if (!node.isObject()) {
                throw type(path.isEmpty() ? "null" : path, "object");
            }
            Set<String> visited = new HashSet<>();
            members(type, node, path, visited);
            if (reader == Reader.OPTS && !path.isEmpty()) {
                return; // the opts visitor is flat: a nested struct reads the same options, checked once at the top
            }
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!visited.contains(n)) {
                    List<String> known = visited.stream().sorted().toList();
                    String fix = dev.machina.util.Suggest.closest(n, known, 3).stream().findFirst().map(x -> "did you mean '" + x + "'? ")
                            .orElse("") + "this takes " + String.join(", ", known);
                    throw reader == Reader.OPTS ? new Refused("Invalid parameter '" + n + "'", n, fix)
                            : new Refused("Parameter '" + child(path, n) + "' is unexpected", child(path, n), fix);
                }
            }
        }

        private void members(JsonNode type, JsonNode node, String path, Set<String> visited) {
            for (JsonNode m : type.get("members")) {
                String name = m.get("name").asText();
                JsonNode v = node.get(name);
                visited.add(name);
                if (v == null) {
                    if (!m.has("default")) {
                        throw new Refused("Parameter '" + child(path, name) + "' is missing", "", "give " + child(path, name));
                    }
                    continue;
                }
                value(m.get("type").asText(), v, child(path, name), ints.getOrDefault(type.get("name").asText() + "." + name, "int64"),
                        ints.getOrDefault(type.get("name").asText() + "." + name + "[]", "int64"));
            }
            if (type.has("tag")) {
                String tag = node.path(type.get("tag").asText()).asText();
                for (JsonNode variant : type.path("variants")) {
                    if (variant.get("case").asText().equals(tag)) {
                        members(types.get(variant.get("type").asText()), node, path, visited);
                    }
                }
            }
        }

        /** @param width what an integer is (int8..uint64, size); elementWidth the same for a list's elements */
        void value(String typeName, JsonNode v, String path, String width, String elementWidth) {
            JsonNode t = types.get(typeName);
            String meta = t.get("meta-type").asText();
            switch (meta) {
                case "builtin" -> builtin(t.get("json-type").asText(), typeName.equals("int") ? width : typeName, v, path);
                case "enum" -> {
                    String s = string(v, path);
                    List<String> values = new java.util.ArrayList<>();
                    t.get("values").forEach(e -> values.add(e.asText()));
                    if (!values.contains(s)) {
                        // input_type_enum names the member, not its path (a list element: "null")
                        throw new Refused("Parameter '" + bare(path) + "' does not accept value '" + s + "'", path,
                                dev.machina.util.Suggest.closest(s, values, 3).stream().findFirst().map(x -> "did you mean '" + x + "'? ")
                                        .orElse("") + "QEMU 7.2 takes " + (values.size() <= 16 ? String.join(", ", values)
                                        : String.join(", ", values.subList(0, 16)) + ", ... (" + values.size() + " in all)"));
                    }
                }
                case "array" -> {
                    if (!v.isArray()) {
                        if (reader == Reader.OPTS) {
                            element(t.get("element-type").asText(), v, path, elementWidth);
                            return;
                        }
                        throw type(path, "array");
                    }
                    for (int i = 0; i < v.size(); i++) {
                        element(t.get("element-type").asText(), v.get(i), path + "[" + i + "]", elementWidth);
                    }
                }
                case "object" -> {
                    if (reader == Reader.OPTS && !v.isObject()) {
                        throw type(path, "object");
                    }
                    struct(t, v, path);
                }
                case "alternate" -> alternate(t, v, path);
                default -> throw new IllegalStateException("QAPI meta-type " + meta);
            }
        }

        /** Whether an opts-visitor list element is being read (its integers may be ranges, "0-3"). */
        private boolean inList;

        /** A list element: the opts visitor reads a struct of one member (String, e.g. hostfwd) from the option itself. */
        private void element(String typeName, JsonNode v, String path, String width) {
            if (reader == Reader.OPTS) {
                inList = true;
                try {
                    element0(typeName, v, path, width);
                } finally {
                    inList = false;
                }
                return;
            }
            element0(typeName, v, path, width);
        }

        private void element0(String typeName, JsonNode v, String path, String width) {
            JsonNode t = types.get(typeName);
            if (reader == Reader.OPTS && t != null && t.get("meta-type").asText().equals("object") && !v.isObject()
                    && t.get("members").size() == 1) {
                value(t.get("members").get(0).get("type").asText(), v, path, "int64", "int64");
                return;
            }
            value(typeName, v, path, width, "int64");
        }

        private String string(JsonNode v, String path) {
            if (!v.isTextual()) {
                throw type(path, "string");
            }
            return v.asText();
        }

        private void alternate(JsonNode t, JsonNode v, String path) {
            StringBuilder key = new StringBuilder();
            for (JsonNode m : t.get("members")) {
                key.append(key.length() == 0 ? "" : "|").append(m.get("type").asText());
            }
            String name = ALTERNATE_NAMES.getOrDefault(key.toString(), t.get("name").asText());
            for (JsonNode m : t.get("members")) {
                String branch = m.get("type").asText();
                JsonNode bt = types.get(branch);
                String json = bt == null ? "" : bt.get("meta-type").asText().equals("builtin") ? bt.get("json-type").asText()
                        : bt.get("meta-type").asText().equals("enum") ? "string" : bt.get("meta-type").asText();
                boolean matches = switch (json) {
                    case "string" -> v.isTextual();
                    case "int" -> v.isIntegralNumber();
                    case "number" -> v.isNumber();
                    case "boolean" -> v.isBoolean();
                    case "null" -> v.isNull() || (reader != Reader.JSON && v.isTextual() && v.asText().isEmpty());
                    case "object" -> v.isObject();
                    case "array" -> v.isArray();
                    default -> false;
                };
                if (matches) {
                    value(branch, v, path, "int64", "int64");
                    return;
                }
            }
            throw type(path, name);
        }

        private void builtin(String json, String name, JsonNode v, String path) {
            if (name.equals("any")) {
                return;
            }
            if (reader == Reader.JSON) {
                jsonScalar(json, name, v, path);
            } else {
                textScalar(name, v, path);
            }
        }

        private void jsonScalar(String json, String name, JsonNode v, String path) {
            switch (json) {
                case "string" -> string(v, path);
                case "boolean" -> {
                    if (!v.isBoolean()) {
                        throw type(path, "boolean");
                    }
                }
                case "null" -> {
                    if (!v.isNull()) {
                        throw type(path, "null");
                    }
                }
                case "number" -> {
                    if (!v.isNumber()) {
                        throw type(path, "number");
                    }
                }
                case "int" -> {
                    if (name.startsWith("uint") || name.equals("size")) {
                        // qobject_input_type_uint64 (size and uintN go through it): a negative int64 wraps
                        if (!v.isIntegralNumber() || v.bigIntegerValue().bitLength() > 64
                                || (v.bigIntegerValue().signum() > 0 && v.bigIntegerValue().bitLength() > 64)) {
                            throw value(path, "uint64");
                        }
                        BigInteger b = v.bigIntegerValue();
                        if (b.signum() < 0 && b.bitLength() > 63) {
                            throw value(path, "uint64");
                        }
                        range(name, b.signum() < 0 ? b.add(BigInteger.ONE.shiftLeft(64)) : b, path);
                    } else {
                        if (!v.isIntegralNumber() || v.bigIntegerValue().bitLength() > 63) {
                            throw type(path, "integer");
                        }
                        range(name, v.bigIntegerValue(), path);
                    }
                }
                default -> throw new IllegalStateException("QAPI json-type " + json);
            }
        }

        /** visit_type_intN/uintN: the value read as 64 bits, then the range of the narrower type. */
        private void range(String name, BigInteger b, String path) {
            if (name.equals("int") || name.equals("int64") || name.equals("uint64") || name.equals("size")) {
                return;
            }
            int bits = Integer.parseInt(name.replaceAll("\\D", ""));
            boolean unsigned = name.startsWith("u");
            BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
            BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            if (b.compareTo(min) < 0 || b.compareTo(max) > 0) {
                // visit_type_intN/uintN: "Parameter 'NAME' expects uint32_t", the member's own name
                throw new Refused("Parameter '" + bare(path) + "' expects " + name + "_t", path, "write a number in the range of a " + name);
            }
        }

        /**
         * opts-visitor.c's opts_type_int64/uint64: a number (an unsigned one without a sign, parse_uint),
         * and in a list also a range LOW-HIGH of fewer than 65536 values (OPTS_VISITOR_RANGE_MAX), each
         * of which must fit the element type; the error names the option and says "or range" in a list.
         */
        private void opts(String name, String s, String path, boolean unsigned) {
            String option = path.replaceAll("\\[\\d+]$", "");
            String expects = (unsigned ? "a uint64 value" : "an int64 value") + (inList ? " or range" : "");
            Optional<BigInteger> n = optsInteger(s, unsigned);
            if (n.isPresent()) {
                range(name, n.get(), path);
                return;
            }
            int dash = inList ? s.indexOf('-', 1) : -1;
            if (dash > 0) {
                Optional<BigInteger> lo = optsInteger(s.substring(0, dash), unsigned);
                Optional<BigInteger> hi = optsInteger(s.substring(dash + 1), unsigned);
                if (lo.isPresent() && hi.isPresent() && lo.get().compareTo(hi.get()) <= 0
                        && hi.get().subtract(lo.get()).compareTo(BigInteger.valueOf(65536)) < 0) {
                    range(name, lo.get(), path);
                    range(name, hi.get(), path);
                    return;
                }
            }
            throw new Refused("Parameter '" + option + "' expects " + expects, option, "write a number" + (inList ? " or a range such as 0-3" : ""));
        }

        private static Optional<BigInteger> optsInteger(String s, boolean unsigned) {
            if (unsigned && s.strip().startsWith("-")) {
                return Optional.empty();
            }
            return integer(s, unsigned);
        }

        /** The keyval and opts readers: the text parsed as the member's type. */
        private void textScalar(String name, JsonNode v, String path) {
            if (!v.isTextual()) {
                // a dotted key where a scalar belongs ("a.b=1" for a string member)
                throw type(path, switch (name) {
                    case "str" -> "string";
                    case "bool" -> "boolean";
                    case "number" -> "number";
                    case "null" -> "null";
                    default -> "integer";
                });
            }
            String s = v.asText();
            switch (name) {
                case "str" -> { }
                case "bool" -> {
                    if (QemuValues.check(OptionGroup.ParamType.BOOL, s) != null) {
                        throw value(path, "'on' or 'off'");
                    }
                }
                case "null" -> {
                    if (!s.isEmpty()) {
                        throw type(path, "null");
                    }
                }
                case "number" -> {
                    try {
                        double d = Double.parseDouble(s.strip());
                        if (Double.isInfinite(d) || Double.isNaN(d)) {
                            throw new NumberFormatException();
                        }
                    } catch (NumberFormatException x) {
                        throw value(path, "number");
                    }
                }
                case "size" -> {
                    if (!QemuValues.size72(s)) {
                        throw value(path, reader == Reader.OPTS ? "a size value" : "size");
                    }
                }
                default -> {
                    boolean unsigned = name.startsWith("u");
                    if (reader == Reader.OPTS) {
                        opts(name, s, path, unsigned);
                        return;
                    }
                    Optional<BigInteger> n = integer(s, unsigned);
                    if (n.isEmpty()) {
                        throw value(path, "integer");
                    }
                    range(name, n.get(), path);
                }
            }
        }
    }
}
