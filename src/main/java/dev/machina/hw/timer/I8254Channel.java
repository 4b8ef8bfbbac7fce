package dev.machina.hw.timer;

import dev.machina.hw.core.Ticks;

/**
 * One counter of the 8254: its control word (mode, read/write format, BCD), the count register
 * and output latch, the counting element reconstructed from the clock (QEMU's
 * hw/timer/i8254.c computes the counter from the time of the last load rather than decrementing
 * it, and so does this model), and the OUT level. Package-private: {@link I8254} is the device.
 */
final class I8254Channel {
    /** Read/write formats of the control word's RW field (8254 data sheet). */
    static final int RW_LATCH = 0, RW_LSB = 1, RW_MSB = 2, RW_WORD0 = 3, RW_WORD1 = 4;
    /** What {@link #nextTransition} returns when OUT will not change again. */
    static final long NEVER = Long.MIN_VALUE;

    /** Ticks the counter runs for: 1..0x10000 (binary) or 1..10000 (BCD); a written 0 is the maximum. */
    int count = 0x10000;
    int latchedCount;
    /** 0 when no count is latched, else the RW state the latch is read in. */
    int countLatched;
    boolean statusLatched;
    int status;
    int readState;
    int writeState;
    int writeLatch;
    int rwMode;
    int mode;
    boolean bcd;
    boolean gate;
    long loadTime;

    void reset(long now, boolean gateHigh) {
        mode = 3;
        gate = gateHigh;
        loadTime = now;
        count = 0x10000;
        latchedCount = 0;
        countLatched = 0;
        statusLatched = false;
        status = 0;
        readState = 0;
        writeState = 0;
        writeLatch = 0;
        rwMode = 0;
        bcd = false;
    }

    /** Input-clock ticks since the count was loaded (or the gate restarted it). */
    long elapsed(long now) {
        return now <= loadTime ? 0 : Ticks.fromNanos(now - loadTime, I8254.FREQUENCY_HZ);
    }

    /** The counting element's value as the guest reads it (BCD-encoded in BCD mode). */
    int counter(long now) {
        long d = elapsed(now);
        long value = switch (mode) {
            case 0, 1, 4, 5 -> Math.floorMod(count - d, (long) wrap());
            case 3, 7 -> count - (2 * d) % count;
            default -> count - d % count;
        };
        return encode((int) value);
    }

    /** OUT at {@code now}, as QEMU 7.2's pit_get_out computes it (mode 2 pulses high at the reload). */
    boolean out(long now) {
        long d = elapsed(now);
        return switch (mode) {
            case 1 -> d < count;
            case 2, 6 -> d % count == 0 && d != 0;
            case 3, 7 -> d % count < ((count + 1) >> 1);
            case 4, 5 -> d == count;
            default -> d >= count;
        };
    }

    /**
     * The next time after {@code now} at which OUT changes, in nanoseconds, or {@link #NEVER}
     * when it never will: QEMU's pit_get_next_transition_time, rounding included. QEMU rounds the
     * time down, so the timer usually fires in the last nanosecond before the tick and reads the
     * previous one; its mode 2 pulse depends on that, so this model keeps the rounding.
     */
    long nextTransition(long now) {
        long d = elapsed(now);
        long next;
        switch (mode) {
            case 2, 6 -> {
                long base = d / count * count;
                next = d - base == 0 && d != 0 ? base + count : base + count + 1;
            }
            case 3, 7 -> {
                long base = d / count * count;
                long half = (count + 1) >> 1;
                next = d - base < half ? base + half : base + count;
            }
            case 4, 5 -> {
                if (d < count) {
                    next = count;
                } else if (d == count) {
                    next = count + 1;
                } else {
                    return NEVER;
                }
            }
            default -> {
                if (d >= count) {
                    return NEVER;
                }
                next = count;
            }
        }
        long t = loadTime + Ticks.toNanos(next, I8254.FREQUENCY_HZ);
        return t <= now ? now + 1 : t;
    }

    /** Loads the count register (a written 0 means the maximum) and restarts counting. */
    void load(int value, long now) {
        int v = decode(value & 0xFFFF);
        count = v == 0 ? wrap() : v;
        loadTime = now;
    }

    void latchCount(long now) {
        if (countLatched == 0) {
            latchedCount = counter(now);
            countLatched = rwMode;
        }
    }

    void latchStatus(long now) {
        if (!statusLatched) {
            // QEMU 7.2 reports NULL COUNT (bit 6) as 0
            status = (out(now) ? 0x80 : 0) | (rwMode << 4) | (mode << 1) | (bcd ? 1 : 0);
            statusLatched = true;
        }
    }

    /** The modulus of the counter: 0x10000 in binary, 10000 in BCD. */
    private int wrap() {
        return bcd ? 10000 : 0x10000;
    }

    private int encode(int v) {
        if (!bcd) {
            return v & 0xFFFF;
        }
        int n = v % 10000;
        return (n / 1000) << 12 | (n / 100 % 10) << 8 | (n / 10 % 10) << 4 | n % 10;
    }

    /** A BCD count register as a number; nibbles above 9 count as their value (the 8254 leaves them undefined). */
    private int decode(int v) {
        if (!bcd) {
            return v;
        }
        return ((v >> 12) & 15) * 1000 + ((v >> 8) & 15) * 100 + ((v >> 4) & 15) * 10 + (v & 15);
    }
}
