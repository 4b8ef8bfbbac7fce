package dev.machina.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The subset of C's {@code sscanf} that QEMU's config reader, {@code -set} and {@code -global} use,
 * with C's rules, so that {@link ReadMode#QEMU} reads exactly what QEMU reads: {@code %Ns} (skips
 * leading white space, then up to N non-blanks), {@code %N[set]} and {@code %N[^set]} (no skipping, at
 * least one character), {@code %n}, white space in the format (any amount, including none), and
 * ordinary characters (must match). The input is a C string: it ends at its first NUL byte.
 *
 * <p>Return value as in C: the number of fields assigned, or -1 (EOF) when the input ended before the
 * first conversion. Fields assigned before a failure stay assigned, as C leaves them in the buffers.
 */
final class CScanf {
    private CScanf() {}

    /** The outcome of one scan: C's return value, the fields assigned in order, and the {@code %n} positions. */
    record Result(int count, List<byte[]> fields, List<Integer> positions) {}

    static boolean isSpace(int b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }

    static Result scan(byte[] input, String format) {
        int end = 0;
        while (end < input.length && input[end] != 0) {
            end++;
        }
        List<byte[]> fields = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        int in = 0;
        int f = 0;
        int n = format.length();
        while (f < n) {
            char c = format.charAt(f);
            if (isSpace(c)) {
                while (in < end && isSpace(input[in])) {
                    in++;
                }
                f++;
                continue;
            }
            if (c != '%') {
                if (in >= end) {
                    return done(fields, positions, true);
                }
                if ((input[in] & 0xff) != c) {
                    return done(fields, positions, false);
                }
                in++;
                f++;
                continue;
            }
            f++;
            int width = 0;
            while (Character.isDigit(format.charAt(f))) {
                width = width * 10 + (format.charAt(f) - '0');
                f++;
            }
            if (width == 0) {
                width = Integer.MAX_VALUE;
            }
            char conv = format.charAt(f++);
            if (conv == 'n') {
                positions.add(in);
                continue;
            }
            if (conv == 's') {
                while (in < end && isSpace(input[in])) {
                    in++;
                }
                if (in >= end) {
                    return done(fields, positions, true);
                }
                int start = in;
                while (in < end && !isSpace(input[in]) && in - start < width) {
                    in++;
                }
                fields.add(java.util.Arrays.copyOfRange(input, start, in));
                continue;
            }
            if (conv == '[') {
                boolean negate = format.charAt(f) == '^';
                if (negate) {
                    f++;
                }
                StringBuilder set = new StringBuilder();
                if (format.charAt(f) == ']') { // a ']' right after '[' or '[^' belongs to the set
                    set.append(']');
                    f++;
                }
                while (format.charAt(f) != ']') {
                    set.append(format.charAt(f++));
                }
                f++;
                if (in >= end) {
                    return done(fields, positions, true);
                }
                int start = in;
                while (in < end && in - start < width && (set.indexOf(String.valueOf((char) (input[in] & 0xff))) >= 0) != negate) {
                    in++;
                }
                if (in == start) {
                    return done(fields, positions, false);
                }
                fields.add(java.util.Arrays.copyOfRange(input, start, in));
                continue;
            }
            throw new IllegalArgumentException("unsupported conversion %" + conv);
        }
        return done(fields, positions, false);
    }

    private static Result done(List<byte[]> fields, List<Integer> positions, boolean inputFailure) {
        int count = fields.isEmpty() && inputFailure ? -1 : fields.size();
        return new Result(count, fields, positions);
    }
}
