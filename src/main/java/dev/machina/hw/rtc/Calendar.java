package dev.machina.hw.rtc;

/**
 * Proleptic Gregorian calendar arithmetic on plain integers, total over every input: the RTC
 * turns whatever a guest wrote into its date registers (month 0x13, day 0, hour 99) into seconds
 * and back without ever failing, as QEMU's {@code mktimegm}/{@code gmtime_r} pair does. Days are
 * counted from 1970-01-01 (the well-known civil-from-days algorithm: years as 400-year eras of
 * 146097 days, March-based months).
 */
final class Calendar {
    private Calendar() {}

    /** A broken-down UTC time: month 1-12, day 1-31, weekday 0 (Sunday) to 6. */
    record Time(long year, int month, int day, int hour, int minute, int second, int weekday) {}

    /**
     * Seconds since 1970-01-01T00:00:00 of the given fields, by the March-based day count QEMU's
     * {@code mktimegm} uses (and with its results for fields out of range: a month of 0 is
     * December of the year before, hours, minutes and seconds simply add up).
     */
    static long toEpochSeconds(long year, long month, long day, long hour, long minute, long second) {
        long y = year;
        long m = month;
        if (m < 3) {
            m += 12;
            y--;
        }
        long days = day + (153 * m - 457) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 719469;
        return 86400 * days + 3600 * hour + 60 * minute + second;
    }

    static Time fromEpochSeconds(long epoch) {
        long days = Math.floorDiv(epoch, 86400);
        int secs = (int) Math.floorMod(epoch, 86400);
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        int weekday = (int) Math.floorMod(days + 4, 7); // 1970-01-01 was a Thursday
        return new Time(y, m, d, secs / 3600, secs / 60 % 60, secs % 60, weekday);
    }
}
