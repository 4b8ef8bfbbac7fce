package dev.machina.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code -device T,help} for the device types QEMU 7.2 has, as QEMU 7.2 prints it: its
 * device-list-properties facts (recorded by tools/qemu72/record_device_properties.py into
 * tools/qemu72/device-properties.json, packaged in the jar) laid out as qdev_device_help and
 * object_property_help (qom/object_interfaces.c) do: {@code   NAME=<TYPE>}, padded to 24 columns and
 * {@code  - } when there is a description or a default, the description, {@code  (default: JSON)};
 * the lines sorted bytewise (qemu_pstrcmp0); "T options:" above them, or "There are no options for T."
 * Machina's own descriptions are in {@code device show}; this is the QEMU-compatible command line.
 */
public final class Qemu72DeviceHelp {
    static final String RESOURCE = "/qemu72/device-properties.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Map<String, List<JsonNode>> types;

    private Qemu72DeviceHelp() {}

    /** The device types QEMU 7.2's -device help lists. */
    public static Set<String> names() {
        return load().keySet();
    }

    /** QEMU 7.2's -device T,help text for a type it has, or empty. */
    public static Optional<String> render(String type) {
        List<JsonNode> props = load().get(type);
        if (props == null) {
            return Optional.empty();
        }
        if (props.isEmpty()) {
            return Optional.of("There are no options for " + type + ".\n");
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode p : props) {
            StringBuilder s = new StringBuilder("  ").append(p.get("name").asText()).append("=<").append(p.get("type").asText()).append('>');
            boolean description = p.has("description");
            boolean defaultValue = p.has("default-value");
            if (description || defaultValue) {
                while (s.length() < 24) {
                    s.append(' ');
                }
                s.append(" - ");
            }
            if (description) {
                s.append(p.get("description").asText());
            }
            if (defaultValue) {
                s.append(" (default: ").append(json(p.get("default-value"))).append(')');
            }
            lines.add(s.toString());
        }
        lines.sort(null); // strcmp order: the lines are ASCII
        StringBuilder out = new StringBuilder(type).append(" options:\n");
        lines.forEach(l -> out.append(l).append('\n'));
        return Optional.of(out.toString());
    }

    /** qobject_to_json of a default: compact JSON. */
    private static String json(JsonNode v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, List<JsonNode>> load() {
        Map<String, List<JsonNode>> t = types;
        if (t != null) {
            return t;
        }
        try (InputStream in = Qemu72DeviceHelp.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("QEMU 7.2's device properties " + RESOURCE + " are not packaged");
            }
            JsonNode all = JSON.readTree(in).get("types");
            t = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) all::fields) {
                JsonNode v = e.getValue();
                List<JsonNode> props = new ArrayList<>();
                if (v.isArray()) {
                    v.forEach(props::add);
                } else {
                    // a CPU type: its base type's list, with the properties whose facts differ, less the ones it lacks
                    Map<String, JsonNode> byName = new LinkedHashMap<>();
                    all.get(v.get("like").asText()).forEach(p -> byName.put(p.get("name").asText(), p));
                    v.get("lacks").forEach(n -> byName.remove(n.asText()));
                    v.get("differs").forEach(p -> byName.put(p.get("name").asText(), p));
                    props.addAll(byName.values());
                }
                t.put(e.getKey(), props);
            }
            types = t;
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
