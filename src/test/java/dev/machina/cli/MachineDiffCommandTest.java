package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/** {@code machina machine diff} as a user runs it, checked against the data files read independently. */
class MachineDiffCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Context context;

    @BeforeAll
    static void shareOneContext() {
        context = new Context();
    }

    static CliRunner run(String... args) {
        return CliRunner.run(context, args);
    }

    static JsonNode json(String... args) throws Exception {
        CliRunner r = run(args);
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out());
    }

    // -- the data files, read with plain SnakeYAML (not the loader under test) ---------------------------

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    /** The entries of a compat set as written in compat/*.yaml: "driver.property" → value text. */
    @SuppressWarnings("unchecked")
    static Map<String, String> compatEntries(String set) throws Exception {
        for (String f : List.of("compat/hw.yaml", "compat/pc.yaml", "compat/defaults.yaml")) {
            Map<String, Object> doc = new Yaml().load(Files.readString(Path.of(f)));
            for (Map<String, Object> s : list(doc.get("sets"))) {
                if (s.get("name").equals(set)) {
                    Map<String, String> out = new HashMap<>();
                    for (Map<String, Object> e : list(s.get("entries"))) {
                        out.put(e.get("driver") + "." + e.get("property"), String.valueOf(e.get("value")));
                    }
                    return out;
                }
            }
        }
        throw new AssertionError("no compat set " + set);
    }

    /** A version's own compat set names and options, as written in machines/FAMILY.yaml. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> version(String family, String name) throws Exception {
        Map<String, Object> doc = new Yaml().load(Files.readString(Path.of("machines/" + family + ".yaml")));
        for (Map<String, Object> v : list(doc.get("versions"))) {
            if (v.get("name").equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no version " + name);
    }

    /** A value as text, the way compat files write it: booleans on/off/true/false all compare as true/false. */
    static String text(JsonNode v) {
        return v.isNumber() ? v.bigIntegerValue().toString() : v.asText();
    }

    static String compatText(String v) {
        return switch (v) {
            case "on", "yes" -> "true";
            case "off", "no" -> "false";
            default -> v.startsWith("0x") ? new java.math.BigInteger(v.substring(2), 16).toString() : v;
        };
    }

    @Nested
    class AdjacentVersions {
        /**
         * An older version is the next newer one plus its own compat sets and options, so between the
         * two exactly the entries of those sets differ (their value in the older one), plus its options.
         */
        @ParameterizedTest(name = "{1} vs {2}")
        @CsvSource({"pc-i440fx, pc-i440fx-7.1, pc-i440fx-7.2", "pc-i440fx, pc-i440fx-7.0, pc-i440fx-7.1",
                "pc-q35, pc-q35-7.1, pc-q35-7.2", "pc-q35, pc-q35-5.0, pc-q35-5.1"})
        void listsExactlyTheEntriesOfTheOlderVersionsOwnSetsPlusItsOptions(String family, String older, String newer) throws Exception {
            Map<String, Object> v = version(family, older);
            Map<String, String> expected = new HashMap<>();
            for (Object set : (List<?>) v.getOrDefault("compat", List.of())) {
                expected.putAll(compatEntries((String) set)); // a later set of the same version wins, as it is applied later
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> options = (Map<String, Object>) v.getOrDefault("options", Map.of());

            JsonNode d = json("machine", "diff", older, newer, "--format", "json");

            Map<String, String> rows = new HashMap<>();
            for (JsonNode r : d.get("properties")) {
                rows.put(r.get("driver").asText() + "." + r.get("property").asText(), text(r.get("values").get(older)));
                assertTrue(r.get("sources").get(older).asText().matches("compat (hw|pc)-[0-9.]+ \\(compat/(hw|pc)\\.yaml:\\d+\\)"),
                        r.toString());
            }
            assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(rows.keySet()));
            expected.forEach((k, val) -> assertEquals(compatText(val), rows.get(k), k));
            Set<String> optionRows = new HashSet<>();
            d.get("options").forEach(o -> optionRows.add(o.get("name").asText()));
            assertEquals(options.keySet(), optionRows);
            for (JsonNode o : d.get("options")) {
                assertEquals(String.valueOf(options.get(o.get("name").asText())), text(o.get("values").get(older)), o.toString());
                assertTrue(o.get("sources").get(older).asText().startsWith(older + " (machines/" + family + ".yaml:"), o.toString());
            }
        }

        @Test
        void theDefaultGraphsOfOneFamilyDifferOnlyInCompatValuesAndWhatRealizeComputesFromThem() throws Exception {
            JsonNode d = json("machine", "diff", "pc-i440fx-2.5", "pc-i440fx-7.2", "--format", "json");

            boolean computed = false;
            for (JsonNode r : d.get("devices")) {
                assertEquals("property", r.get("field").asText(), r.toString());
                String source = r.get("sources").get("pc-i440fx-2.5").asText();
                // pci-hole64-start/end: computed from x-pci-hole64-fix, which compat pc-2.10 turns off for 2.5
                computed |= source.startsWith("computed at realize");
                assertTrue(source.startsWith("compat ") || source.startsWith("computed at realize"), r.toString());
            }
            assertTrue(computed, "the 64-bit PCI hole of pc-i440fx-2.5 is computed from its compat values");
        }
    }

    @Nested
    class Shape {
        @Test
        void jsonHasTheDocumentedKeysAndEveryMachineInEveryRow() throws Exception {
            JsonNode d = json("machine", "diff", "pc-q35-2.4", "q35", "pc", "--format", "json", "--all");

            assertEquals(List.of("pc-q35-2.4", "pc-q35-10.2", "pc-i440fx-10.2"), names(d.get("machines")));
            assertEquals(List.of("machines", "options", "properties", "devices"), names(d.fieldNames()));
            Map<String, List<String>> keys = Map.of("options", List.of("name", "values", "sources", "changed"),
                    "properties", List.of("driver", "property", "values", "sources", "changed"),
                    "devices", List.of("device", "field", "name", "values", "sources", "changed"));
            keys.forEach((section, k) -> {
                assertTrue(d.get(section).size() > 0, section);
                for (JsonNode r : d.get(section)) {
                    assertEquals(k, names(r.fieldNames()), section);
                    assertEquals(names(d.get("machines")), names(r.get("values").fieldNames()));
                    assertEquals(names(d.get("machines")), names(r.get("sources").fieldNames()));
                }
            });
        }

        @Test
        void withoutAllOnlyChangedRowsAreListedWithAllEveryRow() throws Exception {
            JsonNode some = json("machine", "diff", "pc-i440fx-7.1", "pc-i440fx-7.2", "--format", "json");
            JsonNode all = json("machine", "diff", "pc-i440fx-7.1", "pc-i440fx-7.2", "--format", "json", "--all");

            some.get("properties").forEach(r -> assertTrue(r.get("changed").asBoolean(), r.toString()));
            assertTrue(all.get("properties").size() > some.get("properties").size() + 30);
            int changed = 0;
            for (JsonNode r : all.get("properties")) {
                changed += r.get("changed").asBoolean() ? 1 : 0;
            }
            assertEquals(some.get("properties").size(), changed);
        }

        @Test
        void csvHasOneQuotedRecordPerRowThatReadsBackToTheTableCells() throws Exception {
            CliRunner csv = run("machine", "diff", "pc-i440fx-1.7", "pc-i440fx-2.2", "--format", "csv");
            JsonNode d = json("machine", "diff", "pc-i440fx-1.7", "pc-i440fx-2.2", "--format", "json");

            List<List<String>> records = parseCsv(csv.out());

            assertEquals(List.of("section", "subject", "name", "pc-i440fx-1.7", "pc-i440fx-2.2"), records.get(0));
            assertEquals(1 + d.get("options").size() + d.get("properties").size() + d.get("devices").size(), records.size());
            List<List<String>> keys = new ArrayList<>();
            d.get("options").forEach(r -> keys.add(List.of("option", "", r.get("name").asText())));
            d.get("properties").forEach(r -> keys.add(List.of("property", r.get("driver").asText(), r.get("property").asText())));
            d.get("devices").forEach(r -> keys.add(List.of("device", r.get("device").asText(),
                    r.get("field").asText() + (r.get("name").isNull() ? "" : " " + r.get("name").asText()))));
            assertEquals(keys, records.subList(1, records.size()).stream().map(r -> r.subList(0, 3)).toList());
            records.forEach(r -> assertEquals(5, r.size(), r.toString()));
            // the value holds a comma: quoted, it comes back as one field
            List<String> opts = records.stream().filter(r -> r.get(2).equals("default-machine-options")).findFirst().orElseThrow();
            assertEquals(List.of("option", "", "default-machine-options", "(none)", "firmware=bios-256k.bin,suppress-vmdesc=on"), opts);
        }

        @Test
        void csvQuotesFieldsWithCommasQuotesAndLineBreaks() {
            assertEquals("a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",\" pad\"\n",
                    DiffFormat.csvLine(List.of("a", "b,c", "say \"hi\"", "x\ny", " pad")));
        }

        @Test
        void markdownIsOneTablePerSectionWithAColumnPerMachine() {
            CliRunner md = run("machine", "diff", "pc-i440fx-7.0", "pc-i440fx-7.2", "--format", "markdown");

            assertEquals(0, md.code(), md.err());
            assertTrue(md.out().contains("### Options\n\n| option | pc-i440fx-7.0 | pc-i440fx-7.2 |\n| --- | --- | --- |\n"
                    + "| `enforce-amd-1tb-hole` | false | true |\n"), md.out());
            assertTrue(md.out().contains("### Compat properties\n\n| driver | property | pc-i440fx-7.0 | pc-i440fx-7.2 |\n"), md.out());
            long header = 0;
            for (String line : md.out().split("\n")) {
                long pipes = line.replace("\\|", "").chars().filter(c -> c == '|').count();
                if (line.startsWith("| option") || line.startsWith("| driver") || line.startsWith("| device")) {
                    header = pipes;
                } else if (line.startsWith("|")) {
                    assertEquals(header, pipes, "a row with another number of cells than its header: " + line);
                }
            }
        }

        @Test
        void textHasNoColourUnlessAskedAndColourWhenAsked() {
            CliRunner plain = run("machine", "diff", "pc-i440fx-7.0", "pc-i440fx-7.2");
            CliRunner colored = run("machine", "diff", "pc-i440fx-7.0", "pc-i440fx-7.2", "--color", "always");

            assertFalse(plain.out().contains("\u001b["));
            assertTrue(colored.out().contains("\u001b[33mtrue\u001b[0m"), colored.out());
            assertEquals(plain.out(), colored.out().replaceAll("\u001b\\[[0-9;]*m", ""));
        }

        @Test
        void columnsFollowTheOrderGivenAndAliasesNameTheirMachine() throws Exception {
            JsonNode d = json("machine", "diff", "pc", "pc-i440fx-2.5", "--format", "json");

            assertEquals(List.of("pc-i440fx-10.2", "pc-i440fx-2.5"), names(d.get("machines")));
        }
    }

    @Nested
    class Explain {
        /** The line of an entry in a compat file, found by reading the file. */
        private int lineOf(String file, String set, String entry) throws Exception {
            List<String> lines = Files.readAllLines(Path.of(file));
            int at = lines.indexOf("  - name: " + set);
            for (int i = at; i < lines.size(); i++) {
                if (lines.get(i).contains(entry)) {
                    return i + 1;
                }
            }
            throw new AssertionError(entry + " not in " + set);
        }

        @Test
        void showsEverySetThatTouchesThePropertyInApplicationOrderAndTheWinner() throws Exception {
            JsonNode e = json("machine", "diff", "pc-i440fx-2.5", "pc-i440fx-7.2", "--explain",
                    "virtio-balloon-device.qemu-4-0-config-size", "--format", "json");

            JsonNode old = e.get("machines").get(0);
            assertEquals("pc-i440fx-2.5", old.get("machine").asText());
            // hw-4.0 sets it, hw-3.1 (applied later: older sets win) sets it back
            assertEquals(List.of("hw-4.0", "hw-3.1"), List.of(old.get("chain").get(0).get("set").asText(), old.get("chain").get(1).get("set").asText()));
            assertEquals("compat/hw.yaml:" + lineOf("compat/hw.yaml", "hw-3.1", "qemu-4-0-config-size"), old.get("chain").get(1).get("at").asText());
            assertFalse(old.get("chain").get(0).get("wins").asBoolean());
            assertTrue(old.get("chain").get(1).get("wins").asBoolean());
            assertEquals(compatText(compatEntries("hw-3.1").get("virtio-balloon-device.qemu-4-0-config-size")), old.get("value").asText());
            JsonNode now = e.get("machines").get(1);
            assertEquals(0, now.get("chain").size());
            assertEquals("default", now.get("source").asText());
            assertEquals(now.get("default").get("value"), now.get("value"));
        }

        @Test
        void textMarksTheWinnerAndPutsTheDefaultLast() {
            CliRunner r = run("machine", "diff", "pc-i440fx-2.5", "--explain", "isa-fdc.fallback");

            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().filter(l -> l.startsWith("  ")).toList();
            assertTrue(lines.get(0).matches("  compat hw-2\\.5 +isa-fdc +144 +compat/hw\\.yaml:\\d+ +<- wins"), lines.toString());
            assertTrue(lines.get(1).matches("  default +isa-fdc +288"), lines.toString());
        }

        @Test
        void aPropertyReachedThroughAnAncestorNamesTheAncestorsEntry() throws Exception {
            JsonNode e = json("machine", "diff", "pc-i440fx-2.5", "--explain", "PIIX3.x-pcie-extcap-init", "--format", "json");

            JsonNode chain = e.get("machines").get(0).get("chain");
            assertEquals("pci-device", chain.get(chain.size() - 1).get("driver").asText());
            assertEquals(false, e.get("machines").get(0).get("value").asBoolean());
        }
    }

    @Nested
    class TwoDataTrees {
        @Test
        void aValueChangedInACopyOfTheDataShowsAsTheOnlyDifference(@TempDir Path dir) throws Exception {
            CheckStableTest.copyDataTree(dir);
            Path hw = dir.resolve("compat/hw.yaml");
            String text = Files.readString(hw);
            String entry = "{driver: virtio-device, property: queue_reset, value: \"false\"}";
            assertTrue(text.contains(entry));
            Files.writeString(hw, text.replace(entry, "{driver: virtio-device, property: queue_reset, value: \"true\"}"));

            // two machine types of two families: each is compared with itself across the trees, not with the other
            JsonNode d = json("machine", "diff", "pc-i440fx-7.1", "pc-q35-7.2", "--right-data", dir.toString(), "--format", "json");

            assertEquals(List.of("left:pc-i440fx-7.1", "right:pc-i440fx-7.1", "left:pc-q35-7.2", "right:pc-q35-7.2"), names(d.get("machines")));
            assertEquals(null, d.get("data").get("left").textValue());
            assertEquals(dir.toString(), d.get("data").get("right").asText());
            assertEquals(0, d.get("options").size());
            assertEquals(1, d.get("properties").size(), d.get("properties").toString());
            JsonNode row = d.get("properties").get(0);
            assertEquals("virtio-device.queue_reset", row.get("driver").asText() + "." + row.get("property").asText());
            assertEquals(false, row.get("values").get("left:pc-i440fx-7.1").asBoolean());
            assertEquals(true, row.get("values").get("right:pc-i440fx-7.1").asBoolean());
            assertTrue(row.get("sources").get("right:pc-i440fx-7.1").asText().startsWith("compat hw-7.1 (" + hw + ":"));
            assertEquals(0, d.get("devices").size());
        }

        @Test
        void aDirectoryThatIsNotADataTreeIsAnError(@TempDir Path dir) {
            CliRunner r = run("machine", "diff", "pc", "--left-data", dir.toString());

            assertEquals(1, r.code());
            assertTrue(r.err().startsWith("machina: " + dir + ": not a data tree: it has no machines/ directory"), r.err());
        }
    }

    @Nested
    class BadInput {
        @Test
        void anUnknownMachineIsExitOneWithDidYouMean() {
            CliRunner r = run("machine", "diff", "pc-i440fx-7.2", "pc-i44fx-7.1");

            assertEquals(1, r.code());
            assertTrue(r.err().startsWith("machina: unknown machine type 'pc-i44fx-7.1'; did you mean 'pc-i440fx-7.1'"), r.err());
            assertEquals("", r.out());
        }

        @Test
        void anUnknownMachineInADataTreeNamesTheTree(@TempDir Path dir) throws Exception {
            CheckStableTest.copyDataTree(dir);

            CliRunner r = run("machine", "diff", "pc-q35-7.22", "--left-data", dir.toString());

            assertEquals(1, r.code());
            assertTrue(r.err().startsWith("machina: data tree '" + dir + "': unknown machine type 'pc-q35-7.22'; did you mean"), r.err());
        }

        @Test
        void oneMachineWithoutAnotherSideIsAUsageError() {
            CliRunner r = run("machine", "diff", "pc");

            assertEquals(2, r.code());
            assertTrue(r.err().contains("needs at least two machine types"), r.err());
        }

        @Test
        void theSameMachineTwiceIsAnError() {
            CliRunner r = run("machine", "diff", "q35", "pc-q35-10.2");

            assertEquals(1, r.code());
            assertEquals("machina: 'q35' and 'pc-q35-10.2' are the same machine type (pc-q35-10.2); name it once\n", r.err());
        }

        @Test
        void anAliasGivenTwiceIsNamedOnce() {
            CliRunner r = run("machine", "diff", "pc", "q35", "pc");

            assertEquals(1, r.code());
            assertEquals("machina: 'pc' is given twice; name each machine type once\n", r.err());
        }

        @Test
        void anUnknownExplainPropertyIsExitOneWithDidYouMean() {
            CliRunner r = run("machine", "diff", "pc", "q35", "--explain", "isa-fdc.falback");

            assertEquals(1, r.code());
            assertEquals("machina: unknown property 'falback' of isa-fdc; did you mean 'fallback'?\n", r.err());
        }

        @Test
        void anUnknownFormatIsAUsageError() {
            assertEquals(2, run("machine", "diff", "pc", "q35", "--format", "yaml").code());
        }
    }

    static List<String> names(Iterable<?> it) {
        List<String> out = new ArrayList<>();
        it.forEach(x -> out.add(x instanceof JsonNode n ? n.asText() : String.valueOf(x)));
        return out;
    }

    static List<String> names(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /** RFC 4180 records (quoted fields may hold commas, quotes doubled, line breaks). */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> rec = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                rec.add(f.toString());
                f.setLength(0);
            } else if (c == '\n') {
                rec.add(f.toString());
                f.setLength(0);
                records.add(rec);
                rec = new ArrayList<>();
            } else {
                f.append(c);
            }
        }
        return records;
    }
}
