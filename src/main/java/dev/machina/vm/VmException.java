package dev.machina.vm;

import dev.machina.util.UserException;

/** Carries a {@link VmError} to the caller that reports it (one line, exit 1). No stack trace is captured. */
public final class VmException extends UserException {
    private final transient VmError error;

    public VmException(VmError error) {
        super(error.message());
        this.error = error;
    }

    public VmError error() {
        return error;
    }
}
