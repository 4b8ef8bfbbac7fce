package dev.machina.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A QMP client as a management tool is one: a unix socket, one JSON object per line each way. */
final class QmpClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A transcript recorded from QEMU 7.2 by tools/qmp/record.py: its JSON lines, and the QEMU options of
     * the recorded command line (argv without the binary and without the trailing {@code -qmp stdio}).
     */
    record Recording(List<JsonNode> lines, List<String> args) {
        static Recording read(Path file) throws IOException {
            List<JsonNode> lines = new ArrayList<>();
            for (String l : java.nio.file.Files.readAllLines(file)) {
                lines.add(JSON.readTree(l));
            }
            List<String> args = new ArrayList<>();
            lines.get(0).get("argv").forEach(a -> args.add(a.asText()));
            args.remove(0); // qemu-system-x86_64
            args.subList(args.size() - 2, args.size()).clear(); // -qmp stdio
            return new Recording(lines, args);
        }
    }

    /**
     * A QMP server as {@code machina -machine none -qmp unix:SOCK,server=on,wait=off} serves one: no
     * machine built (a dry run of {@code -machine none} answers what needs one), introspection from
     * {@code data} (the packaged data, or the same presenting another QEMU release). The caller closes it.
     */
    static QmpServer serveNone(Path sock, dev.machina.cli.Context data) throws IOException {
        Events events = new Events();
        MonitorContext ctx = new MonitorContext(QapiSchema.packaged(), events, "machina test");
        ctx.machine(new NoMachine(events, false,
                () -> dev.machina.cli.MonitorData.dryRun(List.of("-machine", "none"), QmpProbeTest.CONTEXT)));
        ctx.introspection(dev.machina.cli.MonitorData.of(data));
        QmpServer server = new QmpServer(ctx);
        server.listen(Endpoint.parse("-qmp", "unix:" + sock + ",server=on,wait=off", "compat_monitor0"));
        return server;
    }

    /** One message of a QEMU recording: what was sent, Machina's reply to it and QEMU 7.2's. */
    record Replayed(JsonNode sent, JsonNode ours, JsonNode qemu) {
        /** The message as a failure names it: its id, command and arguments. */
        String where() {
            return sent.path("id").asText() + " " + sent.path("execute").asText() + sent.path("arguments");
        }

        /** Whether either side answered with an error (then both must be the same error). */
        boolean anError() {
            return qemu.has("error") || ours.has("error");
        }

        /** A line saying how the two replies differ as a whole, or null when they are equal. */
        String unequal() {
            return qemu.equals(ours) ? null : where() + ": ours " + ours + ", QEMU's " + qemu;
        }
    }

    /**
     * Sends each message of a recording under tests/qmp (as QEMU was sent it, negotiation included) and
     * pairs Machina's reply with QEMU's first reply to it.
     */
    List<Replayed> replay(String file) throws IOException {
        List<Replayed> out = new ArrayList<>();
        for (QmpProbeTest.Exchange e : QmpProbeTest.recording(file)) {
            JsonNode reply = send(e.send());
            out.add(new Replayed(QmpJson.parse(e.send()), reply, e.replies().get(0)));
        }
        return out;
    }

    private final SocketChannel ch;
    private final BufferedReader in;
    private final OutputStream out;
    final JsonNode greeting;
    /** Every event received so far, in order. */
    final List<JsonNode> events = new ArrayList<>();
    /** A test's place for the reply it read last. */
    JsonNode lastReply;
    /** Every line received, verbatim (without CRLF). */
    final List<String> raw = new ArrayList<>();

    /**
     * Connects to the QMP socket of a machina run started in the background, retrying while it is still
     * starting; fails if the run ends before it listens.
     */
    static QmpClient connect(Path sock, java.util.concurrent.CompletableFuture<dev.machina.cli.CliRunner> run)
            throws IOException, InterruptedException {
        while (true) {
            if (run.isDone()) {
                throw new AssertionError("machina ended before listening: " + run.join());
            }
            try {
                return new QmpClient(sock);
            } catch (java.net.SocketException e) {
                Thread.sleep(20); // still starting
            }
        }
    }

    QmpClient(Path socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.US_ASCII));
        out = Channels.newOutputStream(ch);
        greeting = JSON.readTree(line());
    }

    /** Connects when the socket exists (the server creates it as it starts). */
    static QmpClient await(Path socket) throws IOException, InterruptedException {
        while (true) {
            try {
                return new QmpClient(socket);
            } catch (java.net.SocketException e) {
                Thread.sleep(20); // the server is still starting: try again
            }
        }
    }

    String line() throws IOException {
        String l = in.readLine();
        if (l == null) {
            throw new java.io.EOFException("the server closed the connection");
        }
        raw.add(l);
        return l;
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends a message and returns the next reply (events before it are kept in {@link #events}). */
    JsonNode send(String text) throws IOException {
        sendRaw(text + "\n");
        return reply();
    }

    JsonNode reply() throws IOException {
        while (true) {
            JsonNode n = JSON.readTree(line());
            if (n.has("event")) {
                events.add(n);
            } else {
                return n;
            }
        }
    }

    private int eventsTaken;

    /** The next event not taken yet: one already read with a reply, else the next line (which must be one). */
    JsonNode nextEvent() throws IOException {
        if (eventsTaken < events.size()) {
            return events.get(eventsTaken++);
        }
        JsonNode n = JSON.readTree(line());
        if (!n.has("event")) {
            throw new IllegalStateException("expected an event, got " + n);
        }
        events.add(n);
        eventsTaken++;
        return n;
    }

    JsonNode execute(String command) throws IOException {
        return send("{\"execute\": \"" + command + "\"}");
    }

    JsonNode execute(String command, String argsJson) throws IOException {
        return send("{\"execute\": \"" + command + "\", \"arguments\": " + argsJson + "}");
    }

    /** The session after qmp_capabilities. */
    QmpClient negotiate() throws IOException {
        JsonNode r = execute("qmp_capabilities");
        if (!r.has("return")) {
            throw new IllegalStateException("negotiation failed: " + r);
        }
        return this;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
