package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The default devices {@code machine show} lists for a machine type are the objects a real QEMU 7.2
 * creates without -nodefaults and not with it (tools/qemu72/graphs-defaults/ against tools/qemu72/graphs/),
 * path for path and type for type. Left out of the comparison: /chardevs/compat_monitor0, the
 * recording's own -qmp monitor (a monitor option replaces QEMU's default one).
 */
class DefaultDevicesAgreeWithQemuTest {
    private static final Context SHARED = new Context();

    static Stream<Arguments> machines() {
        return Stream.of("pc-i440fx-7.2", "pc-q35-7.2", "pc-i440fx-1.4", "pc-q35-2.4", "isapc").map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("machines")
    void defaultDevicesAreWhatQemuAddsWithoutNodefaults(String machine) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode with = json.readTree(Path.of("tools/qemu72/graphs-defaults", machine + ".json").toFile()).get("objects");
        JsonNode without = json.readTree(Path.of("tools/qemu72/graphs", machine + ".json").toFile()).get("objects");
        // what QEMU adds, by type: the walk with defaults less the -nodefaults walk (a multiset: the devices
        // behind a default one are renumbered, so paths alone do not say which are new)
        Map<String, Integer> added = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = with.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String type = e.getValue().get("type").asText();
            if (!type.equals("container") && !e.getKey().equals("/chardevs/compat_monitor0")) {
                added.merge(type, 1, Integer::sum);
            }
        }
        for (Iterator<JsonNode> it = without.elements(); it.hasNext(); ) {
            String type = it.next().get("type").asText();
            if (!type.equals("container")) {
                added.merge(type, -1, Integer::sum);
            }
        }
        added.values().removeIf(n -> n == 0);
        CliRunner r = CliRunner.run(SHARED, "machine", "show", machine, "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode shown = json.readTree(r.out()).get("default-devices");
        Map<String, Integer> ours = new java.util.TreeMap<>();
        for (JsonNode d : shown) {
            String path = d.get("qemu-path").asText();
            if (d.get("kind").asText().equals("monitor")) {
                // the walk's compat_monitor0 is its own -qmp stdio (a monitor option replaces the default
                // monitor): QEMU's default monitor is a vc chardev of that label (softmmu/vl.c:1326)
                assertEquals("/chardevs/compat_monitor0", path);
                assertEquals("chardev-vc", d.get("type").asText());
                assertTrue(d.get("removed-by").toString().contains("-qmp"), d.toString());
                continue;
            }
            String type = d.get("type").asText();
            ours.merge(type, 1, Integer::sum);
            assertTrue(with.has(path), machine + ": QEMU has no " + path);
            assertEquals(with.get(path).get("type").asText(), type, machine + ": the type at " + path);
            assertEquals("-nodefaults", d.get("removed-by").get(0).asText(), "-nodefaults removes every default device: " + d);
        }
        assertEquals(added, ours, machine + ": the types QEMU adds without -nodefaults, with their counts");
    }

}
