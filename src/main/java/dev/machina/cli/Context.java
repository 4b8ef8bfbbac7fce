package dev.machina.cli;

import dev.machina.hw.BuiltinTypes;
import dev.machina.machine.DataFiles;
import dev.machina.machine.DataReading;
import dev.machina.machine.MachineCatalog;
import dev.machina.machine.MachineTable;
import dev.machina.qom.TypeRegistry;

/**
 * What the commands share, built lazily so that a command pays only for what it uses: the type
 * registry (built-in types merged with the declared catalog and the machine types) and the machine
 * data packaged with Machina. One instance per command-line run; no statics.
 */
public final class Context {
    private final java.io.OutputStream rawOut;

    public Context() {
        this(System.out);
    }

    /** @param rawOut where commands that pass bytes through unchanged (a guest's console) write */
    public Context(java.io.OutputStream rawOut) {
        this.rawOut = rawOut;
    }

    private Terminal terminal;

    /** What the terminal allows (colour, progress): this process's, unless a test gave another. */
    Terminal terminal() {
        if (terminal == null) {
            terminal = Terminal.current();
        }
        return terminal;
    }

    /** For tests: run as if on the given terminal. */
    Context withTerminal(Terminal t) {
        this.terminal = t;
        return this;
    }

    /** The command's standard output as bytes (the text output goes through picocli's writer). */
    public java.io.OutputStream rawOut() {
        return rawOut;
    }

    private MachineCatalog catalog;
    private MachineTable table;
    private java.util.List<DataFiles.DataFile> packaged;
    private DataReading reading;

    /** The data files packaged with Machina, read once. */
    public synchronized java.util.List<DataFiles.DataFile> packaged() {
        if (packaged == null) {
            packaged = DataFiles.packaged();
        }
        return packaged;
    }

    /** What has been parsed and checked of the data files in this run, to reuse. */
    public synchronized DataReading reading() {
        if (reading == null) {
            reading = new DataReading();
        }
        return reading;
    }

    /** All known types: the built-in declarations, the declared catalog and one type per machine. */
    public TypeRegistry registry() {
        return catalog().registry();
    }

    private String release;

    /**
     * The QEMU release whose property defaults the catalog has: {@code MACHINA_QEMU_VERSION} when set,
     * else the newest the data describes.
     *
     * @throws UserError when the variable names a release the data does not describe
     */
    public synchronized String qemuRelease() {
        if (release == null) {
            String env = System.getenv(dev.machina.machine.QemuRelease.ENV);
            String r = dev.machina.machine.QemuRelease.parse(env);
            if (r == null) {
                throw new UserError(dev.machina.machine.QemuRelease.ENV + "=" + env.replaceAll("\\p{Cntrl}", "?")
                        + ": not a QEMU release the data describes; use one of "
                        + String.join(", ", dev.machina.machine.QemuRelease.KNOWN));
            }
            release = r;
        }
        return release;
    }

    /** For tests: present the given QEMU release, as MACHINA_QEMU_VERSION would. */
    public Context withQemuRelease(String r) {
        this.release = r;
        return this;
    }

    /** The packaged machine data, loaded and checked against the registry (not against the schemas). */
    public synchronized MachineCatalog catalog() { // synchronized: a probe loads it ahead on another thread
        if (catalog == null) {
            // the data the build checked (DataCheck) is not checked again, and its types' properties are read when used
            catalog = DataCheck.covers(packaged())
                    ? MachineCatalog.loadChecked(packaged(), BuiltinTypes.all(), reading(), qemuRelease())
                    : MachineCatalog.load(packaged(), false, BuiltinTypes.all(), reading(), qemuRelease());
            table = catalog.table();
            catalogThread = Thread.currentThread().getName();
        }
        return catalog;
    }

    private MachineCatalog newestCatalog;

    /**
     * The packaged data as the newest release has it, when another one is presented (for what that
     * release lacks); the catalog itself when the newest is presented.
     */
    public synchronized MachineCatalog newestCatalog() {
        if (qemuRelease().equals(dev.machina.machine.QemuRelease.NEWEST)) {
            return catalog();
        }
        if (newestCatalog == null) {
            newestCatalog = DataCheck.covers(packaged())
                    ? MachineCatalog.loadChecked(packaged(), BuiltinTypes.all(), new DataReading(), dev.machina.machine.QemuRelease.NEWEST)
                    : MachineCatalog.load(packaged(), false, BuiltinTypes.all(), new DataReading(), dev.machina.machine.QemuRelease.NEWEST);
        }
        return newestCatalog;
    }

    private String catalogThread;

    /**
     * The name of the thread that built {@link #catalog()} in this run, or null when it has not been built:
     * a probe builds it on a thread of its own once the first client is greeted (tested with this).
     */
    synchronized String catalogBuiltOn() {
        return catalogThread;
    }

    /**
     * Whether {@link #catalog()} has been built in this run: the start-up paths that should not pay for
     * it (a probe's greeting) are tested with this.
     */
    synchronized boolean catalogLoaded() {
        return catalog != null;
    }

    private final java.util.Map<String, MachineCatalog> trees = new java.util.HashMap<>();

    /**
     * The machine data of a data tree (a directory with {@code machines/}, {@code machines/types/} and
     * {@code compat/}, such as another checkout), loaded and checked as {@link #catalog()} is; null
     * stands for the packaged data.
     */
    public MachineCatalog catalog(String dataTree) {
        if (dataTree == null) {
            return catalog();
        }
        MachineCatalog c = trees.get(dataTree);
        if (c == null) {
            c = MachineCatalog.load(DataFiles.tree(dataTree), false, BuiltinTypes.all(), reading(), qemuRelease());
            trees.put(dataTree, c);
        }
        return c;
    }

    /**
     * What {@code machine list} and {@code -machine help} show of every packaged machine type, in
     * listing order, as the QEMU release Machina presents has them ({@link MachineTable#inRelease}): from
     * the index the build packs into the jar when it is current, else from the machine families.
     */
    public java.util.List<MachineTable.Summary> machineSummaries() {
        java.util.Optional<java.util.List<MachineTable.Summary>> index = machineIndex();
        dev.machina.util.Timing.mark("machine index");
        // no lambda: start-up (see QuickCommands)
        java.util.List<MachineTable.Summary> all = index.isPresent() ? index.get() : machines().summaries();
        return MachineTable.inRelease(all, qemuRelease());
    }

    private java.util.Optional<java.util.List<MachineTable.Summary>> index;

    /**
     * Every packaged machine type as the index the build packs into the jar has it (all releases, in
     * listing order), read once; empty when the index is missing or not current (running from a classes
     * directory, or a jar whose family files changed).
     */
    java.util.Optional<java.util.List<MachineTable.Summary>> machineIndex() {
        if (index == null) {
            index = dev.machina.machine.MachineIndex.packaged();
        }
        return index;
    }

    /** The packaged machine types only (names, aliases, options): cheaper than {@link #catalog()}. */
    public synchronized MachineTable machines() {
        if (table == null) {
            table = MachineCatalog.loadTable(DataFiles.packagedFamilies());
        }
        return table;
    }
}
