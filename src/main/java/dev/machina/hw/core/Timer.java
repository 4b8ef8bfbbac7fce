package dev.machina.hw.core;

/**
 * A one-shot timer owned by a device model (QEMU's {@code QEMUTimer}): armed for a deadline on the
 * machine's {@link Clock}, it calls its callback once when the clock reaches the deadline, on the
 * guest thread, between instructions. Re-arming replaces the previous deadline; a periodic device
 * re-arms from its callback. Obtained from {@link Timers}.
 */
public interface Timer {
    /** Fires at {@code deadlineNanos} (at once, on the next check, if that is already past). */
    void armAt(long deadlineNanos);

    /** Does not fire until armed again. */
    void cancel();

    boolean armed();

    /** The deadline it is armed for; meaningful only while {@link #armed()}. */
    long deadline();
}
