package dev.machina.config;

/** How strictly {@code -readconfig} files are read. */
public enum ReadMode {
    /**
     * Every line QEMU 7.2 would silently accept or mangle is an error at its line and column, and
     * every group, key and value is checked. A file that passes is read the same way by QEMU.
     */
    STRICT,
    /**
     * QEMU 7.2's reader, quirks included (1023-byte chunks, 63-character names, an unquoted value read
     * as "", ...): accepts what QEMU accepts and yields what QEMU yields; each silent quirk becomes a
     * warning. For files that must load as QEMU loads them ({@code --compat=qemu}).
     */
    QEMU
}
