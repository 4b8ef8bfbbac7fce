package dev.machina.hw.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The machine's timers on one clock (QEMU's {@code QEMUTimerList} on {@code QEMU_CLOCK_VIRTUAL}).
 * Its owner (the run loop, or a test) asks {@link #nextDeadline()} to know how far the guest may
 * run, and calls {@link #runDue()} after the clock moved: due timers fire in deadline order (in
 * creation order for equal deadlines), so a run is repeatable. A callback may re-arm its timer or
 * arm others; a timer armed for a time already past fires in the same {@code runDue}, up to
 * {@link #MAX_FIRINGS} firings per call (a guest programming a zero period cannot stall the loop).
 */
public final class TimerQueue implements Timers {
    /** Most callbacks one {@link #runDue()} makes; the rest wait for the next call. */
    public static final int MAX_FIRINGS = 10_000;

    private final Clock clock;
    private final List<Entry> timers = new ArrayList<>();
    private long next = Long.MAX_VALUE;
    private boolean nextKnown = true;

    public TimerQueue(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Timer newTimer(String name, Runnable onExpire) {
        Entry e = new Entry(name, onExpire);
        timers.add(e);
        return e;
    }

    /** The earliest armed deadline, or {@link Long#MAX_VALUE} when no timer is armed. */
    public long nextDeadline() {
        if (!nextKnown) {
            long n = Long.MAX_VALUE;
            for (Entry e : timers) {
                if (e.armed && e.deadline < n) {
                    n = e.deadline;
                }
            }
            next = n;
            nextKnown = true;
        }
        return next;
    }

    /** Fires the timers due at the clock's current time; returns how many fired. */
    public int runDue() {
        int fired = 0;
        while (fired < MAX_FIRINGS) {
            long now = clock.nanos();
            if (nextDeadline() > now) {
                break;
            }
            Entry due = null;
            for (Entry e : timers) {
                if (e.armed && e.deadline <= now && (due == null || e.deadline < due.deadline)) {
                    due = e;
                }
            }
            if (due == null) {
                break;
            }
            due.armed = false;
            nextKnown = false;
            fired++;
            due.onExpire.run();
        }
        return fired;
    }

    /** Names of the armed timers with their deadlines (for diagnostics). */
    public List<String> armed() {
        List<String> out = new ArrayList<>();
        for (Entry e : timers) {
            if (e.armed) {
                out.add(e.name + "@" + e.deadline);
            }
        }
        return out;
    }

    private final class Entry implements Timer {
        private final String name;
        private final Runnable onExpire;
        private boolean armed;
        private long deadline;

        Entry(String name, Runnable onExpire) {
            this.name = name;
            this.onExpire = onExpire;
        }

        @Override
        public void armAt(long deadlineNanos) {
            armed = true;
            deadline = deadlineNanos;
            if (deadlineNanos < next) {
                next = deadlineNanos;
            } else {
                nextKnown = false;
            }
        }

        @Override
        public void cancel() {
            if (armed) {
                armed = false;
                nextKnown = false;
            }
        }

        @Override
        public boolean armed() {
            return armed;
        }

        @Override
        public long deadline() {
            return deadline;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
