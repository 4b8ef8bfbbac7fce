package dev.machina.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machina.machine.ResolvedMachine;
import dev.machina.vm.BuiltMachine;
import dev.machina.vm.CompatProbe;
import dev.machina.vm.MachineReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * query-machines with Machina's x-machina-machine: for pc-q35-7.2 the machine type's compat properties,
 * its devices with bus and PCI address, the default devices QEMU adds without -nodefaults and the free
 * slots of its PCI Express root bus, taken from the dry run {@code machina machine show} reports
 * (MachineReport), and where QEMU 7.2 puts things: the MCH at 00.0, the ICH9 functions at 1f.x, the default
 * VGA at 01.0 and e1000e at 02.0 (QEMU's own -M q35 layout), so slots 1 to 30 are free.
 */
class QueryMachinesDetailsTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final QmpServers servers = new QmpServers();

    private QmpClient client() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        servers.serveNone(sock, QmpProbeTest.CONTEXT);
        QmpClient c = new QmpClient(sock);
        c.send("{\"execute\":\"qmp_capabilities\"}");
        return c;
    }

    @Test
    void q35s_devicesSlotsAndCompatPropertiesAreTheDryRunsMachineShowReports() throws Exception {
        try (QmpClient c = client()) {
            JsonNode reply = c.send("{\"execute\":\"query-machines\",\"arguments\":{\"x-machina-machine\":\"pc-q35-7.2\"},\"id\":1}");
            JsonNode list = reply.get("return");
            assertEquals(1, list.size(), reply.toString());
            JsonNode m = list.get(0);
            assertEquals("pc-q35-7.2", m.get("name").asText());

            BuiltMachine built = MachineReport.dryRun(QmpProbeTest.CONTEXT.catalog(), "pc-q35-7.2");
            List<String> expected = new ArrayList<>();
            for (ResolvedMachine.Device d : MachineReport.resolved(built).devices()) {
                expected.add(d.id() + " " + d.type() + " " + d.bus() + " " + d.address());
            }
            List<String> got = new ArrayList<>();
            Map<String, JsonNode> byId = new HashMap<>();
            for (JsonNode d : m.get("x-machina-devices")) {
                got.add(d.get("id").asText() + " " + d.get("type").asText() + " " + d.path("bus").asText(null) + " "
                        + d.path("address").asText(null));
                byId.put(d.get("id").asText(), d);
            }
            assertEquals(expected, got);
            List<String> compat = new ArrayList<>();
            for (CompatProbe.Effective e : new CompatProbe(built).table()) {
                compat.add(e.driver() + "." + e.property() + "=" + e.winner().text());
            }
            List<String> gotCompat = new ArrayList<>();
            m.get("compat-props").forEach(p -> gotCompat.add(p.get("qom-type").asText() + "." + p.get("property").asText() + "="
                    + p.get("value").asText()));
            assertEquals(compat, gotCompat);
            assertTrue(gotCompat.size() > 10, gotCompat.toString());

            assertEquals("00.0", byId.get("q35/mch").get("address").asText());
            assertEquals("1f.0", byId.get("ICH9-LPC").get("address").asText());
            assertEquals("q35/pcie.0", byId.get("ICH9-LPC").get("bus").asText());
            Map<String, String> defaults = new HashMap<>();
            m.get("x-machina-default-devices").forEach(d -> defaults.put(d.get("type").asText(),
                    d.path("kind").asText() + " " + d.path("bus").asText() + " " + d.path("address").asText()));
            assertEquals("vga q35/pcie.0 01.0", defaults.get("VGA"));
            assertEquals("nic q35/pcie.0 02.0", defaults.get("e1000e"));
            assertEquals(1, m.get("x-machina-free-pci-slots").size(), m.get("x-machina-free-pci-slots").toString());
            JsonNode free = m.get("x-machina-free-pci-slots").get(0);
            assertEquals("q35/pcie.0", free.get("bus").asText());
            List<Integer> slots = new ArrayList<>();
            free.get("slots").forEach(s -> slots.add(s.asInt()));
            List<Integer> oneTo30 = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                oneTo30.add(i);
            }
            assertEquals(oneTo30, slots);
        }
    }

    /** The PCI addresses (slot.function) QEMU 7.2's query-pci listed in a recording of {@code -M pc-q35-7.2}. */
    private static java.util.TreeSet<String> qemuPciAddresses(String file) throws Exception {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (QmpProbeTest.Exchange e : QmpProbeTest.recording(file)) {
            if (QmpJson.parse(e.send()).get("execute").asText().equals("query-pci")) {
                for (JsonNode bus : e.replies().get(0).get("return")) {
                    assertEquals(0, bus.get("bus").asInt(), "q35 has one PCI bus without -device");
                    bus.get("devices").forEach(d -> out.add(String.format("%02x.%x", d.get("slot").asInt(), d.get("function").asInt())));
                }
            }
        }
        assertTrue(!out.isEmpty(), file);
        return out;
    }

    /**
     * Against QEMU 7.2 (tests/qmp/qemu72-q35-7.2{,-nodefaults}-pci.jsonl, tools/qmp/record.py with
     * tools/qmp/q35-pci.json on {@code -M pc-q35-7.2 [-nodefaults] -display none -S}): the devices on
     * pcie.0 sit where QEMU 7.2's query-pci finds them with -nodefaults, the default devices take the
     * addresses QEMU 7.2 adds without it, and the free slots are the slots no function of that -nodefaults
     * machine takes.
     */
    @Test
    void q35s_pciAddressesDefaultsAndFreeSlotsAreQemu72s() throws Exception {
        java.util.TreeSet<String> bare = qemuPciAddresses("qemu72-q35-7.2-nodefaults-pci.jsonl");
        java.util.TreeSet<String> added = qemuPciAddresses("qemu72-q35-7.2-pci.jsonl");
        added.removeAll(bare);
        try (QmpClient c = client()) {
            JsonNode m = c.send("{\"execute\":\"query-machines\",\"arguments\":{\"x-machina-machine\":\"pc-q35-7.2\"}}")
                    .get("return").get(0);
            java.util.TreeSet<String> ours = new java.util.TreeSet<>();
            m.get("x-machina-devices").forEach(d -> {
                if (d.path("bus").asText().equals("q35/pcie.0")) {
                    ours.add(d.get("address").asText());
                }
            });
            assertEquals(bare, ours, "pcie.0 with -nodefaults");
            java.util.TreeSet<String> defaults = new java.util.TreeSet<>();
            m.get("x-machina-default-devices").forEach(d -> {
                if (d.path("bus").asText().equals("q35/pcie.0")) {
                    defaults.add(d.get("address").asText());
                }
            });
            assertEquals(added, defaults, "what QEMU 7.2 adds on pcie.0 without -nodefaults");
            java.util.TreeSet<Integer> free = new java.util.TreeSet<>();
            for (int slot = 0; slot < 32; slot++) {
                free.add(slot);
            }
            bare.forEach(a -> free.remove(Integer.parseInt(a.substring(0, 2), 16)));
            List<Integer> gotFree = new ArrayList<>();
            m.get("x-machina-free-pci-slots").get(0).get("slots").forEach(x -> gotFree.add(x.asInt()));
            assertEquals(new ArrayList<>(free), gotFree);
        }
    }

    @Test
    void withoutTheArgumentQueryMachinesIsQemusAndAnUnknownMachineIsAnError() throws Exception {
        try (QmpClient c = client()) {
            JsonNode all = c.send("{\"execute\":\"query-machines\",\"id\":1}").get("return");
            assertTrue(all.size() > 40, "machine types: " + all.size()); // 10.2's, none removed upstream (LibvirtProbeTest)
            for (JsonNode m : all) {
                assertTrue(!m.has("compat-props") && !m.has("x-machina-devices"), m.toString());
            }
            JsonNode alias = c.send("{\"execute\":\"query-machines\",\"arguments\":{\"x-machina-machine\":\"q35\"},\"id\":2}").get("return");
            assertEquals(1, alias.size());
            assertEquals("{\"id\":3,\"error\":{\"class\":\"GenericError\",\"desc\":\"machine type 'nope' not found (query-machines lists them)\"}}",
                    c.send("{\"execute\":\"query-machines\",\"arguments\":{\"x-machina-machine\":\"nope\"},\"id\":3}").toString());
        }
    }
}
