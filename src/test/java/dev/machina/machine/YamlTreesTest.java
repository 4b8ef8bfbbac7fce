package dev.machina.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

class YamlTreesTest {
    /** The whole tree as text: kind, tag, style, line:col and value of every node, in order. */
    private static void dump(Node n, StringBuilder sb, String indent) {
        sb.append(indent).append(n.getNodeId()).append(' ').append(n.getTag().getValue()).append(' ')
                .append(n.getStartMark().getLine()).append(':').append(n.getStartMark().getColumn());
        if (n instanceof ScalarNode s) {
            sb.append(' ').append(s.getScalarStyle()).append(" [").append(s.getValue()).append("]\n");
        } else if (n instanceof MappingNode m) {
            sb.append(' ').append(m.getFlowStyle()).append('\n');
            for (NodeTuple t : m.getValue()) {
                dump(t.getKeyNode(), sb, indent + "  ");
                dump(t.getValueNode(), sb, indent + "    ");
            }
        } else {
            SequenceNode q = (SequenceNode) n;
            sb.append(' ').append(q.getFlowStyle()).append('\n');
            for (Node i : q.getValue()) {
                dump(i, sb, indent + "  ");
            }
        }
    }

    private static String dump(YamlNode n) {
        StringBuilder sb = new StringBuilder();
        dump(n.node(), sb, "");
        return sb.toString();
    }

    @Test
    void everyPackagedFileReadsFromTheBuildsTreesAsTheParserReadsIt() {
        List<DataFiles.DataFile> files = DataFiles.packaged();
        assertFalse(files.isEmpty());
        for (DataFiles.DataFile f : files) {
            YamlNode built = YamlTrees.lookup(f.name(), f.text());
            assertNotNull(built, f.name() + " is not in " + YamlTrees.NAME + " (the build writes it at process-classes)");
            assertEquals(dump(YamlNode.parseText(f.name(), f.text())), dump(built), f.name());
            assertEquals(YamlNode.parseText(f.name(), f.text()).position(), built.position(), f.name());
        }
    }

    @Test
    void aChangedTextIsParsedAfreshNotTakenFromTheTrees() {
        DataFiles.DataFile f = DataFiles.packaged().get(0);
        String edited = f.text() + "\nextra-key-for-the-test: 1\n";

        assertNull(YamlTrees.lookup(f.name(), edited));
        assertNotNull(YamlNode.parse(f.name(), edited).get("extra-key-for-the-test"));
    }

    @Test
    void quotedScalarsTagsAndFlowStylesSurviveTheEncoding() {
        String text = "kind: device-types\na: 'on'\nb: on\nc: {x: 1, y: [2, 3.5, null]}\nd: !custom v\n";
        DataFiles.DataFile f = new DataFiles.DataFile("t.yaml", text);
        byte[] bin = YamlTrees.encode(List.of(f));
        // one file: magic, count, name, CRC, section length, then the section
        int p = 4 + 1 + 1 + "t.yaml".length() + 8;
        int len = 0;
        for (int shift = 0; ; shift += 7) {
            int x = bin[p++];
            len |= (x & 0x7F) << shift;
            if (x >= 0) {
                break;
            }
        }
        YamlNode back = YamlNode.of("t.yaml", YamlTrees.decode(bin, p, len));

        assertEquals(dump(YamlNode.parseText("t.yaml", text)), dump(back));
        assertEquals("on", back.get("a").value());
        assertEquals(Boolean.TRUE, back.get("b").value());
    }
}
