package dev.machina.hw.input;

/**
 * A PS/2 (MF2 AT) keyboard as QEMU 7.2's {@code ps2-kbd} models it (hw/input/ps2.c), behind the
 * i8042's keyboard port.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Commands from the host's controller ({@link #write}), replies queued for it: 0xFF reset
 *       (ACK 0xFA, self-test passed 0xAA), 0xF5/0xF6 reset and disable/enable, 0xF4 enable, 0xF2
 *       identify (ACK, 0xAB, 0x41 translated or 0x83), 0xEE echo, 0xED set LEDs + argument, 0xF0
 *       scan code set + argument (0 asks: ACK and the set, translated as the 8042 would), 0xF3
 *       typematic rate + argument, 0xFA/0xFC accepted, 0x00 ACK, anything else resend (0xFE).</li>
 *   <li>Host keys ({@link #key}): set-1 make codes (0xE0xx for the E0 keys), sent in the
 *       active scan code set and, when the i8042 translates (command byte bit 6), as set 1; a key
 *       whose bytes do not fit in the 16-byte queue is dropped whole, and nothing is sent while
 *       scanning is disabled (as QEMU: no half sequences).</li>
 *   <li>{@link Listener}: the controller learns when the queue has data; the LEDs are reported.</li>
 * </ul>
 */
public final class Ps2Keyboard {
    /** What the keyboard tells its controller and the host. */
    public interface Listener {
        /** The queue went from empty to non-empty or back. */
        void dataPending(boolean pending);

        /** The guest set the LEDs: bit 0 Scroll Lock, 1 Num Lock, 2 Caps Lock. */
        default void ledsChanged(int leds) {
        }
    }

    static final int ACK = 0xFA, RESEND = 0xFE, POR = 0xAA, ID = 0xAB;
    /** {@link #pendingCommand} when the next byte is a command. */
    static final int NO_COMMAND = 0;

    final Ps2Queue queue = new Ps2Queue();
    private final Listener listener;
    boolean scanEnabled;
    int scancodeSet;
    boolean translate;
    int leds;
    int pendingCommand;

    public Ps2Keyboard(Listener listener) {
        this.listener = listener;
        reset();
    }

    /** Power-on reset (QEMU's ps2_kbd_reset): scanning on, set 2, LEDs off, queue empty. */
    public void reset() {
        pendingCommand = NO_COMMAND;
        translate = false;
        resetKeyboard();
        signal();
    }

    private void resetKeyboard() {
        scanEnabled = true;
        scancodeSet = 2;
        queue.clear();
        setLeds(0);
    }

    /** The i8042's translation (command byte KCC). */
    void setTranslation(boolean on) {
        translate = on;
    }

    boolean hasData() {
        return !queue.isEmpty();
    }

    /** The next byte for the controller; 0 (the last byte, as the hardware repeats) if none. */
    int read() {
        if (queue.isEmpty()) {
            return 0;
        }
        int b = queue.next();
        signal();
        return b;
    }

    /** A byte from the controller: a command or a command's argument. */
    public void write(int value) {
        int val = value & 0xFF;
        queue.startReply();
        int cmd = pendingCommand;
        pendingCommand = NO_COMMAND;
        switch (cmd) {
            case 0xF0 -> { // scan code set
                if (val == 0) {
                    reply(ACK, translate ? ScanCodes.translate(scancodeSet) : scancodeSet);
                } else if (val <= 3) {
                    scancodeSet = val;
                    reply(ACK);
                } else {
                    reply(RESEND);
                }
            }
            case 0xED -> {
                setLeds(val);
                reply(ACK);
            }
            case 0xF3, 0xFC -> reply(ACK);
            default -> command(val);
        }
        signal();
    }

    private void command(int val) {
        switch (val) {
            case 0x00 -> reply(ACK);
            case 0xF2 -> reply(ACK, ID, translate ? 0x41 : 0x83);
            case 0xEE -> reply(0xEE);
            case 0xF4 -> {
                scanEnabled = true;
                reply(ACK);
            }
            case 0xF0, 0xED, 0xF3, 0xFC -> {
                pendingCommand = val;
                reply(ACK);
            }
            case 0xF5 -> {
                resetKeyboard();
                scanEnabled = false;
                reply(ACK);
            }
            case 0xF6 -> {
                resetKeyboard();
                reply(ACK);
            }
            case 0xFF -> {
                resetKeyboard();
                reply(ACK, POR);
            }
            case 0xFA -> reply(ACK);
            default -> reply(RESEND); // includes 0x05, as QEMU
        }
    }

    private void reply(int... bytes) {
        for (int b : bytes) {
            queue.reply(b);
        }
    }

    private void setLeds(int value) {
        if (leds != value) {
            leds = value;
            listener.ledsChanged(value);
        }
    }

    /**
     * A host key going down or up: {@code xt} is its set-1 make code, 0xE0xx for the E0 keys.
     *
     * @return whether it was queued (false: scanning disabled, queue full, or an unknown key)
     */
    public boolean key(int xt, boolean down) {
        if (!scanEnabled) {
            return false;
        }
        byte[] codes = ScanCodes.encode(xt, down, scancodeSet);
        if (translate) {
            codes = translateAll(codes);
        }
        if (codes.length == 0 || !queue.fits(codes.length)) {
            return false;
        }
        for (byte b : codes) {
            queue.add(b & 0xFF);
        }
        signal();
        return true;
    }

    /** The 8042's translation of a byte stream: F0 sets bit 7 of the next code. */
    private static byte[] translateAll(byte[] in) {
        byte[] out = new byte[in.length];
        int n = 0;
        boolean high = false;
        for (byte b : in) {
            int v = b & 0xFF;
            if (v == 0xF0) {
                high = true;
                continue;
            }
            out[n++] = (byte) (ScanCodes.translate(v) | (high ? 0x80 : 0));
            high = false;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private void signal() {
        listener.dataPending(!queue.isEmpty());
    }
}
