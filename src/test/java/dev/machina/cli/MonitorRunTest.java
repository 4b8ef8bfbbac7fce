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

    @Test
    void aProbeOverAUnixSocketEndsWithQuitAndExitStatusZero() throws Exception {
        Path sock = dir.resolve("qmp.monitor");
        Context context = new Context();
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run(context, "-S", "-no-user-config",
                "-nodefaults", "-nographic", "-machine", "none", "-qmp", "unix:" + sock + ",server=on,wait=off",
                "-name", "probe"));
        SocketChannel ch = null;
        while (ch == null) {
            try {
                ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(sock));
            } catch (java.net.SocketException e) {
                ch.close();
                ch = null;
                assertTrue(!run.isDone(), () -> "machina ended before listening: " + run.join());
                Thread.sleep(20); // still starting
            }
        }
        try (SocketChannel c = ch) {
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

    @Test
    void aTcpMonitorOnANonLoopbackAddressIsRefused() {
        CliRunner r = CliRunner.run("-machine", "none", "-qmp", "tcp:0.0.0.0:4444,server=on,wait=off");
        assertEquals(1, r.code());
        assertEquals("machina: -qmp tcp:0.0.0.0:4444,server=on,wait=off: 0.0.0.0 is not a loopback address and QMP has no "
                + "authentication; use 127.0.0.1 (or add x-machina-remote=on to listen there anyway)\n", r.err());
    }
}
