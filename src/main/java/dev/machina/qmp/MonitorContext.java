package dev.machina.qmp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the monitors answer from: the version they claim, the guest's name and UUID, the chardevs, the
 * machine they control and the run's phase (preconfig or running). One per emulator process; the
 * QMP server and the human monitor share it.
 */
public final class MonitorContext {
    /** The QEMU version Machina's QMP speaks (management tools check it); the package names Machina. */
    public static final int QEMU_MAJOR = 7;
    public static final int QEMU_MINOR = 2;
    public static final int QEMU_MICRO = 0;

    /**
     * A character device as query-chardev and info chardev list it. A {@code listening} socket's
     * {@code filename} is the one QEMU gives it with no client connected, less its {@code disconnected:}
     * prefix; {@link #chardevs()} says which it is now.
     */
    public record Chardev(String label, String filename, boolean frontendOpen, boolean listening) {
        public Chardev(String label, String filename, boolean frontendOpen) {
            this(label, filename, frontendOpen, false);
        }
    }

    /** The filename of a listening chardev's connected client, by label (the QMP server says), else empty. */
    private volatile java.util.function.Function<String, Optional<String>> connected = label -> Optional.empty();

    private final java.util.function.Supplier<QapiSchema> schema;
    private final Events events;
    private final String packageName;
    private QmpMachine machine;
    private String name;
    private String uuid = "00000000-0000-0000-0000-000000000000";
    private final List<Chardev> chardevs = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean preconfig;
    private Introspection introspection;
    private volatile boolean exitRequested;

    public MonitorContext(QapiSchema schema, Events events, String packageName) {
        this(() -> schema, events, packageName);
    }

    /**
     * @param schema the schema, asked for when the first command is checked against it, not before: a
     *               caller can load it while the monitors start and greet (the greeting needs no schema)
     */
    public MonitorContext(java.util.function.Supplier<QapiSchema> schema, Events events, String packageName) {
        this.schema = schema;
        this.events = events;
        this.packageName = packageName;
    }

    public QapiSchema schema() {
        return schema.get();
    }

    public Events events() {
        return events;
    }

    public MonitorContext machine(QmpMachine m) {
        this.machine = m;
        return this;
    }

    public QmpMachine machine() {
        return machine;
    }

    public MonitorContext introspection(Introspection i) {
        this.introspection = i;
        return this;
    }

    /** The data the introspection commands answer from. */
    public Introspection introspection() {
        if (introspection == null) {
            throw QmpError.generic("this monitor has no type or machine data");
        }
        return introspection;
    }

    public MonitorContext name(String n) {
        this.name = n;
        return this;
    }

    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    public MonitorContext uuid(String u) {
        this.uuid = u;
        return this;
    }

    public String uuid() {
        return uuid;
    }

    public MonitorContext chardev(Chardev c) {
        chardevs.add(c);
        return this;
    }

    /** Replaces the list (once the machine is built, its devices' chardevs are open). */
    public synchronized MonitorContext chardevs(List<Chardev> now) {
        chardevs.clear();
        chardevs.addAll(now);
        return this;
    }

    /**
     * The chardevs as they are now: a listening socket's filename is QEMU's {@code disconnected:...} until
     * a client connects, then the server's (char-socket.c's qemu_chr_compute_filename).
     */
    public List<Chardev> chardevs() {
        List<Chardev> out = new ArrayList<>();
        for (Chardev c : List.copyOf(chardevs)) {
            if (c.listening()) {
                String now = connected.apply(c.label()).orElse("disconnected:" + c.filename());
                out.add(new Chardev(c.label(), now, c.frontendOpen(), true));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /** Who says which listening chardev has a client (the QMP server that listens on them). */
    public void connectedClients(java.util.function.Function<String, Optional<String>> byLabel) {
        this.connected = byLabel;
    }

    public MonitorContext preconfig(boolean p) {
        this.preconfig = p;
        return this;
    }

    public boolean inPreconfig() {
        return preconfig;
    }

    /**
     * The machine being assembled before it is built ({@code -preconfig}): options are added to its command
     * line over QMP, and {@code x-exit-preconfig} builds and starts it.
     */
    public interface Preconfig {
        /** Appends {@code args} (options spelled as on the command line) after checking the whole line. */
        void add(List<String> args);

        /** Ends preconfig: the command line as it stands builds the machine. */
        void exit();
    }

    private volatile Preconfig assembly;

    public MonitorContext preconfig(Preconfig p) {
        this.assembly = p;
        this.preconfig = p != null;
        return this;
    }

    public Optional<Preconfig> assembly() {
        return Optional.ofNullable(assembly);
    }

    /** A monitor asked the emulator to exit ({@code quit}); it does once the reply has been sent. */
    public void requestExit() {
        exitRequested = true;
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    public String packageName() {
        return packageName;
    }

    /** {@code {"qemu": {"micro", "minor", "major"}, "package"}}, in QEMU's member order. */
    public ObjectNode version() {
        ObjectNode v = QmpJson.object();
        ObjectNode q = v.putObject("qemu");
        q.put("micro", QEMU_MICRO);
        q.put("minor", QEMU_MINOR);
        q.put("major", QEMU_MAJOR);
        v.put("package", packageName);
        return v;
    }
}
