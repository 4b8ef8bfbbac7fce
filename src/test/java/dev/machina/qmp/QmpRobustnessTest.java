package dev.machina.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad clients: malformed JSON, a 10 MB message, unknown commands, wrong argument types, a hundred clients
 * connecting and leaving, a client that sends half a message and goes. Each gets QEMU's error or is
 * dropped; the server keeps serving and a client connected all along is unaffected.
 */
class QmpRobustnessTest {
    @TempDir
    Path dir;
    QmpServer server;
    Path sock;

    @BeforeEach
    void start() throws IOException {
        Events events = new Events();
        MonitorContext ctx = new MonitorContext(QapiSchema.packaged(), events, "machina test");
        ctx.machine(new NoMachine(events, false));
        server = new QmpServer(ctx);
        sock = dir.resolve("qmp.sock");
        server.listen(Endpoint.parse("-qmp", "unix:" + sock + ",server=on,wait=off", "compat_monitor0"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String desc(JsonNode reply) {
        return reply.at("/error/class").asText() + ": " + reply.at("/error/desc").asText();
    }

    @Test
    void malformedInputGetsQemusErrorsAndTheSessionGoesOn() throws Exception {
        try (QmpClient c = new QmpClient(sock).negotiate()) {
            assertEquals("GenericError: JSON parse error, expecting value", desc(c.send("{\"execute\": }")));
            assertEquals("GenericError: QMP input must be a JSON object", desc(c.send("[1, 2]")));
            assertEquals("GenericError: QMP input must be a JSON object", desc(c.send("42")));
            assertEquals("GenericError: QMP input lacks member 'execute'", desc(c.send("{\"id\": 1}")));
            assertEquals("CommandNotFound: The command no-such has not been found", desc(c.execute("no-such")));
            assertEquals("GenericError: Invalid parameter type for 'abstract', expected: boolean",
                    desc(c.execute("qom-list-types", "{\"abstract\": \"yes\"}")));
            assertEquals("GenericError: Parameter 'x' is unexpected", desc(c.execute("query-status", "{\"x\": 1}")));
            assertEquals("GenericError: Parameter 'command-line' is missing", desc(c.execute("human-monitor-command", "{}")));
            // QEMU's limit: 1024 levels; the 1025th bracket is an error and the parser starts afresh
            assertEquals("GenericError: JSON nesting depth limit exceeded", desc(c.send("[".repeat(1025))));
            JsonNode after = c.send("{\"execute\": \"query-status\", \"id\": \"after\"}");
            assertEquals("running", after.at("/return/status").asText(), after.toString());
        }
    }

    @Test
    void aTenMegabyteMessageIsAnsweredAndTheServerGoesOn() throws Exception {
        try (QmpClient c = new QmpClient(sock).negotiate()) {
            String big = "x".repeat(10 << 20);
            JsonNode r = c.execute("query-status", "{\"junk\": \"" + big + "\"}");
            assertEquals("GenericError: Parameter 'junk' is unexpected", desc(r));
            assertEquals("running", c.execute("query-status").at("/return/status").asText());
        }
    }

    @Test
    void aHundredClientsComeAndGoAndOneStaysServed() throws Exception {
        try (QmpClient steady = new QmpClient(sock).negotiate()) {
            for (int round = 0; round < 100; round++) {
                try (QmpClient c = new QmpClient(sock)) {
                    if (round % 2 == 0) {
                        c.negotiate();
                        assertEquals("x86_64", c.execute("query-target").at("/return/arch").asText());
                    }
                    if (round % 3 == 0) {
                        c.sendRaw("{\"execute\": \"query-sta"); // half a message, then gone
                    }
                }
            }
            List<QmpClient> many = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    many.add(new QmpClient(sock)); // all connected at once
                }
                for (QmpClient c : many) {
                    c.negotiate();
                }
                steady.execute("stop");
                for (QmpClient c : many) {
                    assertEquals("STOP", c.nextEvent().get("event").asText(), "every client gets the event");
                }
            } finally {
                for (QmpClient c : many) {
                    c.close();
                }
            }
            assertEquals(1, steady.events.size());
            assertEquals("paused", steady.execute("query-status").at("/return/status").asText());
        }
    }

    /**
     * A client that negotiates and then never reads: the events meant for it pile up in its session
     * (beyond what the socket holds), but whoever sends them is not held up, and another client is
     * answered throughout.
     */
    @Test
    void aClientThatNeverReadsHoldsUpNobody() throws Exception {
        try (QmpClient deaf = new QmpClient(sock).negotiate(); QmpClient steady = new QmpClient(sock).negotiate()) {
            for (int i = 0; i < 10000; i++) { // 20000 events, about 1.6 MB: more than a socket buffers
                assertTrue(steady.execute("stop").has("return"));
                assertTrue(steady.execute("cont").has("return"));
            }
            assertEquals(20000, steady.events.size());
            assertEquals("running", steady.execute("query-status").at("/return/status").asText());
        }
    }

    @Test
    void aClientThatLeavesMidMessageEndsOnlyItsSession() throws Exception {
        try (QmpClient steady = new QmpClient(sock).negotiate()) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap("{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"query-version\", \"argu"
                    .getBytes(StandardCharsets.US_ASCII)));
            ch.close();
            assertTrue(steady.execute("query-version").has("return"));
        }
    }
}
