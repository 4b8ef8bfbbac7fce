package dev.machina.vm;

import dev.machina.config.VmConfig;
import dev.machina.cpu.x86.Cpu;
import dev.machina.cpu.x86.Tier;
import dev.machina.hw.core.MachineControl;
import dev.machina.hw.core.ShutdownCause;
import dev.machina.hw.core.TimerQueue;
import dev.machina.machine.MachineCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A running machine: the board built from the machine data ({@link PcMachine}) and the run loop.
 *
 * <h2>The run loop</h2>
 * One thread (the caller of {@link #run}) runs the guest. Time is the {@link VirtualClock}: the CPU
 * runs until the next timer deadline (or a slice of {@link #SLICE} instructions, to look at host
 * input and requests), then due timers fire; interrupts are taken between blocks. A halted CPU
 * jumps the clock to the next deadline; with {@code -icount sleep=on} (the default) the thread
 * first waits the guest time left to that deadline in host time, as QEMU 7.2 does ({@link IdleWait}:
 * a guest that ran ahead of host time keeps its lead), so an idle guest uses no host CPU, and with
 * {@code sleep=off} it does not wait at all. With {@code sleep=off} what the guest sees depends only on
 * the instructions it ran, never on the host's speed.
 *
 * <p>Resets (triple fault, the i8042 and port 92 reset lines, {@link Request#RESET}) reset the CPU
 * and every device in creation order; under {@code -no-reboot} they end the run with status 0.
 * isa-debug-exit ends it with {@code (v << 1) | 1}; a power-off with 0 (under {@code -no-shutdown}
 * the machine only stops).
 *
 * <p>Other threads (QMP, the console's Ctrl-A x) talk to the loop only through {@link #request} and
 * {@link #submit}: requests and tasks are queued in one order and the CPU is asked to stop at the next
 * block boundary; the loop thread executes them (also while the CPU is stopped). What the run does of
 * itself or on request (stops, resumes, resets, power-off) is told to the {@link Observer} on the loop
 * thread, as QEMU's main loop sends its QMP events.
 */
public final class Vm {
    /** Most instructions between two looks at host input and requests. */
    static final long SLICE = 1 << 20;
    /** Longest single wait of an idle guest before it looks at requests again. */
    static final long MAX_SLEEP_NANOS = 50_000_000L;

    /** What other threads may ask. */
    public enum Request { STOP, CONT, RESET, QUIT }

    /** How a run ended. */
    public enum End { EXIT, SHUTDOWN, NO_REBOOT, QUIT, LIMIT, HALTED }

    /**
     * What the run loop tells a monitor, on the loop thread, as it happens (QEMU's STOP, RESUME,
     * RESET and SHUTDOWN events are sent from these points of its main loop).
     */
    public interface Observer {
        /** The CPU stopped (QMP {@code stop}, or a power-off under {@code -no-shutdown}). */
        default void stopped() {
        }

        /** The CPU runs again (or for the first time after {@code -S}). */
        default void resumed() {
        }

        /** The machine was reset (after every device reset), for this cause. */
        default void reset(Cause cause) {
        }

        /** The machine powers off (guest S5), or a reset under {@code -no-reboot} ends the run. */
        default void shutdown(Cause cause) {
        }
    }

    /**
     * Why a reset or shutdown happened, as QMP's RESET and SHUTDOWN events say it: whether the guest
     * did it, and QEMU's ShutdownCause name ({@code guest-reset}, {@code host-qmp-system-reset}).
     */
    public record Cause(boolean guest, String reason) {
        static Cause of(ShutdownCause c) {
            return new Cause(c.guest(), c.qapiName());
        }
    }

    /** A {@link #submit}ted task that fails because the run is over (or never began). */
    public static final class Ended extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Ended() {
            super("the machine is not running any more");
        }
    }

    /** The end of a run and the process exit status it means. */
    public record Outcome(End end, int status, long instructions) {}

    private final PcMachine pc;
    private final RunSettings settings;
    private final Chardevs chardevs;
    private final VirtualClock clock;
    private final Cpu cpu;
    private final TimerQueue timers;
    /** A halted CPU's wait for its next timer deadline. */
    private final IdleWait idleWait;
    /** Requests ({@link Request}) and tasks ({@link FutureTask}), in the order they were asked for. */
    private final ConcurrentLinkedQueue<Object> requests = new ConcurrentLinkedQueue<>();
    private volatile boolean ended;
    private Observer observer = new Observer() { };
    private volatile Thread loopThread;
    private boolean running;
    private Integer exitStatus;
    private ShutdownCause resetRequested;
    private ShutdownCause shutdownRequested;
    private int resets;
    /** A -qmp/-monitor/-mon was given: a person or tool could still send an NMI or a reset to a dead CPU. */
    private boolean monitored;
    /** Where the CPU was when it halted for good (CS:EIP), for the message; null while it has not. */
    private String deadAt;
    /** Where the CPU halts in a bare halt loop with IF = 1 when the run ended so (CS:EIP); null while it has not. */
    private String loopAt;
    /** The bare halt loop the CPU halted in last (linear address of the jump, or −1), since when (virtual ns), and the instructions then. */
    private long haltLoopLin = -1, haltLoopSince, haltLoopInsns;
    /** Guest time a CPU must stay in one bare halt loop, woken only by interrupts that return to it, to be taken as stopped. */
    static final long HALT_LOOP_NANOS = 5_000_000_000L;
    /** Instructions an interrupt's handling may take between two halts at the loop (more: the guest did other work). */
    static final long HALT_LOOP_HANDLER_INSNS = 1_000_000;

    private Vm(PcMachine pc, RunSettings settings, Chardevs chardevs, VirtualClock clock) {
        this.pc = pc;
        this.settings = settings;
        this.chardevs = chardevs;
        this.clock = clock;
        this.cpu = pc.cpu();
        this.timers = pc.timers();
        this.idleWait = new IdleWait(IdleWait.HostTime.SYSTEM, clock, timers, settings.sleep(), MAX_SLEEP_NANOS);
    }

    /** The process's standard streams for {@code stdio} chardevs; {@code in} may be null (no input). */
    public record Console(InputStream in, java.io.OutputStream out) {}

    /**
     * Builds the machine a configuration describes, ready to {@link #run}: nothing runs yet.
     *
     * @throws VmException for anything that keeps it from starting (one line, with where)
     */
    public static Vm create(VmConfig config, MachineCatalog catalog, Console console) {
        if (!config.sections("machina-S").isEmpty() && config.sections("machina-qmp").isEmpty()
                && config.sections("machina-monitor").isEmpty() && config.sections("mon").isEmpty()) {
            throw new VmException(new VmError.CannotStart("-S", "a machine started stopped needs a monitor to continue it "
                    + "(-qmp unix:PATH,server=on,wait=off, then 'cont'); add one or leave out -S"));
        }
        VmSpec spec = VmSpec.of(config, catalog);
        dev.machina.util.Timing.mark("vm: spec");
        BuiltMachine built = VmBuilder.dryRun(spec);
        dev.machina.util.Timing.mark("vm: build the object graph");
        String family = built.machineType().family();
        if (!List.of("isapc", "pc-i440fx", "pc-q35").contains(family)) {
            throw new VmException(new VmError.CannotStart("machine type " + built.machineType().name(),
                    "starting this machine type is not available in Machina yet; use -M isapc (pc and q35 follow with the PCI chipset)"));
        }
        List<String> standIns = new java.util.ArrayList<>();
        if (!spec.defaults().nodefaults()) {
            // QEMU adds these without -nodefaults; the user did not ask for them by name, so the machine
            // starts without the ones Machina has no model for, and says so (a device the user names with
            // -device and that has no model is still refused, by PcMachine.check)
            List<String> missing = DefaultDevices.withoutModel(catalog, built.machineType(), config).stream()
                    .map(DefaultDevices.Missing::describe).toList();
            if (!missing.isEmpty()) {
                standIns.add("machine type " + built.machineType().name() + ": its default devices " + String.join(", ", missing)
                        + " have no model in Machina yet, so the guest runs without them; -nodefaults (and -serial stdio for a "
                        + "console) or each one's option leaves them out");
            }
        }
        standIns.addAll(PcMachine.check(built));
        Optional<VmSpec.Setting> bios = spec.machineKeys().stream().filter(s -> s.key().equals("firmware")).reduce((a, b) -> b);
        // the machine's firmware property: the user's -bios, else the type's default-machine-options
        // (firmware=bios-256k.bin from pc-i440fx-2.0/pc-q35-2.0 on), else QEMU's BIOS_FILENAME
        String dflt = built.machine().value("firmware").map(v -> v.value() instanceof String x ? x : null).filter(x -> !x.isEmpty())
                .orElse("bios.bin");
        // -kernel (vm/boot: a bzImage or a multiboot kernel): through the firmware's option ROM, or with -bios none on
        // Machina's own 32-bit entry
        Optional<dev.machina.vm.boot.DirectBoot> linux = dev.machina.vm.boot.DirectBoot.of(spec);
        boolean noFirmware = linux.isPresent() && linux.get().firmwareless();
        Path fw = noFirmware ? Path.of("none") : RunSettings.firmware(bios, dflt);
        byte[] image = noFirmware ? linux.get().firmwareImage() : readFirmware(fw, bios.map(VmSpec.Setting::where).orElse("firmware"));
        dev.machina.util.Timing.mark("vm: checks, read firmware");
        Vm[] self = new Vm[1];
        // the console's reader starts before the machine exists: a Ctrl-A x typed that early waits for it
        java.util.concurrent.atomic.AtomicBoolean earlyQuit = new java.util.concurrent.atomic.AtomicBoolean();
        Chardevs chardevs = new Chardevs(new Chardevs.Stdio(console.in(), console.out(), () -> {
            Vm v = self[0];
            if (v == null) {
                earlyQuit.set(true);
            } else {
                v.request(Request.QUIT);
            }
        }, () -> {
            Vm v = self[0];
            if (v != null) {
                v.wake();
            }
        }));
        RunSettings settings = RunSettings.of(config, chardevs, spec.defaults().nodefaults());
        VirtualClock[] clockRef = new VirtualClock[1];
        PcMachine[] pcRef = new PcMachine[1];
        clockRef[0] = new VirtualClock(() -> pcRef[0] == null || pcRef[0].cpu() == null ? 0 : pcRef[0].cpu().instructions(),
                settings.icountShift());
        MachineControl control = new MachineControl() {
            @Override
            public void requestReset(ShutdownCause cause) {
                self[0].resetRequested = cause;
                self[0].cpu.requestStop();
            }

            @Override
            public void requestShutdown(ShutdownCause cause) {
                self[0].shutdownRequested = cause;
                self[0].cpu.requestStop();
            }

            @Override
            public void requestExit(int status) {
                if (self[0].exitStatus == null) {
                    self[0].exitStatus = status;
                }
                self[0].cpu.requestStop();
            }
        };
        PcMachine pc = new PcMachine(built, settings, chardevs, control, clockRef);
        pcRef[0] = pc;
        standIns.forEach(pc::warn);
        dev.machina.util.Timing.mark("vm: chardevs, settings, board");
        pc.assemble(image, fw.toString());
        dev.machina.util.Timing.mark("vm: assemble devices and memory");
        linux.ifPresent(l -> l.install(pc, built));
        Vm vm = new Vm(pc, settings, chardevs, clockRef[0]);
        vm.linuxCmdline = linux.filter(l -> l instanceof dev.machina.vm.boot.LinuxBoot)
                .map(l -> ((dev.machina.vm.boot.LinuxBoot) l).cmdline()).orElse(null);
        vm.monitored = !config.sections("machina-qmp").isEmpty() || !config.sections("machina-monitor").isEmpty()
                || !config.sections("mon").isEmpty();
        self[0] = vm;
        if (earlyQuit.get()) {
            vm.request(Request.QUIT);
        }
        return vm;
    }

    private static byte[] readFirmware(Path p, String where) {
        try {
            long size = Files.size(p);
            if (size > 16 << 20) {
                throw new VmException(new VmError.CannotStart(where, "firmware " + p + " has " + size
                        + " bytes; a PC BIOS image must be at most 16 MiB (a positive multiple of 64 KiB)"));
            }
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new VmException(new VmError.CannotStart(where, "cannot read firmware " + p + ": " + e.getMessage()));
        }
    }

    /**
     * QEMU's {@code info mtree} (or {@code info mtree -f} with {@code flat}) of the built machine,
     * before it runs: the memory and I/O address spaces as the board mapped them at power-on.
     */
    public String mtree(boolean flat) {
        return dev.machina.memory.Mtree.render(pc.memory(), flat);
    }

    /**
     * QEMU's {@code info qtree} of the built machine ({@link Qtree}), with what realize adds that the
     * models know: each PCI function's class, address, IDs and BARs ({@code pcibus_dev_print}) and each
     * sysbus device's MMIO windows ({@code sysbus_dev_print}). GPIO counts are not printed (the models
     * name their pins for Machina's wiring, not as QEMU's NamedGPIOLists).
     */
    public String qtree() {
        return Qtree.render(pc.built(), new Qtree.Realized() {
            @Override
            public Optional<Object> liveValue(BuiltObject d, String property) {
                if (d.isA("pcie-host-bridge") && property.equals("MCFG")) {
                    return pc.pciBus().flatMap(b -> b.mmconfigBase().isPresent() ? Optional.of((Object) b.mmconfigBase().getAsLong())
                            : Optional.empty());
                }
                return Optional.empty();
            }

            @Override
            public List<String> busInfo(BuiltObject d) {
                List<String> out = new ArrayList<>();
                pc.pciConfig(d).ifPresent(c -> {
                    int cls = c.get16(dev.machina.hw.pci.PciHeader.CLASS_DEVICE);
                    PciAddress a = d.pciAddress().orElseThrow();
                    out.add(String.format("class %s, addr %02x:%02x.%x, pci id %04x:%04x (sub %04x:%04x)", Qtree.pciClass(cls), 0,
                            a.slot(), a.function(), c.get16(0), c.get16(2), c.get16(dev.machina.hw.pci.PciHeader.SUBSYSTEM_VENDOR_ID),
                            c.get16(dev.machina.hw.pci.PciHeader.SUBSYSTEM_ID)));
                    for (dev.machina.hw.pci.PciConfigSpace.Bar b : c.bars()) {
                        out.add(String.format("bar %d: %s at 0x%x [0x%x]", b.index(), b.io() ? "i/o" : "mem", b.address(),
                                b.address() + b.size() - 1));
                    }
                });
                if (d.isA("sys-bus-device")) {
                    for (dev.machina.memory.MemoryRegion r : pc.board().mmioOf(d.path())) {
                        long at = r.container().isPresent() ? r.address() : -1;
                        out.add(String.format("mmio %016x/%016x", at, r.size()));
                    }
                }
                return out;
            }
        });
    }

    /** The 32-bit word at guest-physical {@code address} as the CPU would read it now (QEMU's {@code xp /1wx}; for tests). */
    public int readPhysical32(long address) {
        return pc.memory().memory().physical().read(address, 4);
    }

    /** Warnings to print before the machine starts (models that stand in for missing devices). */
    public List<String> warnings() {
        return pc.warnings();
    }

    /** Any thread: queues a request; the loop thread executes it at the next block boundary. */
    public void request(Request r) {
        requests.add(r);
        cpu.requestStop();
        wake();
    }

    /** Before {@link #run}: who hears of stops, resumes, resets and power-offs. */
    public void observe(Observer o) {
        this.observer = o;
    }

    /**
     * Any thread: runs {@code task} on the loop thread at the next block boundary, in order with the
     * requests (a stopped CPU still runs tasks). The future fails with {@link Ended} when the run is over
     * before the task could run, and with the task's exception when it throws.
     */
    public <T> java.util.concurrent.Future<T> submit(java.util.concurrent.Callable<T> task) {
        java.util.concurrent.FutureTask<T> f = new java.util.concurrent.FutureTask<>(task);
        requests.add(f);
        if (ended) {
            failPending(); // the loop is gone: nobody else will
        } else {
            cpu.requestStop();
            wake();
        }
        return f;
    }

    private void failPending() {
        Object o;
        while ((o = requests.poll()) != null) {
            if (o instanceof java.util.concurrent.FutureTask<?> f) {
                f.cancel(false);
            }
        }
    }

    // -- what tasks may do (loop thread only) -------------------------------------------------------

    /** Loop thread: whether the CPU runs (false after -S and {@code stop}). */
    public boolean running() {
        return running;
    }

    /** Loop thread: stops the CPU (no-op when stopped); the observer hears of it. */
    public void pause() {
        if (running) {
            running = false;
            observer.stopped();
        }
    }

    /** Loop thread: starts the CPU (no-op when it runs); the observer hears of it. */
    public void resume() {
        if (!running) {
            running = true;
            observer.resumed();
        }
    }

    /** Loop thread: QMP's {@code system_reset} now (under {@code -no-reboot}: the run ends after this task). */
    public void resetFromHost() {
        pendingEnd = reset(ShutdownCause.HOST_QMP_SYSTEM_RESET);
    }

    /** Loop thread: presses the ACPI power button; false when the machine has none (isapc). */
    public boolean pressPowerButton() {
        return pc.pressPowerButton();
    }

    /** Loop thread: the CPU's registers in QEMU's {@code info registers} layout (lines end in \n). */
    public String registerDump() {
        return RegisterDump.format(cpu);
    }

    /** The machine's object graph as it was built (any thread: it does not change). */
    public BuiltMachine built() {
        return pc.built();
    }

    private Outcome pendingEnd;

    /** A reset for {@code cause}: the machine's, or under -no-reboot the run's end; the observer hears either. */
    private Outcome reset(ShutdownCause cause) {
        if (settings.noReboot()) {
            observer.shutdown(Cause.of(cause));
            return new Outcome(End.NO_REBOOT, 0, cpu.instructions());
        }
        resets++;
        pc.reset();
        observer.reset(Cause.of(cause));
        return null;
    }

    private void wake() {
        Thread t = loopThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Times a budgeted run's halted CPU waited for a timer (each counts as an instruction of the budget). */
    private long idleWakeups;

    /** The command line of the Linux kernel {@code -kernel} boots, or null when it boots none. */
    private String linuxCmdline;

    /** The command line of the Linux kernel (a bzImage) that {@code -kernel} boots; empty for none or a multiboot kernel. */
    public java.util.Optional<String> linuxCmdline() {
        return java.util.Optional.ofNullable(linuxCmdline);
    }

    /**
     * Where the CPU halted with interrupts disabled (CS:EIP) when a run ended that way
     * ({@link End#HALTED} with status 1), else empty.
     */
    public java.util.Optional<String> haltedForGoodAt() {
        return java.util.Optional.ofNullable(deadAt);
    }

    /**
     * The first instruction the guest ran that the CPU model lacks (it took #UD), for the line that says why
     * a run stopped: a kernel built for a newer CPU entered without its own CPU check dies on one.
     */
    public java.util.Optional<dev.machina.cpu.x86.Cpu.MissingFeature> missingFeature() {
        return cpu.firstMissingFeature();
    }

    /**
     * Where the CPU halted in a bare halt loop with interrupts enabled when a run ended that way
     * ({@link End#HALTED} with status 1): it stayed there {@link #HALT_LOOP_NANOS} of guest time, each
     * interrupt's handler returning to the loop within {@link #HALT_LOOP_HANDLER_INSNS} instructions;
     * else empty.
     */
    public java.util.Optional<String> haltLoopAt() {
        return java.util.Optional.ofNullable(loopAt);
    }

    /** Tracks the bare halt loop the halted CPU is in (with IF = 1); true once it has stayed there long enough. */
    private boolean stoppedInHaltLoop() {
        if (monitored || !requests.isEmpty() || (cpu.eflags() & (1 << 9)) == 0 || !cpu.inBareHaltLoop()) {
            haltLoopLin = -1;
            return false;
        }
        long lin = (cpu.segBase(1) + (cpu.eip() & 0xFFFFFFFFL)) & 0xFFFFFFFFL; // CS is segment register 1
        long now = clock.nanos();
        boolean same = lin == haltLoopLin && cpu.instructions() - haltLoopInsns <= HALT_LOOP_HANDLER_INSNS;
        if (!same) {
            haltLoopLin = lin;
            haltLoopSince = now;
        }
        haltLoopInsns = cpu.instructions();
        return same && now - haltLoopSince >= HALT_LOOP_NANOS;
    }

    /** The run's statistics ({@code --stats}), or null. */
    private RunStats stats;

    /**
     * Before {@link #run}: collect {@code s}'s figures over the run (every chardev's output feeds its
     * console phases); {@link #run} adds the last row when it ends, and a shutdown hook when the process
     * is ended from outside first.
     */
    public void collectStats(RunStats s) {
        this.stats = s;
        for (HostChardev c : chardevs.all()) {
            c.tap = s::output;
        }
    }

    /** Before {@link #run}: the CPU's tier ({@code -accel tcg,tier=}), compiling at {@link Tier#threshold()}. */
    public void setTier(Tier t) {
        cpu.setTier(t, Tier.threshold());
    }

    /** Before {@link #run}: the CPU's tier, compiling a block on its threshold-th run (1: before its first run). */
    public void setTier(Tier t, int threshold) {
        cpu.setTier(t, threshold);
    }

    /** How many times the machine was reset since power-on. */
    public int resets() {
        return resets;
    }

    /**
     * Powers the machine on and runs it on this thread until it ends.
     *
     * @param maxInstructions stop after this many instructions (0: no limit); such a budgeted run also
     *        ends ({@link End#HALTED}) when the CPU is halted and nothing can wake it (no timer armed, no
     *        input, no request), since the budget would then never run out; each wait of a halted
     *        CPU for a timer counts as one instruction of the budget (a CPU with interrupts off that a
     *        periodic timer keeps waking would never use it up otherwise), and so does each fault delivered
     *        (a guest whose handlers fault for ever retires nothing)
     */
    public Outcome run(long maxInstructions) {
        loopThread = Thread.currentThread();
        idleWakeups = 0;
        pc.reset();
        running = !settings.startStopped();
        dev.machina.util.Timing.mark("vm: power-on reset");
        long hostStart = System.nanoTime();
        long virtualStart = clock.nanos();
        long insnStart = cpu.instructions();
        long cpuStart = stats != null ? RunStats.processCpuNanos() : 0;
        long intStart = cpu.interruptsTaken();
        long compiledStart = cpu.compiledBlocks();
        if (stats != null) {
            RunStats st = stats;
            st.attach(phase -> new RunStats.Snapshot(phase, cpu.instructions() - insnStart, clock.nanos() - virtualStart,
                    System.nanoTime() - hostStart, RunStats.processCpuNanos() - cpuStart, idleWait.parkedNanos(), idleWait.skippedNanos(),
                    idleWait.jumps(), cpu.interruptsTaken() - intStart, cpu.compiledBlocks() - compiledStart));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (!ended) {
                    st.end("ended from outside");
                    st.print(System.err);
                }
            }));
        }
        if (dev.machina.util.Timing.on()) {
            // a run ended from outside (timeout, Ctrl-C) still says how far the guest got
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (!ended) {
                    System.err.printf("machina timing: ended from outside after %.1f s: %d instructions retired, virtual clock %.1f ms%n",
                            (System.nanoTime() - hostStart) / 1e9, cpu.instructions() - insnStart, (clock.nanos() - virtualStart) / 1e6);
                }
            }));
        }
        try {
            while (true) {
                Outcome o = handleRequests();
                if (o != null) {
                    return o;
                }
                if (!running) {
                    LockSupport.parkNanos(MAX_SLEEP_NANOS);
                    continue;
                }
                for (HostChardev c : chardevs.all()) {
                    c.deliver();
                }
                long budget = clock.instructionsUntil(timers.nextDeadline(), SLICE);
                if (maxInstructions > 0) {
                    long left = maxInstructions - cpu.budgetSpent() - idleWakeups; // faults count: see Cpu.faults
                    if (left <= 0) {
                        return new Outcome(End.LIMIT, 0, cpu.instructions());
                    }
                    budget = Math.min(budget, left);
                }
                Cpu.Stop stop = cpu.run(budget);
                if (stats != null) {
                    stats.hostTime(System.nanoTime() - hostStart); // the "first second" row (warm-up)
                }
                pc.interrupts().serviceInit(); // an INIT IPI the local APIC took (intc)
                timers.runDue();
                if (exitStatus != null) {
                    return new Outcome(End.EXIT, exitStatus, cpu.instructions());
                }
                if (stop == Cpu.Stop.SHUTDOWN && resetRequested == null) {
                    resetRequested = ShutdownCause.GUEST_RESET; // triple fault
                }
                if (resetRequested != null) {
                    ShutdownCause cause = resetRequested;
                    resetRequested = null;
                    Outcome end = reset(cause);
                    if (end != null) {
                        return end;
                    }
                    continue;
                }
                if (shutdownRequested != null) {
                    observer.shutdown(Cause.of(shutdownRequested));
                    shutdownRequested = null;
                    if (!settings.noShutdown()) {
                        return new Outcome(End.SHUTDOWN, 0, cpu.instructions());
                    }
                    pause();
                    continue;
                }
                if (stop == Cpu.Stop.HALTED) {
                    if ((cpu.eflags() & (1 << 9)) == 0 && !monitored && requests.isEmpty()) {
                        // HLT with IF = 0: only an NMI, SMI, INIT or reset wakes the CPU (SDM Vol. 2A HLT), and no
                        // device of this machine sends one by itself: the guest has stopped for good (a kernel
                        // that gave up: Linux's early panic and halt loops). QEMU would wait for ever; we end with 1.
                        deadAt = String.format("%04X:%08X", cpu.segSelector(1), cpu.eip()); // CS is segment register 1, IF bit 9
                        return new Outcome(End.HALTED, 1, cpu.instructions());
                    }
                    if (stoppedInHaltLoop()) {
                        // IF = 1, but the CPU has sat for HALT_LOOP_NANOS of guest time in a loop of HLT and a jump back,
                        // and every interrupt returned to it soon: a program that gave up (Linux's 16-bit setup refusing
                        // the CPU, a boot sector's "hlt; jmp $"), in the firmware's handlers only. QEMU would wait for ever.
                        loopAt = String.format("%04X:%08X", cpu.segSelector(1), cpu.eip());
                        return new Outcome(End.HALTED, 1, cpu.instructions());
                    }
                    if (maxInstructions > 0 && timers.nextDeadline() == Long.MAX_VALUE && !hasInput() && requests.isEmpty()) {
                        // a budgeted run (tests): halted with no timer armed and no input, nothing in the
                        // machine can wake the CPU, so the budget would never run out
                        return new Outcome(End.HALTED, 0, cpu.instructions());
                    }
                    if (maxInstructions > 0) {
                        idleWakeups++; // a CPU that timers wake without it ever running (IF=0) still uses the budget up
                    }
                    idleWait.step(hasInput() || !requests.isEmpty());
                }
            }
        } finally {
            ended = true;
            failPending();
            chardevs.flushAll();
            loopThread = null;
            if (stats != null) {
                stats.end("end of the run");
            }
            if (dev.machina.util.Timing.on()) {
                long host = System.nanoTime() - hostStart;
                long insns = cpu.instructions() - insnStart;
                dev.machina.util.Timing.mark("guest run");
                dev.machina.util.Timing.note(String.format("guest: %d instructions retired, %.1f ms of it waiting (halted, sleep=on),"
                        + " %.1f MIPS of the time not waiting; virtual clock %.1f ms", insns, idleWait.parkedNanos() / 1e6,
                        insns / Math.max(1.0, (host - idleWait.parkedNanos()) / 1e3), (clock.nanos() - virtualStart) / 1e6));
            }
        }
    }

    private boolean hasInput() {
        for (HostChardev c : chardevs.all()) {
            if (c.hasInput()) {
                return true;
            }
        }
        return false;
    }

    private Outcome handleRequests() {
        Object o;
        while ((o = requests.poll()) != null) {
            if (o instanceof java.util.concurrent.FutureTask<?> task) {
                task.run();
                if (pendingEnd != null) {
                    return pendingEnd;
                }
                continue;
            }
            switch ((Request) o) {
                case STOP -> pause();
                case CONT -> resume();
                case RESET -> {
                    Outcome end = reset(ShutdownCause.HOST_QMP_SYSTEM_RESET);
                    if (end != null) {
                        return end;
                    }
                }
                case QUIT -> {
                    return new Outcome(End.QUIT, 0, cpu.instructions());
                }
            }
        }
        return null;
    }
}
