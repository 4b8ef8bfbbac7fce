package dev.machina.util;

/**
 * Base of every exception that reports a mistake in the user's input (a file, an option, a
 * property value). The command line prints {@link #getMessage()} as one line and exits 1; it never
 * prints a stack trace for these, so none is captured (capturing one would cost time for nothing).
 */
public abstract class UserException extends RuntimeException {
    protected UserException(String message) {
        super(message, null, false, false);
    }

    protected UserException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
