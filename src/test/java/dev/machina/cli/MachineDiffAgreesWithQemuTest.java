package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machina.qom.ObjectType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test against a real QEMU 7.2: every (type, property) whose value QEMU reported
 * differently for {@code pc-i440fx-2.5} and {@code pc-i440fx-7.2} (the objects of the default tree,
 * {@code ../shared/qemu/machines/raw72/pc-i440fx-{2.5,7.2}.qom-values.json}; an object path's type
 * comes from its {@code type} field) must show in {@code machine diff pc-i440fx-2.5 pc-i440fx-7.2
 * --format json} with QEMU's two values: as a changed device-graph row of the device at that path,
 * and through a compat-property row whose driver the type is (or derives from).
 *
 * <p>What QEMU reports differently that is not configuration, and so has no row (named in
 * {@link #NOT_CONFIGURATION}): the guest's clock at the moment QEMU was read. The CPU model's
 * family, model and stepping (set by QEMU's CPU model at instance init, read from QEMU's source) and
 * the 64-bit PCI hole (computed at realize from {@code x-pci-hole64-fix}) are compared like the rest.
 */
class MachineDiffAgreesWithQemuTest {
    private static final Path RAW72 = Path.of("../shared/qemu/machines/raw72");

    /** type.property → why it differs in QEMU without being configuration. */
    private static final Map<String, String> NOT_CONFIGURATION = Map.of(
            "mc146818rtc.date", "the guest clock when QEMU was read",
            "pc-i440fx-machine.rtc-time", "the guest clock when QEMU was read");

    /** type.property → the compat property it is computed from at realize (it has a device row, not a compat row). */
    private static final Map<String, String> COMPUTED = Map.of(
            "i440FX-pcihost.pci-hole64-start", "x-pci-hole64-fix",
            "i440FX-pcihost.pci-hole64-end", "x-pci-hole64-fix");

    /** CPU properties the CPU model sets at instance init: unknown to the data for a machine no compat set reaches. */
    private static Context context;
    private static JsonNode diff;

    /** One value QEMU reports differently for the two machines. */
    record Difference(String path, String type, String property, JsonNode old, JsonNode now) {
        @Override
        public String toString() {
            return path + " (" + type + ") " + property + ": QEMU 2.5 " + old + ", 7.2 " + now;
        }
    }

    @BeforeAll
    static void runTheDiff() throws Exception {
        context = new Context();
        diff = QomAgreement.JSON.readTree(run("machine", "diff", "pc-i440fx-2.5", "pc-i440fx-7.2", "--format", "json"));
    }

    private static String run(String... args) {
        CliRunner r = CliRunner.run(context, args);
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    /** Every value the two QEMU walks report differently, for paths and properties both have. */
    private static List<Difference> qemuDifferences() throws Exception {
        JsonNode a = QomAgreement.JSON.readTree(RAW72.resolve("pc-i440fx-2.5.qom-values.json").toFile());
        JsonNode b = QomAgreement.JSON.readTree(RAW72.resolve("pc-i440fx-7.2.qom-values.json").toFile());
        List<Difference> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> o = it.next();
            JsonNode other = b.get(o.getKey());
            if (other == null) {
                continue;
            }
            // the machine object is NAME-machine in each; its properties are compared as those of the machine
            String type = o.getKey().equals("/machine") ? "pc-i440fx-machine" : o.getValue().get("type").asText();
            for (Iterator<Map.Entry<String, JsonNode>> pv = o.getValue().get("values").fields(); pv.hasNext(); ) {
                Map.Entry<String, JsonNode> v = pv.next();
                JsonNode now = other.get("values").get(v.getKey());
                if (now != null && !v.getValue().has("error") && !normalised(v.getValue()).equals(normalised(now))) {
                    out.add(new Difference(o.getKey(), type, v.getKey(), v.getValue(), now));
                }
            }
        }
        return out;
    }

    /** A value's text: booleans, numbers (by value) and strings compare by what they say, whatever their JSON kind. */
    static String normalised(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isNumber()) {
            return v.bigIntegerValue().toString();
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    /** The device-graph id of each QEMU path, from machine show (the graph says where QEMU puts each device). */
    private static Map<String, String> idsByPath() throws Exception {
        JsonNode shown = QomAgreement.JSON.readTree(run("machine", "show", "pc-i440fx-7.2", "--format", "json"));
        Map<String, String> out = new java.util.HashMap<>();
        for (JsonNode d : shown.get("devices")) {
            out.put(d.get("qemu-path").asText(), d.get("id").asText());
        }
        return out;
    }

    @Test
    void everyValueQemuReportsDifferentlyIsAChangedDeviceRowWithQemusValues() throws Exception {
        List<Difference> differences = qemuDifferences();
        Map<String, String> ids = idsByPath();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Difference q : differences) {
            if (NOT_CONFIGURATION.containsKey(q.type() + "." + q.property())) {
                continue;
            }
            String id = ids.get(q.path());
            JsonNode row = null;
            for (JsonNode r : diff.get("devices")) {
                if (r.get("device").asText().equals(id) && r.get("field").asText().equals("property")
                        && r.get("name").asText().equals(q.property())) {
                    row = r;
                }
            }
            if (row == null) {
                problems.add("no changed device row: " + q);
                continue;
            }
            checked++;
            String old = normalised(row.get("values").get("pc-i440fx-2.5"));
            String now = normalised(row.get("values").get("pc-i440fx-7.2"));
            if (!old.equals(normalised(q.old()))) {
                problems.add("2.5 value " + old + " (" + row.get("sources").get("pc-i440fx-2.5").asText() + "): " + q);
            }
            if (!now.equals(normalised(q.now()))) {
                problems.add("7.2 value " + now + " (" + row.get("sources").get("pc-i440fx-7.2").asText() + "): " + q);
            }
        }
        assertEquals(List.of(), problems, problems.size() + " problems");
        assertTrue(checked >= 35, "only " + checked + " differences were checked");
    }

    /**
     * The compat row is the type-level answer ({@code compare-machine-types.py}'s): its 2.5 cell is
     * the compat value; its 7.2 cell is QEMU's value or, where the type's default is not known
     * (abstract CPU and APIC types), marked unknown.
     */
    @Test
    void everyValueQemuReportsDifferentlyHasACompatRowOfADriverTheTypeIsThatAgreesWithQemu() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Difference q : qemuDifferences()) {
            if (NOT_CONFIGURATION.containsKey(q.type() + "." + q.property()) || COMPUTED.containsKey(q.type() + "." + q.property())) {
                continue;
            }
            ObjectType t = context.registry().find(q.type()).orElse(null);
            boolean found = false;
            List<String> seen = new ArrayList<>();
            for (JsonNode r : diff.get("properties")) {
                String driver = r.get("driver").asText();
                boolean reaches = t != null && t.isA(driver) || q.type().equals("pc-i440fx-machine") && driver.equals("machine");
                if (reaches && r.get("property").asText().equals(q.property())) {
                    String old = normalised(r.get("values").get("pc-i440fx-2.5"));
                    seen.add(driver + "=" + old);
                    String now = normalised(r.get("values").get("pc-i440fx-7.2"));
                    boolean nowAgrees = now.equals(normalised(q.now()))
                            || now.equals("null") && r.get("sources").get("pc-i440fx-7.2").asText().equals("default (unknown)");
                    found |= old.equals(normalised(q.old())) && nowAgrees
                            && r.get("sources").get("pc-i440fx-2.5").asText().startsWith("compat ");
                }
            }
            if (!found) {
                problems.add("no compat row gives QEMU's 2.5 value (rows: " + seen + "): " + q);
            }
        }
        assertEquals(List.of(), problems, problems.size() + " problems");
    }
}
