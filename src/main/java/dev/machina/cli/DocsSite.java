package dev.machina.cli;

import dev.machina.machine.Declarations.CompatEntry;
import dev.machina.machine.Declarations.CompatSet;
import dev.machina.machine.MachineCatalog;
import dev.machina.machine.MachineDiff;
import dev.machina.machine.MachineTable;
import dev.machina.machine.ResolvedMachine;
import dev.machina.machine.ResolvedMachine.CompatOrigin;
import dev.machina.machine.ResolvedMachine.Device;
import dev.machina.machine.ResolvedMachine.DeviceValue;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.TypeRegistry;
import dev.machina.vm.BuiltMachine;
import dev.machina.vm.CompatProbe;
import dev.machina.vm.MachineReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The static HTML reference {@code machina docs} writes, made from the data alone: a page per
 * machine type (options with where they come from, the compat sets it applies and what they make of
 * each property, every device's effective values, the device graph as inline SVG, and what changed
 * since the previous version of its family), a page per such change with the graph of the change, a
 * page per device type and per compat set, and an index whose search runs in the browser. Every
 * link is relative and every resource a file beside the pages, so it works from {@code file://}
 * without a server or a network.
 *
 * <p>Every value comes from the VM builder's dry run of each machine type, as {@code machine show}
 * and {@code machine diff} print it; the graphs are {@link MachineGraph}'s, drawn by Graphviz in
 * parallel batches ({@link GraphRender#renderAllSvg}).
 */
final class DocsSite {
    /** What was written, for the command's last line. */
    record Stats(int machines, int diffs, int types, int compatSets, int graphs, int files, String graphsMissing,
                 double loadSeconds, double drawSeconds, double pageSeconds) {}

    /** One machine type and what its pages need. */
    private static final class M {
        final MachineTable.Summary summary;
        final ResolvedMachine r;
        final CompatProbe probe;
        final MachineDiff.Column column;
        M previous;
        M next;
        MachineDiff diff;
        String svg;
        String diffSvg;

        M(MachineTable.Summary summary, ResolvedMachine r, CompatProbe probe, MachineDiff.Column column) {
            this.summary = summary;
            this.r = r;
            this.probe = probe;
            this.column = column;
        }

        String name() {
            return summary.name();
        }
    }

    private final MachineCatalog catalog;
    private final TypeRegistry reg;
    private final Set<String> modelled;
    private final String version;
    private final Map<String, String> files = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final List<M> machines = new ArrayList<>();
    private final Map<String, M> byName = new HashMap<>();
    private final Map<String, Set<String>> machinesOfType = new HashMap<>();
    private final Map<String, Set<String>> machinesOfSet = new HashMap<>();
    private String graphsMissing;
    private double[] times = new double[3];
    private int graphs;

    private DocsSite(MachineCatalog catalog, Set<String> modelled, String version) {
        this.catalog = catalog;
        this.reg = catalog.registry();
        this.modelled = modelled;
        this.version = version;
    }

    /** Every page and resource of the reference, by path relative to its root ({@code /}-separated). */
    static DocsSite build(MachineCatalog catalog, Set<String> modelled, String version, Progress progress, int processes) {
        DocsSite s = new DocsSite(catalog, modelled, version);
        long t0 = System.nanoTime();
        s.load(progress, processes);
        long t1 = System.nanoTime();
        s.draw(progress, processes);
        long t2 = System.nanoTime();
        s.pages(progress, processes);
        long t3 = System.nanoTime();
        s.times = new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9};
        return s;
    }

    Map<String, String> files() {
        return files;
    }

    Stats stats() {
        int diffs = (int) machines.stream().filter(m -> m.diff != null).count();
        return new Stats(machines.size(), diffs, reg.all().size(), catalog.compatSets().size(), graphs, files.size(),
                graphsMissing, times[0], times[1], times[2]);
    }

    // -- the data ---------------------------------------------------------------------------------

    private void load(Progress progress, int processes) {
        List<MachineTable.Summary> summaries = catalog.table().summaries();
        progress.total(summaries.size());
        for (MachineTable.Summary s : summaries) {
            progress.step(s.name());
            BuiltMachine b = MachineReport.dryRun(catalog, s.name());
            ResolvedMachine r = MachineReport.resolved(b);
            CompatProbe probe = new CompatProbe(b);
            M m = new M(s, r, probe, new MachineDiff.Column(s.name(), r, catalog, probe));
            machines.add(m);
            byName.put(s.name(), m);
            if (r.devices() != null) {
                for (Device d : r.devices()) {
                    machinesOfType.computeIfAbsent(d.type(), k -> new TreeSet<>(dev.machina.machine.MachineOrder.NATURAL))
                            .add(s.name());
                }
            }
            for (String set : r.compatSets()) {
                machinesOfSet.computeIfAbsent(set, k -> new TreeSet<>(dev.machina.machine.MachineOrder.NATURAL)).add(s.name());
            }
        }
        // the previous version: the next one listed in its family (a family lists its versions newest first)
        List<Runnable> diffs = new ArrayList<>();
        for (int i = 0; i + 1 < machines.size(); i++) {
            M m = machines.get(i);
            M older = machines.get(i + 1);
            if (older.summary.family().equals(m.summary.family())) {
                m.previous = older;
                older.next = m;
                diffs.add(() -> m.diff = MachineDiff.of(List.of(older.column, m.column))); // reads the two dry runs only
            }
        }
        parallel(diffs, processes);
    }

    private void draw(Progress progress, int processes) {
        List<String> dots = new ArrayList<>();
        List<Runnable> assign = new ArrayList<>();
        for (M m : machines) {
            if (m.r.devices() == null) {
                continue;
            }
            int i = dots.size();
            dots.add(MachineGraph.of(m.r, modelled).dot(n -> "#dev-" + Html.slug(n.id())));
            assign.add(() -> m.svg = svgs.get(i));
            if (m.previous != null && m.previous.r.devices() != null) {
                int j = dots.size();
                String before = up(machinePath(m.previous.name()));
                String after = up(machinePath(m.name()));
                dots.add(MachineGraph.diff(m.previous.r, m.r, modelled).dot(n -> (n.state() == MachineGraph.State.removed ? before
                        : after) + "#dev-" + Html.slug(n.id())));
                assign.add(() -> m.diffSvg = svgs.get(j));
            }
        }
        progress.restart("docs: drawing graphs", dots.size());
        try {
            svgs = GraphRender.renderAllSvg(dots, processes, n -> progress.advance(n, null));
        } catch (UserError e) {
            graphsMissing = e.getMessage();
            return;
        }
        assign.forEach(Runnable::run);
        graphs = dots.size();
    }

    private List<String> svgs = List.of();

    // -- pages ------------------------------------------------------------------------------------

    private void pages(Progress progress, int processes) {
        List<ObjectType> types = new ArrayList<>(reg.all());
        types.sort(Comparator.comparing(ObjectType::name));
        progress.restart("docs: writing pages", machines.size() + types.size() + catalog.compatSets().size());
        files.put("style.css", resource("style.css"));
        files.put("search.js", resource("search.js"));
        Map<String, List<String[]>> compatByDriver = compatByDriver();
        Map<String, List<String>> children = new HashMap<>();
        for (ObjectType t : types) {
            if (t.parentName() != null) {
                children.computeIfAbsent(t.parentName(), k -> new ArrayList<>()).add(t.name());
            }
        }
        // each page is made from data no other page changes: they are made in parallel, into a concurrent map
        List<Runnable> work = new ArrayList<>();
        for (M m : machines) {
            work.add(() -> {
                machinePage(m);
                if (m.diff != null) {
                    diffPage(m);
                }
                step(progress, m.name());
            });
        }
        for (ObjectType t : types) {
            work.add(() -> {
                typePage(t, compatByDriver, children.getOrDefault(t.name(), List.of()));
                step(progress, t.name());
            });
        }
        for (CompatSet set : catalog.compatSets().values()) {
            work.add(() -> {
                compatPage(set);
                step(progress, set.name());
            });
        }
        parallel(work, processes);
        indexPage(types);
    }

    private static void step(Progress progress, String what) {
        synchronized (progress) {
            progress.step(what);
        }
    }

    /** Runs the tasks on {@code threads} threads and returns when all have; the first failure is thrown. */
    static void parallel(List<Runnable> tasks, int threads) {
        if (threads <= 1) {
            tasks.forEach(Runnable::run);
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "docs-page");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            tasks.forEach(t -> fs.add(pool.submit(t)));
            for (java.util.concurrent.Future<?> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UserError("interrupted while writing the reference");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static String machinePath(String name) {
        return "machines/" + Html.slug(name) + ".html";
    }

    static String diffPath(String from, String to) {
        return "diffs/" + Html.slug(from) + "_to_" + Html.slug(to) + ".html";
    }

    static String typePath(String name) {
        return "types/" + Html.slug(name) + ".html";
    }

    static String compatPath(String name) {
        return "compat/" + Html.slug(name) + ".html";
    }

    /** A link from a page one level down to a page by its root-relative path. */
    private static String up(String path) {
        return "../" + path;
    }

    private String typeLink(String type) {
        return type != null && reg.contains(type) ? Html.a(up(typePath(type)), type) : Html.code(type);
    }

    private String compatLink(String set) {
        return catalog.compatSets().containsKey(set) ? Html.a(up(compatPath(set)), set) : Html.esc(set);
    }

    private String machineLink(String name) {
        return byName.containsKey(name) ? Html.a(up(machinePath(name)), name) : Html.esc(name);
    }

    private void machinePage(M m) {
        ResolvedMachine r = m.r;
        MachineTable.Summary s = m.summary;
        StringBuilder b = new StringBuilder();
        b.append("<h1>").append(Html.esc(r.name())).append("</h1>\n");
        b.append("<p class=\"lead\">").append(Html.esc(s.description())).append("</p>\n");
        badges(b, s);
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[] {"Family", Html.esc(r.family())});
        facts.add(new String[] {"QOM type", typeLink(r.qomType())});
        if (r.source() != null) {
            facts.add(new String[] {"Defined in QEMU", Html.code(r.source().toString())});
        }
        List<String> chain = new ArrayList<>();
        for (String c : r.chain()) {
            chain.add(byName.containsKey(c) && !c.equals(r.name()) ? machineLink(c) : Html.esc(c));
        }
        facts.add(new String[] {"Made of", String.join(" &rarr; ", chain)});
        if (m.previous != null) {
            facts.add(new String[] {"Previous version", machineLink(m.previous.name()) + " (" + Html.a(up(diffPath(
                    m.previous.name(), r.name())), "what changed") + ")"});
        }
        if (m.next != null) {
            facts.add(new String[] {"Next version", machineLink(m.next.name())});
        }
        facts(b, facts);
        b.append("<nav class=\"toc\" aria-label=\"On this page\"><a href=\"#options\">Options</a> <a href=\"#compat-sets\">Compat sets</a>"
                + " <a href=\"#compat\">Compat properties</a> <a href=\"#graph\">Device graph</a> <a href=\"#devices\">Devices</a>");
        if (m.diff != null) {
            b.append(" <a href=\"#changes\">Changes since ").append(Html.esc(m.previous.name())).append("</a>");
        }
        b.append("</nav>\n");

        b.append("<h2 id=\"options\">Options</h2>\n");
        List<List<String>> rows = new ArrayList<>();
        for (ResolvedMachine.Option o : r.options()) {
            Object v = o.value() == null ? null : o.option().type().toJson(o.value());
            rows.add(List.of(Html.code(o.option().key()), value(v), Html.esc(o.setBy()),
                    o.source() == null ? "" : Html.code(o.source().toString()), Html.code(o.at().location())));
        }
        Html.table(b, null, List.of("Option", "Value", "Set by", "QEMU source", "Data"), rows);

        b.append("<h2 id=\"compat-sets\">Compat sets applied</h2>\n");
        if (r.compatSets().isEmpty()) {
            b.append("<p>None: this machine type keeps every type's default.</p>\n");
        } else {
            b.append("<p>In the order they are applied; where two set the same property, the later one wins.</p>\n<ol class=\"sets\">");
            for (String set : r.compatSets()) {
                CompatSet cs = catalog.compatSets().get(set);
                b.append("<li>").append(compatLink(set));
                if (cs != null) {
                    b.append(" <span class=\"muted\">").append(cs.entries().size()).append(" entr")
                            .append(cs.entries().size() == 1 ? "y" : "ies").append("</span>");
                }
                b.append("</li>");
            }
            b.append("</ol>\n");
        }

        b.append("<h2 id=\"compat\">Compat properties</h2>\n");
        List<CompatProbe.Effective> table = m.probe.table();
        if (table.isEmpty()) {
            b.append("<p>No compat entry applies.</p>\n");
        } else {
            b.append("<p>The value every object of the driver (or a type derived from it) gets, the entry that wins and "
                    + "the ones it overrides.</p>\n");
            rows = new ArrayList<>();
            for (CompatProbe.Effective e : table) {
                List<String> over = new ArrayList<>();
                for (CompatOrigin o : e.overridden()) {
                    over.add(compatLink(o.set()) + " " + Html.code(o.text()));
                }
                rows.add(List.of(typeLink(e.driver()), Html.code(e.property()), value(e.value()), compatLink(e.winner().set()),
                        e.winner().source() == null ? "" : Html.code(e.winner().source().toString()), String.join("<br>", over)));
            }
            Html.table(b, null, List.of("Driver", "Property", "Value", "Set by", "QEMU source", "Overrides"), rows);
        }

        b.append("<h2 id=\"graph\">Device graph</h2>\n");
        if (r.devices() == null) {
            b.append("<p>The data has no device graph for this machine type (QEMU 7.2 does not have it to record).</p>\n");
            b.append("<h2 id=\"devices\">Devices</h2>\n<p>Not known: see the device graph above.</p>\n");
        } else {
            graph(b, m.svg, "The default device graph of " + r.name());
            b.append("<h2 id=\"devices\">Devices</h2>\n");
            rows = new ArrayList<>();
            for (Device d : r.devices()) {
                rows.add(List.of("<a href=\"#dev-" + Html.slug(d.id()) + "\">" + Html.esc(d.id()) + "</a>", typeLink(d.type()),
                        d.bus() == null ? "" : Html.code(d.bus()), d.address() == null ? "" : Html.code(d.address()),
                        d.qemuPath() == null ? "" : Html.code(d.qemuPath()), modelled.contains(d.type()) ? "yes" : "not yet"));
            }
            Html.table(b, null, List.of("Device", "Type", "Bus", "Address", "QEMU path", "Model"), rows);
            b.append("<h3>Effective properties</h3>\n<p>Every property of every device as the builder sets it, with where the "
                    + "value comes from.</p>\n");
            for (Device d : r.devices()) {
                b.append("<details id=\"dev-").append(Html.slug(d.id())).append("\"><summary>").append(Html.esc(d.id()))
                        .append(" <span class=\"muted\">").append(Html.esc(d.type())).append(", ").append(d.values().size())
                        .append(" properties</span></summary>\n");
                rows = new ArrayList<>();
                for (DeviceValue v : d.values()) {
                    rows.add(List.of(Html.code(v.property()), value(v.type().toJson(v.value())),
                            v.compat() != null ? compatLink(v.compat().set()) + (v.compat().source() == null ? ""
                                    : " " + Html.code(v.compat().source().toString())) : Html.esc(v.origin().toString())));
                }
                for (Map.Entry<String, String> l : d.links().entrySet()) {
                    rows.add(List.of(Html.code(l.getKey()), Html.code(l.getValue()), "link"));
                }
                Html.table(b, null, List.of("Property", "Value", "From"), rows);
                b.append("</details>\n");
            }
        }
        if (m.diff != null) {
            b.append("<h2 id=\"changes\">What changed since ").append(Html.esc(m.previous.name())).append("</h2>\n");
            b.append("<p>").append(Html.a(up(diffPath(m.previous.name(), r.name())), "The change as a page, with its graph"))
                    .append(".</p>\n");
            diffTables(b, m.diff);
        }
        put(machinePath(r.name()), r.name(), b.toString());
    }

    private void diffPage(M m) {
        String a = m.previous.name();
        String c = m.name();
        StringBuilder b = new StringBuilder();
        b.append("<h1>").append(Html.esc(a)).append(" &rarr; ").append(Html.esc(c)).append("</h1>\n");
        b.append("<p class=\"lead\">What changes for a guest that moves from ").append(machineLink(a)).append(" to ")
                .append(machineLink(c)).append(": options, compat property values and the default device graph.</p>\n");
        if (m.diffSvg != null || graphsMissing != null && m.r.devices() != null && m.previous.r.devices() != null) {
            b.append("<h2 id=\"graph\">The change to the device graph</h2>\n<p><span class=\"added\">Added</span> green, "
                    + "<span class=\"removed\">removed</span> red, <span class=\"changed\">changed</span> properties on the node.</p>\n");
            graph(b, m.diffSvg, "The change from " + a + " to " + c);
        }
        b.append("<h2 id=\"table\">Every difference</h2>\n");
        diffTables(b, m.diff);
        put(diffPath(a, c), a + " \u2192 " + c, b.toString());
    }

    private void diffTables(StringBuilder b, MachineDiff d) {
        int changed = d.changedRows();
        if (changed == 0) {
            b.append("<p>Nothing: the two machine types are the same in the data.</p>\n");
            return;
        }
        List<String> ms = d.machines();
        List<List<String>> rows = new ArrayList<>();
        for (MachineDiff.OptionRow r : d.options()) {
            if (r.changed()) {
                List<String> row = new ArrayList<>(List.of(Html.code(r.name())));
                r.cells().forEach(x -> row.add(cell(x)));
                rows.add(row);
            }
        }
        if (!rows.isEmpty()) {
            b.append("<h3>Options</h3>\n");
            List<String> h = new ArrayList<>(List.of("Option"));
            h.addAll(ms);
            Html.table(b, "diff", h, rows);
        }
        rows = new ArrayList<>();
        for (MachineDiff.PropertyRow r : d.properties()) {
            if (r.changed()) {
                List<String> row = new ArrayList<>(List.of(typeLink(r.driver()), Html.code(r.property())));
                r.cells().forEach(x -> row.add(cell(x)));
                rows.add(row);
            }
        }
        if (!rows.isEmpty()) {
            b.append("<h3>Compat properties</h3>\n");
            List<String> h = new ArrayList<>(List.of("Driver", "Property"));
            h.addAll(ms);
            Html.table(b, "diff", h, rows);
        }
        rows = new ArrayList<>();
        for (MachineDiff.DeviceRow r : d.devices()) {
            if (r.changed()) {
                List<String> row = new ArrayList<>(List.of(Html.code(r.device()), Html.esc(DiffFormat.deviceField(r))));
                r.cells().forEach(x -> row.add(cell(x)));
                rows.add(row);
            }
        }
        if (!rows.isEmpty()) {
            b.append("<h3>Device graph</h3>\n");
            List<String> h = new ArrayList<>(List.of("Device", "Field"));
            h.addAll(ms);
            Html.table(b, "diff", h, rows);
        }
        b.append("<p class=\"muted\">").append(changed).append(" of ").append(d.rows()).append(" rows differ.</p>\n");
    }

    private static String cell(MachineDiff.Cell c) {
        String text = DiffFormat.cellText(c);
        String cls = c.state() == MachineDiff.State.VALUE ? "" : " class=\"muted\"";
        return "<span" + cls + (c.source() == null ? "" : " title=\"" + Html.esc(c.source()) + "\"") + ">" + Html.code(text)
                + "</span>";
    }

    /** driver → [set, property, value, driver] of every compat entry, in the catalog's order. */
    private Map<String, List<String[]>> compatByDriver() {
        Map<String, List<String[]>> out = new HashMap<>();
        for (CompatSet set : catalog.compatSets().values()) {
            for (CompatEntry e : set.entries()) {
                out.computeIfAbsent(e.driver(), k -> new ArrayList<>()).add(new String[] {set.name(), e.property(), e.value(),
                        e.driver()});
            }
        }
        return out;
    }

    private void typePage(ObjectType t, Map<String, List<String[]>> compatByDriver, List<String> children) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>").append(Html.esc(t.name())).append("</h1>\n");
        if (!t.description().isEmpty()) {
            b.append("<p class=\"lead\">").append(Html.esc(t.description())).append("</p>\n");
        }
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[] {"Kind", t.isInterface() ? "interface" : t.isAbstract() ? "abstract type" : "type"});
        List<String> chain = new ArrayList<>();
        for (String c : t.chain()) {
            chain.add(c.equals(t.name()) ? Html.esc(c) : typeLink(c));
        }
        facts.add(new String[] {"Ancestry", String.join(" &rarr; ", chain)});
        List<String> ifaces = t.allInterfaces(reg);
        if (!ifaces.isEmpty()) {
            facts.add(new String[] {"Interfaces", String.join(", ", ifaces.stream().map(this::typeLink).toList())});
        }
        if (!children.isEmpty()) {
            facts.add(new String[] {"Derived types", String.join(", ", children.stream().map(this::typeLink).toList())});
        }
        if (t.isA("device")) {
            facts.add(new String[] {"Model in Machina", modelled.contains(t.name()) ? "yes" : "not yet (declared as data)"});
            facts.add(new String[] {"Hotpluggable", t.hotpluggable() ? "yes" : "no"});
        }
        facts(b, facts);

        b.append("<h2 id=\"properties\">Properties</h2>\n");
        if (t.properties().isEmpty()) {
            b.append("<p>None.</p>\n");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (PropertySpec p : t.properties()) {
                String type = Html.code(p.type().name());
                if (p.type() instanceof PropertyType.EnumType e) {
                    type += " <span class=\"muted\">" + Html.esc(String.join(" | ", e.values())) + "</span>";
                }
                String from = t.declaredIn(p.name());
                rows.add(List.of(Html.code(p.name()), type, p.defaultText().isEmpty() ? "<span class=\"muted\">none</span>"
                        : Html.code(p.defaultText()), from == null || from.equals(t.name()) ? "" : typeLink(from),
                        Html.esc(p.description())));
            }
            Html.table(b, null, List.of("Property", "Type", "Default", "Inherited from", "Description"), rows);
        }

        List<List<String>> rows = new ArrayList<>();
        for (int i = t.chain().size() - 1; i >= 0; i--) {
            addCompatRows(rows, compatByDriver.get(t.chain().get(i)), t);
        }
        for (String i : ifaces) {
            addCompatRows(rows, compatByDriver.get(i), t);
        }
        b.append("<h2 id=\"releases\">Defaults per release</h2>\n");
        if (rows.isEmpty()) {
            b.append("<p>No compat set changes a default of this type: every machine type gets the defaults above.</p>\n");
        } else {
            b.append("<p>The compat sets that give this type (through it, an ancestor or an interface) another value than its "
                    + "default on older machine types. A compat set restores the behaviour of the release it names.</p>\n");
            Html.table(b, null, List.of("Compat set", "Restores", "Driver", "Property", "Value"), rows);
        }

        b.append("<h2 id=\"machines\">Machine types that contain it</h2>\n");
        Set<String> in = machinesOfType.get(t.name());
        if (in == null || in.isEmpty()) {
            b.append("<p>No machine type's default device graph has a device of exactly this type.</p>\n");
        } else {
            b.append("<p class=\"links\">").append(String.join(" ", in.stream().map(this::machineLink).toList())).append("</p>\n");
        }
        put(typePath(t.name()), t.name(), b.toString());
    }

    private void addCompatRows(List<List<String>> rows, List<String[]> entries, ObjectType t) {
        if (entries == null) {
            return;
        }
        for (String[] e : entries) {
            CompatSet set = catalog.compatSets().get(e[0]);
            rows.add(List.of(compatLink(e[0]), Html.esc(set == null || set.restores() == null ? "" : set.restores()),
                    e[3].equals(t.name()) ? Html.code(e[3]) : typeLink(e[3]), Html.code(e[1]), Html.code(e[2])));
        }
    }

    private void compatPage(CompatSet set) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>").append(Html.esc(set.name())).append("</h1>\n");
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[] {"Kind", Html.esc(set.kind())});
        if (set.restores() != null) {
            facts.add(new String[] {"Restores", "the behaviour of QEMU " + Html.esc(set.restores())});
        }
        if (set.source() != null) {
            facts.add(new String[] {"QEMU source", Html.code(set.source().toString())});
        }
        if (set.note() != null) {
            facts.add(new String[] {"Note", Html.esc(set.note())});
        }
        facts.add(new String[] {"Data", Html.code(set.at().location())});
        facts(b, facts);
        b.append("<h2 id=\"entries\">Entries</h2>\n");
        List<List<String>> rows = new ArrayList<>();
        for (CompatEntry e : set.entries()) {
            rows.add(List.of(typeLink(e.driver()), Html.code(e.property()), Html.code(e.value()),
                    (e.optional() ? "optional" : "") + (e.fromMacro() == null ? "" : (e.optional() ? ", " : "") + "from "
                            + Html.code(e.fromMacro())), Html.code(e.at().location())));
        }
        Html.table(b, null, List.of("Driver", "Property", "Value", "Notes", "Data"), rows);
        b.append("<h2 id=\"machines\">Machine types that apply it</h2>\n");
        Set<String> in = machinesOfSet.get(set.name());
        if (in == null || in.isEmpty()) {
            b.append("<p>None.</p>\n");
        } else {
            b.append("<p class=\"links\">").append(String.join(" ", in.stream().map(this::machineLink).toList())).append("</p>\n");
        }
        put(compatPath(set.name()), set.name(), b.toString());
    }

    private void indexPage(List<ObjectType> types) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Machina reference</h1>\n<p class=\"lead\">Every machine type, device type and compat set of Machina's "
                + "data, with the values a VM gets and where each comes from.</p>\n");
        b.append("<div class=\"search\" role=\"search\"><label for=\"q\">Search</label> <input id=\"q\" type=\"search\" "
                + "autocomplete=\"off\" spellcheck=\"false\" placeholder=\"a machine type, device type or compat set, e.g. q35\">"
                + "<p id=\"count\" class=\"muted\" aria-live=\"polite\"></p><ol id=\"results\"></ol></div>\n");
        b.append("<nav class=\"toc\" aria-label=\"Sections\"><a href=\"#machines\">Machine types</a> <a href=\"#compat\">Compat sets</a>"
                + " <a href=\"#types\">Device types</a></nav>\n");
        b.append("<h2 id=\"machines\">Machine types</h2>\n");
        List<List<String>> rows = new ArrayList<>();
        for (M m : machines) {
            MachineTable.Summary s = m.summary;
            List<String> status = new ArrayList<>();
            if (s.isDefault()) {
                status.add("default");
            }
            if (s.deprecated()) {
                status.add("deprecated");
            }
            if (s.removedUpstream()) {
                status.add("removed upstream in " + s.lifecycle().removedUpstreamIn());
            }
            rows.add(List.of(Html.a(machinePath(s.name()), s.name()), Html.esc(String.join(", ", s.aliases())),
                    Html.esc(s.family()), Html.esc(String.join(", ", status)), Html.esc(s.description()),
                    m.previous == null ? "" : Html.a(diffPath(m.previous.name(), s.name()), "since " + m.previous.name())));
        }
        Html.table(b, null, List.of("Machine type", "Alias", "Family", "Status", "Description", "Changes"), rows);
        b.append("<h2 id=\"compat\">Compat sets</h2>\n");
        rows = new ArrayList<>();
        for (CompatSet set : catalog.compatSets().values()) {
            Set<String> in = machinesOfSet.get(set.name());
            rows.add(List.of(Html.a(compatPath(set.name()), set.name()), Html.esc(set.kind()),
                    Html.esc(set.restores() == null ? "" : set.restores()), String.valueOf(set.entries().size()),
                    String.valueOf(in == null ? 0 : in.size())));
        }
        Html.table(b, null, List.of("Compat set", "Kind", "Restores", "Entries", "Machine types"), rows);
        b.append("<h2 id=\"types\">Device types</h2>\n");
        rows = new ArrayList<>();
        for (ObjectType t : types) {
            rows.add(List.of(Html.a(typePath(t.name()), t.name()), t.parentName() == null ? "" : Html.a(typePath(t.parentName()),
                    t.parentName()), t.isInterface() ? "interface" : t.isAbstract() ? "abstract" : "", Html.esc(t.description())));
        }
        Html.table(b, null, List.of("Type", "Parent", "Kind", "Description"), rows);
        List<Object> index = new ArrayList<>();
        for (M m : machines) {
            MachineTable.Summary s = m.summary;
            index.add(List.of("machine", s.name(), machinePath(s.name()), s.description()
                    + (s.aliases().isEmpty() ? "" : " (alias " + String.join(", ", s.aliases()) + ")")));
        }
        for (M m : machines) {
            if (m.diff != null) {
                index.add(List.of("change", m.previous.name() + " \u2192 " + m.name(), diffPath(m.previous.name(), m.name()),
                        m.diff.changedRows() + " changed rows"));
            }
        }
        for (CompatSet set : catalog.compatSets().values()) {
            index.add(List.of("compat set", set.name(), compatPath(set.name()), set.entries().size() + " entries"
                    + (set.restores() == null ? "" : ", restores " + set.restores())));
        }
        for (ObjectType t : types) {
            index.add(List.of("type", t.name(), typePath(t.name()), t.description()));
        }
        files.put("search-index.js", "// the search index of the Machina reference: [kind, name, path, text]\nwindow.MACHINA_INDEX = "
                + Html.scriptSafe(Output.json(index)) + ";\n");
        files.put("index.html", page("index.html", "Machina reference", b.toString(),
                "<script src=\"search-index.js\" defer></script><script src=\"search.js\" defer></script>"));
    }

    // -- page parts -------------------------------------------------------------------------------

    private static void badges(StringBuilder b, MachineTable.Summary s) {
        List<String> badges = new ArrayList<>();
        if (s.isDefault()) {
            badges.add("<span class=\"badge\">default</span>");
        }
        for (String a : s.aliases()) {
            badges.add("<span class=\"badge\">alias " + Html.esc(a) + "</span>");
        }
        if (s.deprecated()) {
            badges.add("<span class=\"badge warn\" title=\"" + Html.esc(s.lifecycle().deprecated()) + "\">deprecated</span> "
                    + Html.esc(s.lifecycle().deprecated()));
        }
        if (s.removedUpstream()) {
            badges.add("<span class=\"badge warn\">removed upstream in QEMU " + Html.esc(s.lifecycle().removedUpstreamIn())
                    + "</span>");
        }
        if (!badges.isEmpty()) {
            b.append("<p class=\"badges\">").append(String.join(" ", badges)).append("</p>\n");
        }
    }

    private static void facts(StringBuilder b, List<String[]> facts) {
        b.append("<dl class=\"facts\">");
        for (String[] f : facts) {
            b.append("<dt>").append(f[0]).append("</dt><dd>").append(f[1]).append("</dd>");
        }
        b.append("</dl>\n");
    }

    private void graph(StringBuilder b, String svg, String label) {
        if (svg == null) {
            b.append("<p class=\"muted\">The graph is not drawn: ").append(Html.esc(graphsMissing == null ? "no graph" : graphsMissing))
                    .append("</p>\n");
            return;
        }
        b.append("<figure class=\"graph\"><input type=\"checkbox\" id=\"full\" class=\"full\"><label for=\"full\">actual size"
                + "</label><div class=\"graph-box\" role=\"img\" aria-label=\"").append(Html.esc(label)).append("\">")
                .append(inline(svg)).append("</div></figure>\n");
    }

    /** An SVG document as an element of the page: without its XML declaration, doctype and comments. */
    static String inline(String svg) {
        int at = svg.indexOf("<svg");
        String s = at < 0 ? svg : svg.substring(at);
        return s.replaceAll("(?s)<!--.*?-->\\s*", "");
    }

    /** A JSON-ready value as a table cell. */
    private static String value(Object v) {
        if (v == null) {
            return "<span class=\"muted\">none</span>";
        }
        return Html.code(v instanceof String s ? s : Output.json(v));
    }

    private void put(String path, String title, String body) {
        files.put(path, page(path, title + " \u2014 Machina reference", body, ""));
    }

    private String page(String path, String title, String body, String head) {
        String root = path.contains("/") ? "../" : "";
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta name=\"color-scheme\" content=\"light dark\">\n<title>" + Html.esc(title) + "</title>\n"
                + "<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"" + root + "style.css\">\n" + head + "\n</head>\n"
                + "<body>\n<header class=\"top\"><a class=\"brand\" href=\"" + root + "index.html\">Machina reference</a>"
                + "<nav aria-label=\"Reference\"><a href=\"" + root + "index.html#machines\">Machine types</a> <a href=\"" + root
                + "index.html#types\">Device types</a> <a href=\"" + root + "index.html#compat\">Compat sets</a></nav>"
                + (path.equals("index.html") ? "" : "<form class=\"jump\" action=\"" + root + "index.html\" method=\"get\" role=\"search\">"
                        + "<input type=\"search\" name=\"q\" placeholder=\"Search\" aria-label=\"Search the reference\"></form>")
                + "</header>\n<main>\n" + body + "</main>\n<footer>Generated by " + Html.esc(version)
                + " from the data packaged with it.</footer>\n</body>\n</html>\n";
    }

    private static String resource(String name) {
        try (java.io.InputStream in = DocsSite.class.getResourceAsStream("docs/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource docs/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
