package dev.machina.hw.intc;

import dev.machina.hw.core.InvalidStateException;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.Timer;
import dev.machina.hw.core.Timers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The Intel 82093AA I/O APIC as QEMU 7.2's {@code ioapic} models it (hw/intc/ioapic.c): 24
 * interrupt inputs, each routed by its redirection table entry to the local APICs as an MSI-format
 * message.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>MMIO (4 KiB at 0xFEC00000 on a PC, decoded on the low byte of the offset): IOREGSEL at
 *       0x00 (8 bits, any access size), IOWIN at 0x10 (32-bit accesses only; others read 0 and
 *       are ignored), the EOI register at 0x40 (version 0x20 only). Registers through IOWIN:
 *       0x00 ID (bits 27-24), 0x01 version ({@code version} | 23 << 16: QEMU 7.2's default 0x20),
 *       0x02 arbitration (reads as the ID), 0x10 + 2n / 0x11 + 2n redirection entry n, low and high
 *       half. Delivery status and remote IRR are read-only.</li>
 *   <li>Inputs 0-23 ({@link #input}): input 0 is routed to pin 2, as QEMU does for the PC's IRQ 0
 *       (the ACPI MADT's interrupt source override). Edge entries deliver each time their line is
 *       driven high while unmasked (as QEMU 7.2, which has no edge detector: a device that drives
 *       a line high twice gets two interrupts); level entries follow the line and set remote IRR when delivered, cleared by the
 *       local APIC's EOI ({@link #eoi}) or an EOI register write, redelivering while the line is
 *       still high.</li>
 *   <li>Output: each delivery is an MSI write ({@link MsiSink}): address 0xFEE00000 | dest << 12
 *       | dest mode << 2, data vector | delivery mode << 8 | trigger << 15. An ExtINT entry takes
 *       its vector from the 8259 ({@code extIntAck}, the interrupt-acknowledge cycle).</li>
 *   <li>Reset: every entry masked (0x10000), ID 0, IOREGSEL 0, no requests.</li>
 * </ul>
 *
 * <p>As QEMU: a level interrupt that is EOIed 10,000 times in a row while its line stays high is
 * redelivered 10 ms later instead of at once, so a guest stuck in an interrupt storm still runs.
 */
public final class IoApic {
    /** Where the I/O APIC's messages go: the local APICs' MSI window (QEMU writes them to 0xFEE00000). */
    @FunctionalInterface
    public interface MsiSink {
        void msi(long address, int data);
    }

    public static final int PINS = 24;
    public static final long MSI_BASE = 0xFEE00000L;
    static final int IOREGSEL = 0x00, IOWIN = 0x10, EOI = 0x40;
    static final int REG_ID = 0x00, REG_VER = 0x01, REG_ARB = 0x02, REG_REDTBL = 0x10;
    static final long MASKED = 1L << 16, TRIGGER_LEVEL = 1L << 15, REMOTE_IRR = 1L << 14, DELIVERY_STATUS = 1L << 12;
    static final long RO_BITS = REMOTE_IRR | DELIVERY_STATUS;
    static final int DM_EXTINT = 7;
    /** EOIs of a still-asserted level interrupt after which QEMU delays its redelivery. */
    static final int SUCCESSIVE_IRQ_MAX_COUNT = 10_000;
    static final long STORM_DELAY_NS = 10_000_000;

    private final MsiSink out;
    private final IntSupplier extIntAck;
    private final int version;
    private final Timer delayedService;
    private final dev.machina.hw.core.Clock clock;
    private final IrqLine[] inputs = new IrqLine[PINS];

    int id;
    int ioregsel;
    int irr;
    final long[] redtbl = new long[PINS];
    final int[] irqEoi = new int[PINS];

    /**
     * @param version QEMU's {@code version} property: 0x11 (82093AA, no EOI register) or 0x20
     * @param extIntAck the 8259's interrupt acknowledge, for ExtINT entries
     */
    public IoApic(MsiSink out, Timers timers, IntSupplier extIntAck, int version) {
        this.out = out;
        this.extIntAck = extIntAck;
        this.version = version & 0xFF;
        this.clock = timers.clock();
        this.delayedService = timers.newTimer("ioapic delayed service", this::service);
        for (int i = 0; i < PINS; i++) {
            int pin = i;
            inputs[i] = level -> setIrq(pin, level);
        }
        reset();
    }

    public void reset() {
        id = 0;
        ioregsel = 0;
        irr = 0;
        for (int i = 0; i < PINS; i++) {
            redtbl[i] = MASKED;
            irqEoi[i] = 0;
        }
        delayedService.cancel();
    }

    /** Input {@code n} (GSI n) as a wire. */
    public IrqLine input(int n) {
        return inputs[n];
    }

    /** Drives input {@code n}; input 0 is pin 2 (QEMU's ISA IRQ 0 override). */
    public void setIrq(int n, boolean level) {
        int pin = n == 0 ? 2 : n;
        if (pin < 0 || pin >= PINS) {
            return;
        }
        int mask = 1 << pin;
        long entry = redtbl[pin];
        if ((entry & TRIGGER_LEVEL) != 0) {
            if (level) {
                irr |= mask;
                if ((entry & REMOTE_IRR) == 0) {
                    service();
                }
            } else {
                irr &= ~mask;
            }
        } else if (level && (entry & MASKED) == 0) { // edges are ignored while masked (82093AA)
            irr |= mask;
            service();
        }
    }

    /** A read of {@code size} bytes at {@code offset} in the 4 KiB window. */
    public int read(long offset, int size) {
        int addr = (int) (offset & 0xFF);
        if (addr == IOREGSEL) {
            return ioregsel;
        }
        if (addr != IOWIN || size != 4) {
            return 0;
        }
        switch (ioregsel) {
            case REG_ID, REG_ARB -> {
                return id << 24;
            }
            case REG_VER -> {
                return version | (PINS - 1) << 16;
            }
            default -> {
                int index = (ioregsel - REG_REDTBL) >> 1;
                if (index >= 0 && index < PINS) {
                    return (ioregsel & 1) != 0 ? (int) (redtbl[index] >>> 32) : (int) redtbl[index];
                }
                return 0;
            }
        }
    }

    public void write(long offset, int size, int value) {
        int addr = (int) (offset & 0xFF);
        switch (addr) {
            case IOREGSEL -> ioregsel = value & 0xFF;
            case IOWIN -> {
                if (size == 4) {
                    writeRegister(value);
                }
            }
            case EOI -> {
                if (size == 4 && version == 0x20) {
                    eoi(value & 0xFF);
                }
            }
            default -> {
            }
        }
    }

    private void writeRegister(int val) {
        switch (ioregsel) {
            case REG_ID -> id = (val >>> 24) & 0x0F;
            case REG_VER, REG_ARB -> {
            }
            default -> {
                int index = (ioregsel - REG_REDTBL) >> 1;
                if (index < 0 || index >= PINS) {
                    return;
                }
                long ro = redtbl[index] & RO_BITS;
                long e = redtbl[index];
                if ((ioregsel & 1) != 0) {
                    e = (e & 0xFFFFFFFFL) | (long) val << 32;
                } else {
                    e = (e & ~0xFFFFFFFFL) | (val & 0xFFFFFFFFL);
                }
                e = (e & ~RO_BITS) | ro;
                if ((e & TRIGGER_LEVEL) == 0) {
                    e &= ~REMOTE_IRR; // an edge entry has no remote IRR
                }
                redtbl[index] = e;
                irqEoi[index] = 0;
                service();
            }
        }
    }

    /** Delivers every pending, unmasked request (QEMU's ioapic_service). */
    private void service() {
        for (int i = 0; i < PINS; i++) {
            int mask = 1 << i;
            if ((irr & mask) == 0) {
                continue;
            }
            long entry = redtbl[i];
            if ((entry & MASKED) != 0) {
                continue;
            }
            if ((entry & TRIGGER_LEVEL) == 0) {
                irr &= ~mask;
            } else {
                boolean coalesce = (entry & REMOTE_IRR) != 0;
                redtbl[i] |= REMOTE_IRR;
                if (coalesce) {
                    continue; // the guest is still serving the previous one
                }
            }
            deliver(entry);
        }
    }

    private void deliver(long entry) {
        int deliveryMode = (int) (entry >> 8) & 7;
        int vector = deliveryMode == DM_EXTINT ? extIntAck.getAsInt() & 0xFF : (int) entry & 0xFF;
        int dest = (int) (entry >>> 56) & 0xFF;
        int destMode = (int) (entry >> 11) & 1;
        int trigger = (int) (entry >> 15) & 1;
        long address = MSI_BASE | (long) dest << 12 | (long) destMode << 2;
        out.msi(address, vector | deliveryMode << 8 | trigger << 15);
    }

    /** The local APIC's EOI broadcast for a level-triggered {@code vector} (QEMU's ioapic_eoi_broadcast). */
    public void eoi(int vector) {
        for (int n = 0; n < PINS; n++) {
            long entry = redtbl[n];
            if ((entry & 0xFF) != vector || (entry & TRIGGER_LEVEL) == 0 || (entry & REMOTE_IRR) == 0) {
                continue;
            }
            redtbl[n] = entry & ~REMOTE_IRR;
            if ((entry & MASKED) == 0 && (irr & (1 << n)) != 0) {
                if (++irqEoi[n] >= SUCCESSIVE_IRQ_MAX_COUNT) {
                    irqEoi[n] = 0;
                    long at = clock.nanos() + STORM_DELAY_NS;
                    if (!delayedService.armed() || delayedService.deadline() > at) {
                        delayedService.armAt(at);
                    }
                } else {
                    service();
                }
            } else {
                irqEoi[n] = 0;
            }
        }
    }

    /** Redirection entry {@code n} (for the monitor's {@code info pic}). */
    public long entry(int n) {
        return redtbl[n];
    }

    // ---------------------------------------------------------------------------------- state

    public record State(int version, int id, int ioregsel, int irr, List<Long> redirectionTable, List<Integer> irqEoi,
            long delayedServiceAt) {
        public static final int VERSION = 1;
        public static final long NONE = Long.MIN_VALUE;

        public State {
            redirectionTable = List.copyOf(redirectionTable);
            irqEoi = List.copyOf(irqEoi);
        }
    }

    public State save() {
        List<Long> t = new ArrayList<>();
        List<Integer> e = new ArrayList<>();
        for (int i = 0; i < PINS; i++) {
            t.add(redtbl[i]);
            e.add(irqEoi[i]);
        }
        return new State(State.VERSION, id, ioregsel, irr, t, e,
                delayedService.armed() ? delayedService.deadline() : State.NONE);
    }

    public void restore(State s) {
        String dev = "ioapic";
        InvalidStateException.checkVersion(dev, s.version(), 1, State.VERSION);
        InvalidStateException.checkRange(dev, "id", s.id(), 0, 0x0F);
        InvalidStateException.checkRange(dev, "ioregsel", s.ioregsel(), 0, 0xFF);
        InvalidStateException.checkRange(dev, "irr", s.irr(), 0, (1 << PINS) - 1);
        if (s.redirectionTable().size() != PINS || s.irqEoi().size() != PINS) {
            throw new InvalidStateException(dev, "redirectionTable", "must have " + PINS + " entries");
        }
        for (int i = 0; i < PINS; i++) {
            InvalidStateException.checkRange(dev, "irqEoi[" + i + "]", s.irqEoi().get(i), 0, SUCCESSIVE_IRQ_MAX_COUNT);
        }
        id = s.id();
        ioregsel = s.ioregsel();
        irr = s.irr();
        for (int i = 0; i < PINS; i++) {
            redtbl[i] = s.redirectionTable().get(i);
            irqEoi[i] = s.irqEoi().get(i);
        }
        if (s.delayedServiceAt() != State.NONE) {
            delayedService.armAt(s.delayedServiceAt());
        } else {
            delayedService.cancel();
        }
    }
}
