package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machina.qom.ObjectType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 5, one release per output: {@code device show} as an older release leaves out the
 * properties that release does not have (new later, with no default known there), and only those:
 * checked against QEMU 7.2's own device-list-properties of every device type it has
 * (tools/qemu72/device-properties.json, recorded by tools/qemu72/record_device_properties.py).
 */
class DeviceShowReleaseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Set<String> names(CliRunner r) throws Exception {
        assertEquals(0, r.code(), r.err());
        Set<String> out = new TreeSet<>();
        JSON.readTree(r.out()).get("properties").forEach(p -> out.add(p.get("name").asText()));
        return out;
    }

    @Test
    void e1000eAsQemu72HasNoPropertyOfALaterRelease() throws Exception {
        Set<String> r72 = names(CliRunner.run(new Context().withQemuRelease("7.2"), "device", "show", "e1000e", "--format", "json"));
        Set<String> r80 = names(CliRunner.run(new Context().withQemuRelease("8.0"), "device", "show", "e1000e", "--format", "json"));
        Set<String> r102 = names(CliRunner.run(new Context(), "device", "show", "e1000e", "--format", "json"));
        // hw/net/e1000e.c migrate-timadj and hw/pci/pci.c x-pcie-err-unc-mask are new in 8.0 (hw_compat_7_2 turns them off)
        for (String p : List.of("migrate-timadj", "x-pcie-err-unc-mask")) {
            assertFalse(r72.contains(p), p + " as 7.2: " + r72);
            assertTrue(r80.contains(p), p + " as 8.0");
            assertTrue(r102.contains(p), p + " as 10.2");
        }
        assertFalse(r80.contains("x-pcie-ext-tag"), "new in 9.2");
        assertTrue(r102.contains("x-pcie-ext-tag"));
        CliRunner text = CliRunner.run(new Context().withQemuRelease("7.2"), "device", "show", "e1000e");
        assertFalse(text.out().contains("migrate-timadj"), text.out());
        CliRunner schema = CliRunner.run(new Context().withQemuRelease("7.2"), "device", "show", "e1000e", "--format", "json-schema");
        assertFalse(JSON.readTree(schema.out()).get("properties").has("migrate-timadj"), schema.out());
    }

    @Test
    void asQemu72NoPropertyQemu72HasIsLeftOut() throws Exception {
        JsonNode recorded = JSON.readTree(Path.of("tools/qemu72/device-properties.json").toFile()).get("types");
        Context r72 = new Context().withQemuRelease("7.2");
        List<String> wronglyLeftOut = new ArrayList<>();
        int leftOut = 0;
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) recorded::fields) {
            ObjectType t = r72.registry().find(e.getKey()).orElse(null);
            if (t == null || !e.getValue().isArray()) {
                continue;
            }
            Set<String> qemu = new TreeSet<>();
            e.getValue().forEach(p -> qemu.add(p.get("name").asText()));
            Set<String> absent = DeviceCommand.Show.notInRelease(r72, t);
            leftOut += absent.size();
            for (String p : absent) {
                if (qemu.contains(p)) {
                    wronglyLeftOut.add(e.getKey() + "." + p);
                }
            }
        }
        assertEquals(List.of(), wronglyLeftOut, "QEMU 7.2 has these");
        assertTrue(leftOut > 100, "left out only " + leftOut + " properties of later releases");
    }
}
