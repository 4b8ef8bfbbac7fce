package dev.machina.hw.intc;

import dev.machina.hw.core.IrqLine;

/**
 * The PC's two cascaded 8259A controllers (QEMU's {@code i8259_init}): the slave's INT drives the
 * master's IR2, the master's INT is the CPU's INTR (or the local APIC's LINT0), and the
 * interrupt-acknowledge cycle ({@link #acknowledge()}) asks the master and, for IR2, the slave for
 * the vector.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>ISA IRQ lines 0-15: {@link #irq(int)} (0-7 on the master, 8-15 on the slave; line 2 is the
 *       cascade and is normally not driven by a device).</li>
 *   <li>Ports, as the board decodes them: master 0x20/0x21 and ELCR 0x4D0, slave 0xA0/0xA1 and ELCR
 *       0x4D1 ({@link #master()}, {@link #slave()}).</li>
 *   <li>{@link #acknowledge()}: the vector of the request the CPU takes, with the 8259A's spurious
 *       IRQ 7 (vector base + 7 of the chip that has nothing) when the request went away.</li>
 * </ul>
 */
public final class I8259Pair {
    /** ELCR masks QEMU's pc board gives the two chips (hw/i386/pc.c, hw/intc/i8259_common.c). */
    public static final int MASTER_ELCR_MASK = 0xF8, SLAVE_ELCR_MASK = 0xDE;

    private final I8259 master;
    private final I8259 slave;
    private final IrqLine[] lines = new IrqLine[16];

    public I8259Pair(IrqLine intr) {
        this(intr, new I8259.Events() { });
    }

    public I8259Pair(IrqLine intr, I8259.Events events) {
        this.master = new I8259(true, MASTER_ELCR_MASK, intr, events);
        this.slave = new I8259(false, SLAVE_ELCR_MASK, master.input(2), events);
        for (int i = 0; i < 16; i++) {
            lines[i] = i < 8 ? master.input(i) : slave.input(i - 8);
        }
    }

    public I8259 master() {
        return master;
    }

    public I8259 slave() {
        return slave;
    }

    /** ISA IRQ line {@code n} (0-15). */
    public IrqLine irq(int n) {
        return lines[n & 15];
    }

    public void reset() {
        slave.reset();
        master.reset();
    }

    /** The INTR pin (the master's INT output). */
    public boolean intr() {
        return master.output();
    }

    /**
     * The interrupt-acknowledge cycle (QEMU's pic_read_irq): the vector the CPU gets. A request
     * that vanished before the acknowledge gives the spurious IRQ 7 of the chip concerned.
     */
    public int acknowledge() {
        int irq = master.pendingIrq();
        if (irq == I8259.NONE) {
            return master.irqBase() + 7;
        }
        int vector;
        if (irq == 2) {
            int irq2 = slave.pendingIrq();
            if (irq2 != I8259.NONE) {
                slave.intack(irq2);
            } else {
                irq2 = 7;
            }
            vector = slave.irqBase() + irq2;
        } else {
            vector = master.irqBase() + irq;
        }
        master.intack(irq);
        return vector;
    }
}
