package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CfgReaderTest {

    @Nested
    class Accepted {
        @Test
        void readsSectionsIdsKeysAndValuesWithTheirPositions() {
            ReadResult r = CfgReader.read("[machine]\n  type = \"pc\"\n\n[device \"s0\"]\n\tdriver\t=\t\"isa-serial\"\n", "vm.cfg");
            assertEquals(List.of(), r.diagnostics());
            List<Section> s = r.config().sections();
            assertEquals("machine", s.get(0).group());
            assertEquals(Optional.of("s0"), s.get(1).id());
            assertEquals(Optional.of("isa-serial"), s.get(1).get("driver"));
            assertEquals(new Origin.InFile("vm.cfg", 5, 2), s.get(1).entries().get(0).origin());
            assertEquals(new Origin.InFile("vm.cfg", 4, 1), s.get(1).origin());
        }

        @Test
        void anIdKeyInASectionWithoutHeaderIdIsTheSectionsId() {
            Section s = CfgReader.read("[chardev]\n  id = \"c3\"\n  backend = \"null\"\n", "f").orThrow().sections().get(0);
            assertEquals(Optional.of("c3"), s.id());
            assertEquals(List.of("backend"), s.entries().stream().map(Entry::key).toList());
        }

        @Test
        void valuesAreLiteralCommasHashesAndBracketsIncluded() {
            Section s = CfgReader.read("[name]\n  guest = \"a=b,c #d [e] f\"\n", "f").orThrow().sections().get(0);
            assertEquals(Optional.of("a=b,c #d [e] f"), s.get("guest"));
        }

        @Test
        void aFileWithoutFinalNewlineAndAnEmptySectionAreFine() {
            VmConfig c = CfgReader.read("[machina-nodefaults]\n[name]\n  guest = \"vm1\"", "f").orThrow();
            assertEquals(2, c.sections().size());
            assertEquals(List.of(), c.sections().get(0).entries());
        }

        @Test
        void commentsBlankLinesAndTrailingCommentsSurviveAWriteWhileLinesBecomeCanonical() {
            String in = "# my VM\n\n[name]   # header comment\n\tguest\t=\t\"vm1\"    # CHANGE ME\n\n\n# the serial port\n"
                    + "[device \"s0\"]\n# its driver\n  driver =\"isa-serial\"\n# the end\n";
            String expected = "# my VM\n\n[name]   # header comment\n  guest = \"vm1\"    # CHANGE ME\n\n\n# the serial port\n"
                    + "[device \"s0\"]\n# its driver\n  driver = \"isa-serial\"\n# the end\n";
            String out = CfgWriter.write(CfgReader.read(in, "f").orThrow());
            assertEquals(expected, out);
            assertEquals(out, CfgWriter.write(CfgReader.read(out, "f").orThrow()));
        }
    }

    /** Each line QEMU 7.2 rejects, misreads or accepts silently as something else: an error at this line and column. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "unquoted value read as ''          | [name]\\n  guest = vm1\\n          | 2 | 11 | without double quotes",
        "single quotes read as ''           | [name]\\n  guest = 'vm1'\\n        | 2 | 11 | single quotes",
        "bare key read as key = ''          | [name]\\n  guest\\n                | 2 | 8  | without '='",
        "no '=' read as key = ''            | [name]\\n  guest vm1\\n            | 2 | 9  | expected '='",
        "key glued to '='                   | [name]\\nguest=\"vm1\"\\n          | 2 | 6  | no blank between the key and '='",
        "key glued to '=' then blank        | [name]\\nguest= \"vm1\"\\n         | 2 | 6  | no blank between the key and '='",
        "unterminated quote keeps the LF    | [name]\\n  guest = \"vm1\\n         | 2 | 11 | not closed",
        "text after the closing quote       | [name]\\n  guest = \"a\\\\\"b\"\\n | 2 | 15 | text after the closing quote",
        "indented comment read as key '#'   | [name]\\n  # c\\n                  | 2 | 3  | indented comment",
        "whitespace-only line               | [name]\\n  \\n  guest = \"x\"\\n | 2 | 1  | only blanks",
        "CRLF line end                      | [name]\\r\\n                     | 1 | 7  | carriage return",
        "key before any header              | guest = \"x\"\\n[name]\\n         | 1 | 1  | before the first section header",
        "blank inside the brackets          | [ name ]\\n                       | 1 | 2  | a blank right after '['",
        "header without ']'                 | [name\\n                          | 1 | 6  | not closed with ']'",
        "empty header                       | []\\n                             | 1 | 2  | no group name",
        "id glued to the group              | [name\"n1\"]\\n                   | 1 | 6  | no blank between the group and its id",
        "text after the id's quote          | [chardev \"c1\" junk\\n          | 1 | 14 | expected ']' after the id",
        "empty id                           | [chardev \"\"]\\n                 | 1 | 10 | an empty id",
        "indented header                    | [name]\\n  [name]\\n             | 2 | 3  | indented section header",
        "byte order mark                    | \\uFEFF[name]\\n                  | 1 | 1  | byte order mark",
        "duplicate key, last wins in QEMU   | [name]\\n  guest = \"a\"\\n  guest = \"b\"\\n | 3 | 3 | given twice",
        "header id and id key               | [chardev \"c1\"]\\n  id = \"c2\"\\n | 2 | 3 | in its header and 'c2' as a key",
        "text after ']'                     | [name] x\\n                       | 1 | 8  | text after the closing ']'",
        "control character in a key        | [name]\\n  gu\\u0001est = \"x\"\\n | 2 | 5 | in the key",
    })
    void everySilentOrBrokenLineIsAnErrorAtItsPlace(String what, String text, int line, int column, String message) {
        ReadResult r = CfgReader.read(unescape(text.strip()), "t.cfg");
        assertTrue(!r.ok(), what + ": accepted");
        ConfigError first = r.diagnostics().get(0);
        assertEquals(new Origin.InFile("t.cfg", line, column), first.origin(), what + ": " + first.render());
        assertTrue(first.message().contains(message), what + ": " + first.message());
    }

    @Test
    void aLineOfMoreThan1023BytesIsAnErrorBecauseQemuSplitsIt() {
        String ok = "[name]\n  guest = \"" + "y".repeat(1022 - 12) + "\"\n"; // 1022 bytes + LF
        assertTrue(CfgReader.read(ok, "t").ok());
        String tooLong = "[name]\n  guest = \"" + "y".repeat(1023 - 12) + "\"\n";
        ReadResult r = CfgReader.read(tooLong, "t");
        assertEquals(2, ((Origin.InFile) r.diagnostics().get(0).origin()).line());
        assertTrue(r.diagnostics().get(0).message().contains("1023"));
    }

    @Test
    void namesOfMoreThan63CharactersAreErrorsBecauseQemuCutsThem() {
        assertTrue(CfgReader.read("[name]\n  " + "k".repeat(63) + " = \"v\"\n", "t").ok());
        assertTrue(CfgReader.read("[name]\n  " + "k".repeat(64) + " = \"v\"\n", "t").diagnostics().get(0).message().contains("64 characters"));
        assertTrue(CfgReader.read("[chardev \"" + "i".repeat(64) + "\"]\n", "t").diagnostics().get(0).message().contains("cuts ids"));
        assertTrue(CfgReader.read("[" + "g".repeat(64) + "]\n", "t").diagnostics().get(0).message().contains("64 characters"));
    }

    @Test
    void invalidUtf8AndNulBytesAreErrors() {
        assertTrue(CfgReader.read(new byte[] {'[', 'n', ']', '\n', ' ', 'k', ' ', '=', ' ', '"', (byte) 0xff, '"', '\n'}, "t")
                .diagnostics().get(0).message().contains("UTF-8"));
        assertTrue(CfgReader.read(new byte[] {'[', 'n', ']', '\n', ' ', 'k', ' ', '=', ' ', '"', 0, '"', '\n'}, "t")
                .diagnostics().get(0).message().contains("NUL"));
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(n);
            }
        }
        return b.toString();
    }
}
