package dev.machina.hw;

import dev.machina.hw.core.Clock;
import dev.machina.hw.core.Timer;
import dev.machina.hw.core.Timers;
import java.util.ArrayList;
import java.util.List;

/**
 * A clock the test advances by hand and the timers on it: {@link #advance} moves time forward,
 * firing every timer that falls due in deadline order, each at its own deadline (the clock reads
 * the deadline while its callback runs), as the run loop does between instructions.
 */
public final class FakeTimers implements Timers {
    private long now;
    private final List<FakeTimer> timers = new ArrayList<>();
    /** How many callbacks ran; a guard against a timer re-arming itself for the same instant forever. */
    private long fired;

    private final class FakeTimer implements Timer {
        final String name;
        final Runnable onExpire;
        boolean armed;
        long deadline;

        FakeTimer(String name, Runnable onExpire) {
            this.name = name;
            this.onExpire = onExpire;
        }

        @Override
        public void armAt(long deadlineNanos) {
            armed = true;
            deadline = deadlineNanos;
        }

        @Override
        public void cancel() {
            armed = false;
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
            return name + (armed ? " @" + deadline : " (idle)");
        }
    }

    public FakeTimers() {
        this(0);
    }

    public FakeTimers(long start) {
        this.now = start;
    }

    @Override
    public Clock clock() {
        return () -> now;
    }

    public long now() {
        return now;
    }

    @Override
    public Timer newTimer(String name, Runnable onExpire) {
        FakeTimer t = new FakeTimer(name, onExpire);
        timers.add(t);
        return t;
    }

    /** Advances the clock by {@code nanos}, firing due timers in order. */
    public void advance(long nanos) {
        advanceTo(now + nanos);
    }

    public void advanceTo(long target) {
        while (true) {
            FakeTimer next = null;
            for (FakeTimer t : timers) {
                if (t.armed && t.deadline <= target && (next == null || t.deadline < next.deadline)) {
                    next = t;
                }
            }
            if (next == null) {
                break;
            }
            if (++fired > 50_000_000) {
                throw new IllegalStateException("timer storm: " + next);
            }
            now = Math.max(now, next.deadline);
            next.armed = false;
            next.onExpire.run();
        }
        now = Math.max(now, target);
    }

    /** The earliest armed deadline, or {@code Long.MAX_VALUE}. */
    public long nextDeadline() {
        long d = Long.MAX_VALUE;
        for (FakeTimer t : timers) {
            if (t.armed) {
                d = Math.min(d, t.deadline);
            }
        }
        return d;
    }

    public long fired() {
        return fired;
    }
}
