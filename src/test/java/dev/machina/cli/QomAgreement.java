package dev.machina.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares what a real QEMU 7.2 reported for the objects of one machine (qom-get values, by QOM path)
 * with what {@code machina machine show NAME --format json --provenance} reports for the same paths.
 * Used by the agreement tests; it knows no expected values of its own.
 */
final class QomAgreement {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One property QEMU reported, and what happened to it. */
    record Row(String machine, String path, String type, String property, JsonNode qemu, JsonNode ours, String from) {
        @Override
        public String toString() {
            return machine + " " + path + " (" + type + ") " + property + ": QEMU " + qemu + ", machina " + ours
                    + (from == null ? "" : " [" + from + "]");
        }
    }

    /** Everything one comparison found. */
    static final class Result {
        final List<Row> agree = new ArrayList<>();
        final List<Row> disagree = new ArrayList<>();
        /** Properties machina gives no value for, by "type.property". */
        final Map<String, List<Row>> uncovered = new TreeMap<>();
        /** Objects whose type the catalog does not know, by path. */
        final List<String> unknownTypes = new ArrayList<>();
        /** Properties QEMU could not read back. */
        final List<String> unreadable = new ArrayList<>();
        /** Objects of known types the graph lacks. */
        final List<String> missingObjects = new ArrayList<>();
    }

    /** {@code machine show} as JSON, through the command line with a shared context. */
    static JsonNode show(Context context, String machine, String... more) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("machine", "show", machine, "--format", "json", "--provenance"));
        args.addAll(List.of(more));
        int code = Main.run(args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), context);
        if (code != 0) {
            throw new AssertionError("machine show " + machine + " exited " + code + ": " + err.toString(StandardCharsets.UTF_8));
        }
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    /**
     * @param objects path → {"type": T, "values": {property: value}} as QEMU reported them
     * @param shown   machine show's JSON for the same machine
     */
    static Result compare(String machine, JsonNode objects, JsonNode shown, Context context) {
        Result r = new Result();
        Map<String, JsonNode> byPath = new TreeMap<>();
        for (JsonNode d : shown.get("devices")) {
            if (d.hasNonNull("qemu-path")) {
                byPath.put(d.get("qemu-path").asText(), d);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = objects.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> o = it.next();
            String path = o.getKey();
            String type = o.getValue().get("type").asText();
            if (context.registry().find(type).isEmpty() || type.equals("container")) {
                r.unknownTypes.add(path + " (" + type + ")");
                continue;
            }
            JsonNode dev = byPath.get(path);
            if (dev == null) {
                r.missingObjects.add(path + " (" + type + ")");
                continue;
            }
            JsonNode values = o.getValue().get("values");
            for (Iterator<Map.Entry<String, JsonNode>> pv = values.fields(); pv.hasNext(); ) {
                Map.Entry<String, JsonNode> e = pv.next();
                String prop = e.getKey();
                JsonNode qemu = e.getValue();
                if (qemu.isObject() && qemu.size() == 1 && qemu.has("error")) {
                    r.unreadable.add(path + " " + prop); // qom-get failed ("not readable"): nothing to compare
                    continue;
                }
                JsonNode ours;
                String from;
                JsonNode shownAddr = dev.path("properties").path("addr").path("value");
                if (prop.equals("addr") && shownAddr.isTextual() && shownAddr.asText().matches("[0-9a-f]{2}\\.[0-7]")) {
                    // machine show gives a PCI device's addr as QEMU's -device addr=, "slot.function" in hex,
                    // where qom-get reads the devfn; it must also be the device's bus address
                    String[] a = shownAddr.asText().split("\\.");
                    ours = JSON.getNodeFactory().numberNode(Integer.parseInt(a[0], 16) * 8 + Integer.parseInt(a[1]));
                    from = dev.path("properties").path("addr").path("from").asText();
                    if (!shownAddr.asText().equals(dev.path("address").asText())) {
                        r.disagree.add(new Row(machine, path, type, "addr (against address " + dev.path("address").asText() + ")",
                                qemu, shownAddr, from));
                    }
                } else {
                    JsonNode p = dev.get("properties").get(prop);
                    if (p == null) {
                        r.uncovered.computeIfAbsent(type + "." + prop, k -> new ArrayList<>())
                                .add(new Row(machine, path, type, prop, qemu, null, null));
                        continue;
                    }
                    ours = p.get("value");
                    from = p.get("from").asText();
                }
                Row row = new Row(machine, path, type, prop, qemu, ours, from);
                (same(qemu, ours) ? r.agree : r.disagree).add(row);
            }
        }
        return r;
    }

    /** JSON equality with numbers compared by value (QEMU writes every integer width as a JSON int). */
    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.bigIntegerValue().equals(b.bigIntegerValue());
        }
        return a.equals(b);
    }
}
