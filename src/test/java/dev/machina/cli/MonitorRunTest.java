package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code machina -machine none -qmp unix:S,server=on,wait=off} as a management tool's probe drives it. */
class MonitorRunTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Connects to the monitor socket once machina listens on it; fails if machina ends first. */
    private static SocketChannel connectOnceListening(Path sock, CompletableFuture<CliRunner> run) throws Exception {
        while (true) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(sock));
                return ch;
            } catch (java.net.SocketException e) {
                ch.close();
                assertTrue(!run.isDone(), () -> "machina ended before listening: " + run.join());
                Thread.sleep(20); // still starting
            }
        }
    }

    @Test
    void aProbeOverAUnixSocketEndsWithQuitAndExitStatusZero() throws Exception {
        Path sock = dir.resolve("qmp.monitor");
        Context context = new Context();
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run(context, "-S", "-no-user-config",
                "-nodefaults", "-nographic", "-machine", "none", "-qmp", "unix:" + sock + ",server=on,wait=off",
                "-name", "probe"));
        try (SocketChannel c = connectOnceListening(sock, run)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.US_ASCII));
            OutputStream out = Channels.newOutputStream(c);
            JsonNode greeting = JSON.readTree(in.readLine());
            assertEquals(7, greeting.at("/QMP/version/qemu/major").asInt());
            // start-up: the greeting needs no machine catalog (loading it was half a second of every probe); it is
            // built on a thread of its own once the first client is greeted, while the client negotiates
            String[] probe = {"{\"execute\":\"qmp_capabilities\",\"id\":\"libvirt-1\"}",
                "{\"execute\":\"query-version\",\"id\":\"libvirt-2\"}",
                "{\"execute\":\"query-target\",\"id\":\"libvirt-3\"}",
                "{\"execute\":\"query-qmp-schema\",\"id\":\"libvirt-4\"}",
                "{\"execute\":\"query-kvm\",\"id\":\"libvirt-5\"}",
                "{\"execute\":\"query-status\",\"id\":\"libvirt-6\"}",
                "{\"execute\":\"query-name\",\"id\":\"libvirt-7\"}"};
            JsonNode last = null;
            for (String m : probe) {
                out.write((m + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                last = JSON.readTree(in.readLine());
                assertTrue(last.has("return"), m + " -> " + last);
                assertEquals(JSON.readTree(m).get("id"), last.get("id"));
            }
            assertEquals("probe", last.at("/return/name").asText());
            out.write("{\"execute\":\"query-status\"}\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("prelaunch", JSON.readTree(in.readLine()).at("/return/status").asText()); // -S
            for (int i = 0; i < 3000 && context.catalogBuiltOn() == null; i++) {
                Thread.sleep(10); // none of the commands above needs it: the probe-data thread builds it
            }
            assertEquals("probe-data", context.catalogBuiltOn(), "the thread that built the machine catalog");
            out.write("{\"execute\":\"quit\",\"id\":\"q\"}\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            JsonNode shutdown = JSON.readTree(in.readLine());
            assertEquals("SHUTDOWN", shutdown.get("event").asText());
            assertEquals("{\"guest\":false,\"reason\":\"host-qmp-quit\"}", shutdown.get("data").toString());
            assertEquals("{\"return\":{},\"id\":\"q\"}", JSON.readTree(in.readLine()).toString());
        }
        CliRunner r = run.join();
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
    }

    /**
     * A running machine with its QMP monitor on {@code -chardev socket,... -mon chardev=ID,mode=control}, the
     * way libvirt starts every VM: the monitor serves the socket (Machina refused it as a chardev backend it
     * has no model of), stop and cont give STOP and RESUME, and quit exits 0.
     */
    @Test
    void aRunningMachinesMonitorOnAChardevSocketAsLibvirtStartsIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        Path sock = dir.resolve("monitor.sock");
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run("-M", "pc", "-nodefaults", "-nographic",
                "-serial", "file:" + dir.resolve("serial.out"), "-chardev", "socket,id=charmonitor,path=" + sock + ",server=on,wait=off",
                "-mon", "chardev=charmonitor,id=monitor,mode=control"));
        try (SocketChannel c = connectOnceListening(sock, run)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.US_ASCII));
            OutputStream out = Channels.newOutputStream(c);
            assertEquals(7, JSON.readTree(in.readLine()).at("/QMP/version/qemu/major").asInt());
            String[][] exchange = {
                {"{\"execute\":\"qmp_capabilities\"}", "{\"return\":{}}"},
                {"{\"execute\":\"query-status\",\"id\":1}", "{\"return\":{\"status\":\"running\",\"singlestep\":false,\"running\":true},\"id\":1}"},
                {"{\"execute\":\"stop\",\"id\":2}", "STOP {\"return\":{},\"id\":2}"},
                {"{\"execute\":\"cont\",\"id\":3}", "RESUME {\"return\":{},\"id\":3}"},
                {"{\"execute\":\"quit\",\"id\":4}", "SHUTDOWN {\"return\":{},\"id\":4}"}};
            for (String[] e : exchange) {
                out.write((e[0] + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                StringBuilder got = new StringBuilder();
                JsonNode r;
                while ((r = JSON.readTree(in.readLine())).has("event")) {
                    got.append(r.get("event").asText()).append(' ');
                }
                r = ((com.fasterxml.jackson.databind.node.ObjectNode) r).without("timestamp");
                assertEquals(e[1], got + r.toString(), e[0]);
            }
        }
        CliRunner r = run.join();
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void aTcpMonitorOnANonLoopbackAddressIsRefused() {
        CliRunner r = CliRunner.run("-machine", "none", "-qmp", "tcp:0.0.0.0:4444,server=on,wait=off");
        assertEquals(1, r.code());
        assertEquals("machina: -qmp tcp:0.0.0.0:4444,server=on,wait=off: 0.0.0.0 is not a loopback address and QMP has no "
                + "authentication; use 127.0.0.1 (or add x-machina-remote=on to listen there anyway)\n", r.err());
    }
}
