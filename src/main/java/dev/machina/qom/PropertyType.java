package dev.machina.qom;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The type of a QOM property, as a closed set. Each type knows how to parse QEMU's text form, how
 * to take a value from JSON/YAML data, how to print it back canonically and how to describe itself
 * as JSON Schema.
 *
 * <p>Value representation: {@code bool} → {@link Boolean}; integers and {@code size} →
 * {@link Long} (unsigned 64-bit values keep their bit pattern); strings and enums → {@link String};
 * lists → {@code List<Object>}; {@code link<T>} → the target's path as a {@link String} until the
 * object model resolves it; {@code child<T>} values are objects and are never parsed from text.
 */
public sealed interface PropertyType {

    /** The type's name as QEMU's introspection prints it: bool, uint32, size, str, OnOffAuto, link&lt;bus&gt;, … */
    String name();

    /** What a valid text looks like, for error messages. */
    String expectedForm();

    /** Parses QEMU's text form of a value. */
    Object parse(String text) throws BadValue;

    /** Takes a value from parsed JSON/YAML data: a string is parsed as text, natives are checked. */
    default Object fromData(Object data) throws BadValue {
        if (data instanceof String s) {
            return parse(s);
        }
        throw new BadValue("expected " + expectedForm() + ", got " + describe(data), expectedForm());
    }

    /** The canonical text form (what {@code -writeconfig} and {@code device show} print). */
    String format(Object value);

    /** A JSON-ready form: Boolean, Long/BigInteger, String or List. */
    default Object toJson(Object value) {
        return format(value);
    }

    /** This type as a JSON Schema fragment (draft-07). */
    Map<String, Object> jsonSchema();

    private static String describe(Object data) {
        if (data == null) {
            return "null";
        }
        if (data instanceof Map) {
            return "a mapping";
        }
        if (data instanceof List) {
            return "a list";
        }
        return "'" + data + "'";
    }

    /** Schema for "a string matching a pattern". */
    private static Map<String, Object> stringSchema(String pattern) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "string");
        if (pattern != null) {
            m.put("pattern", pattern);
        }
        return m;
    }

    private static Map<String, Object> anyOf(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("anyOf", List.of(a, b));
        return m;
    }

    // ------------------------------------------------------------------------------------------

    /** {@code bool}. */
    record BoolType() implements PropertyType {
        @Override public String name() { return "bool"; }
        @Override public String expectedForm() { return ValueParsers.BOOL_FORM; }
        @Override public Object parse(String text) throws BadValue { return ValueParsers.parseBool(text); }
        @Override public Object fromData(Object data) throws BadValue {
            return data instanceof Boolean b ? b : PropertyType.super.fromData(data);
        }
        @Override public String format(Object value) { return (Boolean) value ? "on" : "off"; }
        @Override public Object toJson(Object value) { return value; }
        @Override public Map<String, Object> jsonSchema() {
            List<String> spellings = new ArrayList<>(ValueParsers.TRUE_SPELLINGS);
            spellings.addAll(ValueParsers.FALSE_SPELLINGS);
            return anyOf(Map.of("type", "boolean"), Map.of("enum", spellings));
        }
    }

    /** {@code int8} … {@code int64}, {@code uint8} … {@code uint64}. */
    record IntType(int bits, boolean signed) implements PropertyType {
        public IntType {
            if (bits != 8 && bits != 16 && bits != 32 && bits != 64) {
                throw new IllegalArgumentException("integer width " + bits);
            }
        }
        @Override public String name() { return (signed ? "int" : "uint") + bits; }
        @Override public String expectedForm() { return ValueParsers.intForm(bits, signed); }
        @Override public Object parse(String text) throws BadValue { return ValueParsers.parseInteger(text, bits, signed); }
        @Override public Object fromData(Object data) throws BadValue {
            if (data instanceof Number num && !(data instanceof Double || data instanceof Float)) {
                return ValueParsers.parseInteger(num.toString(), bits, signed);
            }
            return PropertyType.super.fromData(data);
        }
        @Override public String format(Object value) {
            long v = (Long) value;
            return signed || bits < 64 ? Long.toString(v) : Long.toUnsignedString(v);
        }
        @Override public Object toJson(Object value) {
            long v = (Long) value;
            return !signed && bits == 64 && v < 0 ? new BigInteger(Long.toUnsignedString(v)) : (Object) v;
        }
        @Override public Map<String, Object> jsonSchema() {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("type", "integer");
            n.put("minimum", ValueParsers.min(bits, signed));
            n.put("maximum", ValueParsers.max(bits, signed));
            return anyOf(n, stringSchema("^\\s*[-+]?(0[xX][0-9a-fA-F]+|[0-9]+)$"));
        }
    }

    /** {@code size}: an unsigned 64-bit byte count with K/M/G/T/P/E suffixes. */
    record SizeType() implements PropertyType {
        @Override public String name() { return "size"; }
        @Override public String expectedForm() { return ValueParsers.SIZE_FORM; }
        @Override public Object parse(String text) throws BadValue { return ValueParsers.parseSize(text); }
        @Override public Object fromData(Object data) throws BadValue {
            if (data instanceof Number num && !(data instanceof Double || data instanceof Float)) {
                return ValueParsers.parseSize(num.toString());
            }
            return PropertyType.super.fromData(data);
        }
        @Override public String format(Object value) { return Long.toUnsignedString((Long) value); }
        @Override public Object toJson(Object value) {
            long v = (Long) value;
            return v < 0 ? new BigInteger(Long.toUnsignedString(v)) : (Object) v;
        }
        @Override public Map<String, Object> jsonSchema() {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("type", "integer");
            n.put("minimum", 0);
            return anyOf(n, stringSchema("^\\s*\\+?([0-9]+(\\.[0-9]*)?[kKmMgGtTpPeE]|[0-9]+(\\.0*)?[bB]?|0[xX][0-9a-fA-F]+)$"));
        }
    }

    /**
     * A string; {@code name} is QEMU's label for it ({@code str}, {@code string}, or a qdev kind such
     * as {@code chr}, {@code drive}, {@code netdev}, {@code macaddr}); an optional pattern restricts it.
     */
    record StrType(String name, String pattern, String form) implements PropertyType {
        public StrType {
            Objects.requireNonNull(name);
            if (pattern != null) {
                Pattern.compile(pattern);
            }
        }
        public StrType(String name) { this(name, null, null); }
        @Override public String expectedForm() { return form != null ? form : "a string"; }
        @Override public Object parse(String text) throws BadValue {
            if (pattern != null && !Pattern.matches(pattern, text)) {
                throw new BadValue("does not match the " + name + " format", expectedForm());
            }
            return text;
        }
        @Override public String format(Object value) { return (String) value; }
        @Override public Map<String, Object> jsonSchema() { return stringSchema(pattern == null ? null : "^(" + pattern + ")$"); }
    }

    /** A QAPI enum such as {@code OnOffAuto}: one of a fixed list of names, case-sensitive. */
    record EnumType(String name, List<String> values) implements PropertyType {
        public EnumType {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("enum " + name + " without values");
            }
        }
        @Override public String expectedForm() { return "one of " + String.join(", ", values); }
        @Override public Object parse(String text) throws BadValue {
            if (values.contains(text)) {
                return text;
            }
            throw new BadValue("not a value of " + name, expectedForm());
        }
        @Override public Object fromData(Object data) throws BadValue {
            // YAML reads on/off/yes/no as booleans and 144 as a number: take them by their text
            if (data instanceof Boolean b) {
                return parse(b ? (values.contains("on") ? "on" : "true") : (values.contains("off") ? "off" : "false"));
            }
            if (data instanceof Number num) {
                return parse(num.toString());
            }
            return PropertyType.super.fromData(data);
        }
        @Override public String format(Object value) { return (String) value; }
        @Override public Map<String, Object> jsonSchema() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("enum", values);
            return m;
        }
    }

    /**
     * A list of values of one type. Its text form separates elements with commas; integer lists
     * also take ranges {@code 0-3}, as QEMU's string input visitor does for {@code host-nodes}.
     */
    record ListType(PropertyType element) implements PropertyType {
        /**
         * The most values one {@code lo-hi} range may stand for: QEMU's string input visitor accepts a
         * range only while {@code end < start + 65536} ({@code qapi/string-input-visitor.c}).
         */
        static final int MAX_RANGE_VALUES = 65536;

        @Override public String name() { return "list<" + element.name() + ">"; }
        @Override public String expectedForm() { return "a comma-separated list of " + element.expectedForm(); }
        @Override public Object parse(String text) throws BadValue {
            List<Object> out = new ArrayList<>();
            if (text.isEmpty()) {
                return out;
            }
            for (String part : text.split(",", -1)) {
                int dash = part.indexOf('-', 1);
                if (element instanceof IntType it && dash > 0) {
                    long lo = (Long) it.parse(part.substring(0, dash));
                    long hi = (Long) it.parse(part.substring(dash + 1));
                    if (hi < lo || hi - lo >= MAX_RANGE_VALUES) {
                        throw new BadValue("bad range '" + part + "'", expectedForm());
                    }
                    for (long v = lo; v <= hi; v++) {
                        out.add(v);
                    }
                } else {
                    out.add(element.parse(part));
                }
            }
            return out;
        }
        @Override public Object fromData(Object data) throws BadValue {
            if (data instanceof List<?> list) {
                List<Object> out = new ArrayList<>();
                for (Object o : list) {
                    out.add(element.fromData(o));
                }
                return out;
            }
            return PropertyType.super.fromData(data);
        }
        @Override public String format(Object value) {
            List<String> parts = new ArrayList<>();
            for (Object o : (List<?>) value) {
                parts.add(element.format(o));
            }
            return String.join(",", parts);
        }
        @Override public Object toJson(Object value) {
            List<Object> out = new ArrayList<>();
            for (Object o : (List<?>) value) {
                out.add(element.toJson(o));
            }
            return out;
        }
        @Override public Map<String, Object> jsonSchema() {
            Map<String, Object> arr = new LinkedHashMap<>();
            arr.put("type", "array");
            arr.put("items", element.jsonSchema());
            return anyOf(arr, stringSchema(null));
        }
    }

    /** A QAPI struct value such as the machine's {@code smp} ({@code SMPConfiguration}). */
    record StructType(String name, Map<String, PropertyType> fields) implements PropertyType {
        public StructType {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
        @Override public String expectedForm() { return "a " + name + " with members " + String.join(", ", fields.keySet()); }
        @Override public Object parse(String text) throws BadValue {
            throw new BadValue("a " + name + " is set through its members (e.g. " + fields.keySet().iterator().next() + "=...)", expectedForm());
        }
        @Override public Object fromData(Object data) throws BadValue {
            if (!(data instanceof Map<?, ?> map)) {
                return PropertyType.super.fromData(data);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                PropertyType t = fields.get(key);
                if (t == null) {
                    throw new BadValue("unknown member '" + key + "'" + dev.machina.util.Suggest.didYouMean(key, fields.keySet()), expectedForm());
                }
                out.put(key, t.fromData(e.getValue()));
            }
            return out;
        }
        @Override public String format(Object value) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                parts.add(e.getKey() + "=" + fields.get(String.valueOf(e.getKey())).format(e.getValue()));
            }
            return String.join(",", parts);
        }
        @Override public Object toJson(Object value) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                out.put(String.valueOf(e.getKey()), fields.get(String.valueOf(e.getKey())).toJson(e.getValue()));
            }
            return out;
        }
        @Override public Map<String, Object> jsonSchema() {
            Map<String, Object> props = new LinkedHashMap<>();
            fields.forEach((k, t) -> props.put(k, t.jsonSchema()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "object");
            m.put("properties", props);
            m.put("additionalProperties", false);
            return m;
        }
    }

    /** {@code link<T>}: a reference to another object, given by path, whose type must be T. */
    record LinkType(String target) implements PropertyType {
        @Override public String name() { return "link<" + target + ">"; }
        @Override public String expectedForm() { return "the path or id of a " + target + " object"; }
        @Override public Object parse(String text) throws BadValue {
            if (text.isEmpty()) {
                throw new BadValue("empty path", expectedForm());
            }
            return text;
        }
        @Override public String format(Object value) { return value instanceof QomObject o ? o.path() : (String) value; }
        @Override public Map<String, Object> jsonSchema() { return stringSchema(null); }
    }

    /** {@code child<T>}: an object owned by this one in the composition tree; never set from text. */
    record ChildType(String target) implements PropertyType {
        @Override public String name() { return "child<" + target + ">"; }
        @Override public String expectedForm() { return "a " + target + " object created by its parent"; }
        @Override public Object parse(String text) throws BadValue {
            throw new BadValue("child<" + target + "> properties are created by their parent, not set", expectedForm());
        }
        @Override public String format(Object value) { return value instanceof QomObject o ? o.path() : String.valueOf(value); }
        @Override public Map<String, Object> jsonSchema() { return stringSchema(null); }
    }

    // -- the names used in data files and by QEMU's introspection --------------------------------

    PropertyType BOOL = new BoolType();
    PropertyType SIZE = new SizeType();
    PropertyType STR = new StrType("str");
    /**
     * QEMU's qdev macaddr (set_mac, hw/core/qdev-properties-system.c): six two-digit hex octets, each but the
     * last followed by ':' or '-'.
     */
    PropertyType MACADDR = new StrType("macaddr", "[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}",
            "a MAC address: six hex octets separated by ':' or '-', e.g. 52:54:00:12:34:56");
    PropertyType INT8 = new IntType(8, true);
    PropertyType INT16 = new IntType(16, true);
    PropertyType INT32 = new IntType(32, true);
    PropertyType INT64 = new IntType(64, true);
    PropertyType UINT8 = new IntType(8, false);
    PropertyType UINT16 = new IntType(16, false);
    PropertyType UINT32 = new IntType(32, false);
    PropertyType UINT64 = new IntType(64, false);
    /** QEMU's {@code OnOffAuto}, used by many devices and machines. */
    PropertyType ON_OFF_AUTO = new EnumType("OnOffAuto", List.of("on", "off", "auto"));

    /**
     * The built-in type for a simple name ({@code bool}, {@code uint32}, {@code size}, {@code str},
     * {@code string}, {@code int}, {@code link<T>}, {@code child<T>}, {@code list<T>}), or null when the
     * name needs a declaration (enums, structs, qdev string kinds).
     */
    static PropertyType simple(String name) {
        return switch (name) {
            case "bool", "boolean" -> BOOL;
            case "size" -> SIZE;
            case "str" -> STR;
            case "string" -> new StrType("string");
            case "int8" -> INT8;
            case "int16" -> INT16;
            case "int32" -> INT32;
            case "int64", "int" -> INT64;
            case "uint8" -> UINT8;
            case "uint16" -> UINT16;
            case "uint32" -> UINT32;
            case "uint64" -> UINT64;
            case "OnOffAuto" -> ON_OFF_AUTO;
            default -> {
                if (name.startsWith("link<") && name.endsWith(">")) {
                    yield new LinkType(name.substring(5, name.length() - 1));
                }
                if (name.startsWith("child<") && name.endsWith(">")) {
                    yield new ChildType(name.substring(6, name.length() - 1));
                }
                if (name.startsWith("list<") && name.endsWith(">")) {
                    PropertyType e = simple(name.substring(5, name.length() - 1));
                    yield e == null ? null : new ListType(e);
                }
                yield null;
            }
        };
    }
}
