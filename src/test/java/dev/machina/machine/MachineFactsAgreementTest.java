package dev.machina.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machina.hw.BuiltinTypes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Resolved machines against facts gathered independently of the data files: the compat chains and
 * options the study of QEMU's source computed ({@code ../shared/qemu/machines/machines.yaml}), and
 * what a real QEMU 7.2 answers to query-machines ({@code tools/qemu72/machines.json}).
 */
class MachineFactsAgreementTest {
    private static MachineCatalog catalog;
    private static Map<String, Map<String, Object>> machinesYaml;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        catalog = MachineCatalog.load(DataFiles.packaged(), false, BuiltinTypes.all());
        Map<String, Object> doc = new Yaml().load(java.nio.file.Files.readString(Path.of("../shared/qemu/machines/machines.yaml")));
        machinesYaml = (Map<String, Map<String, Object>>) doc.get("machines");
    }

    /** machines.yaml array names to compat set names: hw_compat_7_1 is hw-7.1. */
    private static String setName(String array) {
        return switch (array) {
            case "pc_piix_compat_defaults" -> "pc-i440fx-defaults";
            case "pc_q35_compat_defaults" -> "pc-q35-defaults";
            default -> array.replaceFirst("^(hw|pc)_compat_(\\d+)_(\\d+)$", "$1-$2.$3");
        };
    }

    @Test
    void compatChainsEqualTheOnesComputedFromQemu102ForEveryTypeItDefines() {
        int compared = 0;
        for (var e : machinesYaml.entrySet()) {
            Map<String, Object> m = e.getValue();
            Map<?, ?> src = (Map<?, ?>) m.get("source");
            if (!"10.2.0".equals(src.get("qemu")) || !m.containsKey("compat_chain")) {
                continue; // older types come from older source trees, whose family base functions differ
            }
            List<String> expected = new ArrayList<>();
            for (Object a : (List<?>) m.get("compat_chain")) {
                expected.add(setName((String) a));
            }
            assertEquals(expected, catalog.resolve(e.getKey()).compatSets(), e.getKey());
            compared++;
        }
        assertTrue(compared >= 60, "compared " + compared);
    }

    @Test
    void literalOptionsEqualTheEffectiveValuesComputedFromQemu102() {
        // MachineClass fields whose C value is a literal, with the option that holds them
        Map<String, MachineOption> fields = new LinkedHashMap<>();
        fields.put("MachineClass.max_cpus", MachineOption.MAX_CPUS);
        fields.put("MachineClass.default_nic", MachineOption.DEFAULT_NIC);
        fields.put("MachineClass.desc", MachineOption.DESCRIPTION);
        fields.put("MachineClass.numa_mem_supported", MachineOption.NUMA_MEM_SUPPORTED);
        fields.put("MachineClass.smp_props.prefer_sockets", MachineOption.SMP_PREFER_SOCKETS);
        fields.put("MachineClass.default_kernel_irqchip_split", MachineOption.DEFAULT_KERNEL_IRQCHIP_SPLIT);
        fields.put("PCMachineClass.pci_root_uid", MachineOption.PCI_ROOT_UID);
        fields.put("PCMachineClass.enforce_amd_1tb_hole", MachineOption.ENFORCE_AMD_1TB_HOLE);
        fields.put("PCMachineClass.legacy_cpu_hotplug", MachineOption.LEGACY_CPU_HOTPLUG);
        fields.put("X86MachineClass.fwcfg_dma_enabled", MachineOption.FW_CFG_DMA);
        int compared = 0;
        for (var e : machinesYaml.entrySet()) {
            Map<String, Object> m = e.getValue();
            Map<?, ?> src = (Map<?, ?>) m.get("source");
            Map<?, ?> effective = (Map<?, ?>) m.get("effective");
            if (!"10.2.0".equals(src.get("qemu")) || effective == null) {
                continue;
            }
            ResolvedMachine r = catalog.resolve(e.getKey());
            for (var f : fields.entrySet()) {
                Object c = effective.get(f.getKey());
                if (c == null || !((String) c).matches("\"[^\"]*\"|[0-9]+|true|false")) {
                    continue; // not set, or a macro (HVM_MAX_VCPUS) whose value the data spells out
                }
                String text = ((String) c).replaceAll("^\"|\"$", "");
                Object ours = r.option(f.getValue()).value();
                assertEquals(text, String.valueOf(ours instanceof Boolean b ? b : ours), e.getKey() + " " + f.getValue().key());
                compared++;
            }
        }
        assertTrue(compared >= 200, "compared " + compared);
    }

    @Test
    void optionsEqualWhatQemu72ReportsInQueryMachines() throws Exception {
        JsonNode reply = new ObjectMapper().readTree(Path.of("tools/qemu72/machines.json").toFile()).get("return");
        int compared = 0;
        for (JsonNode q : reply) {
            String name = q.get("name").asText();
            ResolvedMachine r = catalog.resolve(name);
            assertEquals(q.get("cpu-max").asLong(), r.option(MachineOption.MAX_CPUS).value(), name + " cpu-max");
            assertEquals(q.get("hotpluggable-cpus").asBoolean(), opt(r, MachineOption.HOTPLUGGABLE_CPUS, false), name);
            assertEquals(q.get("numa-mem-supported").asBoolean(), opt(r, MachineOption.NUMA_MEM_SUPPORTED, false), name);
            assertEquals(q.has("default-cpu-type") ? q.get("default-cpu-type").asText() : null,
                    opt(r, MachineOption.DEFAULT_CPU_TYPE, null), name);
            assertEquals(q.has("default-ram-id") ? q.get("default-ram-id").asText() : null,
                    opt(r, MachineOption.DEFAULT_RAM_ID, null), name);
            compared++;
        }
        assertEquals(59, compared); // every machine type QEMU 7.2 lists, x-remote included
    }

    /** An option's value, or what QEMU's zero-initialised class field holds when no step sets it. */
    private static Object opt(ResolvedMachine r, MachineOption o, Object unset) {
        ResolvedMachine.Option v = r.option(o);
        return v == null ? unset : v.value();
    }
}
