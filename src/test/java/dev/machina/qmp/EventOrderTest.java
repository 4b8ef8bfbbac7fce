package dev.machina.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of a command's reply and the events around it, as QEMU 7.2 sends them
 * (tests/qmp/qemu72-pc-running.jsonl, system_reset id 11): the event the command raises (RESET
 * host-qmp-system-reset) before its reply, what the guest does afterwards (SeaBIOS rebooting: RESET
 * guest-reset) after it, however quickly the machine's loop gets there. The loop here raises the guest's
 * event before the command's caller has even woken up, the order a busy machine produced once.
 */
class EventOrderTest {
    @TempDir
    Path dir;
    QmpServer server;
    final ExecutorService loop = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        server.close();
        loop.shutdownNow();
    }

    /** A machine whose loop thread resets, then at once runs a guest that resets itself. */
    final class RacingMachine implements QmpMachine {
        final Events events;

        RacingMachine(Events events) {
            this.events = events;
        }

        @Override
        public RunState runState() {
            return RunState.RUNNING;
        }

        @Override
        public void stop() {}

        @Override
        public void cont() {}

        @Override
        public void systemReset() {
            java.util.concurrent.CountDownLatch guestReset = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.Future<Void> done = loop.submit(Session.heldAfter(() -> {
                events.emit("RESET", Events.cause(false, "host-qmp-system-reset"));
                return null;
            }));
            loop.submit(() -> {
                events.emit("RESET", Events.cause(true, "guest-reset"));
                guestReset.countDown();
            });
            try {
                done.get();
                guestReset.await(); // the guest's reset is out before the caller goes on to reply
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void systemPowerdown() {}

        @Override
        public void quit() {}
    }

    @Test
    void theReplyComesBetweenTheCommandsEventAndTheGuestsNext() throws Exception {
        Events events = new Events();
        MonitorContext ctx = new MonitorContext(QapiSchema.packaged(), events, "machina test");
        ctx.machine(new RacingMachine(events));
        server = new QmpServer(ctx);
        Path sock = dir.resolve("qmp.sock");
        server.listen(Endpoint.parse("-qmp", "unix:" + sock + ",server=on,wait=off", "compat_monitor0"));
        try (QmpClient c = new QmpClient(sock).negotiate()) {
            for (int i = 0; i < 20; i++) {
                c.send("{\"execute\": \"system_reset\", \"id\": " + i + "}");
                c.send("{\"execute\": \"query-status\", \"id\": \"s" + i + "\"}");
            }
            List<String> order = new ArrayList<>();
            for (String l : c.raw.subList(2, c.raw.size())) {
                JsonNode n = QmpClient.JSON.readTree(l);
                order.add(n.has("event") ? n.at("/data/reason").asText() : "reply " + n.get("id").asText());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.addAll(List.of("host-qmp-system-reset", "reply " + i, "guest-reset", "reply s" + i));
            }
            assertEquals(expected, order);
        }
    }
}
