package dev.machina.hw.timer;

import dev.machina.hw.core.Clock;
import dev.machina.hw.core.InvalidStateException;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.Timer;
import dev.machina.hw.core.Timers;
import java.util.ArrayList;
import java.util.List;

/**
 * The Intel 8254 programmable interval timer as QEMU 7.2's {@code isa-pit} models it
 * (hw/timer/i8254.c, i8254_common.c): three 16-bit counters clocked at 1.193182 MHz.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Ports (offsets 0-3 from {@code iobase}, 0x40 on a PC): counters 0-2, and the control word
 *       register (write only; reads 0). Control words: counter select, RW (latch, LSB, MSB, LSB then
 *       MSB), mode 0-5 (6 and 7 are 2 and 3), BCD; the read-back command (select 3) latches count
 *       and/or status of any counters, each latched once until read.</li>
 *   <li>Counter 0's OUT drives {@code irq0} (ISA IRQ 0), with a timer for each transition. Counter
 *       2's GATE and OUT are the board's (port 0x61, {@link PcSpeaker}); counter 1 (DRAM refresh on
 *       a PC) only counts.</li>
 *   <li>{@link #irqEnable()}: QEMU's input 0: low disconnects IRQ 0 (held low) while the HPET's
 *       legacy replacement route owns it.</li>
 *   <li>Reset (QEMU's pit_reset): every counter in mode 3 with count 0x10000, gates high except
 *       counter 2's; counter 0 starts at once (IRQ 0 at 18.2 Hz before any programming, as QEMU).</li>
 * </ul>
 *
 * <p>Following QEMU 7.2, and not the data sheet: GATE low does not stop counting in modes 0, 2, 3
 * and 4 (a rising GATE restarts modes 1, 2, 3 and 5); OUT in mode 2 is high for one tick at each
 * reload instead of low for one tick before it (the IRQ edge is at the same time); NULL COUNT reads
 * 0. Unlike QEMU 7.2, BCD counters count in decimal (0-9999), as the data sheet says, and modes 6
 * and 7 behave as 2 and 3.
 */
public final class I8254 {
    /** The input clock of every counter on a PC (QEMU's PIT_FREQ). */
    public static final long FREQUENCY_HZ = 1_193_182;

    private final IrqLine irq0;
    private final Clock clock;
    private final Timer timer;
    private final I8254Channel[] channels = {new I8254Channel(), new I8254Channel(), new I8254Channel()};
    private boolean irqDisabled;
    private long nextTransition;
    private final IrqLine irqEnable = level -> setIrqEnabled(level);

    public I8254(IrqLine irq0, Timers timers) {
        this.irq0 = irq0;
        this.clock = timers.clock();
        this.timer = timers.newTimer("i8254 counter 0", this::onTimer);
        reset();
    }

    /**
     * Power-on/system reset. As QEMU's pit_reset, IRQ 0 is not driven now: counter 0's timer is
     * armed for its first transition, which drives it.
     */
    public void reset() {
        long now = clock.nanos();
        for (int i = 0; i < 3; i++) {
            channels[i].reset(now, i != 2);
        }
        if (!irqDisabled) {
            nextTransition = channels[0].nextTransition(now);
            timer.armAt(nextTransition);
        }
    }

    /** The control input QEMU's HPET drives: high connects counter 0's OUT to IRQ 0. */
    public IrqLine irqEnable() {
        return irqEnable;
    }

    public int read(int offset) {
        int addr = offset & 3;
        if (addr == 3) {
            return 0; // the control word register is write-only
        }
        I8254Channel s = channels[addr];
        if (s.statusLatched) {
            s.statusLatched = false;
            return s.status;
        }
        if (s.countLatched != 0) {
            return switch (s.countLatched) {
                case I8254Channel.RW_MSB -> {
                    s.countLatched = 0;
                    yield (s.latchedCount >> 8) & 0xFF;
                }
                case I8254Channel.RW_WORD0 -> {
                    s.countLatched = I8254Channel.RW_MSB;
                    yield s.latchedCount & 0xFF;
                }
                default -> {
                    s.countLatched = 0;
                    yield s.latchedCount & 0xFF;
                }
            };
        }
        int count = s.counter(clock.nanos());
        return switch (s.readState) {
            case I8254Channel.RW_MSB -> (count >> 8) & 0xFF;
            case I8254Channel.RW_WORD0 -> {
                s.readState = I8254Channel.RW_WORD1;
                yield count & 0xFF;
            }
            case I8254Channel.RW_WORD1 -> {
                s.readState = I8254Channel.RW_WORD0;
                yield (count >> 8) & 0xFF;
            }
            default -> count & 0xFF;
        };
    }

    public void write(int offset, int value) {
        int addr = offset & 3;
        int val = value & 0xFF;
        long now = clock.nanos();
        if (addr == 3) {
            writeControl(val, now);
            return;
        }
        I8254Channel s = channels[addr];
        switch (s.writeState) {
            case I8254Channel.RW_MSB -> load(addr, val << 8, now);
            case I8254Channel.RW_WORD0 -> {
                s.writeLatch = val;
                s.writeState = I8254Channel.RW_WORD1;
            }
            case I8254Channel.RW_WORD1 -> {
                s.writeState = I8254Channel.RW_WORD0;
                load(addr, s.writeLatch | (val << 8), now);
            }
            default -> load(addr, val, now);
        }
    }

    private void writeControl(int val, long now) {
        int select = val >> 6;
        if (select == 3) { // read-back: bit 5 low latches counts, bit 4 low latches status
            for (int c = 0; c < 3; c++) {
                if ((val & (2 << c)) != 0) {
                    if ((val & 0x20) == 0) {
                        channels[c].latchCount(now);
                    }
                    if ((val & 0x10) == 0) {
                        channels[c].latchStatus(now);
                    }
                }
            }
            return;
        }
        I8254Channel s = channels[select];
        int access = (val >> 4) & 3;
        if (access == I8254Channel.RW_LATCH) {
            s.latchCount(now);
        } else {
            s.rwMode = access;
            s.readState = access;
            s.writeState = access;
            s.mode = (val >> 1) & 7;
            s.bcd = (val & 1) != 0;
            // as QEMU 7.2: a new control word does not change OUT or the IRQ until the count is written
        }
    }

    private void load(int c, int value, long now) {
        channels[c].load(value, now);
        if (c == 0) {
            updateIrq(now);
        }
    }

    /** GATE input of counter {@code c}: a rising edge restarts modes 1, 2, 3 and 5. */
    public void setGate(int c, boolean level) {
        I8254Channel s = channels[c];
        if (!s.gate && level && s.mode != 0 && s.mode != 4) {
            long now = clock.nanos();
            s.loadTime = now;
            if (c == 0) {
                updateIrq(now);
            }
        }
        s.gate = level;
    }

    public boolean gate(int c) {
        return channels[c].gate;
    }

    /** OUT of counter {@code c} now. */
    public boolean out(int c) {
        return channels[c].out(clock.nanos());
    }

    private void setIrqEnabled(boolean enabled) {
        if (enabled) {
            irqDisabled = false;
            updateIrq(clock.nanos());
        } else {
            irqDisabled = true;
            irq0.lower();
            timer.cancel();
        }
    }

    private void onTimer() {
        updateIrq(nextTransition);
    }

    /** QEMU's pit_irq_timer_update: drive IRQ 0 from OUT at {@code now}, arm the next transition. */
    private void updateIrq(long now) {
        if (irqDisabled) {
            return;
        }
        I8254Channel s = channels[0];
        long next = s.nextTransition(now);
        irq0.set(s.out(now));
        nextTransition = next;
        if (next != I8254Channel.NEVER) {
            timer.armAt(next);
        } else {
            timer.cancel();
        }
    }

    // ---------------------------------------------------------------------------------- state

    /** One counter's snapshot; times are on the machine's clock. */
    public record ChannelState(int count, int latchedCount, int countLatched, boolean statusLatched, int status,
            int readState, int writeState, int writeLatch, int rwMode, int mode, boolean bcd, boolean gate,
            long loadTime) {}

    public record State(int version, List<ChannelState> channels, boolean irqDisabled, long nextTransition) {
        public static final int VERSION = 1;

        public State {
            channels = List.copyOf(channels);
        }
    }

    public State save() {
        List<ChannelState> cs = new ArrayList<>();
        for (I8254Channel s : channels) {
            cs.add(new ChannelState(s.count, s.latchedCount, s.countLatched, s.statusLatched, s.status, s.readState,
                    s.writeState, s.writeLatch, s.rwMode, s.mode, s.bcd, s.gate, s.loadTime));
        }
        return new State(State.VERSION, cs, irqDisabled, nextTransition);
    }

    public void restore(State st) {
        String dev = "i8254";
        InvalidStateException.checkVersion(dev, st.version(), 1, State.VERSION);
        if (st.channels().size() != 3) {
            throw new InvalidStateException(dev, "channels", st.channels().size() + " counters (an 8254 has 3)");
        }
        for (int i = 0; i < 3; i++) {
            ChannelState c = st.channels().get(i);
            String f = "channels[" + i + "].";
            InvalidStateException.checkRange(dev, f + "count", c.count(), 1, 0x10000);
            InvalidStateException.checkRange(dev, f + "latchedCount", c.latchedCount(), 0, 0xFFFF);
            InvalidStateException.checkRange(dev, f + "countLatched", c.countLatched(), 0, 3);
            InvalidStateException.checkRange(dev, f + "status", c.status(), 0, 0xFF);
            InvalidStateException.checkRange(dev, f + "readState", c.readState(), 0, 4);
            InvalidStateException.checkRange(dev, f + "writeState", c.writeState(), 0, 4);
            InvalidStateException.checkRange(dev, f + "writeLatch", c.writeLatch(), 0, 0xFF);
            InvalidStateException.checkRange(dev, f + "rwMode", c.rwMode(), 0, 3);
            InvalidStateException.checkRange(dev, f + "mode", c.mode(), 0, 7);
            if (c.bcd() && c.count() > 10000) {
                throw new InvalidStateException(dev, f + "count", c.count() + " is above 10000 in BCD mode");
            }
        }
        for (int i = 0; i < 3; i++) {
            ChannelState c = st.channels().get(i);
            I8254Channel s = channels[i];
            s.count = c.count();
            s.latchedCount = c.latchedCount();
            s.countLatched = c.countLatched();
            s.statusLatched = c.statusLatched();
            s.status = c.status();
            s.readState = c.readState();
            s.writeState = c.writeState();
            s.writeLatch = c.writeLatch();
            s.rwMode = c.rwMode();
            s.mode = c.mode();
            s.bcd = c.bcd();
            s.gate = c.gate();
            s.loadTime = c.loadTime();
        }
        irqDisabled = st.irqDisabled();
        nextTransition = st.nextTransition();
        if (irqDisabled) {
            timer.cancel();
        } else if (nextTransition != I8254Channel.NEVER) {
            timer.armAt(nextTransition);
        } else {
            timer.cancel();
        }
    }
}
