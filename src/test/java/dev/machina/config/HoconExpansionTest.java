package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile HOCON is refused before Typesafe Config resolves it (resolution is eager: these documents
 * would be 10^9 values or characters, minutes of CPU and gigabytes), and ordinary substitutions pass.
 */
class HoconExpansionTest {
    @TempDir
    Path dir;

    private ReadResult read(String text) throws IOException {
        Path f = dir.resolve("x.conf");
        Files.writeString(f, text);
        return HoconFormat.read(f, "x.conf");
    }

    /** Nine levels, each ten substitutions of the one before, of {@code first}; {@code join} puts them in a value. */
    private static String ladder(String first, String open, String sep, String close) {
        StringBuilder b = new StringBuilder("vars {\n  a = " + first + "\n");
        for (char c = 'b'; c <= 'i'; c++) {
            b.append("  ").append(c).append(" = ").append(open)
                    .append(String.join(sep, Collections.nCopies(10, "${vars." + (char) (c - 1) + "}"))).append(close).append('\n');
        }
        return b.append("}\nsections = [{ machine { type = pc } }]\n").toString();
    }

    @Test
    void stringsOfStringsAreRefusedAsTooMuchTextAtTheLineWhereTheyCrossTheLimit() throws IOException {
        ReadResult r = read(ladder("\"xxxxxxxxxx\"", "", "", ""));
        assertEquals("x.conf:9: the document expands to more than 16 MiB of text (substitutions of substitutions?)",
                r.diagnostics().get(0).render());
    }

    @Test
    void objectsOfObjectsAreRefusedAsTooManyValues() throws IOException {
        StringBuilder b = new StringBuilder("vars {\n  a = {x = 1, y = 2, z = 3, w = 4, v = 5, u = 6, t = 7, s = 8, r = 9, q = 10}\n");
        for (char c = 'b'; c <= 'i'; c++) {
            List<String> keys = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                keys.add("k" + i + " = ${vars." + (char) (c - 1) + "}");
            }
            b.append("  ").append(c).append(" = {").append(String.join(", ", keys)).append("}\n");
        }
        b.append("}\nsections = [{ machine { type = pc } }]\n");
        ReadResult r = read(b.toString());
        assertEquals("x.conf:6: the document expands to more than 100000 values (substitutions of substitutions?)",
                r.diagnostics().get(0).render());
    }

    @Test
    void aValueDoubledByReferringToItselfFortyTimesIsRefused() throws IOException {
        ReadResult r = read("a = \"x\"\n" + "a = ${a}${a}\n".repeat(40) + "sections = [{ machine { type = pc } }]\n");
        assertTrue(r.diagnostics().get(0).message().startsWith("the document expands to more than"), r.diagnostics().toString());
    }

    @Test
    void appendsAndOrdinarySubstitutionsAreRead() throws IOException {
        ReadResult r = read("vars { dir = /srv/vm, list = [] }\n" + "vars.list += x\n".repeat(10)
                + "sections = [{ machine { type = pc } },\n  { chardev { id = c0, backend = file, path = ${vars.dir}\"/out.txt\" } }]\n");
        assertTrue(r.diagnostics().stream().noneMatch(d -> d.message().contains("expands") || d.message().contains("previous value")),
                r.diagnostics().toString());
        assertEquals(Optional.of("/srv/vm/out.txt"), r.config().sections().get(1).get("path"));
    }

    @Test
    void moreThanFiftyAppendsToOnePathAreRefusedBeforeTheQuadraticResolution() throws IOException {
        ReadResult r = read("vars { list = [] }\n" + "vars.list += x\n".repeat(51) + "sections = [{ machine { type = pc } }]\n");
        assertEquals("x.conf:1: 'vars.list' refers to its previous value 51 times (more than 50); write its items in one array"
                + " or object instead", r.diagnostics().get(0).render());
    }

    @Test
    void layersSplitAtTopLevelCommasOnly() {
        assertEquals(List.of("\"x,y\"", "${a}[1,2]", "{b:{c:1,d:2}}"), HoconExpansion.layers("\"x,y\",${a}[1,2],{b:{c:1,d:2}}"));
    }
}
