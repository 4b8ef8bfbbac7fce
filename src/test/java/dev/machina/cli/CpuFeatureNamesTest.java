package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The feature words of tools/qemu-source/cpu-models-7.2.0.json against QEMU 7.2 itself. A static
 * expansion (query-cpu-model-expansion type static) names every feature of every feature word, in QEMU's
 * spelling, beside a few identity properties; so the names the facts file holds must be exactly those
 * (an earlier reader kept '[54] = "vmx-ins-outs' for the designated initializers of the 64-bit MSR
 * words, and such a name is a property no guest could set). And each model's feature bits, as the
 * facts file has them, must be the ones QEMU 7.2 reports for that model's version 1 with vmx=on, but
 * for what QEMU changes after loading the definition. (The bits of FEAT_VMX_BASIC were taken from that
 * same recording when the file was repaired, so for those two names this second check only says that
 * the repair was applied; every other bit is checked against what the source reader found.)
 */
class CpuFeatureNamesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FACTS = Path.of("tools/qemu-source/cpu-models-7.2.0.json");

    /** The identity properties a static expansion adds to the features (x86_cpu_static_props, as recorded). */
    private static final Set<String> STATIC_PROPS = Set.of("family", "model", "stepping", "vendor", "model-id",
            "min-level", "min-xlevel", "lmce");

    /**
     * What QEMU 7.2 does to a model's bits after x86_cpu_load_model, for these expansions: a TCG CPU's
     * vme is off (tcg_default_props), and feature_dependencies clears a VMX control whose feature the
     * model lacks.
     */
    private static final Map<String, String> DEPENDS_ON = Map.of("vmx-invpcid-exit", "invpcid",
            "vmx-rdtscp-exit", "rdtscp", "vmx-entry-ia32e-mode", "lm");

    /** id -> [arguments, reply] of a record.py transcript. */
    static Map<String, JsonNode[]> exchanges(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        Map<String, JsonNode[]> out = new HashMap<>();
        for (int i = 0; i < lines.size() - 1; i++) {
            JsonNode r = JSON.readTree(lines.get(i));
            if (r.has("send")) {
                JsonNode sent = JSON.readTree(r.get("send").asText());
                out.put(sent.path("id").asText(), new JsonNode[] {sent.path("arguments"), JSON.readTree(lines.get(i + 1)).get("recv")});
            }
        }
        return out;
    }

    @Test
    void theFeatureNamesAreTheOnesQemu72Expands() throws Exception {
        JsonNode facts = JSON.readTree(FACTS.toFile());
        Set<String> ours = new TreeSet<>();
        Map<String, String> where = new HashMap<>();
        facts.get("features").fields().forEachRemaining(w -> {
            for (int bit = 0; bit < w.getValue().size(); bit++) {
                JsonNode n = w.getValue().get(bit);
                if (!n.isNull()) { // a name may stand for two bits (FEAT_KVM's kvmclock, bits 0 and 3)
                    ours.add(n.asText());
                    where.put(n.asText(), w.getKey() + "[" + bit + "]");
                }
            }
        });
        JsonNode base = exchanges(Path.of("tests/qmp/qemu72-cpu-model-expansion.jsonl")).get("e-15")[1];
        Set<String> qemu = new TreeSet<>();
        base.at("/return/model/props").fieldNames().forEachRemaining(qemu::add);
        qemu.removeAll(STATIC_PROPS);
        Set<String> extra = new TreeSet<>(ours);
        extra.removeAll(qemu);
        Set<String> missing = new TreeSet<>(qemu);
        missing.removeAll(ours);
        assertEquals("", (extra.isEmpty() ? "" : "not QEMU 7.2's: " + extra) + (missing.isEmpty() ? "" : " missing: " + missing));
        // the designated bits, as the SDM numbers them (IA32_VMX_BASIC bits 54 and 55; VM-function control 0)
        assertEquals("FEAT_VMX_BASIC[54]", where.get("vmx-ins-outs"));
        assertEquals("FEAT_VMX_BASIC[55]", where.get("vmx-true-ctls"));
        assertEquals("FEAT_VMX_VMFUNC[0]", where.get("vmx-eptp-switching"));
    }

    @Test
    void everyModelsBitsAreTheOnesQemu72Reports() throws Exception {
        JsonNode facts = JSON.readTree(FACTS.toFile());
        Map<String, JsonNode> byModel = new HashMap<>();
        for (JsonNode[] e : exchanges(Path.of("tests/qmp/qemu72-cpu-models-vmx.jsonl")).values()) {
            if (e[1].has("return")) {
                byModel.put(e[0].at("/model/name").asText(), e[1].at("/return/model/props"));
            }
        }
        Map<String, String> wrong = new TreeMap<>();
        facts.get("models").fields().forEachRemaining(m -> {
            JsonNode qemu = byModel.get(m.getKey() + "-v1");
            assertTrue(qemu != null, "no recording of " + m.getKey() + "-v1");
            Set<String> ours = new TreeSet<>();
            m.getValue().get("features").fieldNames().forEachRemaining(ours::add);
            ours.add("hypervisor"); // x86_cpu_load_model sets it on every model
            ours.add("vmx"); // asked for
            ours.remove("vme"); // tcg_default_props
            DEPENDS_ON.forEach((f, needs) -> {
                if (!m.getValue().get("features").has(needs)) {
                    ours.remove(f);
                }
            });
            Set<String> on = new TreeSet<>();
            qemu.fields().forEachRemaining(p -> {
                if (p.getValue().isBoolean() && p.getValue().asBoolean() && !STATIC_PROPS.contains(p.getKey())) {
                    on.add(p.getKey());
                }
            });
            if (!on.equals(ours)) {
                Set<String> a = new TreeSet<>(ours);
                a.removeAll(on);
                Set<String> b = new TreeSet<>(on);
                b.removeAll(ours);
                wrong.put(m.getKey(), "facts only " + a + ", QEMU only " + b);
            }
        });
        assertEquals(Map.of(), wrong);
        assertTrue(byModel.size() >= 38, "models recorded: " + byModel.size());
    }
}
