package dev.machina.hw.core;

/**
 * Why a machine resets or stops (QEMU's {@code ShutdownCause}, qapi/run-state.json); the text is
 * what QMP's SHUTDOWN and RESET events carry in {@code reason}, and {@link #guest()} their
 * {@code guest} member.
 */
public enum ShutdownCause {
    /** The host asked over QMP ({@code quit}). */
    HOST_QMP_QUIT("host-qmp-quit", false),
    /** The host asked over QMP ({@code system_reset}). */
    HOST_QMP_SYSTEM_RESET("host-qmp-system-reset", false),
    /** A signal or the console's Ctrl-A x. */
    HOST_SIGNAL("host-signal", false),
    HOST_UI("host-ui", false),
    /** The guest powered off (ACPI S5) or wrote to isa-debug-exit. */
    GUEST_SHUTDOWN("guest-shutdown", true),
    /** The guest reset the machine (triple fault, 0xCF9, i8042 pulse, port 92 bit 0). */
    GUEST_RESET("guest-reset", true),
    GUEST_PANIC("guest-panic", true),
    SUBSYSTEM_RESET("subsystem-reset", false);

    private final String qapiName;
    private final boolean guest;

    ShutdownCause(String qapiName, boolean guest) {
        this.qapiName = qapiName;
        this.guest = guest;
    }

    /** QEMU's name, e.g. {@code guest-reset}. */
    public String qapiName() {
        return qapiName;
    }

    /** Whether the guest caused it (QMP's {@code guest: true}). */
    public boolean guest() {
        return guest;
    }
}
