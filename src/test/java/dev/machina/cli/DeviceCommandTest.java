package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void showJsonListsEveryPropertyWithInheritedOnesMarked() throws Exception {
        CliRunner r = CliRunner.run("device", "show", "pci-testdev", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode t = JSON.readTree(r.out());
        assertEquals("pci-testdev", t.get("name").asText());
        assertEquals("pci-device", t.get("parent").asText());
        List<String> names = new ArrayList<>();
        t.get("properties").forEach(p -> names.add(p.get("name").asText()));
        assertTrue(names.containsAll(List.of("addr", "romfile", "multifunction", "membar")), names.toString());
        JsonNode addr = find(t, "addr");
        assertEquals("pci-device", addr.get("inherited-from").asText());
        assertEquals("-1", addr.get("default").asText());
        JsonNode membar = find(t, "membar");
        assertFalse(membar.has("inherited-from"));
        assertEquals("size", membar.get("type").asText());
        assertEquals(0, membar.get("default").asLong());
        assertTrue(JSON.convertValue(t.get("interfaces"), List.class).contains("conventional-pci-device"));
    }

    /**
     * Issue 14 item 4: every type a PC machine type creates by default (its default-devices, the devices
     * -nodefaults leaves out) is a type {@code device show} knows, the ones the issue named included.
     */
    @Test
    void everyDefaultDeviceOfThePcTypesIsAKnownType() throws Exception {
        java.util.Set<String> types = new java.util.TreeSet<>();
        Context shared = new Context();
        for (String m : List.of("pc-i440fx-7.2", "pc-q35-7.2", "pc-i440fx-1.4", "pc-q35-2.4", "isapc")) {
            CliRunner show = CliRunner.run(shared, "machine", "show", m, "--format", "json");
            assertEquals(0, show.code(), show.err());
            JSON.readTree(show.out()).get("default-devices").forEach(d -> types.add(d.get("type").asText()));
        }
        assertTrue(types.containsAll(List.of("isa-parallel", "floppy", "ne2k_isa", "VGA", "isa-serial", "e1000", "ide-cd")), types.toString());
        for (String t : types) {
            CliRunner r = CliRunner.run(shared, "device", "show", t);
            assertEquals(0, r.code(), t + ": " + r.err());
            assertTrue(r.out().startsWith(t + "\n"), t + ": " + r.out());
        }
        assertEquals(0, CliRunner.run(shared, "device", "show", "isa-fdc").code(), "the floppy controller");
    }

    @Test
    void showJsonGivesUint32DefaultsAsNumbers() throws Exception {
        JsonNode t = JSON.readTree(CliRunner.run("device", "show", "isa-serial", "--format", "json").out());
        assertEquals(4294967295L, find(t, "iobase").get("default").asLong());
        assertEquals("uint32", find(t, "iobase").get("type").asText());
        assertEquals(List.of("isa-serial", "isa-device", "device", "object"), JSON.convertValue(t.get("chain"), List.class));
    }

    @Test
    void showTextMarksInheritedProperties() {
        CliRunner r = CliRunner.run("device", "show", "pci-testdev");
        assertEquals(0, r.code());
        String addrLine = r.out().lines().filter(l -> l.startsWith("addr ")).findFirst().orElseThrow();
        assertTrue(addrLine.contains("inherited from pci-device"), addrLine);
    }

    @Test
    void listJsonIsAnArrayOfTypesWithTheirParents() throws Exception {
        CliRunner r = CliRunner.run("device", "list", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode list = JSON.readTree(r.out());
        assertTrue(list.isArray());
        JsonNode serial = null;
        for (JsonNode n : list) {
            assertTrue(n.has("name") && n.has("parent"), n.toString());
            if (n.get("name").asText().equals("isa-serial")) {
                serial = n;
            }
        }
        assertEquals("isa-device", serial.get("parent").asText());
    }

    @Test
    void listFiltersConcreteImplementers() throws Exception {
        JsonNode list = JSON.readTree(CliRunner.run("device", "list", "--format", "json", "--implements", "isa-device", "--concrete").out());
        List<String> names = new ArrayList<>();
        list.forEach(n -> names.add(n.get("name").asText()));
        assertTrue(names.containsAll(List.of("isa-serial", "isa-debugcon", "isa-debug-exit")), names.toString());
        assertFalse(names.contains("isa-device"));
        assertFalse(names.contains("pci-testdev"));
    }

    @Test
    void anUnknownTypeIsOneLineWithTheClosestNamesAndExit1() {
        CliRunner r = CliRunner.run("device", "show", "no-such-type");
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("machina: unknown type 'no-such-type'; closest names: "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMisspeltTypeGetsADidYouMean() {
        CliRunner r = CliRunner.run("device", "show", "isa-serail");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("did you mean 'isa-serial'"), r.err());
    }

    @Test
    void anUnknownFilterTypeIsAUserError() {
        CliRunner r = CliRunner.run("device", "list", "--implements", "isa-devic");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("did you mean 'isa-device'"), r.err());
    }

    private static JsonNode find(JsonNode type, String prop) {
        for (JsonNode p : type.get("properties")) {
            if (p.get("name").asText().equals(prop)) {
                return p;
            }
        }
        throw new AssertionError("no property " + prop);
    }
}
