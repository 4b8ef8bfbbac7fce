package dev.machina.hw.core;

/** A {@link WiringError}; the board layer adds where the wire was asked for (file:line:col). */
public final class WiringException extends RuntimeException {
    private final transient WiringError error;

    public WiringException(WiringError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public WiringError error() {
        return error;
    }
}
