package dev.machina.hw.timer;

import dev.machina.hw.core.Timer;

/**
 * One comparator of the {@link Hpet} (QEMU's HPETTimer): configuration, comparator, period, FSB
 * route, and the machine timer that fires when the main counter reaches the comparator.
 */
final class HpetTimer {
    final Hpet hpet;
    final int index;
    Timer qemuTimer;
    long config;
    long cmp;
    long period;
    long fsbRoute;
    /** A 32-bit one-shot timer armed for the counter's wrap before its comparator. */
    boolean wrap;

    HpetTimer(Hpet hpet, int index) {
        this.hpet = hpet;
        this.index = index;
    }

    private boolean periodic() {
        return (config & Hpet.TN_PERIODIC) != 0;
    }

    private boolean mode32() {
        return (config & Hpet.TN_32BIT) != 0;
    }

    int read(int reg) {
        return switch (reg) {
            case 0x00 -> (int) config;
            case 0x04 -> (int) (config >>> 32);
            case 0x08 -> (int) cmp;
            case 0x0C -> (int) (cmp >>> 32);
            case 0x10 -> (int) fsbRoute;
            case 0x14 -> (int) (fsbRoute >>> 32);
            default -> 0;
        };
    }

    void write(int reg, long newVal) {
        long old = config & 0xFFFFFFFFL;
        switch (reg) {
            case 0x00 -> {
                if (Hpet.turnsOn(old, newVal, Hpet.TN_FSB_ENABLE)) {
                    updateIrq(false);
                }
                long val = (newVal & Hpet.TN_CFG_WRITE_MASK) | (old & ~Hpet.TN_CFG_WRITE_MASK);
                config = (config & 0xFFFFFFFF00000000L) | val;
                if ((newVal & Hpet.TN_32BIT) != 0) {
                    cmp = cmp & 0xFFFFFFFFL;
                    period = period & 0xFFFFFFFFL;
                }
                if (Hpet.turnsOn(old, newVal, Hpet.TN_ENABLE) && hpet.enabled()) {
                    set();
                } else if (Hpet.turnsOff(old, newVal, Hpet.TN_ENABLE)) {
                    stop();
                }
            }
            case 0x08 -> {
                long v = mode32() ? newVal & 0xFFFFFFFFL : newVal;
                if (!periodic() || (config & Hpet.TN_SETVAL) != 0) {
                    cmp = (cmp & 0xFFFFFFFF00000000L) | v;
                }
                if (periodic()) {
                    if (mode32()) {
                        v = Math.min(v, 0x7FFFFFFFL); // QEMU clamps a 32-bit period
                    }
                    period = (period & 0xFFFFFFFF00000000L) | v;
                }
                config &= ~Hpet.TN_SETVAL;
                if (hpet.enabled()) {
                    set();
                }
            }
            case 0x0C -> {
                if (!periodic() || (config & Hpet.TN_SETVAL) != 0) {
                    cmp = (cmp & 0xFFFFFFFFL) | newVal << 32;
                } else {
                    period = (period & 0xFFFFFFFFL) | Math.min(newVal, 0x7FFFFFFFL) << 32;
                }
                config &= ~Hpet.TN_SETVAL;
                if (hpet.enabled()) {
                    set();
                }
            }
            case 0x10 -> fsbRoute = (fsbRoute & 0xFFFFFFFF00000000L) | newVal;
            case 0x14 -> fsbRoute = (fsbRoute & 0xFFFFFFFFL) | newVal << 32;
            default -> {
                // 0x04: the route capabilities are read-only
            }
        }
    }

    /** Ticks from {@code current} to the comparator, at least 1 (QEMU's hpet_calculate_diff). */
    private long diff(long current) {
        if (mode32()) {
            int d = (int) cmp - (int) current;
            return d > 0 ? d : 1;
        }
        long d = cmp - current;
        return d > 0 ? d : 1;
    }

    /** QEMU's hpet_set_timer: armed for the comparator (or a 32-bit one-shot's wrap, if sooner). */
    void set() {
        long cur = hpet.ticks();
        wrap = false;
        long d = diff(cur);
        if (mode32() && !periodic()) {
            long wrapDiff = 0xFFFFFFFFL - (cur & 0xFFFFFFFFL);
            if (wrapDiff < (d & 0xFFFFFFFFL)) {
                d = wrapDiff;
                wrap = true;
            }
        }
        arm(d);
    }

    private void arm(long ticks) {
        long ns = ticks > Long.MAX_VALUE / Hpet.TICK_NS ? Long.MAX_VALUE / 2 : ticks * Hpet.TICK_NS;
        long now = hpet.nanos();
        qemuTimer.armAt(ns > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ns);
    }

    /** QEMU's hpet_del_timer: not armed, and its interrupt withdrawn (its route lowered). */
    void stop() {
        qemuTimer.cancel();
        updateIrq(false);
    }

    /** After a snapshot: armed again as the running counter says. */
    void rearm() {
        qemuTimer.cancel();
        if (hpet.enabled() && cmp != -1L) {
            set();
        }
    }

    /** QEMU's hpet_timer: reload a periodic comparator, re-arm, interrupt. */
    void expire() {
        long cur = hpet.ticks();
        if (periodic() && period != 0) {
            // QEMU adds the period until the comparator is past the counter; computed in one step
            // here, so a tiny period after a long halt cannot stall the machine. QEMU's timers fire
            // late, so it always finds the counter past the comparator; this clock fires on time,
            // with the counter at the comparator, which counts as passed (else it would interrupt
            // twice per period, a tick apart).
            if (mode32()) {
                if ((int) (cmp - cur) <= 0) {
                    long behind = (cur - cmp) & 0xFFFFFFFFL;
                    long p = period & 0xFFFFFFFFL;
                    if (p != 0) { // a period with only high bits would never move it (QEMU loops forever)
                        cmp = (cmp + (Long.divideUnsigned(behind, p) + 1) * p) & 0xFFFFFFFFL;
                    }
                }
            } else if (cmp - cur <= 0) {
                long behind = cur - cmp;
                cmp += (Long.divideUnsigned(behind, period) + 1) * period;
            }
            arm(diff(cur));
        } else if (mode32() && !periodic() && wrap) {
            arm(diff(cur));
            wrap = false;
        }
        updateIrq(true);
    }

    /** QEMU's update_irq: raise, pulse or lower the timer's route, or send its FSB message. */
    void updateIrq(boolean set) {
        int route = index <= 1 && hpet.legacy() ? (index == 0 ? 0 : Hpet.RTC_ISA_IRQ) : (int) (config >> 9) & 0x1F;
        long mask = 1L << index;
        boolean fsb = (config & Hpet.TN_FSB_ENABLE) != 0;
        if (!set || (config & Hpet.TN_ENABLE) == 0 || !hpet.enabled()) {
            hpet.isr &= ~mask;
            if (!fsb) {
                hpet.route(route).lower();
            }
        } else if (fsb) {
            hpet.fsbWrite(fsbRoute >>> 32, (int) fsbRoute);
        } else if ((config & Hpet.TN_LEVEL) != 0) {
            hpet.isr |= mask;
            hpet.route(route).raise();
        } else {
            hpet.isr &= ~mask;
            hpet.route(route).pulse();
        }
    }
}
