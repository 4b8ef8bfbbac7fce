package dev.machina.memory;

/** A {@link MemoryError} thrown while a machine's memory is built or changed by its board or devices. */
public final class MemoryException extends RuntimeException {
    private final transient MemoryError error;

    public MemoryException(MemoryError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public MemoryError error() {
        return error;
    }
}
