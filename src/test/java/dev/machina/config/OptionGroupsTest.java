package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machina.config.OptionGroup.ParamType;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The option-group table against what QEMU 7.2 itself reports (QMP query-command-line-options, transcripts/08). */
class OptionGroupsTest {
    private static final Map<String, ParamType> QMP_TYPES = Map.of("string", ParamType.STRING, "boolean", ParamType.BOOL,
            "number", ParamType.NUMBER, "size", ParamType.SIZE);

    @TestFactory
    Stream<DynamicTest> everyQemuOptsGroupHasQemusKeysAndTypes() throws IOException {
        JsonNode groups = new ObjectMapper().readTree(Qemu72.transcript("08-query-command-line-options.json").toFile());
        return java.util.stream.StreamSupport.stream(groups.spliterator(), false)
                // "" is the x86 stub of semihosting-config; machine is synthesised by QMP (keyval, checked against the machine type)
                .filter(g -> !g.get("option").asText().isEmpty() && !g.get("option").asText().equals("machine"))
                .map(g -> DynamicTest.dynamicTest(g.get("option").asText(), () -> {
                    String name = g.get("option").asText();
                    Optional<OptionGroup> ours = OptionGroups.find(name);
                    assertTrue(ours.isPresent(), "QEMU has [" + name + "]");
                    assertTrue(ours.get().qemuReadsIt(), name);
                    Map<String, ParamType> qemu = new TreeMap<>();
                    g.get("parameters").forEach(p -> qemu.put(p.get("name").asText(), QMP_TYPES.get(p.get("type").asText())));
                    if (qemu.isEmpty()) {
                        assertTrue(ours.get().qemuAcceptsAnyKey(), name + " takes any key in QEMU");
                        return;
                    }
                    for (Map.Entry<String, ParamType> e : qemu.entrySet()) {
                        OptionGroup.Param p = ours.get().params().get(e.getKey());
                        assertTrue(p != null, name + "." + e.getKey());
                        assertEquals(e.getValue(), p.type(), name + "." + e.getKey());
                    }
                    if (!name.equals("drive")) { // our drive also knows the options -drive passes to the raw and file drivers, and legacy spellings
                        assertEquals(qemu.keySet(), new TreeMap<>(ours.get().params()).keySet(), name + ": no keys QEMU does not have");
                    }
                }));
    }

    @Test
    void impliedKeysAreQemus() {
        // §3.6 of the facts and transcripts/06, 07
        Map<String, String> implied = Map.ofEntries(Map.entry("device", "driver"), Map.entry("chardev", "backend"),
                Map.entry("netdev", "type"), Map.entry("memory", "size"), Map.entry("name", "guest"), Map.entry("object", "qom-type"),
                Map.entry("machine", "type"), Map.entry("smp-opts", "cpus"), Map.entry("boot-opts", "order"), Map.entry("mon", "chardev"),
                Map.entry("accel", "accel"), Map.entry("numa", "type"), Map.entry("icount", "shift"), Map.entry("fw_cfg", "name"),
                Map.entry("sandbox", "enable"), Map.entry("vnc", "vnc"), Map.entry("fsdev", "fsdriver"), Map.entry("tpmdev", "type"));
        implied.forEach((g, k) -> assertEquals(Optional.of(k), OptionGroups.find(g).orElseThrow().implied(), g));
        for (String g : new String[] {"drive", "rtc", "global", "add-fd", "action", "spice", "iscsi"}) {
            assertEquals(Optional.empty(), OptionGroups.find(g).orElseThrow().implied(), g);
        }
    }

    @Test
    void everyOptionWritesAGroupThatExists() {
        for (CliOption o : CliOptions.all()) {
            if (o.group() != null) {
                assertTrue(OptionGroups.find(o.group()).isPresent(), o.name() + " → " + o.group());
            }
        }
    }

    @Test
    void everyGroupHasAnOptionExceptTheOnesQemuIgnoresInFiles() {
        for (OptionGroup g : OptionGroups.all()) {
            assertEquals(g.inFiles() != OptionGroup.InFiles.IGNORED, CliOptions.forGroup(g.name()).isPresent(), g.name());
        }
    }
}
