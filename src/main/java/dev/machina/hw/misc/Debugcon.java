package dev.machina.hw.misc;

import dev.machina.hw.core.ByteSink;

/**
 * The debug console's register (QEMU hw/char/debugcon.c): a write sends its low byte to the
 * console; a read returns the {@code readback} value, which is how SeaBIOS recognises QEMU's port
 * ({@code QEMU_DEBUGCON_READBACK} 0xE9, src/hw/serialio.c). No state, so nothing to reset.
 */
public final class Debugcon {
    private final int readback;
    private final ByteSink out;

    public Debugcon(int readback, ByteSink out) {
        this.readback = readback;
        this.out = out;
    }

    public int read() {
        return readback;
    }

    /** Any access width writes one byte: the low byte of the value (debugcon_ioport_write). */
    public void write(long value) {
        out.write((int) (value & 0xFF));
    }
}
