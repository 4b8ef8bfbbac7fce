package dev.machina.hw.misc;

/**
 * Port 0x80, the PC's POST-code and I/O-delay port, as QEMU 7.2's {@code ioport80} (hw/i386/pc.c):
 * writes are accepted and dropped (Linux writes it ~17,000 times while booting as a delay; a
 * BIOS writes its POST codes there), reads return 0xFF. The last value written is kept for a
 * debugger or a POST-code display, and {@link Events#postCode} reports each one.
 */
public final class Port80 {
    /** Where POST codes go; the default ignores them. */
    public interface Events {
        default void postCode(int value) {
        }
    }

    private final Events events;
    private int last;

    public Port80() {
        this(new Events() { });
    }

    public Port80(Events events) {
        this.events = events;
    }

    public int read() {
        return 0xFF;
    }

    public void write(int value) {
        last = value & 0xFF;
        events.postCode(last);
    }

    /** The last value written (0 after power-on). */
    public int lastCode() {
        return last;
    }

    public void reset() {
        last = 0;
    }

    public record State(int version, int lastCode) {
        public static final int VERSION = 1;
    }

    public State save() {
        return new State(State.VERSION, last);
    }

    public void restore(State s) {
        dev.machina.hw.core.InvalidStateException.checkVersion("ioport80", s.version(), 1, State.VERSION);
        dev.machina.hw.core.InvalidStateException.checkRange("ioport80", "lastCode", s.lastCode(), 0, 0xFF);
        last = s.lastCode();
    }
}
