package dev.machina.machine;

import dev.machina.util.UserException;
import java.util.List;

/**
 * Machine data that cannot be used: carries every {@link MachineError} found, so a caller can print
 * them all. The message is the first one (with a count of the others), for callers that print one line.
 */
public final class MachineDataException extends UserException {
    private final transient List<MachineError> errors;

    public MachineDataException(List<MachineError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public MachineDataException(MachineError error) {
        this(List.of(error));
    }

    public List<MachineError> errors() {
        return errors;
    }

    private static String summary(List<MachineError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no errors");
        }
        String first = errors.get(0).format();
        return errors.size() == 1 ? first
                : first + " (and " + (errors.size() - 1) + " more; 'machina machine validate' lists them all)";
    }
}
