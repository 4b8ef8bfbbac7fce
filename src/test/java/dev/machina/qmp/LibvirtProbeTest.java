package dev.machina.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command sequence libvirt 9.0 sends when it probes a QEMU binary (virQEMUCapsInitQMPMonitor, as
 * libvirt's tests/qemucapabilitiesdata/caps_7.2.0_x86_64.replies spells it: the same commands, arguments and
 * ids), replayed against Machina's QMP server and compared with QEMU 7.2's replies to the same messages
 * (tests/qmp/qemu72-libvirt-probe.jsonl: {@code -machine none -nodefaults -nographic}; and the second,
 * TCG-only pass libvirt makes with {@code -machine none,accel=tcg}, tests/qmp/qemu72-libvirt-probe-tcg.jsonl,
 * followed by full and static expansions and their errors). Both recorded by tools/qmp/record.py --unix
 * from tools/qmp/libvirt-probe.json and libvirt-probe-tcg.json.
 *
 * <p>Every error is QEMU's (class and desc) and every result has QEMU's shape. Values are compared where
 * Machina's data is QEMU 7.2's ({@link #SAME_VALUES}); query-cpu-model-expansion gives 7.2's values; and
 * presenting 7.2 (MACHINA_QEMU_VERSION=7.2) query-machines lists 7.2's machine types with 7.2's
 * deprecations, aliases and default, but for the builds named in {@link #NOT_IN_THE_RECORDED_BUILD}
 * ({@link #presentingQemu72QueryMachinesIsQemu72s}); query-cpu-definitions is 7.2's entry for entry
 * ({@link #presentingQemu72CpuDefinitionsAreQemu72s}); and qom-list-types, device-list-properties and
 * qom-list-properties are 7.2's replies ({@link #presentingQemu72QomIntrospectionIsQemu72s}, from QEMU 7.2's
 * recorded QOM). Presenting the newest release, Machina's type registry answers (QEMU 10.2's types, property
 * descriptions in Machina's own words): those replies keep 7.2's shape, not its values.
 */
class LibvirtProbeTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final QmpServers servers = new QmpServers();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qemu72-libvirt-probe.jsonl", "qemu72-libvirt-probe-tcg.jsonl"})
    void libvirtsProbeGetsQemusReplies(String file) throws Exception {
        QmpClient.Recording rec = QmpClient.Recording.read(Path.of("tests/qmp", file));
        Path sock = dir.resolve("qmp.sock");
        servers.serveNone(sock, QmpProbeTest.CONTEXT);
        List<String> problems = new ArrayList<>();
        int compared = 0;
        try (QmpClient c = new QmpClient(sock)) {
            problems.addAll(Shapes.problems(c.greeting, rec.lines().get(1).get("recv"), "greeting"));
            for (QmpClient.Replayed r : c.replay(file)) {
                compared++;
                if (r.anError()) {
                    if (r.unequal() != null) {
                        problems.add(r.unequal());
                    }
                    continue;
                }
                List<String> shape = Shapes.problems(r.ours(), r.qemu(), r.where());
                problems.addAll(shape);
                if (shape.isEmpty()) {
                    problems.addAll(values(r.sent().get("execute").asText(), r.ours().get("return"), r.qemu().get("return"), r.where()));
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(compared >= 3, "compared " + compared);
    }

    /**
     * The same probe through the command line a management tool starts ({@code machina run -machine none
     * -nodefaults -nographic -qmp unix:S,server=on,wait=off}, as libvirt does): every one of the 47 replies has
     * QEMU 7.2's shape or is QEMU's error, and quit ends the run with status 0 and nothing on stderr.
     */
    @org.junit.jupiter.api.Test
    void libvirtsWholeProbeThroughTheCommandLineGetsQemusShapes() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        java.util.concurrent.CompletableFuture<dev.machina.cli.CliRunner> run = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> dev.machina.cli.CliRunner.run("-machine", "none", "-nodefaults", "-nographic", "-qmp", "unix:" + sock + ",server=on,wait=off"));
        QmpClient.Recording rec = QmpClient.Recording.read(Path.of("tests/qmp/qemu72-libvirt-probe.jsonl"));
        List<String> problems = new ArrayList<>();
        int compared = 0;
        try (QmpClient c = QmpClient.connect(sock, run)) {
            problems.addAll(Shapes.problems(c.greeting, rec.lines().get(1).get("recv"), "greeting"));
            for (QmpClient.Replayed r : c.replay("qemu72-libvirt-probe.jsonl")) {
                compared++;
                if (r.anError()) {
                    if (r.unequal() != null) {
                        problems.add(r.unequal());
                    }
                } else {
                    problems.addAll(Shapes.problems(r.ours(), r.qemu(), r.where()));
                }
            }
            c.send("{\"execute\":\"quit\"}");
        }
        dev.machina.cli.CliRunner result = run.join();
        assertEquals(List.of(), problems);
        assertEquals(47, compared, "libvirt's probe messages");
        assertEquals(0, result.code(), result.err());
        assertEquals("", result.err());
    }

    /**
     * Issue 14 item 5 (one release per output): presenting the newest release (the default), query-machines
     * lists the machine types -machine help lists, no type removed upstream (pc-i440fx-1.4 was removed in
     * QEMU 9.1: 10.2 has no such type), with the same deprecation marks.
     */
    @org.junit.jupiter.api.Test
    void presentingTheNewestQueryMachinesListsWhatMachineHelpLists() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        dev.machina.cli.Context newest = new dev.machina.cli.Context();
        servers.serveNone(sock, newest);
        Set<String> help = new TreeSet<>(), helpDeprecated = new TreeSet<>();
        for (dev.machina.machine.MachineTable.Summary s : newest.machineSummaries()) {
            if (!s.removedUpstream()) {
                help.add(s.name());
                if (s.deprecated()) {
                    helpDeprecated.add(s.name());
                }
            }
        }
        try (QmpClient c = new QmpClient(sock)) {
            c.send("{\"execute\":\"qmp_capabilities\"}");
            JsonNode ours = c.send("{\"execute\":\"query-machines\"}").get("return");
            Set<String> names = new TreeSet<>(), deprecated = new TreeSet<>();
            ours.forEach(m -> {
                names.add(m.get("name").asText());
                if (m.get("deprecated").asBoolean()) {
                    deprecated.add(m.get("name").asText());
                }
            });
            assertTrue(!names.contains("pc-i440fx-1.4") && names.contains("pc-q35-10.2"), names.toString());
            assertEquals(help, names);
            assertEquals(helpDeprecated, deprecated);
            // Machina's own x-machina-machine still describes a removed type when asked for it by name
            assertEquals(1, c.send("{\"execute\":\"query-machines\",\"arguments\":{\"x-machina-machine\":\"pc-i440fx-1.4\"}}")
                    .get("return").size());
        }
    }

    @org.junit.jupiter.api.Test
    void presentingQemu72QueryMachinesIsQemu72s() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        servers.serveNone(sock, AS_72);
        JsonNode qemu = null;
        for (QmpProbeTest.Exchange e : QmpProbeTest.recording("qemu72-libvirt-probe.jsonl")) {
            if (QmpJson.parse(e.send()).get("execute").asText().equals("query-machines")) {
                qemu = e.replies().get(0).get("return");
            }
        }
        try (QmpClient c = new QmpClient(sock)) {
            c.send("{\"execute\":\"qmp_capabilities\"}");
            JsonNode ours = c.send("{\"execute\":\"query-machines\"}").get("return");
            com.fasterxml.jackson.databind.node.ArrayNode kept = QmpJson.NODES.arrayNode();
            Set<String> dropped = new TreeSet<>();
            ours.forEach(m -> {
                if (NOT_IN_THE_RECORDED_BUILD.contains(m.get("name").asText())) {
                    dropped.add(m.get("name").asText());
                } else {
                    kept.add(m);
                }
            });
            assertEquals(NOT_IN_THE_RECORDED_BUILD, dropped);
            Set<String> a = set(kept);
            Set<String> b = set(qemu);
            Set<String> extra = new TreeSet<>(a);
            extra.removeAll(b);
            Set<String> missing = new TreeSet<>(b);
            missing.removeAll(a);
            assertEquals("", (extra.isEmpty() ? "" : "ours only: " + extra) + (missing.isEmpty() ? "" : " QEMU 7.2 only: " + missing));
            assertTrue(b.size() > 50, "QEMU 7.2's machine types: " + b.size());
        }
    }

    /**
     * Presenting 7.2, query-cpu-definitions is QEMU 7.2's reply entry for entry, in its order: the same CPU
     * classes (models, versions, version aliases), alias-of, static, migration-safe and the features TCG
     * lacks, all computed from the CPU model data (machines/cpu/qemu72-cpu-expansion.json).
     */
    @org.junit.jupiter.api.Test
    void presentingQemu72CpuDefinitionsAreQemu72s() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        servers.serveNone(sock, AS_72);
        for (String file : List.of("qemu72-libvirt-probe.jsonl", "qemu72-libvirt-probe-tcg.jsonl")) {
            JsonNode qemu = null;
            for (QmpProbeTest.Exchange e : QmpProbeTest.recording(file)) {
                if (QmpJson.parse(e.send()).get("execute").asText().equals("query-cpu-definitions")) {
                    qemu = e.replies().get(0).get("return");
                }
            }
            assertTrue(qemu != null && qemu.size() == 132, file + ": QEMU 7.2's CPU definitions");
            try (QmpClient c = new QmpClient(sock)) {
                c.send("{\"execute\":\"qmp_capabilities\"}");
                JsonNode ours = c.send("{\"execute\":\"query-cpu-definitions\"}").get("return");
                List<String> diff = new ArrayList<>();
                for (int i = 0; i < Math.max(ours.size(), qemu.size()); i++) {
                    JsonNode a = ours.get(i);
                    JsonNode b = qemu.get(i);
                    if (a == null || !a.equals(b)) {
                        diff.add("#" + i + ": ours " + a + ", QEMU 7.2's " + b);
                    }
                }
                assertEquals(List.of(), diff, file);
            }
        }
    }

    /**
     * Presenting 7.2, the QOM introspection libvirt probes is QEMU 7.2's reply for reply: qom-list-types (its
     * 615 concrete types), device-list-properties of each device libvirt asks about (and QEMU's
     * DeviceNotFound for the s390 ones x86 lacks), qom-list-properties of the memory backends, the max CPU
     * model and the none machine; lists compared as sets, their order being a hash table's
     * (machines/qom/qemu72-qom.json, tools/gen_qemu72_qom.py).
     */
    @org.junit.jupiter.api.Test
    void presentingQemu72QomIntrospectionIsQemu72s() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        servers.serveNone(sock, AS_72);
        Set<String> asked = Set.of("qom-list-types", "device-list-properties", "qom-list-properties");
        List<String> diff = new ArrayList<>();
        int compared = 0;
        try (QmpClient c = new QmpClient(sock)) {
            c.send("{\"execute\":\"qmp_capabilities\"}");
            for (QmpProbeTest.Exchange e : QmpProbeTest.recording("qemu72-libvirt-probe.jsonl")) {
                if (!asked.contains(QmpJson.parse(e.send()).get("execute").asText())) {
                    continue;
                }
                compared++;
                JsonNode qemu = e.replies().get(0);
                JsonNode ours = c.send(e.send());
                String a = ours.has("error") ? ours.get("error").toString() : canonical(ours.get("return"));
                String b = qemu.has("error") ? qemu.get("error").toString() : canonical(qemu.get("return"));
                if (!a.equals(b)) {
                    diff.add(e.send() + ": ours " + abbreviated(a) + ", QEMU 7.2's " + abbreviated(b));
                }
            }
        }
        assertEquals(List.of(), diff);
        assertEquals(34, compared, "the probe's type and property queries");
    }

    /**
     * Presenting 7.2, qom-list-types {implements: I} is what QEMU 7.2 lists for an interface as for a class,
     * and an abstract or non-device type is refused by device-list-properties with QEMU's words.
     */
    @org.junit.jupiter.api.Test
    void presentingQemu72TypeQueriesFollowQemu72sHierarchy() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        servers.serveNone(sock, AS_72);
        try (QmpClient c = new QmpClient(sock)) {
            c.send("{\"execute\":\"qmp_capabilities\"}");
            JsonNode hotplug = c.send("{\"execute\":\"qom-list-types\",\"arguments\":{\"implements\":\"hotplug-handler\"}}").get("return");
            Set<String> names = new TreeSet<>();
            hotplug.forEach(t -> names.add(t.get("name").asText()));
            assertTrue(names.contains("pc-q35-7.2-machine") && names.contains("pcie-pci-bridge"), names.toString());
            assertTrue(!names.contains("e1000"), "e1000 is no hotplug handler");
            JsonNode creatable = c.send("{\"execute\":\"qom-list-types\",\"arguments\":{\"implements\":\"user-creatable\"}}").get("return");
            assertEquals(39, creatable.size(), creatable.toString());
            assertEquals("[]", c.send("{\"execute\":\"qom-list-types\",\"arguments\":{\"implements\":\"nope\"}}").get("return").toString());
            JsonNode abs = c.send("{\"execute\":\"device-list-properties\",\"arguments\":{\"typename\":\"pci-device\"}}");
            assertEquals("{\"class\":\"GenericError\",\"desc\":\"Parameter 'typename' expects a non-abstract device type\"}", abs.get("error").toString());
            JsonNode newer = c.send("{\"execute\":\"qom-list-properties\",\"arguments\":{\"typename\":\"virtio-sound-pci\"}}");
            assertEquals("{\"class\":\"DeviceNotFound\",\"desc\":\"Class 'virtio-sound-pci' not found\"}", newer.get("error").toString(),
                    "a type of a later QEMU is not there");
        }
    }

    /**
     * Issue 14 item 5: a device type QEMU added after the presented release is in none of its QOM answers. vmclock
     * (first in QEMU 10.2.0's tree, hw/acpi/vmclock.c:167) presenting 8.2: not in qom-list-types, DeviceNotFound from
     * device-list-properties and qom-list-properties; virtio-sound-pci (in 8.2.2's tree) is listed and has "streams"
     * with default 2 (10.2.0 hw/audio/virtio-snd.c:84, the virtio device's property the proxy aliases).
     */
    @org.junit.jupiter.api.Test
    void aTypeALaterReleaseAddedIsInNoneOfThePresentedReleasesQomAnswers() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        servers.serveNone(sock, new dev.machina.cli.Context().withQemuRelease("8.2"));
        try (QmpClient c = new QmpClient(sock)) {
            c.send("{\"execute\":\"qmp_capabilities\"}");
            Set<String> types = new TreeSet<>();
            c.send("{\"execute\":\"qom-list-types\"}").get("return").forEach(t -> types.add(t.get("name").asText()));
            assertTrue(types.contains("virtio-sound-pci") && !types.contains("vmclock"), types.toString());
            for (String cmd : new String[] {"device-list-properties", "qom-list-properties"}) {
                JsonNode r = c.send("{\"execute\":\"" + cmd + "\",\"arguments\":{\"typename\":\"vmclock\"}}");
                assertEquals("DeviceNotFound", r.path("error").path("class").asText(), cmd + ": " + r);
            }
            JsonNode props = c.send("{\"execute\":\"device-list-properties\",\"arguments\":{\"typename\":\"virtio-sound-pci\"}}")
                    .get("return");
            JsonNode streams = null;
            for (JsonNode p : props) {
                if (p.get("name").asText().equals("streams")) {
                    streams = p;
                }
            }
            assertTrue(streams != null && streams.path("default-value").asInt() == 2, String.valueOf(props));
        }
    }

    /**
     * machines/qom/qemu72-qom.json (what the 7.2 view answers from) is what tools/gen_qemu72_qom.py writes
     * from QEMU 7.2's recorded replies now.
     */
    @org.junit.jupiter.api.Test
    void theQemu72QomDataIsWhatItsGeneratorWrites() throws Exception {
        GeneratorCheck.upToDate("tools/gen_qemu72_qom.py");
    }

    private static String abbreviated(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    static final dev.machina.cli.Context AS_72 = new dev.machina.cli.Context().withQemuRelease("7.2");

    /** The commands whose results have QEMU 7.2's values here, not only its shape. */
    static final Set<String> SAME_VALUES = Set.of("query-target", "query-tpm-models", "query-tpm-types",
            "query-migrate-capabilities");

    /**
     * What Machina presenting 7.2 lists that the recorded binary does not, by name: the Xen machine types,
     * which QEMU 7.2 has (hw/i386/pc_piix.c) but Debian builds only into qemu-system-xen, not the recorded
     * qemu-system-x86_64 (no CONFIG_XEN).
     */
    static final Set<String> NOT_IN_THE_RECORDED_BUILD = Set.of("xenfv-3.1", "xenfv-4.2");

    /** Where a result comes from data, ours has QEMU's values (lists compared as sets: their order is a hash's). */
    static List<String> values(String command, JsonNode ours, JsonNode qemu, String where) {
        List<String> out = new ArrayList<>();
        if (!SAME_VALUES.contains(command) && !command.equals("query-cpu-model-expansion")) {
            return out;
        }
        switch (command) {
            case "query-target" -> {
                if (!ours.equals(qemu)) {
                    out.add(where + ": ours " + ours + ", QEMU's " + qemu);
                }
            }
            case "query-tpm-models", "query-tpm-types", "query-migrate-capabilities" -> {
                Set<String> a = set(ours);
                Set<String> b = set(qemu);
                if (!a.equals(b)) {
                    Set<String> extra = new TreeSet<>(a);
                    extra.removeAll(b);
                    Set<String> missing = new TreeSet<>(b);
                    missing.removeAll(a);
                    out.add(where + ": ours has " + extra + " that QEMU lacks; QEMU has " + missing + " that ours lacks");
                }
            }
            case "query-cpu-model-expansion" -> {
                out.addAll(CpuModelExpansionTest.differences(ours, qemu, where));
            }
            default -> { }
        }
        return out;
    }

    private static Set<String> set(JsonNode list) {
        Set<String> s = new TreeSet<>();
        for (JsonNode n : list) {
            s.add(canonical(n));
        }
        return s;
    }

    /** An element as text with its members (and nested lists) in a fixed order. */
    private static String canonical(JsonNode n) {
        if (n.isObject()) {
            TreeMap<String, String> m = new TreeMap<>();
            n.fields().forEachRemaining(f -> m.put(f.getKey(), canonical(f.getValue())));
            return m.toString();
        }
        if (n.isArray()) {
            return set(n).toString();
        }
        return n.toString();
    }
}
