package dev.machina.qmp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON as QMP speaks it. Input: QEMU's parser also takes single-quoted strings. Output: as QEMU 7.2's
 * {@code qobject_to_json} writes it, {@code ", "} and {@code ": "} between items, non-ASCII characters
 * as {@code \\uXXXX} (all server output is ASCII), members in insertion order.
 */
public final class QmpJson {
    private QmpJson() {}

    /**
     * The mapper that parses what clients send (and reads packaged JSON), made when first asked for: making
     * one takes milliseconds (Jackson's date formats, its type factory) that the greeting, written without
     * it, does not wait for; a probe makes it on the schema's thread meanwhile.
     */
    public static ObjectMapper mapper() {
        return Mapper.MAPPER;
    }

    private static final class Mapper {
        static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                        .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
                        .build())
                .build();
    }

    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Parses one complete JSON value (QEMU's syntax); throws Jackson's exception when it is not one. */
    public static JsonNode parse(String text) throws java.io.IOException {
        try (JsonParser p = mapper().createParser(text)) {
            JsonNode n = mapper().readTree(p);
            if (p.nextToken() != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "trailing input");
            }
            return n;
        }
    }

    /** QEMU's compact form: {@code {"a": 1, "b": [1, 2]}}. */
    public static String write(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        write(n, sb);
        return sb.toString();
    }

    /** QEMU's pretty form (qobject_to_json_pretty, as HMP's qom-get prints): one member per line, 4 spaces a level. */
    public static String writePretty(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        pretty(n, sb, 0);
        return sb.toString();
    }

    private static void pretty(JsonNode n, StringBuilder sb, int level) {
        if ((n.isObject() || n.isArray()) && n.size() > 0) {
            sb.append(n.isObject() ? '{' : '[');
            int i = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.isObject() ? n.fields() : null; it != null && it.hasNext(); i++) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append(i > 0 ? "," : "").append('\n').append("    ".repeat(level + 1));
                string(e.getKey(), sb);
                sb.append(": ");
                pretty(e.getValue(), sb, level + 1);
            }
            if (n.isArray()) {
                for (JsonNode e : n) {
                    sb.append(i++ > 0 ? "," : "").append('\n').append("    ".repeat(level + 1));
                    pretty(e, sb, level + 1);
                }
            }
            sb.append('\n').append("    ".repeat(level)).append(n.isObject() ? '}' : ']');
        } else {
            write(n, sb);
        }
    }

    private static void write(JsonNode n, StringBuilder sb) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                sb.append('{');
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    string(e.getKey(), sb);
                    sb.append(": ");
                    write(e.getValue(), sb);
                }
                sb.append('}');
            }
            case ARRAY -> {
                sb.append('[');
                for (int i = 0; i < n.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    write(n.get(i), sb);
                }
                sb.append(']');
            }
            case STRING -> string(n.textValue(), sb);
            case NULL, MISSING -> sb.append("null");
            // numbers and booleans: asText is their JSON text, and unlike toString needs no ObjectMapper (the greeting has numbers)
            default -> sb.append(n.isFloatingPointNumber() ? g17(n.doubleValue()) : n.asText());
        }
    }

    /**
     * A double as QEMU's qnum_to_string writes it, C's {@code %.17g}: 17 significant digits, trailing zeros
     * dropped, an exponent ({@code e+20}, {@code e-07}) below 1e-4 or from 1e17 up; {@code inf}, {@code nan}
     * for what JSON has no number for (QEMU writes them so).
     */
    static String g17(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN));
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale(); // the decimal exponent of the first digit
        digits = digits.replaceFirst("0+$", "");
        StringBuilder sb = new StringBuilder(v < 0 ? "-" : "");
        if (exp < -4 || exp >= 17) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append(exp < 0 ? "e-" : "e+");
            int a = Math.abs(exp);
            sb.append(a < 10 ? "0" : "").append(a);
        } else if (exp < 0) {
            sb.append("0.").append("0".repeat(-exp - 1)).append(digits);
        } else if (digits.length() <= exp + 1) {
            sb.append(digits).append("0".repeat(exp + 1 - digits.length()));
        } else {
            sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
        }
        return sb.toString();
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
