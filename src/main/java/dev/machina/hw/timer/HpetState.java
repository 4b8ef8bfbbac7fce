package dev.machina.hw.timer;

import dev.machina.hw.core.InvalidStateException;
import java.util.List;

/**
 * Snapshot of an {@link Hpet}: the general registers, the counter relation to the clock, and each
 * timer's registers; timers are re-armed from the comparators on restore.
 */
public record HpetState(int version, long config, long isr, long counter, long offset, boolean rtcLevel,
        List<TimerState> timers) {
    public static final int VERSION = 1;
    private static final String DEV = "hpet";

    public record TimerState(long config, long cmp, long period, long fsbRoute, boolean wrap) {}

    public HpetState {
        timers = List.copyOf(timers);
    }

    static HpetState of(Hpet h) {
        List<TimerState> ts = new java.util.ArrayList<>();
        for (HpetTimer t : h.timers) {
            ts.add(new TimerState(t.config, t.cmp, t.period, t.fsbRoute, t.wrap));
        }
        return new HpetState(VERSION, h.config, h.isr, h.counter, h.offset, h.rtcLevel, ts);
    }

    void validate(int count) {
        InvalidStateException.checkVersion(DEV, version, 1, VERSION);
        if (timers.size() != count) {
            throw new InvalidStateException(DEV, "timers", timers.size() + " timers, this HPET has " + count);
        }
        if ((config & ~Hpet.CFG_WRITE_MASK) != 0) {
            throw new InvalidStateException(DEV, "config", String.format("0x%x has bits other than ENABLE_CNF and LEG_RT_CNF", config));
        }
        if ((isr >>> count) != 0) {
            throw new InvalidStateException(DEV, "isr", String.format("0x%x has bits for timers this HPET lacks", isr));
        }
    }

    void applyTo(Hpet h) {
        h.config = config;
        h.isr = isr;
        h.counter = counter;
        h.offset = offset;
        h.rtcLevel = rtcLevel;
        for (int i = 0; i < timers.size(); i++) {
            TimerState s = timers.get(i);
            HpetTimer t = h.timers[i];
            t.config = s.config();
            t.cmp = s.cmp();
            t.period = s.period();
            t.fsbRoute = s.fsbRoute();
            t.wrap = s.wrap();
        }
    }
}
