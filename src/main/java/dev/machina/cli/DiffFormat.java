package dev.machina.cli;

import dev.machina.machine.MachineDiff;
import dev.machina.machine.MachineDiff.Cell;
import dev.machina.machine.MachineDiff.Chain;
import dev.machina.machine.MachineDiff.DeviceRow;
import dev.machina.machine.MachineDiff.Explanation;
import dev.machina.machine.MachineDiff.OptionRow;
import dev.machina.machine.MachineDiff.PropertyRow;
import dev.machina.machine.MachineDiff.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code machine diff} prints a {@link MachineDiff}: an aligned text table (coloured only when
 * asked to), markdown, CSV (RFC 4180 quoting) or JSON (the shape the README documents). Rows that do
 * not differ are left out unless {@code all}.
 */
final class DiffFormat {
    private DiffFormat() {}

    private static final String BOLD = "\u001b[1m";
    private static final String CHANGED = "\u001b[33m";
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    /** One section of the table: its title, the header of its key columns, and its rows. */
    private record Section(String title, List<String> keyHeader, List<Row> rows) {}

    /** A row as printed: its key columns and its cells. */
    private record Row(List<String> keys, List<Cell> cells, boolean changed) {}

    private static List<Section> sections(MachineDiff d, boolean all) {
        List<Row> options = new ArrayList<>();
        for (OptionRow r : d.options()) {
            if (all || r.changed()) {
                options.add(new Row(List.of(r.name()), r.cells(), r.changed()));
            }
        }
        List<Row> props = new ArrayList<>();
        for (PropertyRow r : d.properties()) {
            if (all || r.changed()) {
                props.add(new Row(List.of(r.driver(), r.property()), r.cells(), r.changed()));
            }
        }
        List<Row> devices = new ArrayList<>();
        for (DeviceRow r : d.devices()) {
            if (all || r.changed()) {
                devices.add(new Row(List.of(r.device(), deviceField(r)), r.cells(), r.changed()));
            }
        }
        return List.of(new Section("Options", List.of("OPTION"), options),
                new Section("Compat properties", List.of("DRIVER", "PROPERTY"), props),
                new Section("Device graph", List.of("DEVICE", "FIELD"), devices));
    }

    /** {@code type}, {@code property fallback}, {@code link hotplug-handler}. */
    static String deviceField(DeviceRow r) {
        return r.name() == null ? r.field().key() : r.field().key() + " " + r.name();
    }

    /** What a cell shows in a table: the value, or why there is none in parentheses. */
    static String cellText(Cell c) {
        return switch (c.state()) {
            case VALUE -> valueText(c.value());
            case NONE -> "(none)";
            case UNSET -> "(unset)";
            case UNKNOWN -> "(unknown)";
            case ABSENT -> "(absent)";
        };
    }

    static String valueText(Object v) {
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(valueText(x)));
            return String.join(",", parts);
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, x) -> parts.add(k + "=" + valueText(x)));
            return "{" + String.join(",", parts) + "}";
        }
        if (v instanceof String s && s.isEmpty()) {
            return "\"\"";
        }
        return String.valueOf(v);
    }

    private static String summary(MachineDiff d, boolean all) {
        int changed = d.changedRows();
        int hidden = all ? 0 : d.rows() - changed;
        if (changed == 0) {
            return "no differences between " + String.join(", ", d.machines()) + " (" + d.rows() + " rows compared"
                    + (all ? "" : "; --all shows them") + ")";
        }
        return changed + " row" + (changed == 1 ? "" : "s") + " differ" + (changed == 1 ? "s" : "")
                + (hidden > 0 ? "; " + hidden + " unchanged row" + (hidden == 1 ? "" : "s") + " hidden (--all shows them)" : "");
    }

    // -- text -------------------------------------------------------------------------------------------

    static String text(MachineDiff d, boolean all, boolean color) {
        StringBuilder sb = new StringBuilder();
        for (Section s : sections(d, all)) {
            if (s.rows().isEmpty()) {
                continue;
            }
            sb.append(color ? BOLD + s.title() + RESET : s.title()).append('\n');
            List<String> header = new ArrayList<>(s.keyHeader());
            header.addAll(d.machines());
            List<List<String>> cells = new ArrayList<>();
            List<List<String>> styles = new ArrayList<>();
            for (Row r : s.rows()) {
                List<String> line = new ArrayList<>(r.keys());
                List<String> style = new ArrayList<>();
                r.keys().forEach(k -> style.add(null));
                for (int i = 0; i < r.cells().size(); i++) {
                    Cell c = r.cells().get(i);
                    line.add(cellText(c));
                    // coloured where the value changes from its left neighbour within a group of compared columns
                    boolean differsFromLeft = i % d.group() != 0 && !c.sameAs(r.cells().get(i - 1));
                    style.add(differsFromLeft ? CHANGED : !r.changed() ? DIM : null);
                }
                cells.add(line);
                styles.add(style);
            }
            sb.append(table(header, cells, color ? styles : null, color));
            sb.append('\n');
        }
        sb.append(summary(d, all)).append('\n');
        return sb.toString();
    }

    /** Columns padded to the widest cell (two spaces apart, indented two); colour codes do not count. */
    private static String table(List<String> header, List<List<String>> rows, List<List<String>> styles, boolean color) {
        int[] width = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            width[i] = header.get(i).length();
        }
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int n = -1; n < rows.size(); n++) {
            List<String> r = n < 0 ? header : rows.get(n);
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i);
                String pad = i < r.size() - 1 ? " ".repeat(width[i] - cell.length() + 2) : "";
                String style = n < 0 ? (color ? BOLD : null) : styles == null ? null : styles.get(n).get(i);
                line.append(style == null ? cell : style + cell + RESET).append(pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    // -- markdown ---------------------------------------------------------------------------------------

    static String markdown(MachineDiff d, boolean all) {
        StringBuilder sb = new StringBuilder();
        for (Section s : sections(d, all)) {
            if (s.rows().isEmpty()) {
                continue;
            }
            sb.append("### ").append(s.title()).append("\n\n");
            List<String> header = new ArrayList<>();
            s.keyHeader().forEach(h -> header.add(h.toLowerCase(java.util.Locale.ROOT)));
            header.addAll(d.machines());
            sb.append(mdLine(header));
            sb.append("|").append(" --- |".repeat(header.size())).append('\n');
            for (Row r : s.rows()) {
                List<String> line = new ArrayList<>();
                r.keys().forEach(k -> line.add("`" + k + "`"));
                r.cells().forEach(c -> line.add(cellText(c)));
                sb.append(mdLine(line));
            }
            sb.append('\n');
        }
        sb.append(summary(d, all)).append('\n');
        return sb.toString();
    }

    private static String mdLine(List<String> cells) {
        StringBuilder sb = new StringBuilder("|");
        for (String c : cells) {
            sb.append(' ').append(c.replace("\\", "\\\\").replace("|", "\\|").replace('\n', ' ')).append(" |");
        }
        return sb.append('\n').toString();
    }

    // -- csv ----------------------------------------------------------------------------------------------

    /**
     * One table for all sections: {@code section,subject,name,MACHINE...}; an option row has an empty
     * subject, a property row its driver, a device row its device id (name: the field).
     */
    static String csv(MachineDiff d, boolean all) {
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("section", "subject", "name"));
        header.addAll(d.machines());
        sb.append(csvLine(header));
        String[] names = {"option", "property", "device"};
        List<Section> sections = sections(d, all);
        for (int i = 0; i < sections.size(); i++) {
            for (Row r : sections.get(i).rows()) {
                List<String> line = new ArrayList<>();
                line.add(names[i]);
                if (r.keys().size() == 1) {
                    line.add("");
                }
                line.addAll(r.keys());
                r.cells().forEach(c -> line.add(cellText(c)));
                sb.append(csvLine(line));
            }
        }
        return sb.toString();
    }

    /** RFC 4180: a field with a comma, quote, CR or LF (or edge blanks) is quoted, quotes doubled. */
    static String csvLine(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (i > 0) {
                sb.append(',');
            }
            boolean quote = f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")
                    || !f.equals(f.strip());
            sb.append(quote ? "\"" + f.replace("\"", "\"\"") + "\"" : f);
        }
        return sb.append('\n').toString();
    }

    // -- json ---------------------------------------------------------------------------------------------

    /** The documented shape; {@code data} (left/right data trees) only when two trees are compared. */
    static Map<String, Object> json(MachineDiff d, boolean all, Map<String, String> data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("machines", d.machines());
        if (data != null) {
            m.put("data", data);
        }
        List<Object> options = new ArrayList<>();
        for (OptionRow r : d.options()) {
            if (all || r.changed()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", r.name());
                cells(row, d.machines(), r.cells());
                row.put("changed", r.changed());
                options.add(row);
            }
        }
        m.put("options", options);
        List<Object> props = new ArrayList<>();
        for (PropertyRow r : d.properties()) {
            if (all || r.changed()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("driver", r.driver());
                row.put("property", r.property());
                cells(row, d.machines(), r.cells());
                row.put("changed", r.changed());
                props.add(row);
            }
        }
        m.put("properties", props);
        List<Object> devices = new ArrayList<>();
        for (DeviceRow r : d.devices()) {
            if (all || r.changed()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("device", r.device());
                row.put("field", r.field().key());
                row.put("name", r.name());
                cells(row, d.machines(), r.cells());
                row.put("changed", r.changed());
                devices.add(row);
            }
        }
        m.put("devices", devices);
        return m;
    }

    private static void cells(Map<String, Object> row, List<String> machines, List<Cell> cells) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> sources = new LinkedHashMap<>();
        for (int i = 0; i < machines.size(); i++) {
            values.put(machines.get(i), cells.get(i).value());
            sources.put(machines.get(i), cells.get(i).source());
        }
        row.put("values", values);
        row.put("sources", sources);
    }

    // -- explain ------------------------------------------------------------------------------------------

    static String explainText(Explanation e, boolean color) {
        StringBuilder sb = new StringBuilder();
        sb.append(color ? BOLD : "").append(e.driver()).append('.').append(e.property()).append(color ? RESET : "")
                .append(": compat entries in application order (the last one wins), then the type's default\n");
        for (Chain c : e.machines()) {
            sb.append('\n').append(color ? BOLD : "").append(c.machine()).append(color ? RESET : "").append(": ")
                    .append(cellText(c.effective())).append("  (").append(c.effective().source()).append(")\n");
            List<List<String>> rows = new ArrayList<>();
            for (Step s : c.steps()) {
                rows.add(List.of("compat " + s.set(), s.driver(), valueText(s.value()), s.at(), s.wins() ? "<- wins" : ""));
            }
            List<String> dflt = new ArrayList<>(List.of("default", e.driver(), cellText(c.typeDefault())));
            if (c.typeDefault().state() != MachineDiff.State.VALUE) {
                dflt.add(c.typeDefault().source());
            }
            if (c.steps().isEmpty()) {
                dflt.add("<- wins");
            }
            rows.add(dflt);
            String t = Output.table(null, rows);
            for (String line : t.split("\n")) {
                String l = "  " + line;
                sb.append(color && line.endsWith("<- wins") ? CHANGED + l + RESET : l).append('\n');
            }
        }
        return sb.toString();
    }

    static Map<String, Object> explainJson(Explanation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("driver", e.driver());
        m.put("property", e.property());
        List<Object> machines = new ArrayList<>();
        for (Chain c : e.machines()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("machine", c.machine());
            x.put("value", c.effective().value());
            x.put("source", c.effective().source());
            List<Object> chain = new ArrayList<>();
            for (Step s : c.steps()) {
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("set", s.set());
                st.put("driver", s.driver());
                st.put("text", s.text());
                st.put("value", s.value());
                st.put("at", s.at());
                st.put("wins", s.wins());
                chain.add(st);
            }
            x.put("chain", chain);
            Map<String, Object> dflt = new LinkedHashMap<>();
            dflt.put("value", c.typeDefault().value());
            dflt.put("source", c.typeDefault().source());
            x.put("default", dflt);
            machines.add(x);
        }
        m.put("machines", machines);
        return m;
    }
}
