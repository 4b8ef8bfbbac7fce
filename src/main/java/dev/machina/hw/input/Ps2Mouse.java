package dev.machina.hw.input;

/**
 * A PS/2 mouse as QEMU 7.2's {@code ps2-mouse} models it (hw/input/ps2.c), enough for a guest's
 * probe and setup: no host pointer moves it.
 *
 * <h2>Contract</h2>
 * Commands (each acknowledged with 0xFA): 0xFF reset (ACK, 0xAA, device ID), 0xF6 defaults,
 * 0xF5/0xF4 disable/enable reporting, 0xF3 sample rate + argument (200, 100, 80 makes an
 * IntelliMouse: ID 3; 200, 200, 80 an IntelliMouse Explorer: ID 4), 0xE8 resolution + argument,
 * 0xE9 status (ACK, status, resolution, rate), 0xF2 identify (ACK, ID), 0xE6/0xE7 scaling,
 * 0xEA stream, 0xF0 remote, 0xEB read data (ACK and an empty packet), 0xEE wrap mode (echoes
 * until 0xEC or 0xFF). Unknown commands are ignored, as in QEMU.
 */
public final class Ps2Mouse {
    static final int ACK = 0xFA;
    static final int STATUS_REMOTE = 0x40, STATUS_ENABLED = 0x20, STATUS_SCALE21 = 0x10;
    static final int NO_COMMAND = 0;

    final Ps2Queue queue = new Ps2Queue();
    private final Ps2Keyboard.Listener listener;
    int status;
    int resolution;
    int sampleRate;
    int type;
    int detectState;
    boolean wrap;
    int pendingCommand;

    public Ps2Mouse(Ps2Keyboard.Listener listener) {
        this.listener = listener;
        reset();
    }

    /** Power-on reset (QEMU's ps2_mouse_reset). */
    public void reset() {
        pendingCommand = NO_COMMAND;
        queue.clear();
        status = 0;
        resolution = 0;
        sampleRate = 0;
        wrap = false;
        type = 0;
        detectState = 0;
        listener.dataPending(false);
    }

    boolean hasData() {
        return !queue.isEmpty();
    }

    int read() {
        if (queue.isEmpty()) {
            return 0;
        }
        int b = queue.next();
        listener.dataPending(!queue.isEmpty());
        return b;
    }

    /** A byte from the controller (i8042 command 0xD4). */
    public void write(int value) {
        int val = value & 0xFF;
        int cmd = pendingCommand;
        pendingCommand = NO_COMMAND;
        if (cmd == 0xF3) {
            setSampleRate(val);
        } else if (cmd == 0xE8) {
            resolution = val;
            queue.add(ACK);
        } else {
            command(val);
        }
        listener.dataPending(!queue.isEmpty());
    }

    private void command(int val) {
        if (wrap) {
            if (val == 0xEC) {
                wrap = false;
                queue.add(ACK);
                return;
            } else if (val != 0xFF) {
                queue.add(val);
                return;
            }
        }
        switch (val) {
            case 0xE6 -> ack(status & ~STATUS_SCALE21);
            case 0xE7 -> ack(status | STATUS_SCALE21);
            case 0xEA -> ack(status & ~STATUS_REMOTE);
            case 0xEE -> {
                wrap = true;
                queue.add(ACK);
            }
            case 0xF0 -> ack(status | STATUS_REMOTE);
            case 0xF2 -> {
                queue.add(ACK);
                queue.add(type);
            }
            case 0xE8, 0xF3 -> {
                pendingCommand = val;
                queue.add(ACK);
            }
            case 0xE9 -> {
                queue.add(ACK);
                queue.add(status);
                queue.add(resolution);
                queue.add(sampleRate);
            }
            case 0xEB -> {
                queue.add(ACK);
                packet();
            }
            case 0xF4 -> ack(status | STATUS_ENABLED);
            case 0xF5 -> ack(status & ~STATUS_ENABLED);
            case 0xF6 -> {
                sampleRate = 100;
                resolution = 2;
                status = 0;
                queue.add(ACK);
            }
            case 0xFF -> {
                sampleRate = 100;
                resolution = 2;
                status = 0;
                type = 0;
                queue.clear();
                queue.add(ACK);
                queue.add(0xAA);
                queue.add(type);
            }
            default -> {
                // QEMU ignores unknown mouse commands without a reply
            }
        }
    }

    private void ack(int newStatus) {
        status = newStatus;
        queue.add(ACK);
    }

    private void setSampleRate(int val) {
        sampleRate = val;
        detectState = switch (detectState) {
            case 1 -> val == 100 ? 2 : val == 200 ? 3 : 0;
            case 2 -> {
                if (val == 80) {
                    type = 3; // IntelliMouse (IMPS/2)
                }
                yield 0;
            }
            case 3 -> {
                if (val == 80) {
                    type = 4; // IntelliMouse Explorer
                }
                yield 0;
            }
            default -> val == 200 ? 1 : 0;
        };
        queue.add(ACK);
    }

    /** A packet with no movement and no buttons (bit 3 is always set), plus the wheel byte for ID 3/4. */
    private void packet() {
        queue.add(0x08);
        queue.add(0);
        queue.add(0);
        if (type == 3 || type == 4) {
            queue.add(0);
        }
    }
}
