package dev.machina.machine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Format (big-endian, integers as unsigned LEB128 varints unless said): magic {@code MYT2}, the
 * number of files, then per file its name and the CRC-32 of its UTF-8 text (8 bytes), the length of
 * its tree section, and the section: a string table (count, then each string's UTF-8 length and
 * bytes) and the root node. A node is a kind byte (0 scalar, 1 mapping, 2 list), a tag (index into
 * {@link #TAGS}, or TAGS.length + a string index for another tag), line and column (0-based, as
 * SnakeYAML's marks), a style byte, then a scalar's string index or a collection's count, the byte
 * length of its items and the items (a mapping's as key, value pairs). The length lets a reader skip
 * a collection until it is first read (a run reads one CPU model's property list out of cpu.yaml's
 * 136, not all of them); the string table is likewise made into strings one by one on use.
 */
public final class YamlTrees {
    private YamlTrees() {}

    public static final String NAME = dev.machina.util.YamlTreeStore.NAME;
    private static final byte[] MAGIC = dev.machina.util.YamlTreeStore.MAGIC;
    private static final Tag[] TAGS = dev.machina.util.YamlTreeStore.TAGS;

    /** The packaged YAML files the build stores: the data files and the CPU core's model catalog. */
    static final List<String> DIRS = List.of("machines", "machines/types", "compat", "machines/cpu");

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
            Out body = new Out();
            for (NodeTuple t : mn.getValue()) {
                node(t.getKeyNode(), body, strings, order);
                node(t.getValueNode(), body, strings, order);
            }
            o.varint(body.size());
            o.bytes(body.toByteArray());
        } else {
            SequenceNode sn = (SequenceNode) n;
            o.write(sn.getFlowStyle().ordinal());
            o.varint(sn.getValue().size());
            Out body = new Out();
            for (Node item : sn.getValue()) {
                node(item, body, strings, order);
            }
            o.varint(body.size());
            o.bytes(body.toByteArray());
        }
    }

    /**
     * Writes {@code machines/trees.bin} under a build's classes directory from the packaged data
     * files there (run by the Maven build after resources are copied and classes compiled).
     */
    public static void main(String[] args) throws IOException {
        Path classes = Path.of(args[0]);
        List<DataFiles.DataFile> files = new ArrayList<>();
        for (String d : DIRS) {
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
    // reading (start-up): dev.machina.util.YamlTreeStore, which the CPU core can use too

    /** The tree the build parsed from exactly this file's text, or null (parse it). */
    static YamlNode lookup(String file, String text) {
        Node root = dev.machina.util.YamlTreeStore.lookup(file, text);
        return root == null ? null : YamlNode.of(file, root);
    }

    /** Decodes one file's section. */
    static Node decode(byte[] b, int offset, int length) {
        return dev.machina.util.YamlTreeStore.decode(b, offset, length);
    }

    static long crc(String text) {
        return dev.machina.util.YamlTreeStore.crc(text);
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
