package dev.machina.machine;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A node of a YAML document with its position: the file, the 1-based line and column SnakeYAML
 * recorded, and the object path from the document root ({@code versions[3].compat[1]}). Scalars are
 * typed by YAML's own rules (SnakeYAML's resolver: YAML 1.1, so {@code on}/{@code off} are booleans
 * unless quoted). Immutable; children are made on demand.
 */
public final class YamlNode {
    private final String file;
    private final String path;
    private final Node node;
    private Map<String, NodeTuple> mapCache;

    private YamlNode(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /**
     * The longest run of characters without a space or line break that is parsed (64 KiB; the
     * packaged data's longest line is 650 characters). SnakeYAML copies its reading window for
     * every 1024 characters of a token, so a run of n characters costs n^2/2048 steps: 8 MiB take
     * minutes.
     */
    static final int MAX_RUN = 64 << 10;

    /** Aliases of lists and mappings a document may have: more is an alias bomb (each may double what it names). */
    static final int MAX_ALIASES = 50;

    /**
     * Parses one document. An empty document gives an empty mapping; syntax errors, a second document
     * and duplicate keys are errors with their positions.
     */
    public static YamlNode parse(String file, String text) {
        YamlNode built = YamlTrees.lookup(file, text);
        return built != null ? built : parseText(file, text);
    }

    /** {@link #parse} without the build's trees ({@link YamlTrees}): always runs the YAML parser. */
    static YamlNode parseText(String file, String text) {
        int[] run = dev.machina.util.BoundedInput.longRun(text, MAX_RUN);
        if (run != null) {
            throw new MachineDataException(new MachineError.TooLarge(new Position(file, run[0], run[1], ""),
                    "more than " + dev.machina.util.BoundedInput.size(MAX_RUN) + " of characters without a space or line break"
                            + " (the limit for one word of a data file); break the value into lines or shorten it"));
        }
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(true); // reported below with both positions
        opts.setMaxAliasesForCollections(MAX_ALIASES);
        opts.setCodePointLimit(DataFiles.MAX_FILE_BYTES); // a file that size is read, not called a syntax error
        Node root;
        try {
            // the composer alone: nodes with marks, without the object construction the Yaml facade sets up
            Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), opts), new Resolver(), opts);
            root = composer.checkNode() ? composer.getNode() : null;
            if (composer.checkNode()) {
                Node second = composer.getNode();
                throw new MachineDataException(new MachineError.YamlSyntax(at(file, second.getStartMark(), ""),
                        "a second document starts here; a data file holds one document"));
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            if (e.getContext() != null) {
                problem = problem + " (" + e.getContext() + ")";
            }
            YamlErrorPath.Stop stop = YamlErrorPath.replay(text, opts, MAX_ALIASES);
            throw new MachineDataException(new MachineError.YamlSyntax(at(file, m, stop == null ? "" : stop.path()),
                    problem.replace('\n', ' ')));
        } catch (YAMLException e) {
            YamlErrorPath.Stop stop = YamlErrorPath.replay(text, opts, MAX_ALIASES);
            if (stop != null && stop.aliasMark() != null) {
                throw new MachineDataException(new MachineError.YamlSyntax(at(file, stop.aliasMark(), stop.path()),
                        "more than " + MAX_ALIASES + " aliases of lists or mappings (an alias bomb?); write the values out"));
            }
            throw new MachineDataException(new MachineError.YamlSyntax(stop == null ? Position.of(file) : new Position(file, 0, 0, stop.path()),
                    String.valueOf(e.getMessage())));
        }
        if (root == null) {
            root = new MappingNode(Tag.MAP, List.of(), org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
        }
        YamlNode n = new YamlNode(file, "", root);
        List<MachineError> keyProblems = new ArrayList<>();
        n.collectKeyProblems(keyProblems);
        if (!keyProblems.isEmpty()) {
            throw new MachineDataException(keyProblems);
        }
        return n;
    }

    /** The root of a document whose tree was parsed before (see {@link YamlTrees}). */
    static YamlNode of(String file, Node root) {
        return new YamlNode(file, "", root);
    }

    /** The SnakeYAML node (for {@link YamlTrees}). */
    Node node() {
        return node;
    }

    private static Position at(String file, Mark m, String path) {
        return m == null ? new Position(file, 0, 0, path) : new Position(file, m.getLine() + 1, m.getColumn() + 1, path);
    }

    public String file() { return file; }
    public String path() { return path; }

    public Position position() {
        return at(file, node.getStartMark(), path);
    }

    public boolean isMap() { return node instanceof MappingNode; }
    public boolean isList() { return node instanceof SequenceNode; }
    public boolean isScalar() { return node instanceof ScalarNode; }

    /** "a mapping", "a list", "null" or the scalar quoted: for messages. */
    public String describe() {
        if (isMap()) {
            return "a mapping";
        }
        if (isList()) {
            return "a list";
        }
        Object v = value();
        return v == null ? "null" : v instanceof String ? "'" + v + "'" : v + " (" + kindOf(v) + ")";
    }

    private static String kindOf(Object v) {
        return v instanceof Boolean ? "a boolean" : v instanceof Number ? "a number" : "a string";
    }

    private Map<String, NodeTuple> map() {
        if (mapCache == null) {
            Map<String, NodeTuple> m = new LinkedHashMap<>();
            if (node instanceof MappingNode mn) {
                for (NodeTuple t : mn.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k) {
                        m.putIfAbsent(k.getValue(), t);
                    }
                }
            }
            mapCache = m;
        }
        return mapCache;
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The value under {@code key} of a mapping, or null when absent (or when this is not a mapping). */
    public YamlNode get(String key) {
        NodeTuple t = map().get(key);
        return t == null ? null : new YamlNode(file, childPath(key), t.getValueNode());
    }

    public boolean has(String key) {
        return map().containsKey(key);
    }

    /** The keys of a mapping, in document order. */
    public List<String> keys() {
        return List.copyOf(map().keySet());
    }

    /** Where {@code key} itself is written (for "unknown key" messages). */
    public Position keyPosition(String key) {
        NodeTuple t = map().get(key);
        return t == null ? position() : at(file, t.getKeyNode().getStartMark(), childPath(key));
    }

    /** The items of a list (empty for anything else). */
    public List<YamlNode> items() {
        if (!(node instanceof SequenceNode sn)) {
            return List.of();
        }
        List<YamlNode> out = new ArrayList<>(sn.getValue().size());
        for (int i = 0; i < sn.getValue().size(); i++) {
            out.add(new YamlNode(file, path + "[" + i + "]", sn.getValue().get(i)));
        }
        return out;
    }

    /** The child a JSON pointer ({@code #/versions/3/compat/1}) names, or the deepest existing one. */
    public YamlNode at(String pointer) {
        YamlNode cur = this;
        String p = pointer.startsWith("#") ? pointer.substring(1) : pointer;
        if (p.isEmpty() || p.equals("/")) {
            return cur;
        }
        for (String seg : p.substring(1).split("/", -1)) {
            String s = seg.replace("~1", "/").replace("~0", "~");
            YamlNode next = null;
            if (cur.isMap()) {
                next = cur.get(s);
            } else if (cur.isList() && s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
                List<YamlNode> items = cur.items();
                int i = Integer.parseInt(s);
                next = i < items.size() ? items.get(i) : null;
            }
            if (next == null) {
                return cur;
            }
            cur = next;
        }
        return cur;
    }

    /** A scalar's value: Boolean, Long, BigInteger, Double, String or null; null for collections. */
    public Object value() {
        if (!(node instanceof ScalarNode s)) {
            return null;
        }
        String text = s.getValue();
        Tag tag = s.getTag();
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        if (Tag.BOOL.equals(tag)) {
            String t = text.toLowerCase(java.util.Locale.ROOT);
            return t.equals("true") || t.equals("yes") || t.equals("on");
        }
        if (Tag.INT.equals(tag)) {
            Object n = integer(text);
            return n == null ? text : n;
        }
        if (Tag.FLOAT.equals(tag)) {
            try {
                return Double.parseDouble(text.replace("_", ""));
            } catch (NumberFormatException e) {
                return text;
            }
        }
        return text;
    }

    /** YAML 1.1 integers: sign, decimal, 0x hex, 0b binary, leading-0 octal, underscores. */
    private static Object integer(String text) {
        String t = text.replace("_", "");
        boolean neg = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        BigInteger v;
        try {
            if (t.startsWith("0x")) {
                v = new BigInteger(t.substring(2), 16);
            } else if (t.startsWith("0b")) {
                v = new BigInteger(t.substring(2), 2);
            } else if (t.length() > 1 && t.startsWith("0")) {
                v = new BigInteger(t.substring(1), 8);
            } else {
                v = new BigInteger(t);
            }
        } catch (NumberFormatException e) {
            return null; // e.g. YAML 1.1 sexagesimal 1:20; keep the text
        }
        if (neg) {
            v = v.negate();
        }
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** The scalar's text as written (without quotes), or null for collections. */
    public String text() {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    /** Plain Java data: Map (ordered), List, or a scalar value. */
    public Object toPlain() {
        if (isMap()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : keys()) {
                m.put(k, get(k).toPlain());
            }
            return Collections.unmodifiableMap(m);
        }
        if (isList()) {
            List<Object> l = new ArrayList<>();
            for (YamlNode i : items()) {
                l.add(i.toPlain());
            }
            return Collections.unmodifiableList(l);
        }
        return value();
    }

    /** The document as org.json values, for schema validation. */
    public Object toJson() {
        if (isMap()) {
            JSONObject o = new JSONObject();
            for (String k : keys()) {
                o.put(k, get(k).toJson());
            }
            return o;
        }
        if (isList()) {
            JSONArray a = new JSONArray();
            for (YamlNode i : items()) {
                a.put(i.toJson());
            }
            return a;
        }
        Object v = value();
        return v == null ? JSONObject.NULL : v;
    }

    private void collectKeyProblems(List<MachineError> out) {
        keyProblems(file, path, node, out);
    }

    /**
     * Keys written twice, and keys that are not names ({@code ? [a]: b}, which every lookup by name
     * would pass over in silence). Walks the raw nodes (no wrappers): this runs over every node of every file.
     */
    private static void keyProblems(String file, String path, Node node, List<MachineError> out) {
        if (node instanceof MappingNode mn) {
            Map<String, Node> seen = new java.util.HashMap<>();
            for (NodeTuple t : mn.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode)) {
                    out.add(new MachineError.WrongShape(at(file, t.getKeyNode().getStartMark(), path), "a key that is a name",
                            t.getKeyNode() instanceof SequenceNode ? "a list" : "a mapping"));
                }
                if (t.getKeyNode() instanceof ScalarNode k) {
                    String key = k.getValue();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    Node first = seen.putIfAbsent(key, k);
                    if (first != null) {
                        out.add(new MachineError.DuplicateKey(at(file, k.getStartMark(), childPath), key,
                                at(file, first.getStartMark(), childPath)));
                    } else if (!(t.getValueNode() instanceof ScalarNode)) {
                        keyProblems(file, childPath, t.getValueNode(), out);
                    }
                }
            }
        } else if (node instanceof SequenceNode sn) {
            List<Node> items = sn.getValue();
            for (int i = 0; i < items.size(); i++) {
                if (!(items.get(i) instanceof ScalarNode)) {
                    keyProblems(file, path + "[" + i + "]", items.get(i), out);
                }
            }
        }
    }
}
