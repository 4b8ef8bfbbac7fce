package dev.machina.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.function.Supplier;
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
 * Reads the YAML node trees the build stored for the packaged YAML files ({@code machines/trees.bin},
 * written by {@code dev.machina.machine.YamlTrees}, which describes the format): a file's tree is
 * handed out only while the text being read has the CRC-32 the build recorded for that name. Here,
 * not in {@code machine}, so that the CPU core's model catalog can use it too.
 */
public final class YamlTreeStore {
    private YamlTreeStore() {}

    public static final String NAME = "machines/trees.bin";
    public static final byte[] MAGIC = {'M', 'Y', 'T', '2'};
    public static final Tag[] TAGS = {Tag.STR, Tag.INT, Tag.BOOL, Tag.FLOAT, Tag.NULL, Tag.MAP, Tag.SEQ, Tag.TIMESTAMP, Tag.BINARY};
    private static final DumperOptions.ScalarStyle[] SCALAR_STYLES = DumperOptions.ScalarStyle.values();
    private static final DumperOptions.FlowStyle[] FLOW_STYLES = DumperOptions.FlowStyle.values();
    private static final int[] NO_BUFFER = new int[0];

    private record Entry(long crc, int offset, int length) {}

    private static byte[] packedBytes;
    private static Map<String, Entry> packed;

    /** The packaged trees' directory, read once (empty when the resource is missing or not ours). */
    private static synchronized Map<String, Entry> packed() {
        if (packed == null) {
            Map<String, Entry> m = new HashMap<>();
            try (InputStream in = YamlTreeStore.class.getClassLoader().getResourceAsStream(NAME)) {
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

    /** The root node the build parsed from exactly this file's text, or null (parse it). */
    public static Node lookup(String file, String text) {
        Entry e = packed().get(file);
        if (e == null || e.crc != crc(text)) {
            return null;
        }
        return decode(packedBytes, e.offset, e.length);
    }

    /** Decodes one file's section. */
    public static Node decode(byte[] b, int offset, int length) {
        In r = new In(b, offset, offset + length);
        return r.node(new Strings(r));
    }

    /** The CRC-32 of a text's UTF-8 bytes, as the build records it. */
    public static long crc(String text) {
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

        Node node(Strings strings) {
            int kind = b[pos++];
            int t = varint();
            Tag tag = t < TAGS.length ? TAGS[t] : new Tag(strings.get(t - TAGS.length));
            int line = varint();
            int col = varint();
            Mark mark = new Mark("", 0, line, col, NO_BUFFER, 0);
            int style = b[pos++];
            if (kind == 0) {
                return new ScalarNode(tag, strings.get(varint()), mark, mark, SCALAR_STYLES[style]);
            }
            int n = varint();
            int bodyLength = varint();
            int body = pos;
            pos += bodyLength; // the items are decoded when the list is first read
            if (kind == 1) {
                return new MappingNode(tag, true, new LazyList<>(() -> {
                    In r = new In(b, body, body + bodyLength);
                    List<NodeTuple> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        Node k = r.node(strings);
                        items.add(new NodeTuple(k, r.node(strings)));
                    }
                    return items;
                }), mark, mark, FLOW_STYLES[style]);
            }
            return new SequenceNode(tag, true, new LazyList<>(() -> {
                In r = new In(b, body, body + bodyLength);
                List<Node> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(r.node(strings));
                }
                return items;
            }), mark, mark, FLOW_STYLES[style]);
        }
    }

    /** A section's string table: each string made from its bytes when first used. */
    private static final class Strings {
        private final byte[] b;
        private final int[] offsets;
        private final int[] lengths;
        private final String[] made;

        Strings(In r) {
            int n = r.varint();
            b = r.b;
            offsets = new int[n];
            lengths = new int[n];
            made = new String[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = r.varint();
                offsets[i] = r.pos;
                r.pos += lengths[i];
            }
        }

        String get(int i) {
            String s = made[i]; // a race makes an equal string twice, which is harmless
            if (s == null) {
                s = new String(b, offsets[i], lengths[i], StandardCharsets.UTF_8);
                made[i] = s;
            }
            return s;
        }
    }
}
