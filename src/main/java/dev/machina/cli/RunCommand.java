package dev.machina.cli;

import dev.machina.config.ConfigException;
import dev.machina.config.ConfigFiles;
import dev.machina.config.Configs;
import dev.machina.config.ParsedCommandLine;
import dev.machina.config.ReadMode;
import dev.machina.config.VmConfig;
import dev.machina.vm.Vm;
import dev.machina.vm.VmException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code machina run [QEMU options]}: start a VM, with QEMU's spelling of the options. The options
 * are taken verbatim and parsed by the config layer (QEMU's syntax, not picocli's); they are checked,
 * help options are answered and {@code -writeconfig} is honoured. {@code --compat=qemu} (Machina's
 * own option) reads {@code -readconfig} files as QEMU 7.2 does.
 */
@Command(name = "run", description = "Start a VM; options are spelled as for qemu-system-x86_64 (-M, -m, -device, ...).")
final class RunCommand implements Callable<Integer>, Help.OwnUsage {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return call(main.context(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * {@code machina run ARGS} without picocli's command tree: picocli hands a run's arguments over
     * verbatim (no options of its own, {@code @Unmatched}), and building the tree is a third of a
     * short run's start-up (its classes are Java 5 bytecode, on the old verifier and outside the
     * class-data archive). Exceptions are the caller's to report, as picocli's handler would.
     */
    static int direct(Context context, List<String> args, PrintWriter out, PrintWriter err) {
        RunCommand c = new RunCommand();
        c.args = new ArrayList<>(args);
        return c.call(context, out, err);
    }

    /** The context of this run (picocli's parent command's, or the one {@link #direct} was given). */
    private Context context;
    /** {@code --stats} (or MACHINA_STATS in the environment): print {@link dev.machina.vm.RunStats} on stderr at the end. */
    private boolean stats = System.getenv("MACHINA_STATS") != null && !System.getenv("MACHINA_STATS").isEmpty();
    /** {@code --stats-mark=TEXT}: a phase of the statistics at the first console line containing TEXT. */
    private final List<String> statsMarks = new ArrayList<>();

    private Integer call(Context ctx, PrintWriter out, PrintWriter err) {
        this.context = ctx;
        // -machine help / -M TYPE,help (also '?'): answered from the machine data (MachineHelp)
        if (args.size() == 2 && (args.get(0).equals("-machine") || args.get(0).equals("-M")) && MachineHelp.isHelp(args.get(1))) {
            out.print(MachineHelp.help(args.get(1), context));
            return Main.EXIT_OK;
        }
        if (args.isEmpty() || List.of("--help", "-h", "-help").contains(args.get(0))) {
            // later help options are QEMU's (-h, -help, --help), found by the parser where they are not a value
            usage(out);
            return Main.EXIT_OK;
        }
        ReadMode mode = ReadMode.STRICT;
        List<String> qemu = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--compat=")) {
                mode = ConfigSupport.mode(a.substring("--compat=".length()));
            } else if (a.equals("--stats")) {
                stats = true;
            } else if (a.startsWith("--stats-mark=")) {
                stats = true;
                if (a.length() == "--stats-mark=".length()) {
                    err.println("machina: run: --stats-mark= needs a text (a console line containing it starts a phase of the"
                            + " statistics), e.g. --stats-mark=MACHINA-INIT-OK");
                    err.flush();
                    return Main.EXIT_USAGE;
                }
                statsMarks.add(a.substring("--stats-mark=".length()));
            } else {
                qemu.add(a);
            }
        }
        dev.machina.util.Timing.mark("command line");
        Configs configs = ConfigSupport.configs(context);
        dev.machina.util.Timing.mark("config env (nothing loaded)");
        ParsedCommandLine p;
        try {
            p = configs.fromCommandLine(qemu, mode);
            dev.machina.util.Timing.mark("parse QEMU options");
            if (p.help().isPresent()) {
                new HelpPrinter(context, configs.env()).print(p.help().get(), out);
                return p.help().get().exitStatus(); // QEMU 7.2 exits 1 after a QemuOpts group\'s key list
            }
            ConfigSupport.print(err, p.warnings());
            if (!p.config().sections("machina-preconfig").isEmpty()) {
                // QEMU 7.2 daemonizes and writes the pid file before preconfig; the daemon is initialised
                // once the monitors listen in preconfig (qemu_init's os_setup_post runs before the main loop)
                java.util.Optional<Integer> early = detachAndWritePidfile(p, args, out, err);
                if (early.isPresent()) {
                    return early.get();
                }
                return preconfig(qemu, mode, configs, p, out, err);
            }
            if (!isMachineNone(p)) {
                if (!Daemon.requested(p.config()) && !p.writeConfig().contains("-")) {
                    // the RAM array is zeroed on another core while the machine data is read (BackingReserve)
                    dev.machina.memory.BackingReserve.reserve(dev.machina.vm.VmSpec.ramBytesBeforeData(p.config()));
                }
                dev.machina.vm.VmSpec.deprecation(VmConfig.of(dev.machina.config.ConfigMerge.merge(p.config())), context.catalog())
                        .ifPresent(w -> {
                            err.println("machina: warning: " + w);
                            err.flush();
                        });
                dev.machina.vm.VmSpec.check(p.config(), context.catalog()); // what QEMU refuses at start
                if (!p.writeConfig().contains("-")) {
                    dev.machina.vm.HostCheck.check(p.config()); // what QEMU opens on this host at start (run only)
                }
                dev.machina.util.Timing.mark("check the configuration");
            }
            ConfigSupport.writeConfig(p, out);
        } catch (ConfigException e) {
            throw ConfigSupport.fail(err, e);
        }
        java.util.Optional<Integer> early = detachAndWritePidfile(p, args, out, err);
        if (early.isPresent()) {
            return early.get();
        }
        // -machine none with monitors: a management tool's probe, answered by the monitors alone
        java.util.Optional<Integer> probe = MonitorLaunch.runNone(p.config(), context, System.in, context.rawOut());
        if (probe.isPresent()) {
            return probe.get();
        }
        if (!p.writeConfig().isEmpty() && p.writeConfig().contains("-")) {
            return Main.EXIT_OK; // -writeconfig - : QEMU writes the configuration and exits
        }
        return start(p, java.util.Optional.empty(), out, err);
    }

    /**
     * {@code -daemonize} (checked here, run by a detached process, which says when it is initialised:
     * Daemon) and {@code -pidfile}: in this process an exit status when it is done (the first process of
     * -daemonize, or an error), else empty and the pid file written.
     */
    private java.util.Optional<Integer> detachAndWritePidfile(ParsedCommandLine p, List<String> args, PrintWriter out, PrintWriter err) {
        // -daemonize: checked here, run by a detached process, which says when it is initialised (Daemon)
        if (Daemon.requested(p.config()) && !(p.writeConfig().contains("-"))) {
            java.util.Optional<String> conflict = Daemon.conflict(p.config());
            if (conflict.isPresent()) {
                err.println("machina: " + conflict.get());
                err.flush();
                return java.util.Optional.of(Main.EXIT_USER);
            }
            if (!Daemon.detached()) {
                return java.util.Optional.of(Daemon.launch(args, out, err));
            }
        }
        // -pidfile FILE (os-posix.c qemu_write_pidfile, called early in qemu_init): "PID\n", removed at exit
        for (dev.machina.config.Section s : p.config().sections("machina-pidfile")) {
            java.util.Optional<String> file = s.get("file");
            if (file.isPresent()) {
                java.nio.file.Path pidfile = java.nio.file.Path.of(file.get());
                try {
                    // mode 0600, as QEMU's qemu_open_old(path, O_CREAT | O_WRONLY, S_IRUSR | S_IWUSR)
                    try (java.nio.channels.SeekableByteChannel ch = java.nio.file.Files.newByteChannel(pidfile,
                            java.util.Set.of(java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING),
                            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
                        ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    err.println("machina: -pidfile " + file.get() + ": cannot create PID file: " + (e instanceof java.nio.file.NoSuchFileException
                            ? "its directory does not exist" : e.getMessage()));
                    err.flush();
                    return java.util.Optional.of(Main.EXIT_USER);
                }
                pidfile.toFile().deleteOnExit();
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * {@code -preconfig}: the monitors first; the machine is built from the command line as QMP left it at
     * {@code x-exit-preconfig}, which is also when {@code -writeconfig} writes it (without {@code
     * -preconfig}: the file is the machine's, equal to what the same options on the command line write).
     */
    private int preconfig(List<String> qemu, ReadMode mode, Configs configs, ParsedCommandLine first, PrintWriter out, PrintWriter err) {
        java.util.Optional<MonitorLaunch.Preconfigured> done = MonitorLaunch.preconfig(qemu, mode, configs, first, context,
                System.in, context.rawOut());
        if (done.isEmpty()) {
            out.flush();
            return Main.EXIT_OK; // quit during preconfig
        }
        MonitorLaunch.Preconfigured pre = done.get();
        ParsedCommandLine p = pre.parsed();
        try {
            ConfigSupport.print(err, p.warnings());
            ConfigSupport.writeConfig(p, out);
        } catch (ConfigException e) {
            pre.failed("-writeconfig: " + e.getMessage());
            pre.server().close();
            throw ConfigSupport.fail(err, e);
        }
        if (!p.writeConfig().isEmpty() && p.writeConfig().contains("-")) {
            pre.failed("-writeconfig -: the configuration was written to stdout; nothing runs");
            pre.server().close();
            return Main.EXIT_OK;
        }
        return start(p, java.util.Optional.of(pre), out, err);
    }

    /** Builds and runs the VM; {@code preconfigured}: the monitors' server of a preconfig phase, attached to it. */
    private int start(ParsedCommandLine p, java.util.Optional<MonitorLaunch.Preconfigured> preconfigured, PrintWriter out, PrintWriter err) {
        dev.machina.cpu.x86.Tier tier;
        try {
            tier = tier(p);
        } catch (IllegalArgumentException e) {
            preconfigured.ifPresent(pre -> {
                pre.failed("-accel: " + e.getMessage());
                pre.server().close();
            });
            err.println("machina: run: -accel: " + e.getMessage());
            return Main.EXIT_USER;
        }
        Vm vm;
        try {
            vm = Vm.create(p.config(), context.catalog(), new Vm.Console(System.in, context.rawOut()));
        } catch (VmException e) {
            preconfigured.ifPresent(pre -> {
                pre.failed(e.getMessage());
                pre.server().close();
            });
            err.println("machina: run: " + e.getMessage());
            return Main.EXIT_USER;
        }
        // this VM's CPU only, not the process default: a test JVM runs many commands after each other
        vm.setTier(tier);
        for (String w : vm.warnings()) {
            err.println("machina: warning: " + w);
        }
        err.flush();
        dev.machina.util.Timing.mark("warnings");
        java.util.Optional<dev.machina.qmp.QmpServer> monitors;
        if (preconfigured.isPresent()) {
            MonitorLaunch.attach(preconfigured.get(), vm, p.config());
            monitors = java.util.Optional.of(preconfigured.get().server());
        } else {
            monitors = MonitorLaunch.startFor(vm, p.config(), context, System.in, context.rawOut());
        }
        Daemon.initialised(); // -daemonize: the VM is built and its monitors listen
        dev.machina.vm.RunStats runStats = null;
        if (stats) {
            runStats = new dev.machina.vm.RunStats(statsMarks);
            vm.collectStats(runStats);
        }
        Vm.Outcome o;
        try {
            o = vm.run(0);
        } finally {
            monitors.ifPresent(dev.machina.qmp.QmpServer::close);
        }
        out.flush();
        if (runStats != null) {
            err.print(runStats.takeTable());
            err.flush();
        }
        if (vm.haltedForGoodAt().isPresent()) {
            err.println("machina: run: the guest stopped: its CPU halted with interrupts disabled at " + vm.haltedForGoodAt().get()
                    + ", which nothing in this machine can wake (no NMI source; a -qmp or -monitor would keep it waiting)"
                    + vm.missingFeature().map(RunCommand::missingFeature).orElse(earlyprintk(vm)));
            err.flush();
        }
        if (vm.haltLoopAt().isPresent()) {
            err.println("machina: run: the guest stopped: its CPU has sat for 5 s of guest time in a loop of HLT and a jump back"
                    + " at " + vm.haltLoopAt().get() + ", which only interrupts leave, and each returned to it (a -qmp or -monitor"
                    + " would keep it waiting)" + vm.missingFeature().map(RunCommand::missingFeature).orElse(""));
            err.flush();
        }
        return o.status();
    }

    /**
     * What a Linux kernel that halted for good adds when its command line has no {@code earlyprintk}: Linux
     * halts so when it gives up before its console is up (its decompressor's "XZ-compressed data is corrupt
     * -- System halted" for a damaged bzImage, an early panic), and it writes those words on the serial port
     * only with {@code earlyprintk=ttyS0} (arch/x86/boot/compressed: console=ttyS0 alone is not parsed
     * there), as on QEMU 7.2.
     */
    static String earlyprintk(Vm vm) {
        return vm.linuxCmdline().filter(c -> !java.util.Arrays.asList(c.split(" ")).stream().anyMatch(w -> w.startsWith("earlyprintk=")))
                .map(c -> "; a Linux kernel that stops before its console is up says why on the serial port only with"
                        + " -append \"" + (c.isEmpty() ? "" : c + " ") + "earlyprintk=ttyS0\"")
                .orElse("");
    }

    /**
     * What a stopped run adds when the guest ran an instruction the CPU lacks: a kernel entered without
     * firmware skips its 16-bit setup's CPU check, so it cannot say in its own words that it refuses the CPU.
     */
    static String missingFeature(dev.machina.cpu.x86.Cpu.MissingFeature m) {
        return "; before that it ran " + m.mnemonic() + " at " + m.where() + ", which -cpu " + m.model()
                + " does not have (CPUID flag " + m.feature() + "), and took an invalid-opcode exception: the guest needs a CPU with "
                + m.feature();
    }

    @Override
    public void usage(PrintWriter out) {
        new HelpPrinter(context != null ? context : main.context(), null).print(dev.machina.config.HelpRequest.of(dev.machina.config.HelpRequest.Kind.USAGE), out);
    }

    /**
     * The CPU tier: {@code -accel tcg,tier=interp|compiled} (Machina's own property of the TCG
     * accelerator: interp = the block interpreter, compiled = hot blocks compiled to JVM bytecode);
     * without it, {@link dev.machina.cpu.x86.Tier#runDefault()} (compiled, unless machina.tier says).
     */
    private static dev.machina.cpu.x86.Tier tier(ParsedCommandLine p) {
        dev.machina.cpu.x86.Tier t = dev.machina.cpu.x86.Tier.runDefault();
        for (dev.machina.config.Section s : p.config().sections()) {
            if (s.group().equals("accel")) {
                java.util.Optional<String> v = s.get("tier");
                if (v.isPresent()) {
                    t = dev.machina.cpu.x86.Tier.parse(v.get());
                }
            }
        }
        return t;
    }

    /** -machine none (a management tool's probe): no VM to check. */
    private static boolean isMachineNone(ParsedCommandLine p) {
        for (dev.machina.config.Section s : p.config().sections()) {
            if (s.group().equals("machine") && s.get("type").map("none"::equals).orElse(false)) {
                return true;
            }
        }
        return false;
    }
}
