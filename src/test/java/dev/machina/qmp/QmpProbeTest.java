package dev.machina.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Machina's QMP server against QEMU 7.2's replies to the same messages
 * ({@code tests/qmp/qemu72-none-probe.jsonl}, recorded by {@code tools/qmp/record.py} from
 * {@code qemu-system-x86_64 -machine none -nodefaults -display none -qmp stdio}): error replies are
 * identical, results have QEMU's shape, and every result is valid for the schema's return type.
 */
class QmpProbeTest {
    /** The packaged data, loaded once for the class. */
    static final dev.machina.cli.Context CONTEXT = new dev.machina.cli.Context();

    @TempDir
    Path dir;
    QmpServer server;
    MonitorContext ctx;
    Path sock;

    @BeforeEach
    void start() throws IOException {
        start(List.of());
    }

    /** A server as QEMU was started for a recording: {@code -S}, {@code -name}, {@code -uuid} from its argv. */
    void start(List<String> argv) throws IOException {
        if (server != null) {
            server.close();
        }
        Events events = new Events();
        ctx = new MonitorContext(QapiSchema.packaged(), events, "machina test");
        ctx.machine(new NoMachine(events, argv.contains("-S"), () -> dev.machina.cli.MonitorData.dryRun(List.of("-machine", "none"), CONTEXT)));
        int n = argv.indexOf("-name");
        if (n >= 0) {
            ctx.name(argv.get(n + 1));
        }
        int u = argv.indexOf("-uuid");
        if (u >= 0) {
            ctx.uuid(argv.get(u + 1));
        }
        ctx.introspection(dev.machina.cli.MonitorData.of(CONTEXT));
        ctx.chardev(new MonitorContext.Chardev("compat_monitor0", "stdio", true));
        server = new QmpServer(ctx);
        sock = dir.resolve("qmp.sock");
        server.listen(Endpoint.parse("-qmp", "unix:" + sock + ",server=on,wait=off", "compat_monitor0"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Human monitor commands whose output is the same text as QEMU's. */
    static final List<String> EXACT_HMP = List.of("info status", "info name", "info uuid", "info nope", "no-such", "info chardev");

    /** One message QEMU was sent and the lines it answered. */
    record Exchange(String send, List<JsonNode> replies, List<JsonNode> events) {}

    static List<Exchange> recording(String file) throws IOException {
        List<Exchange> out = new ArrayList<>();
        for (String l : Files.readAllLines(Path.of("tests/qmp", file))) {
            JsonNode r = QmpClient.JSON.readTree(l);
            if (r.has("send")) {
                out.add(new Exchange(r.get("send").asText(), new ArrayList<>(), new ArrayList<>()));
            } else if (r.has("recv") && !out.isEmpty()) {
                JsonNode m = r.get("recv");
                (m.has("event") ? out.get(out.size() - 1).events() : out.get(out.size() - 1).replies()).add(m);
            }
        }
        return out;
    }

    private static String commandOf(String send) {
        try {
            JsonNode n = QmpJson.parse(send);
            return n.isObject() && n.path("execute").isTextual() ? n.get("execute").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void theGreetingHasQemusShape() throws Exception {
        try (QmpClient c = new QmpClient(sock)) {
            JsonNode qemu = QmpClient.JSON.readTree(Files.readAllLines(Path.of("tests/qmp/qemu72-none-probe.jsonl")).get(1))
                    .get("recv");
            assertEquals(List.of(), Shapes.problems(c.greeting, qemu, "greeting"));
            assertEquals(7, c.greeting.at("/QMP/version/qemu/major").asInt());
            assertEquals(2, c.greeting.at("/QMP/version/qemu/minor").asInt());
            assertEquals("[\"oob\"]", c.greeting.at("/QMP/capabilities").toString());
            // byte for byte as QEMU 7.2 writes it (qobject_to_json's spacing, its member order), the package ours
            assertEquals("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"machina test\"},"
                    + " \"capabilities\": [\"oob\"]}}", c.raw.get(0));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"qemu72-none-probe.jsonl", "qemu72-none-S-errors.jsonl"})
    void repliesToQemusMessagesHaveQemusShapesAndErrors(String file) throws Exception {
        List<String> argv = new ArrayList<>();
        QmpClient.JSON.readTree(Files.readAllLines(Path.of("tests/qmp", file)).get(0)).get("argv").forEach(a -> argv.add(a.asText()));
        start(argv);
        List<String> problems = new ArrayList<>();
        int compared = 0;
        try (QmpClient c = new QmpClient(sock)) {
            Set<String> ours = new HashSet<>(server.handlers().names());
            for (Exchange e : recording(file)) {
                String cmd = commandOf(e.send());
                if (cmd != null && !ours.contains(cmd)) {
                    continue; // not implemented yet: it would be CommandNotFound
                }
                int before = c.events.size();
                JsonNode reply = c.send(e.send());
                JsonNode qemu = e.replies().get(0);
                compared++;
                if (qemu.has("error")) {
                    if (!qemu.equals(reply)) {
                        problems.add(e.send() + ": ours " + reply + ", QEMU's " + qemu);
                    }
                } else if (EXACT_HMP.stream().anyMatch(h -> e.send().contains("\"command-line\": \"" + h + "\""))) {
                    if (!qemu.equals(reply)) {
                        problems.add(e.send() + ": ours " + reply + ", QEMU's " + qemu);
                    }
                } else {
                    problems.addAll(Shapes.problems(reply, qemu, e.send()));
                    if (cmd != null && reply.has("return")) {
                        try {
                            QapiSchema.Command sc = ctx.schema().command(cmd).orElseThrow();
                            if (sc.returns() != null) {
                                ctx.schema().checkValue(sc.returns(), reply.get("return"), "return");
                            }
                        } catch (QmpError err) {
                            problems.add(cmd + ": the reply does not match the schema: " + err.desc());
                        }
                    }
                }
                List<String> theirEvents = e.events().stream().map(v -> v.get("event").asText() + v.path("data")).toList();
                List<String> ourEvents = c.events.subList(before, c.events.size()).stream()
                        .map(v -> v.get("event").asText() + v.path("data")).toList();
                if (!theirEvents.equals(ourEvents)) {
                    problems.add(e.send() + ": events " + ourEvents + ", QEMU sent " + theirEvents);
                }
                for (JsonNode ev : c.events.subList(before, c.events.size())) {
                    assertTrue(ev.at("/timestamp/seconds").isIntegralNumber() && ev.at("/timestamp/microseconds").isIntegralNumber(), ev.toString());
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(compared >= 25, "compared " + compared);
    }

    /**
     * qom-list-types and query-cpu-definitions answer from the types' declarations (a probe then reads no
     * type's properties); what they list is what the resolved types say: every type, or those that are or
     * implement a class or an interface (also through a parent's or an interface's interfaces), with its
     * parent and abstract flag; of the presented release (its removals left out, its CPU models as the x86 types).
     */
    @Test
    void typeListingsFromDeclarationsAgreeWithTheResolvedTypes() throws Exception {
        dev.machina.qom.TypeRegistry reg = CONTEXT.registry();
        try (QmpClient c = new QmpClient(sock)) {
            c.send("{\"execute\":\"qmp_capabilities\"}");
            for (String impl : new String[] {null, "device", "pci-device", "x86_64-cpu", "hotplug-handler", "user-creatable",
                    "conventional-pci-device", "interface", "nope"}) {
                for (boolean withAbstract : new boolean[] {false, true}) {
                    String args = "{\"abstract\":" + withAbstract + (impl == null ? "" : ",\"implements\":\"" + impl + "\"") + "}";
                    List<String> ours = new ArrayList<>();
                    c.send("{\"execute\":\"qom-list-types\",\"arguments\":" + args + "}").get("return")
                            .forEach(t -> ours.add(t.get("name").asText() + " " + t.path("parent").asText() + " " + t.path("abstract").asBoolean()));
                    // the presented release's types: none it removed (sga, pvrdma, ...), its CPU models as the x86 model
                    // types (10.2's GraniteRapids-x86_64-cpu, no Icelake-Client-x86_64-cpu), issue 14 item 5
                    String presented = CONTEXT.qemuRelease();
                    java.util.Set<String> removed = dev.machina.machine.QemuRelease.removedBy(presented);
                    java.util.Set<String> cpus = new java.util.LinkedHashSet<>();
                    dev.machina.cpu.x86.CpuModel.listedModels(presented).forEach(m -> cpus.add(m + "-x86_64-cpu"));
                    List<String> resolved = new ArrayList<>(reg.all().stream()
                            .filter(t -> (impl == null || t.isA(impl)) && (withAbstract || !t.isAbstract()))
                            .filter(t -> !removed.contains(t.name()) && (t.isAbstract() || !t.name().endsWith("-x86_64-cpu") || cpus.contains(t.name())))
                            .map(t -> t.name() + " " + (t.parentName() == null ? "" : t.parentName()) + " " + t.isAbstract()).toList());
                    if (impl == null || reg.type("x86_64-cpu").isA(impl)) {
                        cpus.stream().filter(n -> reg.find(n).isEmpty()).sorted().forEach(n -> resolved.add(n + " x86_64-cpu false"));
                    }
                    assertEquals(resolved, ours, args);
                    if (impl != null && !impl.equals("nope") && !impl.equals("hotplug-handler")) { // Machina's data has no hotplug handler type
                        assertTrue(!ours.isEmpty(), args);
                    }
                }
            }
            // query-cpu-definitions lists -cpu help's models of the presented release (issue 14 item 5): each a concrete
            // CPU type of the registry, or (presenting 10.2) a model 7.2 has not; Icelake-Client, a registry type QEMU
            // removed in 7.1, is not listed
            List<String> cpus = new ArrayList<>();
            c.send("{\"execute\":\"query-cpu-definitions\"}").get("return").forEach(d -> cpus.add(d.get("name").asText()));
            List<String> help = new ArrayList<>();
            String presented = CONTEXT.qemuRelease();
            dev.machina.cpu.x86.CpuModel.help(presented).split("\n\n")[0].lines().skip(1)
                    .forEach(l -> help.add(l.replaceFirst("^(x86 )?\\s*", "").split(" ")[0]));
            assertEquals(new java.util.TreeSet<>(help), new java.util.TreeSet<>(cpus));
            String old = dev.machina.cpu.x86.CpuModel.help("7.2");
            for (String cpu : cpus) {
                assertTrue(reg.find(cpu + "-x86_64-cpu").map(t -> !t.isAbstract() && t.isA("x86_64-cpu")).orElse(false)
                        || !old.contains("x86 " + cpu + " "), cpu);
            }
            assertTrue(cpus.contains("GraniteRapids") == !dev.machina.cpu.x86.CpuModel.modelsRelease(presented).equals("7.2"), cpus.toString());
            if (presented.equals("10.2")) { // the default view: 10.2's types, by name (10.2.0 docs/about/removed-features.rst:1217, :1226)
                List<String> types = new ArrayList<>();
                c.send("{\"execute\":\"qom-list-types\"}").get("return").forEach(t -> types.add(t.get("name").asText()));
                assertTrue(types.contains("GraniteRapids-x86_64-cpu") && types.contains("igb") && types.contains("e1000e"), types.toString());
                for (String gone : List.of("sga", "pvrdma", "Icelake-Client-x86_64-cpu", "ide-drive")) {
                    assertFalse(types.contains(gone), gone);
                }
            }
            assertTrue(reg.find("Icelake-Client-x86_64-cpu").isPresent() && !cpus.contains("Icelake-Client"), cpus.toString());
        }
    }

    @Test
    void everyLineIsAsciiAndEndsInCrlf() throws Exception {
        try (QmpClient c = new QmpClient(sock)) {
            c.sendRaw("{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"query-version\", \"id\": \"\u00e9\u4e2d\"}\n");
            c.reply();
            JsonNode r = c.reply();
            assertEquals("\u00e9\u4e2d", r.get("id").asText());
            String last = c.raw.get(c.raw.size() - 1);
            assertTrue(last.chars().allMatch(ch -> ch < 0x80), last);
            assertTrue(last.endsWith("\"id\": \"\\u00E9\\u4E2D\"}"), last);
        }
    }
}
