package dev.machina.cli;

import dev.machina.machine.ResolvedMachine;
import dev.machina.machine.ResolvedMachine.Device;
import dev.machina.machine.ResolvedMachine.DeviceValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The default device graph of a machine type (or the change between two) as a graph: one node per
 * device (type and id; devices without a model in Machina yet dashed), an edge from each bus to
 * the devices on it (labelled with the address), from each device to the children it composes
 * (bus objects such as {@code PIIX3/isa.0}), and from a device to what its link properties name.
 * Rendered as Graphviz DOT (laid out by {@code dot}, see {@link GraphRender}) or as JSON.
 *
 * <p>For two machine types, devices and edges only the second has are added (green), only the
 * first has removed (red), and a device in both lists the properties whose values differ.
 */
final class MachineGraph {
    /** A node: a device, whether it has a model, and (in a diff) its state and changed properties. */
    record Node(String id, String type, String qemuPath, boolean modelled, State state, List<String> changes) {}

    /** An edge: {@code bus} (a bus to a device on it), {@code child} (composition) or {@code link}. */
    record Edge(String from, String to, String kind, String label, State state) {}

    enum State { same, added, removed, changed }

    private final String title;
    private final List<Node> nodes;
    private final List<Edge> edges;

    private MachineGraph(String title, List<Node> nodes, List<Edge> edges) {
        this.title = title;
        this.nodes = nodes;
        this.edges = edges;
    }

    List<Node> nodes() {
        return nodes;
    }

    List<Edge> edges() {
        return edges;
    }

    /** The graph of one machine type; {@code modelled} says which types have a model in Machina. */
    static MachineGraph of(ResolvedMachine m, Set<String> modelled) {
        List<Node> nodes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        for (Device d : devices(m)) {
            nodes.add(new Node(d.id(), d.type(), d.qemuPath(), modelled.contains(d.type()), State.same, List.of()));
        }
        for (Device d : devices(m)) {
            edges.addAll(edgesOf(d, State.same));
        }
        return new MachineGraph(m.name(), nodes, edges);
    }

    /** The change from {@code a} to {@code b}: every device and edge of either, marked. */
    static MachineGraph diff(ResolvedMachine a, ResolvedMachine b, Set<String> modelled) {
        Map<String, Device> left = byId(a);
        Map<String, Device> right = byId(b);
        Map<String, Device> all = new LinkedHashMap<>(left);
        right.forEach(all::putIfAbsent);
        List<Node> nodes = new ArrayList<>();
        for (Device d : all.values()) {
            Device l = left.get(d.id());
            Device r = right.get(d.id());
            State s;
            List<String> changes = new ArrayList<>();
            if (l == null) {
                s = State.added;
            } else if (r == null) {
                s = State.removed;
            } else {
                changes = changes(l, r);
                s = changes.isEmpty() ? State.same : State.changed;
            }
            Device shown = r != null ? r : l;
            nodes.add(new Node(shown.id(), shown.type(), shown.qemuPath(), modelled.contains(shown.type()), s, changes));
        }
        Map<String, Edge> le = new LinkedHashMap<>();
        left.values().forEach(d -> edgesOf(d, State.same).forEach(e -> le.put(key(e), e)));
        Map<String, Edge> re = new LinkedHashMap<>();
        right.values().forEach(d -> edgesOf(d, State.same).forEach(e -> re.put(key(e), e)));
        List<Edge> edges = new ArrayList<>();
        le.forEach((k, e) -> edges.add(re.containsKey(k) ? e : new Edge(e.from(), e.to(), e.kind(), e.label(), State.removed)));
        re.forEach((k, e) -> {
            if (!le.containsKey(k)) {
                edges.add(new Edge(e.from(), e.to(), e.kind(), e.label(), State.added));
            }
        });
        return new MachineGraph(a.name() + " -> " + b.name(), nodes, edges);
    }

    private static String key(Edge e) {
        return e.kind() + "|" + e.from() + "|" + e.to() + "|" + e.label();
    }

    private static List<Device> devices(ResolvedMachine m) {
        if (m.devices() == null) {
            throw new UserError("machine type '" + m.name() + "' has no device graph in the data (QEMU 7.2 does not have it"
                    + " to record); 'machina machine show " + m.name() + "' shows what is known");
        }
        return m.devices();
    }

    private static Map<String, Device> byId(ResolvedMachine m) {
        Map<String, Device> out = new LinkedHashMap<>();
        devices(m).forEach(d -> out.put(d.id(), d));
        return out;
    }

    private static List<Edge> edgesOf(Device d, State s) {
        List<Edge> out = new ArrayList<>();
        if (d.bus() != null) {
            out.add(new Edge(d.bus(), d.id(), "bus", d.address() == null ? "" : d.address(), s));
        } else if (d.parent() != null) {
            out.add(new Edge(d.parent(), d.id(), "child", "", s));
        }
        d.links().forEach((name, target) -> out.add(new Edge(d.id(), target, "link", name, s)));
        return out;
    }

    /** {@code prop: a -> b} for every property whose value differs. */
    private static List<String> changes(Device l, Device r) {
        Map<String, Object> lv = new LinkedHashMap<>();
        l.values().forEach(v -> lv.put(v.property(), v.value()));
        List<String> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (DeviceValue v : r.values()) {
            seen.add(v.property());
            Object before = lv.get(v.property());
            if (!Objects.equals(String.valueOf(before), String.valueOf(v.value()))) {
                out.add(v.property() + ": " + (lv.containsKey(v.property()) ? before : "(absent)") + " -> " + v.value());
            }
        }
        lv.forEach((p, v) -> {
            if (!seen.contains(p)) {
                out.add(p + ": " + v + " -> (absent)");
            }
        });
        if (!Objects.equals(l.type(), r.type())) {
            out.add(0, "type: " + l.type() + " -> " + r.type());
        }
        return out;
    }

    // -- DOT -----------------------------------------------------------------------------------------

    private static final String ADDED = "#1a7f37";
    private static final String REMOVED = "#cf222e";
    private static final String CHANGED = "#9a6700";

    /** Graphviz DOT: left to right, boxes, buses as edges labelled with addresses. */
    String dot() {
        return dot(null);
    }

    /** {@link #dot()} with each node a link to what {@code href} gives for it (none where it gives null). */
    String dot(java.util.function.Function<Node, String> href) {
        StringBuilder b = new StringBuilder();
        b.append("digraph machine {\n");
        b.append("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, label=").append(q(title))
                .append(", labelloc=t, nodesep=0.15, ranksep=0.6];\n");
        b.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f6f8fa\", color=\"#57606a\", fontname=\"Helvetica\","
                + " fontsize=10];\n");
        b.append("  edge [color=\"#57606a\", fontname=\"Helvetica\", fontsize=9, arrowsize=0.6];\n");
        for (Node n : nodes) {
            StringBuilder label = new StringBuilder(n.type());
            if (!n.id().equals(n.type())) {
                label.append("\\n").append(n.id());
            }
            if (!n.modelled()) {
                label.append("\\n(no model yet)");
            }
            for (int i = 0; i < Math.min(n.changes().size(), 6); i++) {
                label.append("\\l").append(n.changes().get(i));
            }
            if (n.changes().size() > 6) {
                label.append("\\l... ").append(n.changes().size() - 6).append(" more");
            }
            if (!n.changes().isEmpty()) {
                label.append("\\l");
            }
            b.append("  ").append(q(n.id())).append(" [id=").append(q("node-" + n.id())).append(", label=\"")
                    .append(esc(label.toString())).append('"');
            if (!n.modelled()) {
                b.append(", style=\"rounded,dashed,filled\"");
            }
            String colour = colour(n.state());
            if (colour != null) {
                b.append(", color=\"").append(colour).append("\", penwidth=2, fontcolor=\"").append(colour).append('"');
            }
            String url = href == null ? null : href.apply(n);
            if (url != null) {
                b.append(", URL=").append(q(url)).append(", target=\"_top\"");
            }
            b.append(", tooltip=").append(q(n.qemuPath() == null ? n.id() : n.qemuPath())).append("];\n");
        }
        for (Edge e : edges) {
            b.append("  ").append(q(e.from())).append(" -> ").append(q(e.to())).append(" [class=").append(q("edge-" + e.kind()));
            if (!e.label().isEmpty()) {
                b.append(", label=").append(q(e.label()));
            }
            if (e.kind().equals("link")) {
                b.append(", style=dashed");
            } else if (e.kind().equals("child")) {
                b.append(", arrowhead=diamond");
            }
            String colour = colour(e.state());
            if (colour != null) {
                b.append(", color=\"").append(colour).append("\", fontcolor=\"").append(colour).append("\", penwidth=2");
            }
            b.append("];\n");
        }
        return b.append("}\n").toString();
    }

    private static String colour(State s) {
        return switch (s) {
            case added -> ADDED;
            case removed -> REMOVED;
            case changed -> CHANGED;
            case same -> null;
        };
    }

    /** A DOT double-quoted string. */
    private static String q(String s) {
        return "\"" + esc(s) + "\"";
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\n", "\\n").replace("\\\\l", "\\l");
    }

    /** The graph as plain data, for scripts. */
    Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", title);
        List<Object> ns = new ArrayList<>();
        for (Node n : nodes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id());
            m.put("type", n.type());
            m.put("qemu-path", n.qemuPath());
            m.put("modelled", n.modelled());
            m.put("state", n.state().name());
            m.put("changes", n.changes());
            ns.add(m);
        }
        List<Object> es = new ArrayList<>();
        for (Edge e : edges) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", e.from());
            m.put("to", e.to());
            m.put("kind", e.kind());
            m.put("label", e.label());
            m.put("state", e.state().name());
            es.add(m);
        }
        root.put("nodes", ns);
        root.put("edges", es);
        return root;
    }
}
