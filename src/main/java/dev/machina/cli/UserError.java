package dev.machina.cli;

import dev.machina.util.UserException;

/** A mistake in what the user typed that a command finds itself: exit 1 with the message. */
final class UserError extends UserException {
    UserError(String message) {
        super(message);
    }
}
