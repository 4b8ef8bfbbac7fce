package dev.machina.hw.core;

/**
 * A device model refused a snapshot state record: its version is one the model cannot read, or a
 * field holds a value the hardware can never be in (a 9th 8259 pin, a FIFO deeper than 16 bytes).
 * The message names the device, the field, the value and what would be valid, so a corrupt or
 * foreign snapshot is reported, never half-applied: models validate the whole record before they
 * change anything.
 */
public final class InvalidStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String device;
    private final String field;

    public InvalidStateException(String device, String field, String problem) {
        super(device + " state: " + field + ": " + problem);
        this.device = device;
        this.field = field;
    }

    /** The model's name as its state record gives it (e.g. {@code "i8259"}). */
    public String device() {
        return device;
    }

    /** The state record's field that was wrong. */
    public String field() {
        return field;
    }

    /** Checks a version against the oldest and newest a model reads. */
    public static void checkVersion(String device, int version, int oldest, int newest) {
        if (version < oldest || version > newest) {
            throw new InvalidStateException(device, "version",
                    "version " + version + " is not readable (this build reads " + oldest + ".." + newest + ")");
        }
    }

    /** Checks {@code min <= value <= max}. */
    public static void checkRange(String device, String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidStateException(device, field,
                    value + " is out of range (valid: " + min + ".." + max + ")");
        }
    }
}
