package dev.machina.hw.input;

import dev.machina.hw.core.InvalidStateException;
import java.util.HexFormat;

/**
 * Snapshot of an {@link I8042} with its keyboard and mouse: the controller's registers and
 * output buffer, each device's settings and queue (command replies and data apart, as hex).
 */
public record I8042State(int version, int status, int mode, int outport, int writeCmd, boolean ctrlPending,
        boolean ctrlAux, int ctrlData, int obsrc, int obdata, Keyboard keyboard, Mouse mouse) {
    public static final int VERSION = 1;
    private static final String DEV = "i8042";

    public record Keyboard(boolean scanEnabled, int scancodeSet, int leds, int pendingCommand, String replies,
            String data) {}

    public record Mouse(int status, int resolution, int sampleRate, int type, int detectState, boolean wrap,
            int pendingCommand, String replies, String data) {}

    static I8042State of(I8042 c) {
        HexFormat hex = HexFormat.of();
        Ps2Keyboard k = c.keyboard();
        Ps2Mouse m = c.mouse();
        return new I8042State(VERSION, c.status, c.mode, c.outport, c.writeCmd, c.ctrlPending, c.ctrlAux, c.ctrlData,
                c.obsrc, c.obdata,
                new Keyboard(k.scanEnabled, k.scancodeSet, k.leds, k.pendingCommand,
                        hex.formatHex(k.queue.replyBytes()), hex.formatHex(k.queue.dataBytes())),
                new Mouse(m.status, m.resolution, m.sampleRate, m.type, m.detectState, m.wrap, m.pendingCommand,
                        hex.formatHex(m.queue.replyBytes()), hex.formatHex(m.queue.dataBytes())));
    }

    void validate() {
        InvalidStateException.checkVersion(DEV, version, 1, VERSION);
        InvalidStateException.checkRange(DEV, "status", status, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "mode", mode, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "outport", outport, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "ctrlData", ctrlData, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "obdata", obdata, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "obsrc", obsrc, I8042.SRC_NONE, I8042.SRC_CTRL);
        if (writeCmd != 0 && writeCmd != 0x60 && (writeCmd < 0xD1 || writeCmd > 0xD4)) {
            throw new InvalidStateException(DEV, "writeCmd", String.format("0x%02x is not a command that takes data", writeCmd));
        }
        if (keyboard == null || mouse == null) {
            throw new InvalidStateException(DEV, keyboard == null ? "keyboard" : "mouse", "missing");
        }
        InvalidStateException.checkRange(DEV, "keyboard.scancodeSet", keyboard.scancodeSet(), 1, 3);
        InvalidStateException.checkRange(DEV, "keyboard.leds", keyboard.leds(), 0, 0xFF);
        InvalidStateException.checkRange(DEV, "keyboard.pendingCommand", keyboard.pendingCommand(), 0, 0xFF);
        InvalidStateException.checkRange(DEV, "mouse.status", mouse.status(), 0, 0xFF);
        InvalidStateException.checkRange(DEV, "mouse.resolution", mouse.resolution(), 0, 0xFF);
        InvalidStateException.checkRange(DEV, "mouse.sampleRate", mouse.sampleRate(), 0, 0xFF);
        InvalidStateException.checkRange(DEV, "mouse.type", mouse.type(), 0, 4);
        InvalidStateException.checkRange(DEV, "mouse.detectState", mouse.detectState(), 0, 3);
        InvalidStateException.checkRange(DEV, "mouse.pendingCommand", mouse.pendingCommand(), 0, 0xFF);
        queue("keyboard", keyboard.replies(), keyboard.data());
        queue("mouse", mouse.replies(), mouse.data());
    }

    private static void queue(String dev, String replies, String data) {
        checkHex(dev + ".replies", replies, Ps2Queue.MAX_REPLIES);
        checkHex(dev + ".data", data, Ps2Queue.SIZE);
        if ((replies.length() + data.length()) / 2 > Ps2Queue.SIZE) {
            throw new InvalidStateException(DEV, dev + ".data", "more than " + Ps2Queue.SIZE + " bytes queued");
        }
    }

    private static void checkHex(String field, String s, int maxBytes) {
        if (s == null || s.length() % 2 != 0 || s.length() > 2 * maxBytes
                || !s.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw new InvalidStateException(DEV, field, "must be at most " + maxBytes + " bytes as hex digits");
        }
    }

    void applyTo(I8042 c) {
        HexFormat hex = HexFormat.of();
        c.status = status;
        c.mode = mode;
        c.outport = outport;
        c.writeCmd = writeCmd;
        c.ctrlPending = ctrlPending;
        c.ctrlAux = ctrlAux;
        c.ctrlData = ctrlData;
        c.obsrc = obsrc;
        c.obdata = obdata;
        Ps2Keyboard k = c.keyboard();
        k.scanEnabled = keyboard.scanEnabled();
        k.scancodeSet = keyboard.scancodeSet();
        k.leds = keyboard.leds();
        k.pendingCommand = keyboard.pendingCommand();
        k.queue.load(hex.parseHex(keyboard.replies()), hex.parseHex(keyboard.data()));
        c.kbdPending = !k.queue.isEmpty();
        Ps2Mouse m = c.mouse();
        m.status = mouse.status();
        m.resolution = mouse.resolution();
        m.sampleRate = mouse.sampleRate();
        m.type = mouse.type();
        m.detectState = mouse.detectState();
        m.wrap = mouse.wrap();
        m.pendingCommand = mouse.pendingCommand();
        m.queue.load(hex.parseHex(mouse.replies()), hex.parseHex(mouse.data()));
        c.mousePending = !m.queue.isEmpty();
    }
}
