package dev.machina.hw.rtc;

import dev.machina.hw.core.InvalidStateException;
import java.util.HexFormat;

/**
 * Snapshot of an {@link Mc146818}: the 128 CMOS bytes (as hex, so the record compares by value),
 * the index, the clock relation (base seconds, last update, phase offset) and the timers'
 * deadlines. Times are on the machine's clock.
 */
public record Mc146818State(int version, String cmos, int index, boolean nmiDisabled, long baseRtc, long lastUpdate,
        long offset, long nextPeriodicTime, int period, long nextAlarmTime) {
    public static final int VERSION = 1;
    private static final String DEV = "mc146818rtc";

    static Mc146818State of(Mc146818 rtc) {
        return new Mc146818State(VERSION, HexFormat.of().formatHex(rtc.cmos), rtc.index, rtc.nmiDisabled, rtc.baseRtc,
                rtc.lastUpdate, rtc.offset, rtc.nextPeriodicTime, rtc.period, rtc.nextAlarmTime);
    }

    void validate() {
        InvalidStateException.checkVersion(DEV, version, 1, VERSION);
        if (cmos == null || cmos.length() != 256 || !cmos.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw new InvalidStateException(DEV, "cmos", "must be 128 bytes as 256 hex digits");
        }
        InvalidStateException.checkRange(DEV, "index", index, 0, 0x7F);
        InvalidStateException.checkRange(DEV, "offset", offset, 0, Mc146818.NS - 1);
        if (period != 0 && Integer.bitCount(period) != 1 || period < 0 || period > 1 << 14) {
            throw new InvalidStateException(DEV, "period", period + " is not a periodic rate (0 or 2^n cycles, n <= 14)");
        }
    }

    void applyTo(Mc146818 rtc) {
        byte[] bytes = HexFormat.of().parseHex(cmos);
        System.arraycopy(bytes, 0, rtc.cmos, 0, 128);
        rtc.index = index;
        rtc.nmiDisabled = nmiDisabled;
        rtc.baseRtc = baseRtc;
        rtc.lastUpdate = lastUpdate;
        rtc.offset = offset;
        rtc.nextPeriodicTime = nextPeriodicTime;
        rtc.period = period;
        rtc.nextAlarmTime = nextAlarmTime;
    }
}
