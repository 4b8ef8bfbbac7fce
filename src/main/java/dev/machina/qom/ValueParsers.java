package dev.machina.qom;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * QEMU's rules for turning property text into values (facts: shared/qemu/config/README.md §3.2 and
 * probes of qemu-system-x86_64 7.2 recorded in the tests):
 * <ul>
 *   <li>booleans: {@code on yes true y} and {@code off no false n}, case-sensitive
 *       ({@code qapi_bool_parse});</li>
 *   <li>integers: optional leading blanks and sign, then decimal, {@code 0x} hex or leading-{@code 0}
 *       octal ({@code qemu_strtoi64}/{@code qemu_strtou64} with base 0, as the string input visitor
 *       does: {@code iobase=010} is 8), range-checked per type; a negative value for an unsigned type
 *       is rejected, as QEMU 7.2 rejects {@code iobase=-1};</li>
 *   <li>sizes: an unsigned number with an optional suffix {@code B K M G T P E} (powers of 1024,
 *       any case); a fraction needs a suffix other than B ({@code 1.5K} is 1536, truncated like QEMU,
 *       {@code 1.5} and {@code 1.5B} are rejected), but a fraction of zero or of no digits needs none
 *       ({@code 1.0} and {@code 1.} are 1, {@code 1.K} is 1024, as QEMU 7.2 reads them); hex with a suffix ({@code 0x10K}) is rejected, as from QEMU 8.0
 *       (7.2 only warned).</li>
 * </ul>
 */
public final class ValueParsers {
    private ValueParsers() {}

    public static final List<String> TRUE_SPELLINGS = List.of("on", "yes", "true", "y");
    public static final List<String> FALSE_SPELLINGS = List.of("off", "no", "false", "n");
    static final String BOOL_FORM = "on/off (also yes/no, true/false, y/n)";

    public static boolean parseBool(String text) throws BadValue {
        if (TRUE_SPELLINGS.contains(text)) {
            return true;
        }
        if (FALSE_SPELLINGS.contains(text)) {
            return false;
        }
        throw new BadValue("not a boolean", BOOL_FORM);
    }

    /** Smallest value of an integer type of {@code bits} width, as a BigInteger. */
    static BigInteger min(int bits, boolean signed) {
        return signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
    }

    static BigInteger max(int bits, boolean signed) {
        return (signed ? BigInteger.ONE.shiftLeft(bits - 1) : BigInteger.ONE.shiftLeft(bits)).subtract(BigInteger.ONE);
    }

    static String intForm(int bits, boolean signed) {
        return "an integer " + min(bits, signed) + ".." + max(bits, signed) + " (decimal, 0x hex or 0 octal)";
    }

    /**
     * Parses an integer of the given width. Unsigned 64-bit values above {@code Long.MAX_VALUE} come
     * back as their two's-complement bit pattern (use {@link Long#toUnsignedString}).
     */
    public static long parseInteger(String text, int bits, boolean signed) throws BadValue {
        String form = intForm(bits, signed);
        BigInteger v = parseBigInteger(text, form);
        if (v.compareTo(min(bits, signed)) < 0 || v.compareTo(max(bits, signed)) > 0) {
            throw new BadValue(v.signum() < 0 && !signed ? "negative value for an unsigned type" : "out of range", form);
        }
        return v.longValue();
    }

    private static BigInteger parseBigInteger(String text, String form) throws BadValue {
        int i = 0;
        int n = text.length();
        while (i < n && isBlank(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (i + 1 < n && text.charAt(i) == '0' && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X')) {
            radix = 16;
            i += 2;
        } else if (i + 1 < n && text.charAt(i) == '0') {
            radix = 8;
            i += 1;
        }
        String digits = text.substring(i);
        if (digits.isEmpty() && radix != 8) {
            throw new BadValue(text.isBlank() ? "empty" : "not an integer", form);
        }
        if (digits.isEmpty()) {
            return BigInteger.ZERO; // "0" followed by nothing after the octal prefix cannot happen; "00" is fine
        }
        for (int k = 0; k < digits.length(); k++) {
            if (asciiDigit(digits.charAt(k), radix) < 0) {
                throw new BadValue("not an integer", form);
            }
        }
        BigInteger v = new BigInteger(digits, radix);
        return negative ? v.negate() : v;
    }

    /**
     * The value of an ASCII digit in the radix, else -1: QEMU reads numbers with strtoull and friends,
     * which know 0-9 and a-f only, so '１２８' (full-width) or '١' (Arabic-Indic) is not a number.
     */
    static int asciiDigit(char c, int radix) {
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : -1;
        return v >= 0 && v < radix ? v : -1;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    static final String SIZE_FORM = "a size: a number with an optional suffix B, K, M, G, T, P or E (powers of 1024), e.g. 512M or 1.5G";
    private static final BigInteger U64_MAX = max(64, false);

    /** Parses a size; values above 2^63-1 come back as their unsigned bit pattern. */
    public static long parseSize(String text) throws BadValue {
        int i = 0;
        int n = text.length();
        while (i < n && isBlank(text.charAt(i))) {
            i++;
        }
        if (i < n && text.charAt(i) == '-') {
            throw new BadValue("negative size", SIZE_FORM);
        }
        if (i < n && text.charAt(i) == '+') {
            i++;
        }
        boolean hex = i + 1 < n && text.charAt(i) == '0' && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X');
        int start = hex ? i + 2 : i;
        int j = start;
        while (j < n && asciiDigit(text.charAt(j), hex ? 16 : 10) >= 0) {
            j++;
        }
        if (j == start) {
            throw new BadValue(text.isBlank() ? "empty" : "not a size", SIZE_FORM);
        }
        String intPart = text.substring(start, j);
        String fraction = "";
        if (!hex && j < n && text.charAt(j) == '.') {
            int k = j + 1;
            while (k < n && asciiDigit(text.charAt(k), 10) >= 0) {
                k++;
            }
            fraction = text.substring(j + 1, k); // may be empty: QEMU 7.2 reads "1.K" as 1024 and "1." as 1
            j = k;
        }
        String suffix = text.substring(j);
        int shift;
        switch (suffix) {
            case "" -> shift = -1;
            case "b", "B" -> shift = 0;
            case "k", "K" -> shift = 10;
            case "m", "M" -> shift = 20;
            case "g", "G" -> shift = 30;
            case "t", "T" -> shift = 40;
            case "p", "P" -> shift = 50;
            case "e", "E" -> shift = 60;
            default -> throw new BadValue("unknown size suffix '" + suffix + "'", SIZE_FORM);
        }
        if (hex && shift >= 0) {
            throw new BadValue("a hex number cannot take a size suffix", "0x4000 or 16K");
        }
        boolean wholeNumber = fraction.chars().allMatch(c -> c == '0'); // QEMU 7.2: "1.0" and "1.0B" are 1 byte
        if (!wholeNumber && shift <= 0) {
            throw new BadValue("a fraction needs a suffix K, M, G, T, P or E", SIZE_FORM);
        }
        BigInteger value;
        if (wholeNumber) {
            value = new BigInteger(intPart, hex ? 16 : 10).shiftLeft(Math.max(shift, 0));
        } else {
            BigDecimal d = new BigDecimal(intPart + "." + fraction).multiply(new BigDecimal(BigInteger.ONE.shiftLeft(shift)));
            value = d.toBigInteger(); // truncates toward zero, like QEMU 7.2
        }
        if (value.compareTo(U64_MAX) > 0) {
            throw new BadValue("too large (the limit is 2^64-1 bytes)", SIZE_FORM);
        }
        return value.longValue();
    }
}
