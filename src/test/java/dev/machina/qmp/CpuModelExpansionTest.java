package dev.machina.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * query-cpu-model-expansion against QEMU 7.2's own replies (tests/qmp/qemu72-cpu-model-expansion.jsonl,
 * recorded by tools/qmp/record.py --unix from tools/qmp/cpu-model-expansion.json with
 * {@code -machine none -accel tcg}): static and full expansions of qemu64, qemu32, max, pentium3, 486,
 * Skylake-Client (and -v1), base, kvm64, Conroe, athlon, phenom and host, expansions with props
 * (features by name and by alias, family, model-id, vendor, level), and the errors (unknown model, bad
 * type, missing members, unknown property, wrongly typed and out-of-range values), and expansions that
 * exercise feature_dependencies and the auto levels (max without svm or with full-cpuid-auto-level off,
 * Skylake-Client-v1 with vmx and one VMX control off, Cascadelake-Server-v2 without arch-capabilities,
 * Cooperlake's level-func7, EPYC-Rome's cache info, an alias). Every reply must be
 * QEMU's: the same model name and the same value for every property (props compared as maps: QEMU's
 * member order is a hash table's), the same error class and desc.
 */
class CpuModelExpansionTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final QmpServers servers = new QmpServers();

    @Test
    void everyRecordedExpansionIsQemus() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        servers.serveNone(sock, QmpProbeTest.CONTEXT);
        List<String> problems = new ArrayList<>();
        int compared = 0;
        try (QmpClient c = new QmpClient(sock)) {
            for (QmpClient.Replayed r : c.replay("qemu72-cpu-model-expansion.jsonl")) {
                compared++;
                if (r.anError() || !r.qemu().has("return") || !r.qemu().get("return").has("model")) {
                    if (r.unequal() != null) {
                        problems.add(r.unequal());
                    }
                    continue;
                }
                problems.addAll(differences(r.ours().get("return"), r.qemu().get("return"), r.where()));
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(compared >= 67, "compared " + compared);
    }

    /**
     * machines/cpu/qemu72-cpu-expansion.json (what CpuExpansion answers from) is what
     * tools/gen_cpu_expansion.py writes from its inputs now: an edit to the generator, its tables or the
     * recording it reads cannot leave the committed data behind.
     */
    @Test
    void theExpansionDataIsWhatItsGeneratorWrites() throws Exception {
        GeneratorCheck.upToDate("tools/gen_cpu_expansion.py");
    }

    /** How two expansions differ: the model name, and each property whose value is not the same. */
    static List<String> differences(JsonNode ours, JsonNode qemu, String where) {
        List<String> out = new ArrayList<>();
        if (!ours.at("/model/name").equals(qemu.at("/model/name"))) {
            out.add(where + ": model " + ours.at("/model/name") + ", QEMU's " + qemu.at("/model/name"));
        }
        JsonNode op = ours.at("/model/props");
        JsonNode qp = qemu.at("/model/props");
        Set<String> keys = new TreeSet<>();
        op.fieldNames().forEachRemaining(keys::add);
        qp.fieldNames().forEachRemaining(keys::add);
        TreeMap<String, String> diff = new TreeMap<>();
        for (String k : keys) {
            if (!op.path(k).equals(qp.path(k))) {
                diff.put(k, (op.has(k) ? op.get(k).toString() : "absent") + " (QEMU " + (qp.has(k) ? qp.get(k) : "absent") + ")");
            }
        }
        if (!diff.isEmpty()) {
            out.add(where + ": props differ " + diff);
        }
        return out;
    }
}
