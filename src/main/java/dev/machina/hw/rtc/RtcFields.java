package dev.machina.hw.rtc;

import static dev.machina.hw.rtc.Mc146818.B_24H;
import static dev.machina.hw.rtc.Mc146818.B_DM;
import static dev.machina.hw.rtc.Mc146818.CENTURY;
import static dev.machina.hw.rtc.Mc146818.DAY_OF_MONTH;
import static dev.machina.hw.rtc.Mc146818.DAY_OF_WEEK;
import static dev.machina.hw.rtc.Mc146818.HOURS;
import static dev.machina.hw.rtc.Mc146818.HOURS_ALARM;
import static dev.machina.hw.rtc.Mc146818.MINUTES;
import static dev.machina.hw.rtc.Mc146818.MINUTES_ALARM;
import static dev.machina.hw.rtc.Mc146818.MONTH;
import static dev.machina.hw.rtc.Mc146818.NO_ALARM;
import static dev.machina.hw.rtc.Mc146818.REG_B;
import static dev.machina.hw.rtc.Mc146818.SECONDS;
import static dev.machina.hw.rtc.Mc146818.SECONDS_ALARM;
import static dev.machina.hw.rtc.Mc146818.YEAR;

/**
 * The MC146818's time and alarm registers as numbers: BCD or binary by register B's DM bit,
 * 12-hour format with bit 7 as PM by its 24/12 bit, alarm bytes of the form 11xxxxxx as "don't
 * care" (data sheet, "alarm"). Total over every byte value: garbage in a register gives a strange
 * time, never an exception.
 */
final class RtcFields {
    /** What {@link #fromBcd} returns for an alarm's don't-care byte. */
    private static final int ANY = -1;

    private RtcFields() {}

    private static boolean binary(Mc146818 rtc) {
        return (rtc.cmos[REG_B] & B_DM) != 0;
    }

    private static boolean hour24(Mc146818 rtc) {
        return (rtc.cmos[REG_B] & B_24H) != 0;
    }

    /** QEMU's rtc_to_bcd. */
    static int toBcd(Mc146818 rtc, long value) {
        int a = (int) value;
        return binary(rtc) ? a : ((a / 10) << 4) | (a % 10);
    }

    /** QEMU's rtc_from_bcd: 11xxxxxx is "any". */
    static int fromBcd(Mc146818 rtc, int value) {
        int a = value & 0xFF;
        if ((a & 0xC0) == 0xC0) {
            return ANY;
        }
        return binary(rtc) ? a : (a >> 4) * 10 + (a & 0x0F);
    }

    private static int reg(Mc146818 rtc, int i) {
        return rtc.cmos[i] & 0xFF;
    }

    /** Hour 0-23 of an hours byte (alarm or time) in the current 12/24-hour format. */
    private static int hourOf(Mc146818 rtc, int value) {
        int h = fromBcd(rtc, value & 0x7F);
        if (!hour24(rtc)) {
            h %= 12;
            if ((value & 0x80) != 0) {
                h += 12;
            }
        }
        return h;
    }

    /** QEMU's rtc_set_cmos: the time, date, weekday, year and century bytes from {@code t}. */
    static void store(Mc146818 rtc, Calendar.Time t) {
        byte[] c = rtc.cmos;
        c[SECONDS] = (byte) toBcd(rtc, t.second());
        c[MINUTES] = (byte) toBcd(rtc, t.minute());
        if (hour24(rtc)) {
            c[HOURS] = (byte) toBcd(rtc, t.hour());
        } else {
            int h = t.hour() % 12 != 0 ? t.hour() % 12 : 12;
            c[HOURS] = (byte) (toBcd(rtc, h) | (t.hour() >= 12 ? 0x80 : 0));
        }
        c[DAY_OF_WEEK] = (byte) toBcd(rtc, t.weekday() + 1);
        c[DAY_OF_MONTH] = (byte) toBcd(rtc, t.day());
        c[MONTH] = (byte) toBcd(rtc, t.month());
        long year = t.year() - rtc.baseYear;
        c[YEAR] = (byte) toBcd(rtc, Math.floorMod(year, 100));
        c[CENTURY] = (byte) toBcd(rtc, Math.floorDiv(year, 100));
    }

    /** QEMU's rtc_get_time + mktimegm: the time registers as seconds since 1970. */
    static long epochSeconds(Mc146818 rtc) {
        long year = (long) fromBcd(rtc, reg(rtc, YEAR)) + rtc.baseYear + fromBcd(rtc, reg(rtc, CENTURY)) * 100L;
        int hour = fromBcd(rtc, reg(rtc, HOURS) & 0x7F);
        if (!hour24(rtc)) {
            hour %= 12;
            if ((reg(rtc, HOURS) & 0x80) != 0) {
                hour += 12;
            }
        }
        return Calendar.toEpochSeconds(year, fromBcd(rtc, reg(rtc, MONTH)), fromBcd(rtc, reg(rtc, DAY_OF_MONTH)), hour,
                fromBcd(rtc, reg(rtc, MINUTES)), fromBcd(rtc, reg(rtc, SECONDS)));
    }

    /**
     * Seconds from the time the registers show now to the first later second that matches the
     * alarm (1 = at the next update), within a day; {@link Mc146818#NO_ALARM} if no second can
     * match (an alarm field out of range).
     */
    static long nextAlarmSeconds(Mc146818 rtc) {
        int as = fromBcd(rtc, reg(rtc, SECONDS_ALARM));
        int am = fromBcd(rtc, reg(rtc, MINUTES_ALARM));
        int ahRaw = reg(rtc, HOURS_ALARM);
        int ah = (ahRaw & 0xC0) == 0xC0 ? ANY : hourOf(rtc, ahRaw);
        if (as > 59 || am > 59 || ah > 23) {
            return NO_ALARM;
        }
        int now = Math.floorMod(Math.floorDiv(rtc.guestNanos(), Mc146818.NS), 86400);
        int curH = now / 3600;
        int curM = now / 60 % 60;
        int curS = now % 60;
        // walk the hours from the current one (25: the current hour again, tomorrow), the minutes
        // and the seconds, taking the first match after now
        for (int dh = 0; dh <= 24; dh++) {
            int h = (curH + dh) % 24;
            if (ah != ANY && ah != h) {
                continue;
            }
            for (int m = dh == 0 ? curM : 0; m < 60; m++) {
                if (am != ANY && am != m) {
                    continue;
                }
                int from = dh == 0 && m == curM ? curS + 1 : 0;
                int s = as == ANY ? from : as;
                if (s >= from && s < 60) {
                    return dh * 3600L + (m - curM) * 60L + (s - curS);
                }
            }
        }
        return NO_ALARM;
    }
}
