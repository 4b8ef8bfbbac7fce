package dev.machina.qmp;

/**
 * The machine of {@code -machine none}: no CPU, no devices, only the run state QEMU keeps for it
 * (stop, cont and system_reset still change it and send their events, as QEMU 7.2 does).
 */
public final class NoMachine implements QmpMachine {
    private final Events events;
    private RunState state;
    private final java.util.function.Supplier<dev.machina.vm.BuiltMachine> graph;

    /** @param startPaused {@code -S}: the machine starts in {@code prelaunch} */
    public NoMachine(Events events, boolean startPaused) {
        this(events, startPaused, null);
    }

    /**
     * @param graph the dry run of {@code -machine none} (its /machine and containers), built when first
     *              asked for; null: none
     */
    public NoMachine(Events events, boolean startPaused, java.util.function.Supplier<dev.machina.vm.BuiltMachine> graph) {
        this.events = events;
        this.state = startPaused ? RunState.PRELAUNCH : RunState.RUNNING;
        this.graph = graph;
    }

    private dev.machina.vm.BuiltMachine built;

    @Override
    public synchronized java.util.Optional<dev.machina.vm.BuiltMachine> graph() {
        if (built == null && graph != null) {
            built = graph.get();
        }
        return java.util.Optional.ofNullable(built);
    }

    @Override
    public boolean realized() {
        return true; // -machine none is built at once
    }

    @Override
    public synchronized RunState runState() {
        return state;
    }

    @Override
    public synchronized void stop() {
        if (state == RunState.RUNNING) {
            state = RunState.PAUSED;
            events.emit("STOP");
        }
    }

    @Override
    public synchronized void cont() {
        if (state != RunState.RUNNING) {
            state = RunState.RUNNING;
            events.emit("RESUME");
        }
    }

    @Override
    public synchronized void systemReset() {
        events.emit("RESET", Events.cause(false, "host-qmp-system-reset"));
    }

    @Override
    public synchronized void systemPowerdown() {
        events.emit("POWERDOWN");
    }

    @Override
    public synchronized void quit() {
        events.emit("SHUTDOWN", Events.cause(false, "host-qmp-quit"));
        state = RunState.SHUTDOWN;
    }
}
