package dev.machina.vm;

import dev.machina.hw.core.TimerQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * What a halted CPU does until its next timer deadline: with {@code -icount sleep=off} the virtual
 * clock jumps to the deadline at once; with {@code sleep=on} (the default) the host first waits the
 * virtual time left to the deadline, counted from when the wait starts, and the clock then moves on by
 * the host time waited (to the deadline at most), as QEMU 7.2 does with a fixed {@code -icount shift}
 * (softmmu/icount.c: {@code icount_start_warp_timer} arms a QEMU_CLOCK_VIRTUAL_RT timer at now +
 * deadline, {@code icount_warp_rt} adds the real time that passed since the warp began).
 *
 * <p>A guest that ran ahead of host time (its instructions retired faster than 2^shift ns each) keeps
 * that lead: an idle CPU never waits for host time to catch up with the virtual clock. Waiting it out
 * is QEMU's {@code -icount align=on}, not its default, and it made every Linux boot on the compiled
 * tier end with the guest's whole lead slept away at the last halt (9 s of a 26 s boot, session 12).
 *
 * <p>Input or a request that arrives during a wait ends it early: the clock then moves on by the host
 * time waited only, so the guest sees the input when it came. The host's time and sleep are a
 * {@link HostTime}, so tests drive the wait with a clock of their own.
 */
final class IdleWait {
    /** The host's monotonic time and a sleep that other threads may end early. */
    interface HostTime {
        long nanoTime();

        void park(long nanos);

        HostTime SYSTEM = new HostTime() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void park(long nanos) {
                LockSupport.parkNanos(nanos);
            }
        };
    }

    private final HostTime host;
    private final VirtualClock clock;
    private final TimerQueue timers;
    private final boolean sleep;
    private final long maxSleepNanos;
    /** Host time spent waiting; guest time the clock skipped while the CPU was halted; jumps that reached a deadline. */
    private long parkedNanos, skippedNanos, jumps;

    /**
     * @param sleep         {@code -icount sleep=on}: wait on the host
     * @param maxSleepNanos longest single wait before the run loop looks at input and requests again
     */
    IdleWait(HostTime host, VirtualClock clock, TimerQueue timers, boolean sleep, long maxSleepNanos) {
        this.host = host;
        this.clock = clock;
        this.timers = timers;
        this.sleep = sleep;
        this.maxSleepNanos = maxSleepNanos;
    }

    /**
     * One step of a halted CPU's wait: waits (sleep=on) at most the longest single wait, moves the clock
     * on and runs the timers that are due.
     *
     * @param pending whether host input or a request waits: then nothing is waited (the loop takes it first)
     */
    void step(boolean pending) {
        long deadline = timers.nextDeadline();
        if (deadline == Long.MAX_VALUE) {
            // nothing but host input or a request can wake the CPU
            if (!pending) {
                park(maxSleepNanos);
            }
            return;
        }
        long now = clock.nanos();
        long target = deadline;
        if (sleep && deadline > now) {
            if (pending) {
                return;
            }
            long left = deadline - now;
            long waited = park(Math.min(left, maxSleepNanos));
            if (waited < left) {
                target = now + waited; // woken early, or the longest single wait: the clock follows the host
            }
        }
        long before = clock.nanos();
        clock.advanceTo(target);
        long after = clock.nanos();
        skippedNanos += after - before;
        if (after > before && target == deadline) {
            jumps++;
        }
        timers.runDue();
    }

    private long park(long nanos) {
        long t = host.nanoTime();
        host.park(nanos);
        long waited = Math.max(0, host.nanoTime() - t);
        parkedNanos += waited;
        return waited;
    }

    /** Host time spent waiting so far. */
    long parkedNanos() {
        return parkedNanos;
    }

    /** Guest time the clock moved on while the CPU was halted. */
    long skippedNanos() {
        return skippedNanos;
    }

    /** How many of those moves reached a timer deadline. */
    long jumps() {
        return jumps;
    }
}
