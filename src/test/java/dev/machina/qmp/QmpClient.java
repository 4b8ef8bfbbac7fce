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
