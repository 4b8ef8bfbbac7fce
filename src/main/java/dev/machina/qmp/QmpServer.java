package dev.machina.qmp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The QMP server: listeners (unix and TCP sockets, stdio), one session thread per client, any number of
 * clients at once, events to all of them. Commands are validated against the {@link QapiSchema} and run
 * by {@link Handlers}; what they ask of the machine goes through {@link QmpMachine}.
 */
public final class QmpServer implements AutoCloseable {
    private final Handlers handlers;
    private final Events events;
    private final MonitorContext context;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private final Set<Client> sessions = ConcurrentHashMap.newKeySet();
    private final CountDownLatch quit = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    private InputStream stdin = System.in;
    private OutputStream stdout = System.out;

    public QmpServer(MonitorContext context) {
        this.events = context.events();
        this.context = context;
        this.handlers = Commands.all();
        context.connectedClients(label -> {
            List<String> c = connected.get(label);
            return c == null || c.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(c.get(c.size() - 1));
        });
    }

    /** By listener label, the QEMU filenames of its connected clients, oldest first. */
    private final java.util.Map<String, List<String>> connected = new ConcurrentHashMap<>();

    QapiSchema schema() {
        return context.schema();
    }

    Handlers handlers() {
        return handlers;
    }

    public Events events() {
        return events;
    }

    public MonitorContext context() {
        return context;
    }

    boolean inPreconfig() {
        return context.inPreconfig();
    }

    /** The streams a {@code stdio} endpoint uses (the process's, unless a test gives others). */
    public QmpServer stdio(InputStream in, OutputStream out) {
        this.stdin = in;
        this.stdout = out;
        return this;
    }

    /** The greeting QEMU 7.2 sends on connect. */
    String greeting() {
        ObjectNode g = QmpJson.object();
        ObjectNode qmp = g.putObject("QMP");
        qmp.set("version", context.version());
        qmp.putArray("capabilities").add("oob");
        return QmpJson.write(g);
    }

    /**
     * Starts listening (or, for stdio, talking) on an endpoint. With {@code wait=on} (QEMU's default
     * for a server socket) this returns after the first client has connected.
     */
    public void listen(Endpoint e) throws IOException {
        listen(e, true);
    }

    /** {@link #listen(Endpoint)} for a QMP monitor ({@code control}) or a human monitor. */
    public void listen(Endpoint e, boolean control) throws IOException {
        switch (e.kind()) {
            case STDIO -> attach(new java.io.FilterInputStream(stdin) {
                @Override
                public void close() {
                    // stdin stays open for the process
                }
            }, new java.io.FilterOutputStream(stdout) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            }, "qmp-stdio", control);
            case UNIX -> {
                Path p = Path.of(e.path());
                Files.deleteIfExists(p); // as QEMU: a stale socket file is replaced
                ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                ch.bind(UnixDomainSocketAddress.of(p));
                socketFiles.add(p);
                accept(ch, e, control);
            }
            case TCP -> {
                ServerSocketChannel ch = ServerSocketChannel.open();
                ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress(InetAddress.getByName(e.host()), e.port()));
                accept(ch, e, control);
            }
        }
    }

    /** The local port a TCP listener got (for port 0). */
    public int tcpPort(int index) throws IOException {
        int i = 0;
        for (ServerSocketChannel ch : listeners) {
            if (ch.getLocalAddress() instanceof InetSocketAddress a && i++ == index) {
                return a.getPort();
            }
        }
        throw new IllegalArgumentException("no TCP listener " + index);
    }

    private void accept(ServerSocketChannel ch, Endpoint e, boolean control) throws IOException {
        listeners.add(ch);
        if (e.waitForClient()) {
            SocketChannel first = ch.accept();
            attach(first, e, control);
        }
        Thread t = new Thread(() -> {
            while (!closed) {
                try {
                    attach(ch.accept(), e, control);
                } catch (IOException ex) {
                    if (closed) {
                        return;
                    }
                }
            }
        }, "qmp-accept-" + e.label());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void attach(SocketChannel c, Endpoint e, boolean control) {
        String filename = connectedFilename(c, e);
        List<String> clients = connected.computeIfAbsent(e.label(), k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        clients.add(filename);
        attach(ChannelStreams.in(c), ChannelStreams.out(c), control ? "qmp-client" : "hmp-client", control, () -> clients.remove(filename));
    }

    /**
     * QEMU 7.2's filename of a listening socket with a client (chardev/char-socket.c,
     * qemu_chr_compute_filename): {@code unix:PATH,server=on}, or {@code tcp:HOST:PORT,server=on <-> PEER:PORT}.
     */
    private static String connectedFilename(SocketChannel c, Endpoint e) {
        if (e.kind() != Endpoint.Kind.TCP) {
            return e.filename();
        }
        try {
            if (c.getLocalAddress() instanceof InetSocketAddress local && c.getRemoteAddress() instanceof InetSocketAddress peer) {
                return "tcp:" + host(local) + ":" + local.getPort() + ",server=on <-> " + host(peer) + ":" + peer.getPort();
            }
        } catch (IOException ex) {
            // the client is gone already: its session ends at once
        }
        return e.filename();
    }

    private static String host(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /** Runs a session on the given streams (a socket's, stdio's or a test's). */
    public void attach(InputStream in, OutputStream out, String name, boolean control) {
        attach(in, out, name, control, () -> { });
    }

    private void attach(InputStream in, OutputStream out, String name, boolean control, Runnable whenClosed) {
        Client[] s = new Client[1];
        Runnable onClose = () -> {
            sessions.remove(s[0]);
            whenClosed.run();
        };
        s[0] = control ? new Session(this, in, out, onClose) : new HmpSession(this, in, out, onClose);
        sessions.add(s[0]);
        Thread t = new Thread(s[0], name);
        t.setDaemon(true);
        t.start();
    }

    /** A connected monitor client. */
    interface Client extends Runnable {
        void close();
    }

    /** How many clients are connected now. */
    public int clients() {
        return sessions.size();
    }

    private final List<Runnable> greetedHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean greeted = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Runs {@code r} once, when the first client has been greeted (the QMP greeting or the human monitor's
     * banner is on its way): work the greeting does not need can start then without delaying it.
     */
    public void onFirstGreeting(Runnable r) {
        greetedHooks.add(r);
    }

    void greeted() {
        if (greeted.compareAndSet(false, true)) {
            for (Runnable r : greetedHooks) {
                r.run();
            }
        }
    }

    private final List<Runnable> quitHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Runs {@code r} when a client's {@code quit} has been answered (a running VM ends its run there). */
    public void onQuit(Runnable r) {
        quitHooks.add(r);
    }

    void quitRequested() {
        quit.countDown();
        for (Runnable r : quitHooks) {
            r.run();
        }
    }

    /** Blocks until a client sends {@code quit}. */
    public void awaitQuit() throws InterruptedException {
        quit.await();
    }

    @Override
    public void close() {
        closed = true;
        for (ServerSocketChannel ch : listeners) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (Client s : List.copyOf(sessions)) {
            s.close();
        }
        for (Path p : socketFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort, as QEMU
            }
        }
    }
}
