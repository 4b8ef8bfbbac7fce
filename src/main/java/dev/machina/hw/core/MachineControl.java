package dev.machina.hw.core;

/**
 * What a device may ask of the machine as a whole. Requests take effect between guest instructions,
 * on the guest thread: the device's register write returns first (as QEMU's
 * {@code qemu_system_reset_request} only sets a flag the main loop acts on).
 */
public interface MachineControl {
    /** Resets the machine (or, under {@code -no-reboot}, stops it with exit status 0). */
    void requestReset(ShutdownCause cause);

    /** Powers the machine off (ACPI S5): the emulator exits 0 (under {@code -no-shutdown} it only stops). */
    void requestShutdown(ShutdownCause cause);

    /**
     * Ends the emulator at once with {@code status} (isa-debug-exit: QEMU calls {@code exit()} without
     * a SHUTDOWN event).
     */
    void requestExit(int status);

    /** Does nothing: for tests and boards without a run loop. */
    MachineControl NONE = new MachineControl() {
        @Override
        public void requestReset(ShutdownCause cause) {
        }

        @Override
        public void requestShutdown(ShutdownCause cause) {
        }

        @Override
        public void requestExit(int status) {
        }
    };
}
