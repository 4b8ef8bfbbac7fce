package dev.machina.vm;

import dev.machina.hw.core.Clock;
import java.util.function.LongSupplier;

/**
 * The machine's virtual clock: nanoseconds from retired instructions at a fixed rate of
 * {@code 2^shift} ns per instruction (QEMU's {@code -icount shift=N}), plus the time a halted CPU
 * skipped to the next timer deadline ({@link #advanceTo}). Deterministic: the same guest sees the
 * same times on any host, busy or not.
 *
 * <p>The default shift is {@link #DEFAULT_SHIFT} (4 ns per instruction, a 250 MHz CPU): what this
 * core retires per second on a typical host is of that order, so virtual time roughly follows
 * host time for a busy guest.
 */
public final class VirtualClock implements Clock {
    public static final int DEFAULT_SHIFT = 2;
    public static final int MAX_SHIFT = 10;

    private final LongSupplier instructions;
    private final int shift;
    private long skipped;
    private long last;

    public VirtualClock(LongSupplier instructions, int shift) {
        if (shift < 0 || shift > MAX_SHIFT) {
            throw new IllegalArgumentException("icount shift must be 0.." + MAX_SHIFT + ", not " + shift);
        }
        this.instructions = instructions;
        this.shift = shift;
    }

    @Override
    public long nanos() {
        long n = (instructions.getAsLong() << shift) + skipped;
        // a faulting instruction rolls the count back to its own start: the clock never does
        if (n < last) {
            return last;
        }
        last = n;
        return n;
    }

    /** Nanoseconds per instruction. */
    public long nanosPerInstruction() {
        return 1L << shift;
    }

    /** Instructions until {@code deadline} (at least 1), capped at {@code max}. */
    public long instructionsUntil(long deadline, long max) {
        long now = nanos();
        if (deadline <= now) {
            return 1;
        }
        long d = deadline - now;
        long n = (d + (1L << shift) - 1) >>> shift;
        return Math.max(1, Math.min(n, max));
    }

    /** A halted CPU: time jumps forward to {@code deadline} (never back). */
    public void advanceTo(long deadline) {
        long now = nanos();
        if (deadline > now) {
            skipped += deadline - now;
            last = deadline;
        }
    }
}
