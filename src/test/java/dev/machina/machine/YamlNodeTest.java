package dev.machina.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlNodeTest {
    private static final String DOC = """
            kind: compat-sets
            sets:
              - name: a
                entries:
                  - {driver: x, property: p, value: "on"}
                  - {driver: y, property: q, value: off}
            """;

    @Test
    void childrenKnowTheirLineColumnAndObjectPath() {
        YamlNode e = YamlNode.parse("f.yaml", DOC).get("sets").items().get(0).get("entries").items().get(1);

        assertEquals("sets[0].entries[1]", e.path());
        assertEquals(new Position("f.yaml", 6, 9, "sets[0].entries[1]"), e.position());
        assertEquals(new Position("f.yaml", 6, 21, "sets[0].entries[1].property"), e.keyPosition("property"));
    }

    @Test
    void scalarsAreTypedByYamlRulesAndQuotedOnesStayText() {
        List<YamlNode> entries = YamlNode.parse("f.yaml", DOC).at("#/sets/0/entries").items();

        assertEquals("on", entries.get(0).get("value").value());
        assertEquals(Boolean.FALSE, entries.get(1).get("value").value()); // YAML 1.1: off is a boolean
        assertEquals("off", entries.get(1).get("value").text());
    }

    @Test
    void integersKeepTheirValueBeyond64Bits() {
        YamlNode n = YamlNode.parse("f.yaml", "a: 0x10\nb: 18446744073709551615\nc: -3\n");

        assertEquals(16L, n.get("a").value());
        assertEquals(new BigInteger("18446744073709551615"), n.get("b").value());
        assertEquals(-3L, n.get("c").value());
    }

    @Test
    void aJsonPointerLeadsToTheDeepestExistingNode() {
        YamlNode doc = YamlNode.parse("f.yaml", DOC);

        assertEquals("sets[0].entries[0]", doc.at("#/sets/0/entries/0").path());
        assertEquals("sets[0]", doc.at("#/sets/0/nothing/3").path());
    }

    @Test
    void aDuplicateKeyIsAnErrorAtTheSecondOneNamingTheFirst() {
        MachineDataException e = assertThrows(MachineDataException.class, () -> YamlNode.parse("f.yaml", "a: 1\nb: 2\na: 3\n"));

        MachineError.DuplicateKey d = (MachineError.DuplicateKey) e.errors().get(0);
        assertEquals(3, d.where().line());
        assertEquals(1, d.first().line());
    }

    @Test
    void aSyntaxErrorHasThePositionYamlReports() {
        MachineDataException e = assertThrows(MachineDataException.class, () -> YamlNode.parse("f.yaml", "a: [1, 2\n"));

        MachineError err = e.errors().get(0);
        assertEquals("yaml-syntax", err.rule());
        assertTrue(err.where().line() >= 1, err.format());
    }

    @Test
    void anEmptyFileIsAnEmptyMapping() {
        assertEquals(List.of(), YamlNode.parse("f.yaml", "").keys());
    }
}
