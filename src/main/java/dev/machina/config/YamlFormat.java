package dev.machina.config;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The YAML form, read through SnakeYAML's node tree (positions from its marks; anchors, aliases and
 * {@code <<} merge keys work). A plain scalar is taken as written ({@code on}, {@code 0x3f8} and
 * {@code 2G} stay text, as in a cfg file), so YAML 1.1's booleans and numbers never change a value.
 */
public final class YamlFormat {
    private YamlFormat() {}

    /** Nesting a document may have (as Jackson's limit for the JSON form). */
    static final int MAX_DEPTH = 64;
    /**
     * Values a document may expand to once aliases are followed. A few lines of aliases of aliases
     * expand to billions of values ("billion laughs"); a real configuration has hundreds.
     */
    static final int MAX_VALUES = 100_000;

    /** SnakeYAML instances are not thread-safe and cost to make: one per thread. */
    private static final ThreadLocal<Yaml> LOADER = ThreadLocal.withInitial(() -> {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by TreeReader with both positions
        options.setMaxAliasesForCollections(100);
        return new Yaml(options);
    });

    private static final ThreadLocal<Yaml> DUMPER = ThreadLocal.withInitial(() -> {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(0);
        o.setSplitLines(false);
        o.setWidth(Integer.MAX_VALUE);
        o.setLineBreak(DumperOptions.LineBreak.UNIX);
        o.setAllowUnicode(true);
        o.setNonPrintableStyle(DumperOptions.NonPrintableStyle.ESCAPE); // never !!binary: a value is text
        return new Yaml(o);
    });

    public static ReadResult read(byte[] data, String file) {
        Optional<String> text = Bytes.utf8(data);
        if (text.isEmpty()) {
            return failed(new Origin.InFile(file, 1, 1), "the file is not valid UTF-8", "save it as UTF-8");
        }
        Yaml yaml = LOADER.get();
        List<Node> docs = new ArrayList<>();
        try {
            for (Node n : yaml.composeAll(new StringReader(text.get()))) {
                docs.add(n);
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            return failed(m == null ? new Origin.InFile(file, 1, 1) : new Origin.InFile(file, m.getLine() + 1, m.getColumn() + 1),
                    "YAML syntax: " + (e.getProblem() == null ? e.getMessage() : e.getProblem()), "");
        } catch (YAMLException e) {
            return failed(new Origin.InFile(file, 1, 1), "YAML: " + e.getMessage(), "");
        }
        if (docs.isEmpty()) {
            return failed(new Origin.InFile(file, 1, 1), "the file is empty", "write sections: [ ... ]");
        }
        if (docs.size() > 1) {
            Mark m = docs.get(1).getStartMark();
            return failed(new Origin.InFile(file, m.getLine() + 1, m.getColumn() + 1), "a second YAML document", "a configuration is one document");
        }
        Converter c = new Converter(file);
        Tree root;
        try {
            root = c.convert(docs.get(0), 0);
        } catch (TooDeep e) {
            return failed(e.where, e.tooMany ? "the document expands to more than " + MAX_VALUES + " values (aliases of aliases?)"
                    : "the document nests more than " + MAX_DEPTH + " levels (a recursive alias?)", "");
        }
        ReadResult r = TreeReader.read(root);
        r = new ReadResult(ConfigComments.attach(r.config(), file, text.get(), (o, header) -> trailer(text.get(), o, header, c.ends)),
                r.diagnostics());
        if (c.errors.isEmpty()) {
            return r;
        }
        List<ConfigError> all = new ArrayList<>(c.errors);
        all.addAll(r.diagnostics());
        return new ReadResult(r.config(), all);
    }

    private static final java.util.regex.Pattern HEADER_TRAILER = java.util.regex.Pattern.compile(":(?:[ \\t]*\\{\\})?([ \\t]*(?:#.*)?)");
    private static final java.util.regex.Pattern ENTRY_TRAILER = java.util.regex.Pattern.compile("([ \\t]*(?:#.*)?)");

    /** What follows a section's key (and its {} or colon) or an entry's value on its line: blanks and a comment. */
    private static Optional<String> trailer(String text, Origin.InFile o, boolean header, Map<Integer, Integer> ends) {
        String[] lines = text.split("\n", -1);
        Integer end = ends.get(o.line());
        if (o.line() < 1 || o.line() > lines.length || end == null) {
            return Optional.empty();
        }
        String line = lines[o.line() - 1];
        // SnakeYAML's columns count code points; a character outside the BMP is two chars here
        if (end > line.codePointCount(0, line.length())) {
            return Optional.empty();
        }
        java.util.regex.Matcher m = (header ? HEADER_TRAILER : ENTRY_TRAILER).matcher(line.substring(line.offsetByCodePoints(0, end)));
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static ReadResult failed(Origin where, String problem, String fix) {
        return new ReadResult(VmConfig.EMPTY, List.of(new ConfigError.Syntax(where, problem, fix)));
    }

    private static final class TooDeep extends Exception {
        final transient Origin where;
        final boolean tooMany;

        TooDeep(Origin where, boolean tooMany) {
            super(null, null, false, false);
            this.where = where;
            this.tooMany = tooMany;
        }
    }

    private static final class Converter {
        private final String file;
        private final Map<Node, Boolean> active = new IdentityHashMap<>();
        final List<ConfigError> errors = new ArrayList<>();
        /** line (1-based) → the column (0-based) just after the last scalar that ends on it */
        final Map<Integer, Integer> ends = new java.util.HashMap<>();
        private int values;

        Converter(String file) {
            this.file = file;
        }

        Origin at(Node n) {
            Mark m = n.getStartMark();
            return m == null ? new Origin.InFile(file, 0, 0) : new Origin.InFile(file, m.getLine() + 1, m.getColumn() + 1);
        }

        Tree convert(Node n, int depth) throws TooDeep {
            if (depth > MAX_DEPTH || active.containsKey(n)) {
                throw new TooDeep(at(n), false);
            }
            if (++values > MAX_VALUES) {
                throw new TooDeep(at(n), true);
            }
            active.put(n, Boolean.TRUE);
            try {
                if (n instanceof ScalarNode s) {
                    Mark end = s.getEndMark();
                    if (end != null) {
                        ends.merge(end.getLine() + 1, end.getColumn(), Math::max);
                    }
                    if (s.getTag().equals(Tag.NULL) && s.isPlain()) {
                        return new Tree.Null(at(n));
                    }
                    return new Tree.Scalar(s.getValue(), at(n));
                }
                if (n instanceof SequenceNode q) {
                    List<Tree> items = new ArrayList<>();
                    for (Node i : q.getValue()) {
                        items.add(convert(i, depth + 1));
                    }
                    return new Tree.Sequence(items, at(n));
                }
                MappingNode m = (MappingNode) n;
                List<Tree.Field> fields = new ArrayList<>();
                List<Tree.Field> merged = new ArrayList<>();
                for (NodeTuple t : m.getValue()) {
                    Node k = t.getKeyNode();
                    if (k instanceof ScalarNode ks && ks.getTag().equals(Tag.MERGE)) {
                        merge(t.getValueNode(), merged, depth);
                        continue;
                    }
                    if (!(k instanceof ScalarNode ks)) {
                        errors.add(new ConfigError.Syntax(at(k), "a key that is a list or mapping", "keys are names"));
                        continue;
                    }
                    String key = ks.getValue();
                    if (ks.getEndMark() != null) {
                        ends.merge(ks.getEndMark().getLine() + 1, ks.getEndMark().getColumn(), Math::max);
                    }
                    fields.add(new Tree.Field(key, at(k), convert(t.getValueNode(), depth + 1)));
                }
                // explicit keys override merged ones (YAML merge key semantics)
                for (Tree.Field f : merged) {
                    if (fields.stream().noneMatch(x -> x.key().equals(f.key()))) {
                        fields.add(f);
                    }
                }
                return new Tree.Mapping(fields, at(n));
            } finally {
                active.remove(n);
            }
        }

        private void merge(Node v, List<Tree.Field> out, int depth) throws TooDeep {
            if (v instanceof SequenceNode q) {
                for (Node i : q.getValue()) {
                    merge(i, out, depth);
                }
                return;
            }
            Tree t = convert(v, depth + 1);
            if (t instanceof Tree.Mapping m) {
                for (Tree.Field f : m.fields()) {
                    if (out.stream().noneMatch(x -> x.key().equals(f.key()))) {
                        out.add(f);
                    }
                }
            }
        }
    }

    /** The YAML text: {@code sections:} with one item per section, values as strings (quoted where YAML would read them otherwise). */
    public static String write(VmConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Object> items = TreeWriter.sections(config);
        root.put("sections", items);
        if (ConfigComments.count(config) == 0 || items.isEmpty()) {
            return DUMPER.get().dump(root);
        }
        // a cfg file's comments and blank lines: each section dumped alone, its lines placed around it
        StringBuilder out = new StringBuilder("sections:\n");
        for (int i = 0; i < items.size(); i++) {
            Section s = config.sections().get(i);
            List<String> lines = new ArrayList<>(List.of(DUMPER.get().dump(List.of(items.get(i))).split("\n")));
            @SuppressWarnings("unchecked")
            Map<String, Object> keys = (Map<String, Object>) ((Map<String, Object>) items.get(i)).get(s.group());
            List<Entry> at = entryLines(s, keys);
            boolean placed = at.size() == lines.size();
            List<String> before = s.layout() instanceof Layout.Kept ? ConfigComments.before(s.layout()) : i == 0 ? List.of() : List.of("");
            before.forEach(l -> out.append(l).append('\n'));
            for (int k = 0; k < lines.size(); k++) {
                Entry e = placed ? at.get(k) : null;
                if (e != null) {
                    ConfigComments.before(e.layout()).forEach(l -> out.append(ConfigComments.indent(l, "    ")).append('\n'));
                }
                out.append(lines.get(k));
                if (placed && k == 0) {
                    out.append(ConfigComments.trailer(s.layout()));
                } else if (e != null) {
                    out.append(ConfigComments.trailer(e.layout()));
                }
                out.append('\n');
            }
        }
        config.trailing().forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    /**
     * The entry each line of a section's YAML holds (null for the header, the id and a list's key
     * line), as TreeWriter lays the keys out: one line a value, a repeated key's values under it.
     */
    private static List<Entry> entryLines(Section s, Map<String, Object> keys) {
        List<Entry> out = new ArrayList<>();
        out.add(null);
        Map<String, List<Entry>> byKey = new LinkedHashMap<>();
        for (Entry e : s.entries()) {
            byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        }
        if (keys.isEmpty()) {
            return out; // "- group: {}"
        }
        for (Map.Entry<String, Object> k : keys.entrySet()) {
            List<Entry> es = byKey.getOrDefault(k.getKey(), List.of());
            if (k.getValue() instanceof List<?> l) {
                out.add(null);
                for (int i = 0; i < l.size(); i++) {
                    out.add(i < es.size() ? es.get(i) : null);
                }
            } else {
                out.add(es.isEmpty() ? null : es.get(0));
            }
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
