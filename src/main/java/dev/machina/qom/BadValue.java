package dev.machina.qom;

/**
 * A text that is not a valid value of a property type. Carries only the reason; the caller adds
 * which type and property it was meant for (see {@link QomException#badValue}).
 */
public final class BadValue extends Exception {
    private final String expected;

    public BadValue(String reason, String expected) {
        super(reason, null, false, false);
        this.expected = expected;
    }

    /** What would have been right, e.g. "an integer 0..255 (decimal, 0x hex or 0 octal)". */
    public String expected() {
        return expected;
    }
}
