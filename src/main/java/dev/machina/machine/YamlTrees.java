package dev.machina.machine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The packaged data files' YAML node trees, parsed once by the build ({@code machines/trees.bin} in
 * the jar), so that start-up does not run the YAML scanner over 900 KB of data every time: a SeaBIOS
 * start spent 0.4-1 s of CPU in SnakeYAML alone. A file's tree is used only when the text being read
 * has the CRC-32 the build recorded for that name, so an edited file, another data tree or a file
 * given on the command line is parsed as before; the tree is the very one {@link YamlNode#parse}
 * made (kinds, resolved tags, scalar values and styles, line and column of each node), and only files
 * that parsed without a problem are stored. A test compares every stored tree with a fresh parse.
 *
 * <p>Format (big-endian, integers as unsigned LEB128 varints unless said): magic {@code MYT1}, the
 * number of files, then per file its name and the CRC-32 of its UTF-8 text (8 bytes), the length of
 * its tree section, and the section: a string table (count, then each string's UTF-8 length and
 * bytes) and the root node. A node is a kind byte (0 scalar, 1 mapping, 2 list), a tag (index into
 * {@link #TAGS}, or TAGS.length + a string index for another tag), line and column (0-based, as
 * SnakeYAML's marks), a style byte, then a scalar's string index or a collection's count and items
 * (a mapping's as key, value pairs).
 */
public final class YamlTrees {
    private YamlTrees() {}

    public static final String NAME = "machines/trees.bin";
    private static final byte[] MAGIC = {'M', 'Y', 'T', '1'};
    private static final Tag[] TAGS = {Tag.STR, Tag.INT, Tag.BOOL, Tag.FLOAT, Tag.NULL, Tag.MAP, Tag.SEQ, Tag.TIMESTAMP, Tag.BINARY};
    private static final DumperOptions.ScalarStyle[] SCALAR_STYLES = DumperOptions.ScalarStyle.values();
    private static final DumperOptions.FlowStyle[] FLOW_STYLES = DumperOptions.FlowStyle.values();
    private static final int[] NO_BUFFER = new int[0];

    // ---------------------------------------------------------------------------------------------
    // writing (the build)

    /** The encoded trees of the files that parse without a problem (the others are left out). */
    public static byte[] encode(List<DataFiles.DataFile> files) {
        Out all = new Out();
        all.bytes(MAGIC);
        List<byte[]> sections = new ArrayList<>();
        List<DataFiles.DataFile> kept = new ArrayList<>();
        for (DataFiles.DataFile f : files) {
            YamlNode doc;
            try {
                doc = YamlNode.parseText(f.name(), f.text());
            } catch (MachineDataException e) {
                continue;
            }
            if (doc.node().getStartMark() == null) {
                continue; // an empty document's stand-in mapping has no position to record
            }
            sections.add(section(doc.node()));
            kept.add(f);
        }
        all.varint(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            all.string(kept.get(i).name());
            all.long8(crc(kept.get(i).text()));
            all.varint(sections.get(i).length);
            all.bytes(sections.get(i));
        }
        return all.toByteArray();
    }

    private static byte[] section(Node root) {
        Map<String, Integer> strings = new HashMap<>();
        List<String> order = new ArrayList<>();
        Out nodes = new Out();
        node(root, nodes, strings, order);
        Out s = new Out();
        s.varint(order.size());
        for (String x : order) {
            s.string(x);
        }
        s.bytes(nodes.toByteArray());
        return s.toByteArray();
    }

    private static int index(String s, Map<String, Integer> strings, List<String> order) {
        Integer i = strings.get(s);
        if (i == null) {
            i = order.size();
            strings.put(s, i);
            order.add(s);
        }
        return i;
    }

    private static void node(Node n, Out o, Map<String, Integer> strings, List<String> order) {
        int kind = n instanceof ScalarNode ? 0 : n instanceof MappingNode ? 1 : 2;
        o.write(kind);
        int tag = -1;
        for (int i = 0; i < TAGS.length; i++) {
            if (TAGS[i].equals(n.getTag())) {
                tag = i;
            }
        }
        o.varint(tag >= 0 ? tag : TAGS.length + index(n.getTag().getValue(), strings, order));
        Mark m = n.getStartMark();
        o.varint(m == null ? 0 : m.getLine());
        o.varint(m == null ? 0 : m.getColumn());
        if (n instanceof ScalarNode s) {
            o.write(s.getScalarStyle().ordinal());
            o.varint(index(s.getValue(), strings, order));
        } else if (n instanceof MappingNode mn) {
            o.write(mn.getFlowStyle().ordinal());
            o.varint(mn.getValue().size());
            for (NodeTuple t : mn.getValue()) {
                node(t.getKeyNode(), o, strings, order);
                node(t.getValueNode(), o, strings, order);
            }
        } else {
            SequenceNode sn = (SequenceNode) n;
            o.write(sn.getFlowStyle().ordinal());
            o.varint(sn.getValue().size());
            for (Node item : sn.getValue()) {
                node(item, o, strings, order);
            }
        }
    }

    /**
     * Writes {@code machines/trees.bin} under a build's classes directory from the packaged data
     * files there (run by the Maven build after resources are copied and classes compiled).
     */
    public static void main(String[] args) throws IOException {
        Path classes = Path.of(args[0]);
        List<DataFiles.DataFile> files = new ArrayList<>();
        for (String d : DataFiles.DIRS) {
            Path dir = classes.resolve(d);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var s = Files.list(dir)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    files.add(new DataFiles.DataFile(d + "/" + f.getFileName(), Files.readString(f, StandardCharsets.UTF_8)));
                }
            }
        }
        Path out = classes.resolve(NAME);
        Path tmp = out.resolveSibling("trees.bin.tmp");
        try {
            Files.write(tmp, encode(files));
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // reading (start-up)

    private record Entry(long crc, int offset, int length) {}

    private static byte[] packedBytes;
    private static Map<String, Entry> packed;

    /** The packaged trees' directory, read once (empty when the resource is missing or not ours). */
    private static synchronized Map<String, Entry> packed() {
        if (packed == null) {
            Map<String, Entry> m = new HashMap<>();
            try (InputStream in = YamlTrees.class.getClassLoader().getResourceAsStream(NAME)) {
                byte[] b = in == null ? new byte[0] : in.readAllBytes();
                if (b.length >= 4 && b[0] == MAGIC[0] && b[1] == MAGIC[1] && b[2] == MAGIC[2] && b[3] == MAGIC[3]) {
                    In r = new In(b, 4, b.length);
                    int n = r.varint();
                    for (int i = 0; i < n; i++) {
                        String name = r.string();
                        long crc = r.long8();
                        int len = r.varint();
                        m.put(name, new Entry(crc, r.pos, len));
                        r.pos += len;
                    }
                    packedBytes = b;
                }
            } catch (IOException | RuntimeException e) {
                m.clear(); // a damaged resource: parse as if there were none
            }
            packed = m;
        }
        return packed;
    }

    /** The tree the build parsed from exactly this file's text, or null (parse it). */
    static YamlNode lookup(String file, String text) {
        Entry e = packed().get(file);
        if (e == null || e.crc != crc(text)) {
            return null;
        }
        return YamlNode.of(file, decode(packedBytes, e.offset, e.length));
    }

    /** Decodes one file's section. */
    static Node decode(byte[] b, int offset, int length) {
        In r = new In(b, offset, offset + length);
        int n = r.varint();
        String[] strings = new String[n];
        for (int i = 0; i < n; i++) {
            strings[i] = r.string();
        }
        return r.node(strings);
    }

    static long crc(String text) {
        CRC32 c = new CRC32();
        c.update(text.getBytes(StandardCharsets.UTF_8));
        return c.getValue();
    }

    private static final class In {
        final byte[] b;
        int pos;
        final int end;

        In(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int varint() {
            int v = 0;
            for (int shift = 0; ; shift += 7) {
                int x = b[pos++];
                v |= (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
        }

        long long8() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (b[pos++] & 0xFF);
            }
            return v;
        }

        String string() {
            int len = varint();
            String s = new String(b, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        Node node(String[] strings) {
            int kind = b[pos++];
            int t = varint();
            Tag tag = t < TAGS.length ? TAGS[t] : new Tag(strings[t - TAGS.length]);
            int line = varint();
            int col = varint();
            Mark mark = new Mark("", 0, line, col, NO_BUFFER, 0);
            int style = b[pos++];
            if (kind == 0) {
                return new ScalarNode(tag, strings[varint()], mark, mark, SCALAR_STYLES[style]);
            }
            int n = varint();
            if (kind == 1) {
                List<NodeTuple> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Node k = node(strings);
                    items.add(new NodeTuple(k, node(strings)));
                }
                return new MappingNode(tag, true, items, mark, mark, FLOW_STYLES[style]);
            }
            List<Node> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                items.add(node(strings));
            }
            return new SequenceNode(tag, true, items, mark, mark, FLOW_STYLES[style]);
        }
    }

    private static final class Out extends ByteArrayOutputStream {
        void varint(int v) {
            while ((v & ~0x7F) != 0) {
                write((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            write(v);
        }

        void long8(long v) {
            for (int i = 7; i >= 0; i--) {
                write((int) (v >>> (8 * i)) & 0xFF);
            }
        }

        void string(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            varint(u.length);
            write(u, 0, u.length);
        }

        void bytes(byte[] x) {
            write(x, 0, x.length);
        }
    }
}
