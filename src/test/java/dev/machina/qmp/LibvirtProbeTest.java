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
import org.junit.jupiter.api.AfterEach;
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
 * Machina's data is QEMU 7.2's ({@link #SAME_VALUES}). Not yet for device and QOM properties, machine types
 * and CPU definitions: Machina's type registry and machine table are QEMU 10.2's (newer machine types and
 * properties, 10.2 defaults such as intel-iommu aw-bits 48) and property descriptions are Machina's own
 * words, so those replies differ from 7.2's in values while keeping its shape.
 */
class LibvirtProbeTest {
    @TempDir
    Path dir;
    QmpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qemu72-libvirt-probe.jsonl", "qemu72-libvirt-probe-tcg.jsonl"})
    void libvirtsProbeGetsQemusReplies(String file) throws Exception {
        QmpClient.Recording rec = QmpClient.Recording.read(Path.of("tests/qmp", file));
        Events events = new Events();
        MonitorContext ctx = new MonitorContext(QapiSchema.packaged(), events, "machina test");
        ctx.machine(new NoMachine(events, false,
                () -> dev.machina.cli.MonitorData.dryRun(List.of("-machine", "none"), QmpProbeTest.CONTEXT)));
        ctx.introspection(dev.machina.cli.MonitorData.of(QmpProbeTest.CONTEXT));
        server = new QmpServer(ctx);
        Path sock = dir.resolve("qmp.sock");
        server.listen(Endpoint.parse("-qmp", "unix:" + sock + ",server=on,wait=off", "compat_monitor0"));
        List<String> problems = new ArrayList<>();
        int compared = 0;
        try (QmpClient c = new QmpClient(sock)) {
            problems.addAll(Shapes.problems(c.greeting, rec.lines().get(1).get("recv"), "greeting"));
            for (QmpProbeTest.Exchange e : QmpProbeTest.recording(file)) {
                JsonNode sent = QmpJson.parse(e.send());
                JsonNode reply = c.send(e.send());
                JsonNode qemu = e.replies().get(0);
                compared++;
                String where = sent.get("id").asText() + " " + sent.get("execute").asText() + sent.path("arguments");
                if (qemu.has("error") || reply.has("error")) {
                    if (!qemu.equals(reply)) {
                        problems.add(where + ": ours " + reply + ", QEMU's " + qemu);
                    }
                    continue;
                }
                List<String> shape = Shapes.problems(reply, qemu, where);
                problems.addAll(shape);
                if (shape.isEmpty()) {
                    problems.addAll(values(sent.get("execute").asText(), reply.get("return"), qemu.get("return"), where));
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(compared >= 3, "compared " + compared);
    }

    /** The commands whose results have QEMU 7.2's values here, not only its shape. */
    static final Set<String> SAME_VALUES = Set.of("query-target", "query-tpm-models", "query-tpm-types",
            "query-migrate-capabilities");

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
