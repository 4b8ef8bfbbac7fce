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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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
    QmpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private QmpClient client() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        server = QmpClient.serveNone(sock, QmpProbeTest.CONTEXT);
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

    @Test
    void withoutTheArgumentQueryMachinesIsQemusAndAnUnknownMachineIsAnError() throws Exception {
        try (QmpClient c = client()) {
            JsonNode all = c.send("{\"execute\":\"query-machines\",\"id\":1}").get("return");
            assertTrue(all.size() > 50, "machine types: " + all.size());
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
