package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatsTest {
    private static ReadResult yaml(String s) {
        return YamlFormat.read(s.getBytes(StandardCharsets.UTF_8), "vm.yaml");
    }

    private static ReadResult json(String s) {
        return JsonFormat.read(s.getBytes(StandardCharsets.UTF_8), "vm.json");
    }

    @Nested
    class Yaml {
        @Test
        void anchorsAliasesAndMergeKeysWork() {
            VmConfig c = yaml("""
                    vars:
                      serial: &serial {driver: isa-serial, wakeup: on}
                    sections:
                      - device: *serial
                      - device:
                          <<: *serial
                          id: s1
                          wakeup: off
                    """).orThrow();
            assertEquals(Optional.of("on"), c.sections().get(0).get("wakeup"));
            assertEquals(Optional.of("s1"), c.sections().get(1).id());
            assertEquals(Optional.of("off"), c.sections().get(1).get("wakeup"), "an explicit key beats a merged one");
            assertEquals(Optional.of("isa-serial"), c.sections().get(1).get("driver"));
        }

        @Test
        void plainScalarsAreTakenAsWrittenNotAsYamlBooleansOrNumbers() {
            Section s = yaml("sections:\n  - device: {driver: isa-serial, iobase: 0x3f8, wakeup: yes, index: 010}\n").orThrow().sections().get(0);
            assertEquals(Optional.of("0x3f8"), s.get("iobase"));
            assertEquals(Optional.of("yes"), s.get("wakeup"));
            assertEquals(Optional.of("010"), s.get("index"));
        }

        @Test
        void nestedMappingsAndListsAreDottedKeys() {
            Section s = yaml("sections:\n  - machine: {type: pc, smp: {cpus: 2}}\n  - object: {id: m, qom-type: memory-backend-ram, host-nodes: [0, 1]}\n")
                    .orThrow().sections().get(1);
            assertEquals(List.of("qom-type", "host-nodes.0", "host-nodes.1"), s.entries().stream().map(Entry::key).toList());
        }

        @Test
        void errorsCarryLineAndColumn() {
            assertEquals("vm.yaml:3:7: 'guest' has no value; write guest: \"\" for an empty value, or remove the key",
                    yaml("sections:\n  - name:\n      guest:\n").diagnostics().get(0).render());
            assertEquals("vm.yaml:1:1: unknown key 'section' in [top level]; did you mean 'sections'?",
                    yaml("section: []\n").diagnostics().get(0).render());
            assertTrue(yaml("sections: [\n").diagnostics().get(0).render().startsWith("vm.yaml:2:1: YAML syntax"));
            assertTrue(yaml("sections:\n  - name: {guest: a, guest: b}\n").diagnostics().get(0).message().contains("given twice"));
        }

        @Test
        void aRecursiveAliasIsAnErrorNotAStackOverflow() {
            assertFalse(yaml("sections:\n  - x: &a [*a]\n").ok());
        }

        @Test
        void aliasesOfAliasesThatExpandToBillionsOfValuesAreAnErrorNotAHang() {
            StringBuilder b = new StringBuilder("vars:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n");
            for (char c = 'b'; c <= 'i'; c++) {
                String prev = "*" + (char) (c - 1);
                b.append("  ").append(c).append(": &").append(c).append(" [")
                        .append(String.join(", ", java.util.Collections.nCopies(10, prev))).append("]\n");
            }
            b.append("sections:\n  - machine: {type: pc}\n"); // 10^9 values once the aliases are followed
            ReadResult r = yaml(b.toString()); // refused before the expansion, so no time limit is needed
            assertEquals("the document expands to more than 100000 values (aliases of aliases?)", r.diagnostics().get(0).message());
        }

        @Test
        void sectionsGivenTwiceIsAnErrorNotTheLastOneSilently() {
            ReadResult r = yaml("sections:\n  - machine: {type: pc}\nsections: []\n");
            assertFalse(r.ok());
            assertEquals("vm.yaml:3:1: 'sections' is given twice at the top level (first at vm.yaml:1:1); a document has one"
                    + " 'sections': merge the two", r.diagnostics().get(0).render());
        }
    }

    @Nested
    class Json {
        @Test
        void readsTheSameShapeWithPositionsAndBooleansAsOnOff() {
            ReadResult r = json("{\"sections\": [{\"device\": {\"driver\": \"isa-serial\", \"wakeup\": true, \"iobase\": 1016}}]}");
            Section s = r.orThrow().sections().get(0);
            assertEquals(Optional.of("on"), s.get("wakeup"));
            assertEquals(Optional.of("1016"), s.get("iobase"));
            assertEquals(new Origin.InFile("vm.json", 1, 51), s.entry("wakeup").orElseThrow().origin());
        }

        @Test
        void syntaxErrorsHaveTheirPosition() {
            assertTrue(json("{\"sections\": [}\n").diagnostics().get(0).render().startsWith("vm.json:1:15: JSON syntax"),
                    json("{\"sections\": [}\n").diagnostics().get(0).render());
        }

        @Test
        void syntaxErrorsSayWhereInWordsNotJacksonsInternals() {
            assertEquals("vm.json:1:15: JSON syntax: Unexpected end-of-input: expected close marker for Array"
                    + " (start marker at line 1, column 14)", json("{\"sections\": [").diagnostics().get(0).render());
            String deep = "{\"sections\": [" + "[".repeat(100) + "]".repeat(100) + "]}";
            String m = json(deep).diagnostics().get(0).render();
            assertTrue(m.contains("nesting depth") && !m.contains("StreamReadConstraints"), m);
        }

        @Test
        void sectionsGivenTwiceIsAnErrorNotTheLastOneSilently() {
            ReadResult r = json("{\"sections\": [{\"machine\": {\"type\": \"pc\"}}], \"sections\": []}");
            assertFalse(r.ok());
            assertTrue(r.diagnostics().get(0).message().startsWith("'sections' is given twice at the top level"),
                    r.diagnostics().get(0).render());
        }
    }

    @Nested
    class Hocon {
        @TempDir
        Path dir;

        @Test
        void includesAndSubstitutionsWork() throws IOException {
            Files.writeString(dir.resolve("common.conf"), "vars { dir = \"/srv/vm\" }\nsections = [ { machine { type = pc } } ]\n");
            Files.writeString(dir.resolve("vm.conf"), "include \"common.conf\"\nsections = ${sections} [\n"
                    + "  { chardev { id = c0, backend = file, path = ${vars.dir}\"/out.txt\" } }\n]\n");
            VmConfig c = HoconFormat.read(dir.resolve("vm.conf"), "vm.conf").orThrow();
            assertEquals(List.of("machine", "chardev"), c.sections().stream().map(Section::group).toList());
            assertEquals(Optional.of("/srv/vm/out.txt"), c.sections().get(1).get("path"));
            assertEquals(new Origin.InFile("vm.conf", 3, 24), c.sections().get(1).entry("backend").orElseThrow().origin());
        }

        /**
         * Issue 11 item 6: {@code config convert a.conf} run in a.conf's own directory read its
         * {@code include "b.conf"} as nothing (a bare file name has no parent directory to resolve the
         * include against, and Typesafe Config then looks on the class path, where a missing include is no
         * error). Run as a user runs it: a separate process whose working directory holds both files.
         */
        @Test
        void anIncludeByBareNameIsReadFromTheIncludingFilesDirectoryWhenItIsTheWorkingDirectory() throws Exception {
            Files.writeString(dir.resolve("a.conf"), "include \"b.conf\"\nsections = ${sections} [ { name { guest = vm1 } } ]\n");
            Files.writeString(dir.resolve("b.conf"), "sections = [ { machine { type = pc } } ]\n");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "dev.machina.cli.Main", "config", "convert", "a.conf", "--to", "cfg")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertEquals("[machine]\n  type = \"pc\"\n\n[name]\n  guest = \"vm1\"\n", out);
        }

        @Test
        void keysComeBackInTheOrderTheyWereWritten() throws IOException {
            Files.writeString(dir.resolve("o.conf"), "sections = [ { device {\n  zeta = 1\n  driver = isa-serial\n  alpha = 2\n  mid = 3, b = 4\n} } ]\n");
            Section s = HoconFormat.read(dir.resolve("o.conf"), "o.conf").orThrow().sections().get(0);
            assertEquals(List.of("zeta", "driver", "alpha", "mid", "b"), s.entries().stream().map(Entry::key).toList());
        }

        @Test
        void aNumberHoconWouldChangeIsAnErrorAskingForQuotes() throws IOException {
            Files.writeString(dir.resolve("n.conf"), "sections = [ { device { driver = isa-serial, index = 010 } } ]\n");
            ReadResult r = HoconFormat.read(dir.resolve("n.conf"), "n.conf");
            assertEquals("n.conf:1:46: HOCON reads the number 010 as 10; put it in quotes (\"010\") to keep it as written",
                    r.diagnostics().get(0).render());
        }

        /**
         * {@code .hocon} is a HOCON extension Machina reads and writes ({@code config convert -o vm.hocon}), but
         * Typesafe Config takes only .conf/.json/.properties as extensions: {@code include "common.hocon"} looked
         * for common.hocon.conf, .json and .properties, found none and was silently read as nothing. Now the
         * named file is read (relative to the including file), required() still makes a missing one an error,
         * and a file that includes itself this way is the cycle error at its include line.
         */
        @Test
        void anIncludeOfAHoconFileIsReadAndACycleThroughItIsAnError() throws IOException {
            Files.writeString(dir.resolve("common.hocon"), "sections = [ { machine { type = pc } } ]\n");
            Files.writeString(dir.resolve("vm.hocon"), "include \"common.hocon\"\nsections = ${sections} [ { name { guest = vm1 } } ]\n");
            VmConfig c = HoconFormat.read(dir.resolve("vm.hocon"), "vm.hocon").orThrow();
            assertEquals(List.of("machine", "name"), c.sections().stream().map(Section::group).toList());
            Files.writeString(dir.resolve("r.hocon"), "include required(\"missing.hocon\")\nsections = []\n");
            String m = HoconFormat.read(dir.resolve("r.hocon"), "r.hocon").diagnostics().get(0).render();
            assertTrue(m.startsWith("r.hocon:1:1: HOCON: ") && m.contains("missing.hocon"), m);
            Files.writeString(dir.resolve("self.hocon"), "sections = []\ninclude \"self.hocon\"\n");
            String cycle = HoconFormat.read(dir.resolve("self.hocon"), "self.hocon").diagnostics().get(0).render();
            assertTrue(cycle.startsWith("self.hocon:2:1: HOCON: the includes form a cycle"), cycle);
        }

        @Test
        void aMissingRequiredIncludeIsAnErrorAtTheIncludeLine() throws IOException {
            Files.writeString(dir.resolve("i.conf"), "# vm\ninclude required(\"missing.conf\")\nsections = []\n");
            String m = HoconFormat.read(dir.resolve("i.conf"), "i.conf").diagnostics().get(0).render();
            assertTrue(m.startsWith("i.conf:2:1: HOCON: ") && m.contains("missing.conf") && !m.contains("java."), m);
        }

        @Test
        void anIncludeOfAUrlIsRefusedNotFetched() throws IOException {
            Files.writeString(dir.resolve("url.conf"), "include url(\"http://192.0.2.1/x.conf\")\nsections = []\n");
            assertEquals("url.conf:1:1: HOCON: include of a URL (http://192.0.2.1/x.conf) is not allowed; include a local file instead",
                    HoconFormat.read(dir.resolve("url.conf"), "url.conf").diagnostics().get(0).render());
            Files.writeString(dir.resolve("url2.conf"), "sections = []\ninclude \"https://192.0.2.1/x.conf\"\n");
            assertEquals("url2.conf:2:1: HOCON: include of a URL (https://192.0.2.1/x.conf) is not allowed; include a local file instead",
                    HoconFormat.read(dir.resolve("url2.conf"), "url2.conf").diagnostics().get(0).render());
        }

        @Test
        void nestingDeeperThan64LevelsIsAnError() throws IOException {
            Files.writeString(dir.resolve("d.conf"), "sections = [{ machine { type = " + "[".repeat(100) + "]".repeat(100) + " } }]\n");
            assertEquals("the document nests more than 64 levels",
                    HoconFormat.read(dir.resolve("d.conf"), "d.conf").diagnostics().get(0).message());
        }

        @Test
        void substitutionsOfSubstitutionsThatExpandToBillionsOfValuesAreAnErrorNotAHang() throws IOException {
            StringBuilder b = new StringBuilder("vars {\n  a = [x, x, x, x, x, x, x, x, x, x]\n");
            for (char c = 'b'; c <= 'i'; c++) {
                String prev = "${vars." + (char) (c - 1) + "}";
                b.append("  ").append(c).append(" = [").append(String.join(", ", java.util.Collections.nCopies(10, prev))).append("]\n");
            }
            b.append("}\nsections = [{ machine { type = pc } }]\n");
            Files.writeString(dir.resolve("l.conf"), b);
            ReadResult r = HoconFormat.read(dir.resolve("l.conf"), "l.conf"); // refused before it is resolved
            assertTrue(r.diagnostics().get(0).message().startsWith("the document expands to more than 100000 values"),
                    r.diagnostics().get(0).render());
        }

        @Test
        void anUnresolvedSubstitutionIsAPositionedError() throws IOException {
            Files.writeString(dir.resolve("u.conf"), "sections = [\n  { name { guest = ${nope} } }\n]\n");
            String m = HoconFormat.read(dir.resolve("u.conf"), "u.conf").diagnostics().get(0).render();
            assertTrue(m.startsWith("u.conf:2: HOCON: "), m);
            assertTrue(m.contains("nope"), m);
        }
    }

    @Test
    void theFormatComesFromTheExtension() {
        assertEquals(Optional.of(ConfigFormat.HOCON), ConfigFormat.byExtension("vm.conf"));
        assertEquals(Optional.of(ConfigFormat.YAML), ConfigFormat.byExtension("VM.YML"));
        assertEquals(Optional.empty(), ConfigFormat.byExtension("vm.txt"));
        assertEquals(ConfigFormat.CFG, ConfigFiles.readconfigFormat("qemu.conf"), "-readconfig reads .conf as QEMU does");
    }
}
