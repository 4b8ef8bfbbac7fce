package dev.machina.cpu.x86.singlestep;

import dev.machina.util.UserException;

/** A test file or metadata file that cannot be read: missing, not gzip, not JSON of the expected shape. */
public final class SingleStepError extends UserException {
    public SingleStepError(String message) {
        super(message);
    }
}
