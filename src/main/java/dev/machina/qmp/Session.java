package dev.machina.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * One QMP client: the greeting, capabilities negotiation, then commands and events, one JSON object per
 * line ending in CRLF, as QEMU 7.2 (monitor/qmp.c, qapi/qmp-dispatch.c). Reads on its own thread; a
 * broken or malformed client ends only its own session.
 *
 * <p>Output goes through a queue that a writer thread of the session drains, so whoever emits an event
 * (the VM's loop thread) never waits for a client: one that stops reading is dropped once
 * {@link #MAX_PENDING} bytes wait for it, and the others and the VM are not held up.
 */
final class Session implements QmpServer.Client {
    private final QmpServer server;
    private final InputStream in;
    private final OutputStream out;
    private final Runnable onClose;
    /** Makes "listen for events, then queue the negotiation reply" one step for the events (see dispatch). */
    private final Object orderLock = new Object();
    /** Output a client may leave unread before it is dropped (64 MiB: many schema replies). */
    static final long MAX_PENDING = 64L << 20;
    private final java.util.concurrent.LinkedBlockingQueue<byte[]> outq = new java.util.concurrent.LinkedBlockingQueue<>();
    private long pending;
    private static final byte[] END = new byte[0];
    private volatile boolean commandMode;
    private boolean oob;
    private volatile boolean closed;
    private final Consumer<String> eventListener = this::event;

    Session(QmpServer server, InputStream in, OutputStream out, Runnable onClose) {
        this.server = server;
        this.in = in;
        this.out = out;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        JsonStreamer streamer = new JsonStreamer(new JsonStreamer.Sink() {
            @Override
            public void message(JsonNode msg) {
                handle(msg);
            }

            @Override
            public void error(String desc) {
                send(errorReply(null, QmpError.generic(desc)));
            }
        });
        Thread writer = new Thread(this::writeLoop, Thread.currentThread().getName() + "-out");
        writer.setDaemon(true);
        writer.start();
        try {
            send(server.greeting());
            dev.machina.util.Timing.mark("QMP greeting sent");
            server.greeted();
            byte[] b = new byte[8192];
            int n;
            while (!closed && (n = in.read(b)) > 0) {
                streamer.feed(b, 0, n);
            }
            streamer.end();
        } catch (IOException e) {
            // the client went away; only this session ends
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.events().unlisten(eventListener);
        outq.add(END);
        try {
            in.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            out.close();
        } catch (IOException e) {
            // already gone
        }
        onClose.run();
    }

    private void event(String line) {
        synchronized (orderLock) {
            if (holding) {
                held.add(line);
            } else {
                send(line);
            }
        }
    }

    /** The session whose command this thread is running (its reader thread), for {@link #holdEvents}. */
    private static final ThreadLocal<Session> CURRENT = new ThreadLocal<>();

    /** The session running a command on this thread, or null. */
    static Session current() {
        return CURRENT.get();
    }

    /** Events raised after the running command's effects and before its reply: sent after the reply. */
    private boolean holding;
    private final java.util.List<String> held = new java.util.ArrayList<>();

    /**
     * Called where a command's effect is complete (on the VM's loop thread, right after the task, see
     * {@link VmMachine}): what the machine does from here on (a guest reset after system_reset) is
     * announced after the command's reply, as QEMU's single main loop orders them; what the command
     * itself raised (system_reset's host RESET) went out before it.
     */
    void holdEvents() {
        synchronized (orderLock) {
            holding = true;
        }
    }

    /**
     * {@code task} for the VM's loop thread, holding the asking session's events once it has run (see
     * {@link #holdEvents}); the task itself when no session thread asks (the human monitor on stdio).
     */
    static <T> java.util.concurrent.Callable<T> heldAfter(java.util.concurrent.Callable<T> task) {
        Session asking = current();
        if (asking == null) {
            return task;
        }
        return () -> {
            try {
                return task.call();
            } finally {
                asking.holdEvents(); // before the loop runs on: the reply precedes what follows
            }
        };
    }

    /** Queues the reply (if any), then the events held while it was being made. */
    private void replyAndRelease(String reply) {
        synchronized (orderLock) {
            if (reply != null) {
                send(reply);
            }
            for (String l : held) {
                send(l);
            }
            held.clear();
            holding = false;
        }
    }

    /** The session's writer: the queue, in order, to the client. */
    private void writeLoop() {
        try {
            while (true) {
                byte[] b = outq.take();
                if (b == END) {
                    return;
                }
                try {
                    out.write(b);
                    out.flush();
                } catch (IOException e) {
                    close(); // the client is gone: the reader ends too
                    return;
                } finally {
                    synchronized (outq) {
                        pending -= b.length;
                        outq.notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until everything queued so far reached the client (or the session ended). */
    void drain() {
        synchronized (outq) {
            while (pending > 0 && !closed) {
                try {
                    outq.wait(100); // woken by the writer; the bound only re-checks 'closed'
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void handle(JsonNode msg) {
        if (!msg.isObject()) {
            send(errorReply(null, QmpError.generic("QMP input must be a JSON object")));
            return;
        }
        JsonNode id = msg.get("id");
        String reply;
        CURRENT.set(this);
        try {
            reply = dispatch((ObjectNode) msg, id);
        } catch (QmpError e) {
            reply = errorReply(id, e);
        } finally {
            CURRENT.remove();
        }
        replyAndRelease(reply);
    }

    private String dispatch(ObjectNode msg, JsonNode id) {
        // the QMP envelope, checked as monitor/qmp.c and qmp-dispatch.c do
        boolean isOob = msg.has("exec-oob");
        for (Iterator<String> it = msg.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            boolean known = k.equals("execute") || k.equals("arguments") || k.equals("id") || (oob && k.equals("exec-oob"));
            if (!known) {
                throw QmpError.generic("QMP input member '" + k + "' is unexpected");
            }
        }
        JsonNode exec = isOob ? msg.get("exec-oob") : msg.get("execute");
        if (exec == null) {
            throw QmpError.generic("QMP input lacks member 'execute'");
        }
        if (!exec.isTextual()) {
            throw QmpError.generic("QMP input member '" + (isOob ? "exec-oob" : "execute") + "' must be a string");
        }
        JsonNode args = msg.get("arguments");
        if (args != null && !args.isObject()) {
            throw QmpError.generic("QMP input member 'arguments' must be an object");
        }
        String name = exec.textValue();
        QapiSchema.Command c = server.schema().command(name)
                .filter(x -> server.handlers().has(x.name()))
                .orElseThrow(() -> new QmpError(QmpError.ErrorClass.CommandNotFound,
                        commandMode ? "The command " + name + " has not been found"
                                : "Expecting capabilities negotiation with 'qmp_capabilities'"));
        if (!commandMode && !name.equals("qmp_capabilities")) {
            throw new QmpError(QmpError.ErrorClass.CommandNotFound, "Expecting capabilities negotiation with 'qmp_capabilities'");
        }
        if (isOob) {
            throw QmpError.generic("The command " + name + " does not support OOB");
        }
        if (commandMode && name.equals("qmp_capabilities")) {
            throw new QmpError(QmpError.ErrorClass.CommandNotFound, "Capabilities negotiation is already complete, command ignored");
        }
        ObjectNode a = args == null ? QmpJson.object() : (ObjectNode) args;
        server.schema().checkArguments(c, a);
        if (!c.allowPreconfig() && server.inPreconfig()) {
            throw QmpError.generic("The command '" + name + "' is permitted only after machine initialization has completed");
        }
        if (name.equals("qmp_capabilities")) {
            oob = a.has("enable");
            commandMode = true;
            JsonNode r = QmpJson.object();
            String reply = successReply(r, id);
            // listen first, then queue the reply, as one step for the events: none is lost between the
            // reply and the listening (a client that has the reply may at once make another client send
            // one), and none is queued before the reply
            synchronized (orderLock) {
                server.events().listen(eventListener);
                send(reply);
            }
            return null;
        }
        JsonNode result = server.handlers().run(name, new Handlers.Call(server, this, a));
        String reply = successReply(result, id);
        if (server.context().exitRequested()) {
            replyAndRelease(reply);
            drain(); // the reply reaches the client before the emulator goes
            server.quitRequested();
            return null;
        }
        return reply;
    }

    static String successReply(JsonNode result, JsonNode id) {
        ObjectNode r = QmpJson.object();
        r.set("return", result == null ? QmpJson.object() : result);
        if (id != null) {
            r.set("id", id);
        }
        return QmpJson.write(r);
    }

    static String errorReply(JsonNode id, QmpError e) {
        ObjectNode r = QmpJson.object();
        if (id != null) {
            r.set("id", id);
        }
        ObjectNode err = r.putObject("error");
        err.put("class", e.errorClass().name());
        err.put("desc", e.desc());
        return QmpJson.write(r);
    }

    /** Queues one line for the client (any thread, never blocks). */
    void send(String line) {
        if (closed) {
            return;
        }
        byte[] b = (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
        boolean drop;
        synchronized (outq) {
            drop = pending + b.length > MAX_PENDING;
            if (!drop) {
                pending += b.length;
                outq.add(b);
            }
        }
        if (drop) {
            close(); // it stopped reading: dropped rather than let its output grow without bound
        }
    }
}
