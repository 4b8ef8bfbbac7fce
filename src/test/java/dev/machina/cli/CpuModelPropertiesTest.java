package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CPU model's properties are data for every machine version: what a model sets on its CPU object
 * (family, model, stepping, vendor, model-id, min-level, min-xlevel and every feature bit, read from QEMU
 * 7.2.0's builtin_x86_defs by tools/qemu_cpu_models.py into tools/qemu-source/cpu-models-7.2.0.json,
 * each with its cpu.c line) is what {@code machine show} and {@code machine diff} report, and for the
 * CPU each machine type builds it equals QEMU 7.2's own walk of that machine type, feature for feature.
 */
class CpuModelPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GRAPHS = Path.of("tools/qemu72/graphs");
    private static final Path FACTS = Path.of("tools/qemu-source/cpu-models-7.2.0.json");
    private static Context context;

    @BeforeAll
    static void shareOneContext() {
        context = new Context().withQemuRelease("7.2");
    }

    static Stream<String> walkedPcTypes() throws Exception {
        try (Stream<Path> s = Files.list(GRAPHS)) {
            return s.map(p -> p.getFileName().toString().replace(".json", ""))
                    .filter(n -> n.startsWith("pc-") || n.equals("isapc")).sorted().toList().stream();
        }
    }

    /** QEMU 7.2's values of the CPU a machine type builds, and machina's for the same machine type. */
    private static JsonNode[] cpuOf(String machine) throws Exception {
        JsonNode walk = JSON.readTree(GRAPHS.resolve(machine + ".json").toFile()).get("objects").get("/machine/unattached/device[0]");
        CliRunner r = CliRunner.run(context, "machine", "show", machine, "--format", "json");
        assertEquals(0, r.code(), r.err());
        for (JsonNode d : JSON.readTree(r.out()).get("devices")) {
            if (d.get("id").asText().equals("cpu[0]")) {
                assertEquals(walk.get("type").asText(), d.get("type").asText(), machine);
                return new JsonNode[] {walk.get("values"), d.get("properties")};
            }
        }
        throw new AssertionError(machine + ": no cpu[0] in machine show");
    }

    /** Every feature property (a name of the feature-word tables, or an alias of one). */
    private static Set<String> featureProperties() throws Exception {
        JsonNode f = JSON.readTree(FACTS.toFile());
        Set<String> out = new TreeSet<>();
        f.get("features").forEach(word -> word.forEach(n -> {
            if (!n.isNull()) {
                out.add(n.asText());
            }
        }));
        f.get("aliases").fieldNames().forEachRemaining(out::add);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("walkedPcTypes")
    void everyFeatureAndIdentityValueOfTheBuiltCpuIsQemus(String machine) throws Exception {
        JsonNode[] cpu = cpuOf(machine);
        JsonNode qemu = cpu[0];
        JsonNode ours = cpu[1];
        List<String> wrong = new ArrayList<>();
        int compared = 0;
        Set<String> names = new TreeSet<>(featureProperties());
        names.addAll(List.of("vendor", "family", "model", "stepping", "model-id", "min-level", "min-xlevel", "level", "xlevel"));
        for (String p : names) {
            if (!qemu.has(p) || (!qemu.get(p).isBoolean() && featureProperties().contains(p))) {
                continue; // a name QEMU 7.2's CPU object has no property for, or an alias of a number (lbr_fmt)
            }
            compared++;
            if (!ours.has(p)) {
                wrong.add(p + ": QEMU " + qemu.get(p) + ", machine show has no value");
            } else if (!ours.get(p).equals(qemu.get(p))) {
                wrong.add(p + ": QEMU " + qemu.get(p) + ", machine show " + ours.get(p));
            }
        }
        assertEquals(List.of(), wrong, machine);
        assertTrue(compared > 250, machine + ": compared only " + compared);
    }

    /** The rows the issue names: qemu64's identity in pc-i440fx-2.5 and 2.3 against 7.2, as QEMU 7.2 walks them. */
    @Test
    void theDiffOfOldAndNewPcTypesShowsTheModelsOwnValuesOnTheNewSide() throws Exception {
        Map<String, String[]> rows = Map.of(
                "family", new String[] {"6", "15"}, "model", new String[] {"6", "107"}, "stepping", new String[] {"3", "1"});
        CliRunner r = CliRunner.run(context, "machine", "diff", "pc-i440fx-2.5", "pc-i440fx-7.2", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        JsonNode q25 = JSON.readTree(Path.of("../shared/qemu/machines/raw72/pc-i440fx-2.5.qom-values.json").toFile())
                .get("/machine/unattached/device[0]").get("values");
        JsonNode q72 = JSON.readTree(Path.of("../shared/qemu/machines/raw72/pc-i440fx-7.2.qom-values.json").toFile())
                .get("/machine/unattached/device[0]").get("values");
        for (var e : rows.entrySet()) {
            assertEquals(e.getValue()[0], q25.get(e.getKey()).asText());
            assertEquals(e.getValue()[1], q72.get(e.getKey()).asText());
            String row = String.join(",", "property", "qemu64-x86_64-cpu", e.getKey(), e.getValue()[0], e.getValue()[1]);
            assertTrue(r.out().lines().anyMatch(row::equals), "no row " + row + " in\n" + r.out());
        }
        // level, xlevel and model-id differ from pc-i440fx-2.3 on (pc_compat_2_3 and PC_CPU_MODEL_IDS("2.3.0"))
        CliRunner old = CliRunner.run(context, "machine", "diff", "pc-i440fx-2.3", "pc-i440fx-7.2", "--format", "csv");
        JsonNode q23 = JSON.readTree(GRAPHS.resolve("pc-i440fx-2.3.json").toFile()).get("objects")
                .get("/machine/unattached/device[0]").get("values");
        for (String p : List.of("level", "min-level", "model-id", "abm", "sse4a", "popcnt")) {
            String from = q23.get(p).asText();
            String to = q72.get(p).asText();
            assertTrue(!from.equals(to), p + " differs between 2.3 and 7.2 in QEMU's walks");
            assertTrue(old.out().lines().anyMatch(l -> l.startsWith("device,cpu[0],property " + p + ",") && l.endsWith("," + from + "," + to)
                            || l.equals(String.join(",", "device", "cpu[0]", "property " + p, from, to))),
                    "cpu[0] " + p + " " + from + " -> " + to + " not in\n" + old.out());
        }
    }

    /**
     * Every compat entry that sets a property of a CPU model this data reads: the newer side of the diff
     * between the oldest and the newest pc-i440fx type is the model's own value from its cpu.c line.
     */
    @Test
    void compatRowsOfOtherModelsEndAtTheModelsDefinition() throws Exception {
        JsonNode facts = JSON.readTree(FACTS.toFile());
        CliRunner r14 = CliRunner.run(context, "machine", "diff", "pc-i440fx-1.4", "pc-i440fx-7.2", "--format", "csv");
        CliRunner r25 = CliRunner.run(context, "machine", "diff", "pc-i440fx-2.5", "pc-i440fx-7.2", "--format", "csv");
        assertEquals(0, r14.code(), r14.err());
        assertEquals(0, r25.code(), r25.err());
        CliRunner r = new CliRunner(0, r14.out() + r25.out(), "");
        // model, property, the value builtin_x86_defs gives, where
        String[][] expected = {
                {"Opteron_G3", "family", "16"}, {"Opteron_G3", "model", "2"}, {"Opteron_G3", "stepping", "3"},
                {"Opteron_G3", "rdtscp", "true"}, {"Cascadelake-Server", "stepping", "6"}, {"Cascadelake-Server", "mpx", "false"},
                {"Haswell", "stepping", "4"}, {"Skylake-Server", "pku", "true"}, {"EPYC", "npt", "true"},
                {"Opteron_G5", "nrip-save", "true"},
        };
        int checked = 0;
        for (String[] x : expected) {
            JsonNode m = facts.get("models").get(x[0]);
            String fromSource = switch (x[1]) {
                case "family", "model", "stepping" -> m.get(x[1]).asText();
                default -> String.valueOf(m.get("features").has(x[1]));
            };
            assertEquals(x[2], fromSource, x[0] + "." + x[1] + " in QEMU 7.2.0 target/i386/cpu.c:" + m.get("line"));
            String prefix = "property," + x[0] + "-x86_64-cpu," + x[1] + ",";
            List<String> rows = r.out().lines().filter(l -> l.startsWith(prefix)).toList();
            assertTrue(!rows.isEmpty(), prefix + " in\n" + r.out());
            rows.forEach(row -> assertTrue(row.endsWith("," + x[2]), row));
            checked++;
        }
        assertEquals(expected.length, checked);
        assertTrue(!r.out().lines().anyMatch(l -> l.startsWith("property,qemu64-x86_64-cpu,") && l.endsWith(",(unknown)")), r.out());
    }
}
