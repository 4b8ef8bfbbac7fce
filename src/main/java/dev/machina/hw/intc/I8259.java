package dev.machina.hw.intc;

import dev.machina.hw.core.InvalidStateException;
import dev.machina.hw.core.IrqLine;

/**
 * One Intel 8259A programmable interrupt controller, as QEMU 7.2's {@code isa-i8259} models it
 * (hw/intc/i8259.c, hw/intc/i8259_common.c). A PC has two, cascaded: see {@link I8259Pair}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Registers (8259A data sheet names): offset 0 takes ICW1 (bit 4 set) or OCW2/OCW3 (bit 3
 *       selects OCW3) and reads IRR or ISR as OCW3's RR/RIS chose; offset 1 takes ICW2-ICW4 during
 *       initialization and OCW1 (the IMR) after it, and reads the IMR. A read while OCW3 armed the
 *       poll command returns {@code 0x80 | level} of the highest request and acknowledges it, or 0.</li>
 *   <li>The edge/level control register (ELCR, ports 0x4D0/0x4D1 on a PC, one byte per chip) selects
 *       level triggering per input; bits outside {@code elcrMask} read 0 (QEMU's pc sets 0xF8 on the
 *       master and 0xDE on the slave: IRQ 0, 1, 2, 8 and 13 are always edge).</li>
 *   <li>Inputs IR0-IR7 ({@link #input(int)}); output INT ({@code intOut}), high while an unmasked
 *       request outranks the current in-service level.</li>
 *   <li>Reset (QEMU's {@code pic_reset}): everything but the input levels of level-triggered lines
 *       cleared, ELCR 0. ICW1 clears the same state except the ELCR.</li>
 * </ul>
 *
 * <p>Deviations from the data sheet, all QEMU 7.2's (recorded in
 * {@code tests/qemu72/isa/pic-*.txt}): ICW1's LTIM bit (level-triggered mode for all inputs) is
 * ignored and reported as unimplemented; ICW3 is accepted and ignored (the cascade is the board's
 * wiring, IR2 of the master); the special fully nested mode of ICW4 is honoured on the master only;
 * the buffered mode and the 8080/8085 call format (ICW4 bits 0, 2, 3) have no effect.
 */
public final class I8259 {
    /** What the chip reports besides its registers; the default ignores everything. */
    public interface Events {
        /** The guest used a feature the model does not implement (QEMU's LOG_UNIMP). */
        default void unimplemented(String what) {
        }
    }

    private static final Events NO_EVENTS = new Events() { };
    /** Returned by the priority resolver when no request qualifies. */
    private static final int NO_LEVEL = 8;
    /** What {@link #pendingIrq()} returns when nothing is pending. */
    public static final int NONE = -1;

    private final boolean master;
    private final int elcrMask;
    private final IrqLine intOut;
    private final Events events;
    private final IrqLine[] inputs = new IrqLine[8];

    private int irr;
    private int imr;
    private int isr;
    /** Level of each input as last driven (QEMU's last_irr): the edge detector. */
    private int lines;
    private int priorityAdd;
    private int irqBase;
    private boolean readIsr;
    private boolean poll;
    private boolean specialMask;
    /** 0: operational; 1, 2, 3: ICW2, ICW3, ICW4 expected next. */
    private int initState;
    private boolean autoEoi;
    private boolean rotateOnAutoEoi;
    private boolean specialFullyNested;
    private boolean init4;
    private boolean singleMode;
    private int elcr;
    private boolean outLevel;

    public I8259(boolean master, int elcrMask, IrqLine intOut) {
        this(master, elcrMask, intOut, NO_EVENTS);
    }

    public I8259(boolean master, int elcrMask, IrqLine intOut, Events events) {
        this.master = master;
        this.elcrMask = elcrMask & 0xFF;
        this.intOut = intOut;
        this.events = events;
        for (int i = 0; i < 8; i++) {
            int pin = i;
            inputs[i] = level -> setIrq(pin, level);
        }
        reset();
    }

    public boolean master() {
        return master;
    }

    /** Input IR{@code pin} (0-7) as a wire a device drives. */
    public IrqLine input(int pin) {
        return inputs[pin & 7];
    }

    /** Power-on/system reset: QEMU's pic_reset (the ELCR too). */
    public void reset() {
        elcr = 0;
        initReset();
    }

    /** Drives input IR{@code pin}: a rising edge latches IRR; a level input follows the line. */
    public void setIrq(int pin, boolean level) {
        int mask = 1 << (pin & 7);
        if ((elcr & mask) != 0) {
            if (level) {
                irr |= mask;
                lines |= mask;
            } else {
                irr &= ~mask;
                lines &= ~mask;
            }
        } else if (level) {
            if ((lines & mask) == 0) {
                irr |= mask;
            }
            lines |= mask;
        } else {
            lines &= ~mask;
        }
        updateOutput();
    }

    /** A read of offset 0 or 1 of the chip's two ports. */
    public int read(int offset) {
        if (poll) {
            poll = false;
            int irq = pendingIrq();
            if (irq == NONE) {
                return 0;
            }
            intack(irq);
            return 0x80 | irq;
        }
        if ((offset & 1) == 0) {
            return readIsr ? isr : irr;
        }
        return imr;
    }

    /** A write of offset 0 or 1 of the chip's two ports (only the low byte counts). */
    public void write(int offset, int value) {
        int val = value & 0xFF;
        if ((offset & 1) != 0) {
            writeData(val);
        } else if ((val & 0x10) != 0) {
            writeIcw1(val);
        } else if ((val & 0x08) != 0) {
            writeOcw3(val);
        } else {
            writeOcw2(val);
        }
    }

    public int readElcr() {
        return elcr;
    }

    public void writeElcr(int value) {
        elcr = value & elcrMask;
    }

    /**
     * The IR level the chip would have the CPU serve now, or {@link #NONE}: the highest-priority
     * unmasked request that outranks the highest in-service level (QEMU's pic_get_irq).
     */
    public int pendingIrq() {
        int priority = priorityOf(irr & ~imr);
        if (priority == NO_LEVEL) {
            return NONE;
        }
        int inService = isr;
        if (specialMask) {
            inService &= ~imr;
        }
        if (specialFullyNested && master) {
            inService &= ~(1 << 2);
        }
        return priority < priorityOf(inService) ? (priority + priorityAdd) & 7 : NONE;
    }

    /** The vector base ICW2 set (bits 7-3). */
    public int irqBase() {
        return irqBase;
    }

    /**
     * The interrupt-acknowledge cycle for IR{@code irq}: sets its ISR bit (unless auto-EOI),
     * clears an edge request, updates INT.
     */
    void intack(int irq) {
        int mask = 1 << irq;
        if (autoEoi) {
            if (rotateOnAutoEoi) {
                priorityAdd = (irq + 1) & 7;
            }
        } else {
            isr |= mask;
        }
        if ((elcr & mask) == 0) {
            irr &= ~mask;
        }
        updateOutput();
    }

    private void initReset() {
        lines = 0;
        irr &= elcr;
        imr = 0;
        isr = 0;
        priorityAdd = 0;
        irqBase = 0;
        readIsr = false;
        poll = false;
        specialMask = false;
        initState = 0;
        autoEoi = false;
        rotateOnAutoEoi = false;
        specialFullyNested = false;
        init4 = false;
        singleMode = false;
        updateOutput();
    }

    private void writeIcw1(int val) {
        initReset();
        initState = 1;
        init4 = (val & 0x01) != 0;
        singleMode = (val & 0x02) != 0;
        if ((val & 0x08) != 0) {
            events.unimplemented("i8259: ICW1 LTIM (level-triggered mode) is ignored, as in QEMU 7.2; use the ELCR");
        }
    }

    private void writeOcw3(int val) {
        if ((val & 0x04) != 0) {
            poll = true;
        }
        if ((val & 0x02) != 0) {
            readIsr = (val & 0x01) != 0;
        }
        if ((val & 0x40) != 0) {
            specialMask = (val & 0x20) != 0;
        }
    }

    private void writeOcw2(int val) {
        switch (val >> 5) {
            case 0, 4 -> rotateOnAutoEoi = (val >> 5) == 4; // clear / set rotate in auto-EOI mode
            case 1, 5 -> { // non-specific EOI, rotate on non-specific EOI
                int priority = priorityOf(isr);
                if (priority != NO_LEVEL) {
                    int irq = (priority + priorityAdd) & 7;
                    isr &= ~(1 << irq);
                    if ((val >> 5) == 5) {
                        priorityAdd = (irq + 1) & 7;
                    }
                    updateOutput();
                }
            }
            case 3 -> { // specific EOI
                isr &= ~(1 << (val & 7));
                updateOutput();
            }
            case 6 -> { // set priority: IR(val & 7) becomes the lowest
                priorityAdd = (val + 1) & 7;
                updateOutput();
            }
            case 7 -> { // rotate on specific EOI
                int irq = val & 7;
                isr &= ~(1 << irq);
                priorityAdd = (irq + 1) & 7;
                updateOutput();
            }
            default -> { // 2: no operation
            }
        }
    }

    private void writeData(int val) {
        switch (initState) {
            case 0 -> { // OCW1
                imr = val;
                updateOutput();
            }
            case 1 -> { // ICW2
                irqBase = val & 0xF8;
                initState = singleMode ? (init4 ? 3 : 0) : 2;
            }
            case 2 -> initState = init4 ? 3 : 0; // ICW3: the cascade is wired by the board
            default -> { // ICW4
                specialFullyNested = (val & 0x10) != 0;
                autoEoi = (val & 0x02) != 0;
                initState = 0;
            }
        }
    }

    /** Priority (0 highest) of the best bit of {@code mask} under the current rotation, or NO_LEVEL. */
    private int priorityOf(int mask) {
        if (mask == 0) {
            return NO_LEVEL;
        }
        int priority = 0;
        while ((mask & (1 << ((priority + priorityAdd) & 7))) == 0) {
            priority++;
        }
        return priority;
    }

    private void updateOutput() {
        boolean level = pendingIrq() != NONE;
        outLevel = level;
        intOut.set(level);
    }

    /** The INT output's level. */
    public boolean output() {
        return outLevel;
    }

    // ---------------------------------------------------------------------------------- state

    /** Snapshot of one chip; {@code lines} is the input levels as last driven. */
    public record State(int version, int irr, int imr, int isr, int lines, int priorityAdd, int irqBase,
            boolean readIsr, boolean poll, boolean specialMask, int initState, boolean autoEoi,
            boolean rotateOnAutoEoi, boolean specialFullyNested, boolean init4, boolean singleMode, int elcr) {
        public static final int VERSION = 1;
    }

    public State save() {
        return new State(State.VERSION, irr, imr, isr, lines, priorityAdd, irqBase, readIsr, poll, specialMask,
                initState, autoEoi, rotateOnAutoEoi, specialFullyNested, init4, singleMode, elcr);
    }

    /** Restores a snapshot after checking every field; the output is re-driven from it. */
    public void restore(State s) {
        String dev = "i8259";
        InvalidStateException.checkVersion(dev, s.version(), 1, State.VERSION);
        InvalidStateException.checkRange(dev, "irr", s.irr(), 0, 0xFF);
        InvalidStateException.checkRange(dev, "imr", s.imr(), 0, 0xFF);
        InvalidStateException.checkRange(dev, "isr", s.isr(), 0, 0xFF);
        InvalidStateException.checkRange(dev, "lines", s.lines(), 0, 0xFF);
        InvalidStateException.checkRange(dev, "irqBase", s.irqBase(), 0, 0xF8);
        InvalidStateException.checkRange(dev, "priorityAdd", s.priorityAdd(), 0, 7);
        InvalidStateException.checkRange(dev, "initState", s.initState(), 0, 3);
        if ((s.irqBase() & 7) != 0) {
            throw new InvalidStateException(dev, "irqBase", s.irqBase() + " is not a multiple of 8");
        }
        if ((s.elcr() & ~elcrMask) != 0) {
            throw new InvalidStateException(dev, "elcr", String.format("0x%02x has bits outside the mask 0x%02x",
                    s.elcr(), elcrMask));
        }
        irr = s.irr();
        imr = s.imr();
        isr = s.isr();
        lines = s.lines();
        priorityAdd = s.priorityAdd();
        irqBase = s.irqBase();
        readIsr = s.readIsr();
        poll = s.poll();
        specialMask = s.specialMask();
        initState = s.initState();
        autoEoi = s.autoEoi();
        rotateOnAutoEoi = s.rotateOnAutoEoi();
        specialFullyNested = s.specialFullyNested();
        init4 = s.init4();
        singleMode = s.singleMode();
        elcr = s.elcr();
        updateOutput();
    }
}
