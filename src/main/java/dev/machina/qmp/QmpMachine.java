package dev.machina.qmp;

/**
 * What the QMP server needs of the machine it controls. A QMP thread calls these; the implementation
 * hands each request to the machine's own thread (the run loop) and returns when it has taken effect,
 * and reports state changes as events through the {@link Events} it was given (STOP, RESUME, RESET,
 * SHUTDOWN, POWERDOWN), as QEMU's main loop does. {@link NoMachine} is the one for {@code -machine none}.
 */
public interface QmpMachine {
    /** QEMU's run states (qapi/run-state.json RunState), as {@code query-status} reports them. */
    enum RunState {
        PRELAUNCH("prelaunch"), RUNNING("running"), PAUSED("paused"), SHUTDOWN("shutdown"),
        INTERNAL_ERROR("internal-error"), GUEST_PANICKED("guest-panicked");

        private final String qapi;

        RunState(String qapi) {
            this.qapi = qapi;
        }

        public String qapi() {
            return qapi;
        }
    }

    RunState runState();

    /** {@code stop}: pauses the CPUs; a STOP event when they were running. */
    void stop();

    /** {@code cont}: resumes (or first starts, after {@code -S}) the CPUs; a RESUME event. */
    void cont();

    /** {@code system_reset}: a RESET event ({@code host-qmp-system-reset}), then the machine resets. */
    void systemReset();

    /** {@code system_powerdown}: a POWERDOWN event and an ACPI power-button press for the guest. */
    void systemPowerdown();

    /** {@code quit}: the SHUTDOWN event ({@code host-qmp-quit}); the emulator then exits 0. */
    void quit();

    /** {@code query-cpus-fast}: one entry per CPU; none without CPUs ({@code -machine none}). */
    default com.fasterxml.jackson.databind.node.ArrayNode cpusFast() {
        return QmpJson.NODES.arrayNode();
    }

    /** The object graph qom-list/qom-get/qom-set answer from, if the machine has one. */
    default java.util.Optional<dev.machina.vm.BuiltMachine> graph() {
        return java.util.Optional.empty();
    }

    /** Whether the graph's devices are realized (a machine that was built and runs). */
    default boolean realized() {
        return false;
    }

    /** Runs {@code task} where the machine's state may be read and changed (a running VM's loop thread). */
    default <T> T run(java.util.function.Supplier<T> task) {
        synchronized (this) {
            return task.get();
        }
    }

    /** HMP {@code info qtree}: the device tree in QEMU 7.2's format; a machine without devices has only the main system bus. */
    default String infoQtree() {
        return "bus: main-system-bus\n  type System\n";
    }

    /** HMP {@code info mtree [-f]}: the address spaces and memory regions in QEMU 7.2's format. */
    default String infoMtree(boolean flat) {
        return "";
    }

    /** HMP {@code info registers}: the CPUs' state in QEMU's format; empty without CPUs. */
    default String infoRegisters() {
        return "";
    }
}
