package dev.machina.hw.input;

import dev.machina.hw.core.IrqLine;

/**
 * The Intel 8042 keyboard controller of a PC/AT with a PS/2 keyboard and mouse, as QEMU 7.2's
 * {@code i8042} models it (hw/input/pckbd.c, with {@code extended-state} on: the controller's own
 * replies are kept apart from the devices' queues).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Ports: 0x64 reads the status register (OBF, SYS, CMD/DATA, keylock "not inhibited", AUX
 *       OBF) and takes controller commands; 0x60 reads the output buffer and takes data (for the
 *       keyboard, or the argument of a command).</li>
 *   <li>Commands: 0x20 read / 0x60 write the command byte (interrupt enables, SYS, disable
 *       keyboard/mouse, translation), 0xA7/0xA8 mouse disable/enable, 0xA9 mouse interface test
 *       (0x00), 0xAA self-test (0x55, sets SYS), 0xAB keyboard interface test (0x00), 0xAD/0xAE
 *       keyboard disable/enable, 0xC0 input port (0x80), 0xD0 read / 0xD1 write the output port,
 *       0xD2/0xD3 write the keyboard/mouse output buffer, 0xD4 write to the mouse, 0xDD/0xDF A20
 *       off/on, 0xF0-0xFF pulse output port bits (bit 0 low: reset).</li>
 *   <li>Outputs: {@code kbdIrq} (ISA IRQ 1) and {@code mouseIrq} (IRQ 12) while the output buffer
 *       holds a byte of that source and its interrupt is enabled; {@code a20} follows output port
 *       bit 1; {@code reset} is pulsed when the guest resets the CPU (0xFE, or bit 0 of the
 *       output port written low): the board turns that into a system reset (or an exit under
 *       {@code -no-reboot}).</li>
 *   <li>Reset: command byte 0x03, status 0x18, output port 0xCF (reset high, A20 on).</li>
 * </ul>
 */
public final class I8042 {
    /** What the controller reports besides its registers; the default ignores everything. */
    public interface Events {
        /** The guest sent a command the controller does not know (QEMU logs "unsupported keyboard cmd"). */
        default void unsupportedCommand(int command) {
        }

        /** The guest set the keyboard LEDs. */
        default void ledsChanged(int leds) {
        }
    }

    static final int STAT_OBF = 0x01, STAT_SELFTEST = 0x04, STAT_CMD = 0x08, STAT_UNLOCKED = 0x10,
            STAT_MOUSE_OBF = 0x20;
    static final int MODE_KBD_INT = 0x01, MODE_MOUSE_INT = 0x02, MODE_DISABLE_KBD = 0x10, MODE_DISABLE_MOUSE = 0x20,
            MODE_KCC = 0x40;
    static final int OUT_RESET = 0x01, OUT_A20 = 0x02, OUT_OBF = 0x10, OUT_MOUSE_OBF = 0x20, OUT_ONES = 0xCC;
    /** Sources of the byte in the output buffer. */
    static final int SRC_NONE = 0, SRC_KBD = 1, SRC_MOUSE = 2, SRC_CTRL = 3;

    private final IrqLine kbdIrq;
    private final IrqLine mouseIrq;
    private final IrqLine a20;
    private final IrqLine reset;
    private final Events events;
    private final Ps2Keyboard kbd;
    private final Ps2Mouse mouse;

    int status;
    int mode;
    int outport;
    int writeCmd;
    /** The controller's own pending byte, and whether it belongs to the mouse side. */
    boolean ctrlPending;
    boolean ctrlAux;
    int ctrlData;
    boolean kbdPending;
    boolean mousePending;
    int obsrc;
    int obdata;

    public I8042(IrqLine kbdIrq, IrqLine mouseIrq, IrqLine a20, IrqLine reset) {
        this(kbdIrq, mouseIrq, a20, reset, new Events() { });
    }

    public I8042(IrqLine kbdIrq, IrqLine mouseIrq, IrqLine a20, IrqLine reset, Events events) {
        this.kbdIrq = kbdIrq;
        this.mouseIrq = mouseIrq;
        this.a20 = a20;
        this.reset = reset;
        this.events = events;
        this.kbd = new Ps2Keyboard(new Ps2Keyboard.Listener() {
            @Override
            public void dataPending(boolean pending) {
                kbdPending = pending;
                safeUpdateIrq();
            }

            @Override
            public void ledsChanged(int leds) {
                events.ledsChanged(leds);
            }
        });
        this.mouse = new Ps2Mouse(pending -> {
            mousePending = pending;
            safeUpdateIrq();
        });
        reset();
    }

    public Ps2Keyboard keyboard() {
        return kbd;
    }

    public Ps2Mouse mouse() {
        return mouse;
    }

    /** QEMU's kbd_reset with the devices' own resets. */
    public void reset() {
        kbd.reset();
        mouse.reset();
        mode = MODE_KBD_INT | MODE_MOUSE_INT;
        status = STAT_CMD | STAT_UNLOCKED;
        outport = OUT_RESET | OUT_A20 | OUT_ONES;
        ctrlPending = false;
        kbdPending = false;
        mousePending = false;
        writeCmd = 0;
        obsrc = SRC_NONE;
        deassertIrq();
    }

    /** Port 0x64. */
    public int readStatus() {
        return status;
    }

    /** Port 0x60. */
    public int readData() {
        if ((status & STAT_OBF) != 0) {
            deassertIrq();
            switch (obsrc) {
                case SRC_KBD -> obdata = kbd.read();
                case SRC_MOUSE -> obdata = mouse.read();
                case SRC_CTRL -> obdata = dequeueCtrl();
                default -> {
                }
            }
        }
        return obdata;
    }

    /** Port 0x64: a controller command. */
    public void writeCommand(int value) {
        int val = value & 0xFF;
        if ((val & 0xF0) == 0xF0) { // pulse output port bits 3-0 (0 = pulse); only bit 0 (reset) matters
            val = (val & 1) == 0 ? 0xFE : 0xFF;
        }
        switch (val) {
            case 0x20 -> queueCtrl(mode, false);
            case 0x60, 0xD1, 0xD2, 0xD3, 0xD4 -> writeCmd = val;
            case 0xA7 -> mode |= MODE_DISABLE_MOUSE;
            case 0xA8 -> {
                mode &= ~MODE_DISABLE_MOUSE;
                updateIrq();
            }
            case 0xA9, 0xAB -> queueCtrl(0x00, false);
            case 0xAA -> {
                status |= STAT_SELFTEST;
                queueCtrl(0x55, false);
            }
            case 0xAD -> {
                mode |= MODE_DISABLE_KBD;
                updateIrq();
            }
            case 0xAE -> {
                mode &= ~MODE_DISABLE_KBD;
                updateIrq();
            }
            case 0xC0 -> queueCtrl(0x80, false);
            case 0xD0 -> queueCtrl(outport, false);
            case 0xDF -> {
                a20.raise();
                outport |= OUT_A20;
            }
            case 0xDD -> {
                a20.lower();
                outport &= ~OUT_A20;
            }
            case 0xFE -> reset.pulse();
            case 0xFF -> {
                // no operation
            }
            default -> events.unsupportedCommand(val);
        }
    }

    /** Port 0x60: data for the keyboard or the argument of the last command. */
    public void writeData(int value) {
        int val = value & 0xFF;
        switch (writeCmd) {
            case 0x60 -> {
                mode = val;
                kbd.setTranslation((mode & MODE_KCC) != 0);
                updateIrqLines();
                safeUpdateIrq();
            }
            case 0xD1 -> writeOutport(val);
            case 0xD2 -> queueCtrl(val, false);
            case 0xD3 -> queueCtrl(val, true);
            case 0xD4 -> {
                mouse.write(val);
                mode &= ~MODE_DISABLE_MOUSE; // talking to the mouse re-enables its interface
                safeUpdateIrq();
            }
            default -> {
                kbd.write(val);
                mode &= ~MODE_DISABLE_KBD;
                safeUpdateIrq();
            }
        }
        writeCmd = 0;
    }

    private void writeOutport(int val) {
        outport = val;
        a20.set((val & OUT_A20) != 0);
        if ((val & OUT_RESET) == 0) {
            reset.pulse();
        }
    }

    /** The A20 gate as the output port has it. */
    public boolean a20() {
        return (outport & OUT_A20) != 0;
    }

    // ---------------------------------------------------------------------------- output buffer

    private void queueCtrl(int b, boolean aux) {
        ctrlData = b & 0xFF;
        ctrlPending = true;
        ctrlAux = aux;
        safeUpdateIrq();
    }

    private int dequeueCtrl() {
        int b = ctrlData;
        ctrlPending = false;
        if (anyPending()) {
            updateIrq();
        }
        return b;
    }

    /** What may fill the output buffer: the controller's byte, and the devices whose interface is enabled. */
    private boolean anyPending() {
        return ctrlPending || kbdPending && (mode & MODE_DISABLE_KBD) == 0
                || mousePending && (mode & MODE_DISABLE_MOUSE) == 0;
    }

    /** QEMU's kbd_safe_update_irq: refill the output buffer only when it is empty. */
    private void safeUpdateIrq() {
        if ((status & STAT_OBF) != 0) {
            return;
        }
        if (anyPending()) {
            updateIrq();
        }
    }

    /** QEMU's kbd_update_irq: the output buffer's source by priority, then the IRQ lines. */
    private void updateIrq() {
        status &= ~(STAT_OBF | STAT_MOUSE_OBF);
        outport &= ~(OUT_OBF | OUT_MOUSE_OBF);
        if (anyPending()) {
            status |= STAT_OBF;
            outport |= OUT_OBF;
            if (ctrlPending) {
                obsrc = SRC_CTRL;
                if (ctrlAux) {
                    status |= STAT_MOUSE_OBF;
                    outport |= OUT_MOUSE_OBF;
                }
            } else if (kbdPending && (mode & MODE_DISABLE_KBD) == 0) {
                obsrc = SRC_KBD;
            } else {
                status |= STAT_MOUSE_OBF;
                outport |= OUT_MOUSE_OBF;
                obsrc = SRC_MOUSE;
            }
        }
        updateIrqLines();
    }

    private void deassertIrq() {
        status &= ~(STAT_OBF | STAT_MOUSE_OBF);
        outport &= ~(OUT_OBF | OUT_MOUSE_OBF);
        updateIrqLines();
    }

    private void updateIrqLines() {
        boolean kbdLevel = false;
        boolean mouseLevel = false;
        if ((status & STAT_OBF) != 0) {
            if ((status & STAT_MOUSE_OBF) != 0) {
                mouseLevel = (mode & MODE_MOUSE_INT) != 0;
            } else {
                kbdLevel = (mode & MODE_KBD_INT) != 0 && (mode & MODE_DISABLE_KBD) == 0;
            }
        }
        kbdIrq.set(kbdLevel);
        mouseIrq.set(mouseLevel);
    }

    // ---------------------------------------------------------------------------------- state

    public I8042State save() {
        return I8042State.of(this);
    }

    public void restore(I8042State s) {
        s.validate();
        s.applyTo(this);
        kbd.setTranslation((mode & MODE_KCC) != 0);
        updateIrqLines();
        a20.set((outport & OUT_A20) != 0);
    }
}
