package dev.machina.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machina.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.TreeSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qom-list, qom-get and qom-set (and HMP's qom-*) on a built {@code -M pc} machine, against QEMU 7.2 on
 * the same command line ({@code tests/qmp/qemu72-pc-qom.jsonl}, recorded by {@code tools/qmp/record.py}
 * with {@code tools/qmp/qom-pc.json}): the same paths ({@code /machine/i440fx},
 * {@code /machine/unattached/device[12]}), the same values of qom-get, the same errors, and in every
 * qom-list only properties QEMU lists with QEMU's type names.
 */
class QomAgreesWithQemuTest {
    private static final Path RECORDING = Path.of("tests/qmp/qemu72-pc-qom.jsonl");

    /**
     * What QEMU lists that Machina has no object for: memory regions and GPIO lines are QOM children in
     * QEMU (pam-pci[12], unnamed-gpio-in[0]); a model's internal children (an isa-serial's
     * {@code serial}); the CPU's hundreds of feature flags (Machina's CPU models keep CPUID, not
     * properties); QEMU's unnamed containers of its own.
     */
    private static final Pattern NOT_MODELLED = Pattern.compile("child<(memory-region|irq|serial|container)>|.*-x86_64-cpu.*");

    /**
     * Properties Machina's objects have that QEMU 7.2's do not: the type data is one registry for every
     * release, and these came later or went earlier (machines/types/devices.yaml says so for each:
     * "new in 9.2", "not reported by QEMU 7.2"); they are there for the machine types whose compat
     * properties name them.
     */
    static final Set<String> OTHER_RELEASES = Set.of("check_media_rate", "x-pcie-err-unc-mask", "x-pcie-ari-nextfn-1", "x-pcie-ext-tag",
            "command_serr_enable");

    /**
     * Instance properties QEMU's objects add for themselves in their init or realize (not class
     * properties, so not in Machina's type data): PIIX4_PM's ACPI registers and hotplug settings, the
     * ACPI hotplug slot of the root PCI bus, the RTC's host date.
     */
    static final Set<String> NOT_IN_DATA = Set.of("acpi-pcihp-io-base", "acpi-pcihp-io-len", "acpi_disable_cmd", "acpi_enable_cmd",
            "cpu-hotplug-legacy", "gpe0_blk", "gpe0_blk_len", "pm_io_base", "sci_int", "acpi-pcihp-bsel", "date");

    /** Chipset functions whose QEMU class says hotpluggable=false, which the type data does not carry. */
    static final Set<String> NOT_HOTPLUGGABLE_IN_QEMU = Set.of("i440FX", "PIIX3", "piix3-ide", "PIIX4_PM");

    @TempDir
    Path dir;

    /** QEMU's {@code info qom-tree} text without the objects Machina does not model (and what is under them). */
    static String modelledLines(String tree) {
        StringBuilder sb = new StringBuilder();
        int skipBelow = -1;
        for (String line : tree.split("\n", -1)) {
            int indent = line.length() - line.stripLeading().length();
            if (skipBelow >= 0 && indent > skipBelow) {
                continue;
            }
            skipBelow = -1;
            if (line.matches(" */.* \\((memory-region|irq|serial)\\)")) {
                skipBelow = indent;
                continue;
            }
            sb.append(line).append('\n');
        }
        return sb.substring(0, sb.length() - 1);
    }

    /**
     * HMP's {@code info qom-tree} on the same machine as QEMU 7.2 ({@code tests/qmp/qemu72-pc-qom-tree.jsonl},
     * tools/qmp/record.py with tools/qmp/qom-tree-pc.json): of /machine, of /, of a container and of an
     * unknown path, QEMU's text with the objects Machina does not model left out (memory regions, GPIO
     * lines, an isa-serial's serial core), line for line: names, types, order, indentation.
     */
    @Test
    void infoQomTreeIsQemusWithoutWhatIsNotModelled() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        QmpClient.Recording recording = QmpClient.Recording.read(Path.of("tests/qmp/qemu72-pc-qom-tree.jsonl"));
        List<String> args = recording.args();
        args.set(args.indexOf("pc"), "pc-i440fx-7.2");
        Path sock = dir.resolve("qmp.sock");
        args.addAll(List.of("-qmp", "unix:" + sock + ",server=on,wait=off"));
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run(args.toArray(String[]::new)));
        int compared = 0;
        try (QmpClient c = QmpClient.connect(sock, run)) {
            String sent = null;
            for (JsonNode r : recording.lines().subList(2, recording.lines().size())) {
                if (r.has("send")) {
                    sent = r.get("send").asText();
                } else if (r.has("recv") && r.get("recv").path("return").isTextual() && sent != null) {
                    // the recording's monitor was -qmp stdio, the test's is a unix socket
                    String qemu = r.get("recv").get("return").asText().replace("\r\n", "\n")
                            .replace("/compat_monitor0 (chardev-stdio)", "/compat_monitor0 (chardev-socket)");
                    String ours = c.send(sent).get("return").asText().replace("\r\n", "\n");
                    assertEquals(modelledLines(qemu), ours, sent);
                    compared++;
                    sent = null;
                } else if (r.has("recv") && sent != null && !r.get("recv").has("event")) {
                    c.send(sent);
                    sent = null;
                }
            }
        } // the recording ends with quit
        assertEquals(0, run.join().code());
        assertEquals(4, compared);
    }

    @Test
    void pathsValuesAndErrorsAreQemus() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        QmpClient.Recording recording = QmpClient.Recording.read(RECORDING);
        List<JsonNode> rec = recording.lines();
        List<String> args = recording.args();
        args.set(args.indexOf("pc"), "pc-i440fx-7.2"); // what -M pc is on QEMU 7.2 (Machina's data knows later releases)
        Path sock = dir.resolve("qmp.sock");
        args.addAll(List.of("-qmp", "unix:" + sock + ",server=on,wait=off"));
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run(args.toArray(String[]::new)));
        List<String> problems = new ArrayList<>();
        int lists = 0;
        int values = 0;
        try (QmpClient c = QmpClient.connect(sock, run)) {
            JsonNode sent = null;
            JsonNode ours = null;
            for (JsonNode r : rec.subList(2, rec.size())) {
                if (r.has("send")) {
                    sent = QmpClient.JSON.readTree(r.get("send").asText());
                    ours = c.send(r.get("send").asText());
                    continue;
                }
                JsonNode q = r.get("recv");
                if (q == null || q.has("event")) {
                    continue;
                }
                String cmd = sent.path("execute").asText();
                if (OTHER_RELEASES.contains(sent.at("/arguments/property").asText())) {
                    continue;
                }
                String hmp = sent.at("/arguments/command-line").asText();
                if (cmd.equals("qom-list") && q.has("return")) {
                    lists++;
                    problems.addAll(listProblems(sent, ours.path("return"), q.get("return")));
                } else if (hmp.startsWith("qom-list")) {
                    lists++;
                    problems.addAll(hmpListProblems(sent, ours.path("return").asText(), q.get("return").asText()));
                } else if (!q.equals(ours)) {
                    problems.add(sent + ": ours " + ours + ", QEMU's " + q);
                } else if (cmd.equals("qom-get")) {
                    values++;
                }
            }
        }
        CliRunner result = run.join();
        assertEquals(0, result.code(), result.err());
        assertEquals(List.of(), problems);
        assertTrue(lists >= 8 && values >= 20, lists + " lists, " + values + " values compared");
    }

    /**
     * The machine's and the CPU's listings are compared in their composition (child and link entries)
     * only: their class properties come from the type data, which spells their types as
     * device-list-properties does (int64, list<SgxEPC>) where QEMU's qom-list shows the visitor's names
     * (int, SgxEPC), and QEMU's machine has instance properties (rtc_state, smram, acpi-device) and the
     * CPU hundreds of feature flags the data does not declare.
     */
    private static final Set<String> STRUCTURE_ONLY = Set.of("/machine", "/machine/unattached/device[0]");

    /**
     * Every value QEMU 7.2 reported for every object of {@code -M pc-i440fx-7.2 -nodefaults -S}
     * ({@code ../shared/qemu/machines/raw72/pc-i440fx-7.2.qom-values.json}: 44 objects, read with qom-get
     * through every child link) is what Machina's qom-get answers on the same command line.
     */
    @Test
    void everyValueQemuReportsForPcI440fx72IsOurs() throws Exception {
        Path values = Path.of("../shared/qemu/machines/raw72/pc-i440fx-7.2.qom-values.json");
        assumeTrue(Files.isRegularFile(values), "skipped: the shared QEMU 7.2 recordings (../shared/qemu) are not here");
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        JsonNode qemu = QmpClient.JSON.readTree(values.toFile());
        Path sock = dir.resolve("qmp.sock");
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run("-nodefaults", "-display", "none", "-S",
                "-machine", "pc-i440fx-7.2", "-qmp", "unix:" + sock + ",server=on,wait=off"));
        List<String> problems = new ArrayList<>();
        int compared = 0;
        try (QmpClient c = QmpClient.connect(sock, run).negotiate()) {
            for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = qemu.fields(); it.hasNext(); ) {
                java.util.Map.Entry<String, JsonNode> o = it.next();
                String path = o.getKey();
                JsonNode type = c.execute("qom-get", "{\"path\": " + QmpClient.JSON.writeValueAsString(path) + ", \"property\": \"type\"}");
                if (!o.getValue().get("type").equals(type.get("return"))) {
                    problems.add(path + ": type " + type + ", QEMU's " + o.getValue().get("type"));
                    continue;
                }
                for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> v = o.getValue().get("values").fields(); v.hasNext(); ) {
                    java.util.Map.Entry<String, JsonNode> e = v.next();
                    if (IGNORED_VALUES.contains(e.getKey()) || path.equals("/machine/unattached/device[0]") || NOT_IN_DATA.contains(e.getKey())
                            || (e.getKey().equals("hotpluggable") && NOT_HOTPLUGGABLE_IN_QEMU.contains(o.getValue().get("type").asText()))) {
                        continue;
                    }
                    JsonNode r = c.execute("qom-get", "{\"path\": " + QmpClient.JSON.writeValueAsString(path) + ", \"property\": "
                            + QmpClient.JSON.writeValueAsString(e.getKey()) + "}");
                    compared++;
                    boolean sameError = e.getValue().has("error") && e.getValue().get("error").equals(r.at("/error/desc")); // the file keeps QEMU's desc
                    if (!e.getValue().equals(r.get("return")) && !sameError) {
                        problems.add(path + " " + e.getKey() + ": ours " + r + ", QEMU's " + e.getValue());
                    }
                }
            }
            c.execute("quit");
        }
        run.join();
        assertEquals(List.of(), problems, problems.size() + " of " + compared + " differ");
        assertTrue(compared >= 250, "compared " + compared);
    }

    /** Values of the host or the moment: the RTC's time when QEMU read it; QEMU's crash report of the CPU. */
    static final Set<String> IGNORED_VALUES = Set.of("rtc-time");

    private static List<String> listProblems(JsonNode sent, JsonNode ours, JsonNode qemu) {
        boolean structure = STRUCTURE_ONLY.contains(sent.at("/arguments/path").asText());
        Set<String> q = new LinkedHashSet<>();
        qemu.forEach(p -> q.add(p.get("name").asText() + " (" + p.get("type").asText() + ")"));
        Set<String> o = new LinkedHashSet<>();
        ours.forEach(p -> o.add(p.get("name").asText() + " (" + p.get("type").asText() + ")"));
        if (structure) {
            q.removeIf(p -> !p.contains("(child<"));
            o.removeIf(p -> !p.contains("(child<"));
        }
        // a bus's child[N] numbers its devices in QEMU's plug order; Machina's builder plugs the system
        // bus's devices in the graph's order (kvmvapic, which QEMU plugs when the CPU's APIC is realized,
        // comes later), so those links are compared as the set of their types
        if (sent.at("/arguments/path").asText().endsWith("/sysbus")) {
            return compare(sent, unnumbered(o), unnumbered(q));
        }
        return compare(sent, o, q);
    }

    private static Set<String> unnumbered(Set<String> entries) {
        Set<String> out = new TreeSet<>();
        entries.forEach(p -> out.add(p.replaceFirst("^child\\[\\d+\\]", "child[N]")));
        return out;
    }

    private static List<String> hmpListProblems(JsonNode sent, String ours, String qemu) {
        return compare(sent, new LinkedHashSet<>(List.of(ours.split("\r\n"))), new LinkedHashSet<>(List.of(qemu.split("\r\n"))));
    }

    private static List<String> compare(JsonNode sent, Set<String> ours, Set<String> qemu) {
        List<String> out = new ArrayList<>();
        for (String p : ours) {
            if (!qemu.contains(p) && !OTHER_RELEASES.contains(p.substring(0, p.indexOf(' ')))) {
                out.add(sent + ": ours lists " + p + ", QEMU does not");
            }
        }
        for (String p : qemu) {
            String type = p.substring(p.indexOf('(') + 1, p.length() - 1);
            if (!ours.contains(p) && !NOT_MODELLED.matcher(type).matches() && !NOT_IN_DATA.contains(p.substring(0, p.indexOf(' ')))) {
                out.add(sent + ": QEMU lists " + p + ", ours does not");
            }
        }
        return out;
    }

    /**
     * An isa-serial given without index, iobase or irq takes the next port as QEMU 7.2's serial_isa_realizefn
     * does: its index counts the isa-serial ports realized before it (the -serial ports first), and qom-get
     * returns those effective values, not the unset -1 (tests/qmp/qemu72-serial-ports.jsonl, recorded by
     * tools/qmp/record.py from tools/qmp/serial-ports.json: -serial null, then s1 without index is port 1 at
     * 0x2f8 with IRQ 3, s2 with index=3, and s3 after it is index 3 again with its own iobase and irq).
     */
    @Test
    void anIsaSerialWithoutIndexTakesTheNextPortAsQemusDoes() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        QmpClient.Recording recording = QmpClient.Recording.read(Path.of("tests/qmp/qemu72-serial-ports.jsonl"));
        List<String> args = recording.args();
        Path sock = dir.resolve("qmp.sock");
        args.addAll(List.of("-qmp", "unix:" + sock + ",server=on,wait=off"));
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run(args.toArray(String[]::new)));
        List<String> problems = new ArrayList<>();
        int values = 0;
        try (QmpClient c = QmpClient.connect(sock, run)) {
            for (QmpClient.Replayed r : c.replay("qemu72-serial-ports.jsonl")) {
                if (r.unequal() != null) {
                    problems.add(r.unequal());
                } else if (r.sent().path("execute").asText().equals("qom-get")) {
                    values++;
                }
            }
        }
        CliRunner result = run.join();
        assertEquals(0, result.code(), result.err());
        assertEquals(List.of(), problems);
        assertEquals(9, values, "index, iobase and irq of three ports");
    }
}
