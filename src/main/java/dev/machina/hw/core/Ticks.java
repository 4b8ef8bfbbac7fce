package dev.machina.hw.core;

/**
 * Conversions between the nanoseconds of a {@link Clock} and a device's own tick rate (the 8254's
 * 1.193182 MHz, the MC146818's 32.768 kHz), exact where QEMU's {@code muldiv64} is exact: the
 * result is {@code floor(a * b / c)} without the overflow of a 64-bit product, for the whole range
 * of a virtual clock (non-negative {@code a}, {@code b} and {@code c} below 2^31).
 */
public final class Ticks {
    private Ticks() {}

    /** {@code floor(a * b / c)} for {@code a >= 0}, {@code 0 < b, c < 2^31}. */
    public static long muldiv(long a, long b, long c) {
        return (a / c) * b + (a % c) * b / c;
    }

    /** Ticks of a {@code hz} clock in {@code nanos} nanoseconds (both non-negative). */
    public static long fromNanos(long nanos, long hz) {
        return muldiv(nanos, hz, 1_000_000_000L);
    }

    /** Nanoseconds of {@code ticks} ticks of a {@code hz} clock, rounded down. */
    public static long toNanos(long ticks, long hz) {
        return muldiv(ticks, 1_000_000_000L, hz);
    }
}
