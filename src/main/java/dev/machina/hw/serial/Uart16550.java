package dev.machina.hw.serial;

import dev.machina.hw.core.ByteSink;
import dev.machina.hw.core.Clock;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.Timer;
import dev.machina.hw.core.Timers;

/**
 * The National Semiconductor 16550A UART as QEMU 7.2's {@code serial} models it
 * (hw/char/serial.c), the core of {@code isa-serial}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Registers (offsets 0-7 from the base, data sheet names): RBR/THR (DLL with LCR.DLAB), IER
 *       (DLM with DLAB), IIR/FCR, LCR, MCR, LSR, MSR, SCR.</li>
 *   <li>Interrupts on {@code irq}, in the 16550A's priority order: receiver line status (OE, PE,
 *       FE, BI), character timeout (four character times after the last byte with the FIFO on),
 *       received data (the FIFO at its trigger level 1, 4, 8 or 14, or a byte without FIFO), THR
 *       empty (cleared by reading IIR or writing THR; re-armed when IER.ETBEI is set while THR is
 *       empty, as QEMU does for Windows), modem status.</li>
 *   <li>Transmission is immediate: a byte written to THR goes to {@code tx} at once and THRE/TEMT
 *       are set again before the write returns (as QEMU 7.2 with a backend that takes every byte);
 *       the divisor and the frame format only set the character time used by the receive
 *       timeout. With MCR.LOOP, transmitted bytes are received instead and MSR mirrors MCR.</li>
 *   <li>Host input: {@link #canReceive()} says how many bytes the UART takes now (QEMU's
 *       serial_can_receive: up to the trigger level with the FIFO, one byte without), and
 *       {@link #receive(int)} delivers one; a host that feeds only what {@code canReceive} allows
 *       never overruns the guest. {@link Events#readyToReceive()} tells it when the guest has read
 *       and more fits.</li>
 *   <li>MSR reads DCD, DSR and CTS set and RI clear (a backend without modem lines); MCR's
 *       DTR/RTS/OUT1/OUT2 have no effect outside loopback. Reset: IER 0, IIR 0x01, LCR 0, MCR OUT2
 *       (QEMU's choice), LSR 0x60, MSR 0xB0, divisor 12 (9600 baud), FIFOs off and empty.</li>
 * </ul>
 */
public final class Uart16550 {
    /** What the UART tells its host side; the default ignores everything. */
    public interface Events {
        /** The guest read the receiver: {@link #canReceive()} may have grown. */
        default void readyToReceive() {
        }

        /** LCR's break-control bit changed (the host may send a break). */
        default void breakChanged(boolean on) {
        }
    }

    static final int IER_RDI = 0x01, IER_THRI = 0x02, IER_RLSI = 0x04, IER_MSI = 0x08;
    static final int IIR_NO_INT = 0x01, IIR_MSI = 0x00, IIR_THRI = 0x02, IIR_RDI = 0x04, IIR_RLSI = 0x06,
            IIR_CTI = 0x0C, IIR_ID = 0x06, IIR_FE = 0xC0;
    static final int FCR_FE = 0x01, FCR_RFR = 0x02, FCR_XFR = 0x04;
    static final int LCR_DLAB = 0x80;
    static final int MCR_LOOP = 0x10, MCR_OUT2 = 0x08;
    static final int LSR_DR = 0x01, LSR_OE = 0x02, LSR_BI = 0x10, LSR_THRE = 0x20, LSR_TEMT = 0x40,
            LSR_INT_ANY = 0x1E;
    static final int MSR_DCD = 0x80, MSR_DSR = 0x20, MSR_CTS = 0x10, MSR_ANY_DELTA = 0x0F;
    static final int FIFO_LENGTH = 16;
    private static final long NS = 1_000_000_000L;

    private final IrqLine irq;
    private final ByteSink tx;
    private final Clock clock;
    private final Timer fifoTimeout;
    private final Events events;
    private final long baudBase;

    int divider;
    int rbr;
    int ier;
    int iir;
    int lcr;
    int mcr;
    int lsr;
    int msr;
    int scr;
    int fcr;
    boolean thrIpending;
    boolean timeoutIpending;
    boolean lastBreak;
    int recvFifoItl = 1;
    long charTransmitTime;
    final ByteFifo recvFifo = new ByteFifo(FIFO_LENGTH);

    /** @param baudBase the input clock divided by 16 (QEMU's {@code baudbase}, 115200 on a PC) */
    public Uart16550(IrqLine irq, ByteSink tx, Timers timers, long baudBase) {
        this(irq, tx, timers, baudBase, new Events() { });
    }

    public Uart16550(IrqLine irq, ByteSink tx, Timers timers, long baudBase, Events events) {
        this.irq = irq;
        this.tx = tx;
        this.clock = timers.clock();
        this.fifoTimeout = timers.newTimer("16550A receive timeout", this::onFifoTimeout);
        this.events = events;
        this.baudBase = baudBase;
        reset();
    }

    public void reset() {
        rbr = 0;
        ier = 0;
        iir = IIR_NO_INT;
        lcr = 0;
        lsr = LSR_TEMT | LSR_THRE;
        msr = MSR_DCD | MSR_DSR | MSR_CTS;
        divider = 0x0C;
        mcr = MCR_OUT2;
        scr = 0;
        fcr = 0;
        recvFifoItl = 1;
        charTransmitTime = NS / 9600 * 10;
        timeoutIpending = false;
        fifoTimeout.cancel();
        recvFifo.clear();
        thrIpending = false;
        lastBreak = false;
        irq.lower();
    }

    public int read(int offset) {
        switch (offset & 7) {
            case 0 -> {
                if ((lcr & LCR_DLAB) != 0) {
                    return divider & 0xFF;
                }
                return readRbr();
            }
            case 1 -> {
                return (lcr & LCR_DLAB) != 0 ? (divider >> 8) & 0xFF : ier;
            }
            case 2 -> {
                int ret = iir;
                if ((ret & IIR_ID) == IIR_THRI) {
                    thrIpending = false;
                    updateIrq();
                }
                return ret;
            }
            case 3 -> {
                return lcr;
            }
            case 4 -> {
                return mcr;
            }
            case 5 -> {
                int ret = lsr;
                if ((lsr & (LSR_BI | LSR_OE)) != 0) {
                    lsr &= ~(LSR_BI | LSR_OE);
                    updateIrq();
                }
                return ret;
            }
            case 6 -> {
                if ((mcr & MCR_LOOP) != 0) { // the modem outputs wired back to the inputs
                    return (mcr & 0x0C) << 4 | (mcr & 0x02) << 3 | (mcr & 0x01) << 5;
                }
                int ret = msr;
                if ((msr & MSR_ANY_DELTA) != 0) {
                    msr &= 0xF0;
                    updateIrq();
                }
                return ret;
            }
            default -> {
                return scr;
            }
        }
    }

    private int readRbr() {
        int ret;
        if ((fcr & FCR_FE) != 0) {
            ret = recvFifo.isEmpty() ? 0 : recvFifo.pop();
            if (recvFifo.isEmpty()) {
                lsr &= ~(LSR_DR | LSR_BI);
            } else {
                fifoTimeout.armAt(clock.nanos() + charTransmitTime * 4);
            }
            timeoutIpending = false;
        } else {
            ret = rbr;
            lsr &= ~(LSR_DR | LSR_BI);
        }
        updateIrq();
        if ((mcr & MCR_LOOP) == 0) {
            events.readyToReceive();
        }
        return ret;
    }

    public void write(int offset, int value) {
        int val = value & 0xFF;
        switch (offset & 7) {
            case 0 -> {
                if ((lcr & LCR_DLAB) != 0) {
                    divider = (divider & 0xFF00) | val;
                    updateParameters();
                } else {
                    writeThr(val);
                }
            }
            case 1 -> {
                if ((lcr & LCR_DLAB) != 0) {
                    divider = (divider & 0x00FF) | val << 8;
                    updateParameters();
                } else {
                    writeIer(val);
                }
            }
            case 2 -> writeFcr(val);
            case 3 -> {
                lcr = val;
                updateParameters();
                boolean brk = (val & 0x40) != 0;
                if (brk != lastBreak) {
                    lastBreak = brk;
                    events.breakChanged(brk);
                }
            }
            case 4 -> mcr = val & 0x1F;
            case 7 -> scr = val;
            default -> {
                // LSR and MSR are read-only
            }
        }
    }

    private void writeThr(int val) {
        thrIpending = false;
        lsr &= ~(LSR_THRE | LSR_TEMT);
        updateIrq();
        // the byte leaves at once (the FIFO, if enabled, never holds more than the byte in flight)
        lsr |= LSR_THRE;
        if (!thrIpending) {
            thrIpending = true;
            updateIrq();
        }
        if ((mcr & MCR_LOOP) != 0) {
            receiveByte(val);
        } else {
            tx.write(val);
        }
        lsr |= LSR_TEMT;
    }

    private void writeIer(int val) {
        int changed = (ier ^ val) & 0x0F;
        ier = val & 0x0F;
        if ((changed & IER_THRI) != 0) {
            thrIpending = (ier & IER_THRI) != 0 && (lsr & LSR_THRE) != 0;
        }
        if (changed != 0) {
            updateIrq();
        }
    }

    private void writeFcr(int value) {
        int val = value;
        if (((val ^ fcr) & FCR_FE) != 0) { // enabling or disabling the FIFOs clears them
            val |= FCR_XFR | FCR_RFR;
        }
        if ((val & FCR_RFR) != 0) {
            lsr &= ~(LSR_DR | LSR_BI);
            fifoTimeout.cancel();
            timeoutIpending = false;
            recvFifo.clear();
        }
        if ((val & FCR_XFR) != 0) {
            lsr |= LSR_THRE;
            thrIpending = true;
        }
        fcr = val & 0xC9;
        if ((fcr & FCR_FE) != 0) {
            iir |= IIR_FE;
            recvFifoItl = switch (fcr & 0xC0) {
                case 0x40 -> 4;
                case 0x80 -> 8;
                case 0xC0 -> 14;
                default -> 1;
            };
        } else {
            iir &= ~IIR_FE;
        }
        updateIrq();
    }

    /** QEMU's serial_update_parameters: the character time from divisor and frame format (float, as QEMU). */
    private void updateParameters() {
        int frame = 1 + ((lcr & 0x08) != 0 ? 1 : 0) + (lcr & 0x03) + 5 + ((lcr & 0x04) != 0 ? 2 : 1);
        float speed = divider == 0 ? 3500f : (float) baudBase / divider;
        charTransmitTime = (long) ((1e9f / speed) * frame);
    }

    /** QEMU's serial_update_irq: IIR from the highest-priority pending source, and the IRQ line. */
    private void updateIrq() {
        int id = IIR_NO_INT;
        if ((ier & IER_RLSI) != 0 && (lsr & LSR_INT_ANY) != 0) {
            id = IIR_RLSI;
        } else if ((ier & IER_RDI) != 0 && timeoutIpending) {
            id = IIR_CTI;
        } else if ((ier & IER_RDI) != 0 && (lsr & LSR_DR) != 0
                && ((fcr & FCR_FE) == 0 || recvFifo.size() >= recvFifoItl)) {
            id = IIR_RDI;
        } else if ((ier & IER_THRI) != 0 && thrIpending) {
            id = IIR_THRI;
        } else if ((ier & IER_MSI) != 0 && (msr & MSR_ANY_DELTA) != 0) {
            id = IIR_MSI;
        }
        iir = id | (iir & 0xF0);
        irq.set(id != IIR_NO_INT);
    }

    // ------------------------------------------------------------------------------ host input

    /** How many bytes {@link #receive} takes now without an overrun (QEMU's serial_can_receive). */
    public int canReceive() {
        if ((fcr & FCR_FE) != 0) {
            if (recvFifo.size() >= FIFO_LENGTH) {
                return 0;
            }
            return recvFifo.size() <= recvFifoItl ? recvFifoItl - recvFifo.size() : 1;
        }
        return (lsr & LSR_DR) != 0 ? 0 : 1;
    }

    /** A byte from the host; beyond {@link #canReceive()} it overruns (LSR.OE) as on the wire. */
    public void receive(int b) {
        receiveByte(b & 0xFF);
    }

    /** A break condition from the host: a zero byte with LSR.BI. */
    public void receiveBreak() {
        rbr = 0;
        if ((fcr & FCR_FE) != 0) {
            recvFifoPut(0);
        }
        lsr |= LSR_BI | LSR_DR;
        updateIrq();
    }

    private void receiveByte(int b) {
        if ((fcr & FCR_FE) != 0) {
            recvFifoPut(b);
            lsr |= LSR_DR;
            fifoTimeout.armAt(clock.nanos() + charTransmitTime * 4);
        } else {
            if ((lsr & LSR_DR) != 0) {
                lsr |= LSR_OE;
            }
            rbr = b;
            lsr |= LSR_DR;
        }
        updateIrq();
    }

    private void recvFifoPut(int b) {
        if (recvFifo.size() < FIFO_LENGTH) {
            recvFifo.push(b);
        } else {
            lsr |= LSR_OE; // an overrun does not overwrite the FIFO
        }
    }

    private void onFifoTimeout() {
        if (!recvFifo.isEmpty()) {
            timeoutIpending = true;
            updateIrq();
        }
    }

    // ---------------------------------------------------------------------------------- state

    public Uart16550State save() {
        return Uart16550State.of(this, fifoTimeout.armed() ? fifoTimeout.deadline() : Uart16550State.NO_TIMEOUT);
    }

    public void restore(Uart16550State s) {
        s.validate();
        s.applyTo(this);
        if (s.fifoTimeoutAt() != Uart16550State.NO_TIMEOUT) {
            fifoTimeout.armAt(s.fifoTimeoutAt());
        } else {
            fifoTimeout.cancel();
        }
        updateIrq();
    }
}
