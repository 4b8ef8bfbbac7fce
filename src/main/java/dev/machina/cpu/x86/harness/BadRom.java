package dev.machina.cpu.x86.harness;

import dev.machina.util.UserException;

/** A ROM image that cannot be used: missing, unreadable, empty, too big or not a multiple of 64 KiB. */
public final class BadRom extends UserException {
    public BadRom(String message) {
        super(message);
    }
}
