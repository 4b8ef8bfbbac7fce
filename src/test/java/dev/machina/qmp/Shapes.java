package dev.machina.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the shape of a reply of ours with QEMU's: the same members (names and JSON types) at every
 * level; each element of one of our lists has the shape of some element of QEMU's list (lists are
 * heterogeneous: query-qmp-schema's entries, machines with and without an alias).
 */
final class Shapes {
    private Shapes() {}

    static List<String> problems(JsonNode ours, JsonNode qemu, String where) {
        List<String> out = new ArrayList<>();
        compare(ours, qemu, where, out);
        return out;
    }

    private static void compare(JsonNode ours, JsonNode qemu, String where, List<String> out) {
        if (!type(ours).equals(type(qemu))) {
            out.add(where + ": ours is " + type(ours) + ", QEMU's is " + type(qemu));
            return;
        }
        if (ours.isObject()) {
            Set<String> a = keys(ours);
            Set<String> b = keys(qemu);
            if (!a.equals(b)) {
                out.add(where + ": members " + a + ", QEMU has " + b);
                return;
            }
            for (String k : a) {
                compare(ours.get(k), qemu.get(k), where + "." + k, out);
            }
        } else if (ours.isArray() && qemu.size() > 0 && allObjects(qemu) && allObjects(ours)) {
            // optional members come and go between elements: every member QEMU always sends is there,
            // every member is one QEMU sends somewhere, with a value shaped like one of QEMU's
            Set<String> required = null;
            java.util.Map<String, List<JsonNode>> values = new java.util.TreeMap<>();
            for (JsonNode q : qemu) {
                Set<String> k = keys(q);
                if (required == null) {
                    required = new TreeSet<>(k);
                } else {
                    required.retainAll(k);
                }
                for (String key : k) {
                    List<JsonNode> vs = values.computeIfAbsent(key, x -> new ArrayList<>());
                    // a sample of QEMU's values, with every JSON type QEMU uses for the member
                    if (vs.size() < 20 || vs.stream().noneMatch(v -> type(v).equals(type(q.get(key))))) {
                        vs.add(q.get(key));
                    }
                }
            }
            for (int i = 0; i < ours.size() && out.size() <= 20; i++) {
                JsonNode e = ours.get(i);
                String w = where + "[" + i + "]";
                if (!keys(e).containsAll(required)) {
                    out.add(w + ": lacks " + required + " (has " + keys(e) + ")");
                }
                for (String k : keys(e)) {
                    List<JsonNode> vs = values.get(k);
                    if (vs == null) {
                        out.add(w + ": member " + k + " is never in QEMU's elements " + values.keySet());
                        continue;
                    }
                    List<String> best = null;
                    for (JsonNode v : vs) {
                        List<String> p = new ArrayList<>();
                        compare(e.get(k), v, w + "." + k, p);
                        if (best == null || p.size() < best.size()) {
                            best = p;
                        }
                        if (p.isEmpty()) {
                            break;
                        }
                    }
                    out.addAll(best);
                }
            }
        } else if (ours.isArray() && qemu.size() > 0) {
            for (int i = 0; i < ours.size(); i++) {
                JsonNode e = ours.get(i);
                boolean matched = false;
                List<String> first = null;
                for (JsonNode q : qemu) {
                    List<String> p = new ArrayList<>();
                    compare(e, q, where + "[" + i + "]", p);
                    if (p.isEmpty()) {
                        matched = true;
                        break;
                    }
                    if (first == null || p.size() < first.size()) {
                        first = p;
                    }
                }
                if (!matched) {
                    out.add(where + "[" + i + "] " + e + " matches no element of QEMU's list; nearest: " + first);
                    if (out.size() > 20) {
                        return;
                    }
                }
            }
        }
    }

    private static boolean allObjects(JsonNode a) {
        for (JsonNode n : a) {
            if (!n.isObject()) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> s = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            s.add(it.next());
        }
        return s;
    }

    private static String type(JsonNode n) {
        if (n.isIntegralNumber()) {
            return "int";
        }
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
