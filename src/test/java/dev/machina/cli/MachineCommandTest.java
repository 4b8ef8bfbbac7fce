package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** {@code machina machine list|show|validate} and {@code -machine help} as a user runs them. */
class MachineCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Context context;

    @BeforeAll
    static void shareOneContext() {
        context = new Context();
    }

    /** Also called from other test classes (MachineListIT), before this class's {@code @BeforeAll} has run. */
    static CliRunner run(String... args) {
        if (context == null) {
            context = new Context();
        }
        return CliRunner.run(context, args);
    }

    @Nested
    class ListMachines {
        @Test
        void allAsJsonHasEveryMachineTypeQemuEverRegisteredWithAliasDefaultAndDeprecated() throws Exception {
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = new Yaml().load(Files.readString(Path.of("../shared/qemu/machines/machines.yaml")));
            Set<String> expected = new HashSet<>(((Map<String, Object>) doc.get("machines")).keySet());
            expected.addAll(List.of("isapc", "microvm", "none"));
            // other_machines: the types besides the versioned ones (none, microvm, nitro-enclave, x-remote,
            // xenpvh, ...); entries with alias_of are aliases of other types, and 'note' is prose
            Set<String> aliases = new HashSet<>();
            for (var e : ((Map<String, Object>) doc.get("other_machines")).entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> m)) {
                    continue;
                }
                (m.containsKey("alias_of") ? aliases : expected).add(e.getKey());
            }
            assertEquals(Set.of("pc", "q35", "xenfv"), aliases, "other_machines entries that are aliases, not types");
            assertTrue(expected.containsAll(List.of("x-remote", "nitro-enclave", "xenpvh")), expected.toString());

            CliRunner r = run("machine", "list", "--all", "--format", "json");

            assertEquals(0, r.code(), r.err());
            JsonNode list = JSON.readTree(r.out());
            Set<String> names = new HashSet<>();
            for (JsonNode m : list) {
                names.add(m.get("name").asText());
                for (String field : List.of("alias", "default", "deprecated", "removed-upstream-in", "description")) {
                    assertTrue(m.has(field), m.get("name") + " lacks " + field);
                }
            }
            assertTrue(names.containsAll(expected), "missing: " + diff(expected, names));
            JsonNode pc = find(list, "pc-i440fx-10.2");
            assertEquals("pc", pc.get("alias").asText());
            assertTrue(pc.get("default").asBoolean());
            assertTrue(find(list, "pc-i440fx-1.4").get("deprecated").asBoolean());
            assertEquals("q35", find(list, "pc-q35-10.2").get("alias").asText());
        }

        @Test
        void withoutAllTypesRemovedUpstreamAreLeftOut() throws Exception {
            JsonNode list = JSON.readTree(run("machine", "list", "--format", "json").out());
            List<String> names = new ArrayList<>();
            list.forEach(m -> names.add(m.get("name").asText()));

            assertTrue(names.contains("pc-i440fx-5.0") && names.contains("pc-q35-10.2") && names.contains("none"));
            assertFalse(names.contains("pc-i440fx-4.2"), "removed upstream in 10.2");
            assertFalse(names.contains("pc-1.0"));
            list.forEach(m -> assertTrue(m.get("removed-upstream-in").isNull(), m.toString()));
        }

        @Test
        void versionsSortAsVersionsNewestFirst() throws Exception {
            List<String> names = new ArrayList<>();
            JSON.readTree(run("machine", "list", "--all", "--format", "json").out()).forEach(m -> names.add(m.get("name").asText()));

            assertTrue(names.indexOf("pc-i440fx-2.12") < names.indexOf("pc-i440fx-2.9"));
            assertTrue(names.indexOf("pc-i440fx-10.0") < names.indexOf("pc-i440fx-9.2"));
            assertTrue(names.indexOf("pc-q35-4.1") < names.indexOf("pc-q35-4.0.1"));
            assertTrue(names.indexOf("pc-q35-4.0.1") < names.indexOf("pc-q35-4.0"));
        }

        @Test
        void textMarksTheDefaultAndDeprecatedAndWithAllTheRemovingRelease() {
            String text = run("machine", "list", "--all").out();
            String pc = text.lines().filter(l -> l.startsWith("pc-i440fx-10.2 ")).findFirst().orElseThrow();
            String old = text.lines().filter(l -> l.startsWith("pc-1.0 ")).findFirst().orElseThrow();

            assertTrue(pc.matches("pc-i440fx-10.2\\s+pc\\s+yes\\s+.*Standard PC \\(i440FX \\+ PIIX, 1996\\)"), pc);
            assertTrue(old.matches("pc-1.0\\s+yes\\s+in 6.0\\s+Standard PC.*"), old);
        }
    }

    @Nested
    class Show {
        @Test
        void yamlAndJsonCarryTheSameData() throws Exception {
            JsonNode json = JSON.readTree(run("machine", "show", "pc-q35-7.2", "--format", "json").out());
            Object yaml = new Yaml().load(run("machine", "show", "pc-q35-7.2").out());

            assertEquals(json, JSON.valueToTree(yaml));
        }

        @Test
        void yamlRepeatsEqualValuesInsteadOfLinkingThemWithAnchors() {
            // 'none' has no aliases and no compat sets: two empty lists, once written as &id001 [] and *id001
            String yaml = run("machine", "show", "none").out();
            assertTrue(yaml.contains("\naliases: []\n"), yaml);
            assertTrue(yaml.contains("\ncompat-sets: []\n"), yaml);
            assertFalse(yaml.contains("&id") || yaml.contains("*id"), yaml);
        }

        @Test
        void jsonHasTheEffectiveValueOfEveryCompatPropertyAndWithProvenanceItsQemuSource() throws Exception {
            JsonNode m = JSON.readTree(run("machine", "show", "pc-i440fx-2.5", "--format", "json", "--provenance").out());

            JsonNode fallback = null;
            for (JsonNode c : m.get("compat")) {
                if (c.get("driver").asText().equals("isa-fdc") && c.get("property").asText().equals("fallback")) {
                    fallback = c;
                }
            }
            assertEquals("144", fallback.get("value").asText());
            assertEquals("hw-2.5", fallback.get("set").asText());
            assertTrue(fallback.get("source").asText().startsWith("hw/core/machine.c:"), fallback.toString());
            assertEquals(m.get("compat-sets").get(0).asText(), "pc-i440fx-defaults");
        }

        @Test
        void anAliasShowsItsMachine() throws Exception {
            JsonNode m = JSON.readTree(run("machine", "show", "q35", "--format", "json").out());
            assertEquals("pc-q35-10.2", m.get("name").asText());
        }

        @Test
        void anUnknownNameIsOneLineWithSuggestionsAndExitOne() {
            CliRunner r = run("machine", "show", "pc-i440fx-7.3");

            assertEquals(1, r.code());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("machina: unknown machine type 'pc-i440fx-7.3'; did you mean"), r.err());
        }
    }

    @Nested
    class Validate {
        @Test
        void thePackagedDataIsValid() {
            CliRunner r = run("machine", "validate");

            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("ok: "), r.out());
        }

        @Test
        void aCopyOfAPackagedFileIsCheckedInItsPlace() throws Exception {
            Path copy = Files.createTempDirectory("machina").resolve("pc-q35.yaml");
            Files.writeString(copy, Files.readString(Path.of("machines/pc-q35.yaml")));

            CliRunner r = run("machine", "validate", copy.toString());

            assertEquals(0, r.code(), r.err());
        }

        /** A board's family whose version inherits a packaged machine type needs no base layers of its own. */
        @Test
        void aHandWrittenFamilyThatInheritsNeedsNoBase(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
            Path f = dir.resolve("my-board.yaml");
            Files.writeString(f, "kind: machine-family\nfamily: my-board\nqom: {parent: generic-pc-machine}\nversions:\n"
                    + "  - name: my-board-1.0\n    inherits: pc-i440fx-7.2\n    options: {description: \"my board\"}\n");

            CliRunner r = run("machine", "validate", f.toString());

            assertEquals(0, r.code(), r.err());
            java.util.regex.Matcher packaged = java.util.regex.Pattern.compile("(\\d+) machine types in (\\d+) families")
                    .matcher(run("machine", "validate").out());
            assertTrue(packaged.find());
            assertTrue(r.out().contains((Integer.parseInt(packaged.group(1)) + 1) + " machine types in "
                    + (Integer.parseInt(packaged.group(2)) + 1) + " families"), r.out());
        }

        @Test
        void aMissingFileIsAnError() {
            CliRunner r = run("machine", "validate", "no/such/file.yaml");

            assertEquals(1, r.code());
            assertTrue(r.err().contains("no/such/file.yaml: cannot read the file: no such file"), r.err());
        }

        @Test
        void aFileThatIsNotUtf8SaysSo() throws Exception {
            Path f = Files.createTempDirectory("machina").resolve("latin1.yaml");
            Files.write(f, "kind: compat-sets\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

            CliRunner r = run("machine", "validate", f.toString());

            assertEquals(1, r.code());
            assertEquals(f + ":2:6: cannot read the file: the byte here is not UTF-8 text; save the file as UTF-8 [readable-file]\n"
                    + "machina: 1 problem found\n", r.err());
        }

        /** A mistyped or empty directory must not pass as "ok" on the strength of the packaged data alone. */
        @Test
        void aDirectoryWithoutDataFilesIsAnError() throws Exception {
            Path dir = Files.createTempDirectory("machina");
            Files.writeString(dir.resolve("notes.txt"), "not data\n");

            CliRunner r = run("machine", "validate", dir.toString());

            assertEquals(1, r.code());
            assertEquals(dir + ": no *.yaml file in this directory; name data files, or a directory that holds them [readable-file]\n"
                    + "machina: 1 problem found\n", r.err());
        }
    }

    @Nested
    class MachineHelpOption {
        /** QEMU 7.2's -machine help: name (padded to 20) and description of each type, marks aside. */
        private static List<String> qemuLines() throws Exception {
            return Files.readAllLines(Path.of("../shared/qemu/machines/raw72/machine-help.txt"));
        }


        /** Types of QEMU 7.2's source that Debian's build leaves out (it is built without Xen). */
        private static final Set<String> XEN_ONLY = Set.of("xenfv-4.2", "xenfv-3.1");

        @ParameterizedTest
        @ValueSource(strings = {"help", "?"})
        void asQemu72ItListsWhatQemu72ListsLineForLine(String arg) throws Exception {
            CliRunner r = CliRunner.run(new Context().withQemuRelease("7.2"), "-machine", arg);

            assertEquals(0, r.code(), r.err());
            List<String> ours = new ArrayList<>(r.out().lines().toList());
            ours.removeIf(l -> XEN_ONLY.contains(l.split(" ")[0]));
            List<String> qemu = qemuLines();
            // one change from QEMU: versions sort as versions, so compare the lines as sets, then the count
            assertEquals(new java.util.TreeSet<>(qemu), new java.util.TreeSet<>(ours));
            assertEquals(qemu.size(), ours.size());
        }

        /**
         * QEMU 9.2 and 10.2 as libvirt recorded their query-machines (machines.yaml runtime_observed): the
         * versions of each family, the oldest deprecated one, the aliases.
         */
        @ParameterizedTest
        @ValueSource(strings = {"9.2", "10.2"})
        void asAnotherReleaseItListsThatReleasesTypesAndDeprecations(String release) throws Exception {
            @SuppressWarnings("unchecked")
            Map<String, Object> observed = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) new Yaml()
                    .load(Files.readString(Path.of("../shared/qemu/machines/machines.yaml")))).get("runtime_observed"))
                    .get(release + ".0");
            CliRunner r = CliRunner.run(new Context().withQemuRelease(release), "-machine", "help");
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            @SuppressWarnings("unchecked")
            Map<String, Object> range = (Map<String, Object>) observed.get("versioned_range");
            for (String family : List.of("pc_i440fx", "pc_q35")) {
                @SuppressWarnings("unchecked")
                List<String> versions = new ArrayList<>((List<String>) observed.get(family));
                String prefix = family.replace('_', '-') + "-";
                if (family.equals("pc_q35") && Boolean.TRUE.equals(range.get("includes_pc_q35_4_0_1"))) {
                    versions.add("4.0.1");
                }
                List<String> ours = lines.stream().map(l -> l.split(" ")[0]).filter(n -> n.startsWith(prefix))
                        .map(n -> n.substring(prefix.length())).toList();
                assertEquals(new java.util.TreeSet<>(versions), new java.util.TreeSet<>(ours), family + " in " + release);
                for (String v : ours) {
                    boolean deprecated = lines.stream().anyMatch(l -> l.startsWith(prefix + v + " ") && l.endsWith("(deprecated)"));
                    String upTo = (String) range.get("deprecated_up_to");
                    String base = v.equals("4.0.1") ? "4.0" : v;
                    assertEquals(dev.machina.machine.QemuRelease.compare(base, upTo) <= 0, deprecated, prefix + v + " in " + release);
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, String> pc = (Map<String, String>) observed.get("default");
            @SuppressWarnings("unchecked")
            Map<String, String> q35 = (Map<String, String>) observed.get("q35_alias");
            assertTrue(lines.contains(String.format("%-20s %s", "pc", "Standard PC (i440FX + PIIX, 1996) (alias of " + pc.get("name") + ")")));
            assertTrue(lines.contains(String.format("%-20s %s", pc.get("name"), "Standard PC (i440FX + PIIX, 1996) (default)")));
            assertTrue(lines.contains(String.format("%-20s %s", "q35", "Standard PC (Q35 + ICH9, 2009) (alias of " + q35.get("name") + ")")));
        }

        @Test
        void aTypeNewerThanTheReleaseIsNotListedAndARemovedOneOnlyWithAll() throws Exception {
            Context r72 = new Context().withQemuRelease("7.2");
            String help = CliRunner.run(r72, "-machine", "help").out();
            assertFalse(help.contains("pc-q35-8.0 "), "8.0 is newer than 7.2");
            assertFalse(help.contains("nitro-enclave"), "new in 9.2");
            assertFalse(help.contains("pc-0.10 "), "removed in 4.0");
            String all = CliRunner.run(r72, "machine", "list", "--all").out();
            assertTrue(all.lines().anyMatch(l -> l.startsWith("pc-0.10 ") && l.contains("in 4.0")), all);
            assertFalse(all.contains("pc-q35-8.0 "), all);
            String newest = run("machine", "list", "--all").out();
            assertTrue(newest.lines().anyMatch(l -> l.startsWith("pc-i440fx-4.2 ") && l.contains("in 10.2")), newest);
            assertFalse(run("-machine", "help").out().contains("pc-i440fx-4.2 "), "10.2 does not register 4.2");
        }

        @Test
        void sortsVersionsAsVersionsAndPutsAnAliasBeforeItsMachine() {
            List<String> lines = CliRunner.run(new Context().withQemuRelease("9.2"), "-M", "help").out().lines()
                    .map(l -> l.split(" +")[0]).toList();

            assertTrue(lines.indexOf("pc-i440fx-2.12") < lines.indexOf("pc-i440fx-2.9"));
            assertEquals(lines.indexOf("pc") + 1, lines.indexOf("pc-i440fx-9.2"));
            assertEquals(lines.indexOf("q35") + 1, lines.indexOf("pc-q35-9.2"));
            assertTrue(lines.indexOf("microvm") < lines.indexOf("pc"), "families sort by QEMU's family name");
            assertTrue(lines.indexOf("pc-q35-2.4") < lines.indexOf("isapc"), "machines without a family come last");
        }

        @Test
        void versionSaysWhichReleaseItPresents() {
            CliRunner r = CliRunner.run(new Context().withQemuRelease("8.1"), "-version");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("machine types and defaults as QEMU 8.1;"), r.out());
        }

        @Test
        void marksTheDefaultAndDeprecatedTypes() {
            String out = run("-machine", "help").out();

            assertTrue(out.contains(String.format("%-20s %s%n", "pc-i440fx-10.2", "Standard PC (i440FX + PIIX, 1996) (default)")));
            assertTrue(out.contains(String.format("%-20s %s%n", "pc", "Standard PC (i440FX + PIIX, 1996) (alias of pc-i440fx-10.2)")));
            assertTrue(out.contains(String.format("%-20s %s%n", "pc-q35-7.2", "Standard PC (Q35 + ICH9, 2009) (deprecated)")));
        }

        @Test
        void typeHelpListsTheMachinesPropertiesSortedWithTheirTypes() {
            CliRunner r = run("-machine", "pc-i440fx-7.2,help");

            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals("pc-i440fx-7.2-machine options:", lines.get(0));
            assertTrue(lines.contains("  acpi=<OnOffAuto>"), r.out());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("  smp=<SMPConfiguration>") && l.contains(" - ")), r.out());
            List<String> names = lines.subList(1, lines.size()).stream().map(l -> l.trim().split("=")[0]).toList();
            assertEquals(names.stream().sorted().toList(), names);
        }

        @Test
        void typeHelpTakesAnAliasAndRejectsAnUnknownType() {
            assertTrue(run("-M", "q35,?").out().startsWith("pc-q35-10.2-machine options:"));
            CliRunner bad = run("-M", "pc-q36,help");
            assertEquals(1, bad.code());
            assertTrue(bad.err().contains("unknown machine type 'pc-q36'"), bad.err());
        }
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode m : list) {
            if (m.get("name").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no " + name);
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }
}
