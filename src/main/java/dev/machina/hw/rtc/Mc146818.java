package dev.machina.hw.rtc;

import dev.machina.hw.core.Clock;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.Ticks;
import dev.machina.hw.core.Timer;
import dev.machina.hw.core.Timers;

/**
 * The Motorola MC146818 real-time clock and its CMOS RAM, as QEMU 7.2's {@code mc146818rtc}
 * models it (hw/rtc/mc146818rtc.c).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Ports (offsets from {@code iobase}, 0x70 on a PC): 0 is the index (bits 6-0 select one of
 *       the 128 bytes; bit 7 is the PC's NMI mask, kept in {@link #nmiDisabled()} and otherwise
 *       ignored, as in QEMU); a read of it returns 0xFF as QEMU 7.2's does (SeaBIOS's
 *       {@code call32_prep} relies on reading something back). Offset 1 reads and writes the
 *       selected byte.</li>
 *   <li>Bytes 0-9 are the time, alarm and date registers, in BCD or binary (register B's DM) and
 *       12- or 24-hour format (B's 24/12); the year is {@code baseYear} + century byte (0x32,
 *       also reached as 0x37) × 100 + year byte. Register A: UIP (set in the last 244 µs of each
 *       second), the divider (DV 0-2 run, 6-7 hold the divider in reset) and the periodic rate;
 *       register B: SET, PIE, AIE, UIE, SQWE, DM, 24/12, DSE; register C (read clears it and lowers
 *       the IRQ): IRQF, PF, AF, UF; register D: VRT, always set. Bytes 0x0E-0x7F are plain
 *       RAM; {@link #setByte}/{@link #byteAt} are the board's access to them (QEMU's
 *       {@code rtc_set_memory}), {@link PcCmos} fills what a PC board puts there.</li>
 *   <li>Time: {@code baseEpochSeconds} (the host's time at start, or {@code -rtc base=}) plus
 *       the {@link Clock} of the {@link Timers} the board lends (virtual or host).</li>
 *   <li>{@code irq} (ISA IRQ 8) is high while IRQF is set: periodic (PF at the rate of A when PIE
 *       is set), alarm (AF) and update-ended (UF, every second) interrupts. Lost periodic ticks are
 *       discarded (QEMU's {@code lost_tick_policy=discard}, the default; {@code slew} is not
 *       modelled).</li>
 *   <li>Construction is QEMU's realize (A=0x26, B=0x02, C=0, D=0x80, the date from the base);
 *       {@link #reset()} is QEMU's reset: PIE, AIE and SQWE off, the flags of C cleared, byte
 *       0x0F cleared unless it holds 0xFE (a guest's suspend marker).</li>
 * </ul>
 *
 * <p>Unlike QEMU 7.2, the alarm's hour in 12-hour mode is compared with its AM/PM bit, as the data
 * sheet says (QEMU mixes the alarm hour with the current hour's PM bit).
 */
public final class Mc146818 {
    /** What the RTC reports besides its registers; the default ignores everything. */
    public interface Events {
        /** The guest set the date and time (QEMU's RTC_CHANGE event): seconds since 1970, UTC. */
        default void timeSet(long epochSeconds) {
        }
    }

    static final int SECONDS = 0, SECONDS_ALARM = 1, MINUTES = 2, MINUTES_ALARM = 3, HOURS = 4, HOURS_ALARM = 5,
            DAY_OF_WEEK = 6, DAY_OF_MONTH = 7, MONTH = 8, YEAR = 9, REG_A = 0x0A, REG_B = 0x0B, REG_C = 0x0C,
            REG_D = 0x0D, CENTURY = 0x32, IBM_PS2_CENTURY = 0x37;
    static final int A_UIP = 0x80;
    static final int B_SET = 0x80, B_PIE = 0x40, B_AIE = 0x20, B_UIE = 0x10, B_SQWE = 0x08, B_DM = 0x04, B_24H = 0x02;
    static final int C_IRQF = 0x80, C_PF = 0x40, C_AF = 0x20, C_UF = 0x10, C_MASK = 0x70;
    /** The time base of the MC146818 (32.768 kHz crystal). */
    static final long RTC_HZ = 32768;
    static final long NS = 1_000_000_000L;
    /** UIP is set this long before each update: 8 cycles of the 32.768 kHz clock (QEMU's UIP_HOLD_LENGTH). */
    static final long UIP_HOLD = 8 * NS / RTC_HZ;
    /** {@link #nextAlarmSeconds} when the alarm fields can never match. */
    static final long NO_ALARM = Long.MAX_VALUE;

    private final IrqLine irq;
    private final Clock clock;
    private final Timer periodicTimer;
    private final Timer updateTimer;
    private final Events events;
    final int baseYear;

    final byte[] cmos = new byte[128];
    int index;
    boolean nmiDisabled;
    /** The RTC's time as seconds since 1970 when {@link #lastUpdate} was read from the clock. */
    long baseRtc;
    long lastUpdate;
    /** Sub-second phase of the RTC relative to the clock, in ns. */
    long offset;
    long nextPeriodicTime;
    int period;
    long nextAlarmTime;

    public Mc146818(IrqLine irq, Timers timers, long baseEpochSeconds, int baseYear) {
        this(irq, timers, baseEpochSeconds, baseYear, new Events() { });
    }

    public Mc146818(IrqLine irq, Timers timers, long baseEpochSeconds, int baseYear, Events events) {
        this.irq = irq;
        this.clock = timers.clock();
        this.events = events;
        this.baseYear = baseYear;
        this.periodicTimer = timers.newTimer("mc146818 periodic", this::onPeriodicTimer);
        this.updateTimer = timers.newTimer("mc146818 update", this::onUpdateTimer);
        cmos[REG_A] = 0x26;
        cmos[REG_B] = 0x02;
        cmos[REG_C] = 0x00;
        cmos[REG_D] = (byte) 0x80;
        baseRtc = baseEpochSeconds;
        lastUpdate = clock.nanos();
        offset = 0;
        setCmosTime(Calendar.fromEpochSeconds(baseEpochSeconds));
        reset();
    }

    /** QEMU's reset: interrupt enables and flags off, byte 0x0F cleared unless it is 0xFE. */
    public void reset() {
        if ((cmos[0x0F] & 0xFF) != 0xFE) {
            cmos[0x0F] = 0;
        }
        cmos[REG_B] &= (byte) ~(B_PIE | B_AIE | B_SQWE);
        cmos[REG_C] &= (byte) ~(C_UF | C_IRQF | C_PF | C_AF);
        checkUpdateTimer();
        periodicTimerUpdate(clock.nanos(), 0, false);
        irq.lower();
    }

    /** A read of offset 0 (the index: reads 0xFF, as QEMU 7.2) or 1 (the selected byte). */
    public int read(int offset) {
        return (offset & 1) == 0 ? 0xFF : readData();
    }

    public void write(int offset, int value) {
        if ((offset & 1) == 0) {
            index = value & 0x7F;
            nmiDisabled = (value & 0x80) != 0;
        } else {
            writeData(value & 0xFF);
        }
    }

    /** Bit 7 of the last index write: the PC's NMI mask (the board may gate NMI with it). */
    public boolean nmiDisabled() {
        return nmiDisabled;
    }

    /** The board's write of a CMOS byte, bypassing the register semantics (QEMU's rtc_set_memory). */
    public void setByte(int addr, int value) {
        cmos[addr & 0x7F] = (byte) value;
    }

    public int byteAt(int addr) {
        return cmos[addr & 0x7F] & 0xFF;
    }

    private int readData() {
        switch (index) {
            case IBM_PS2_CENTURY, CENTURY, SECONDS, MINUTES, HOURS, DAY_OF_WEEK, DAY_OF_MONTH, MONTH, YEAR -> {
                if (index == IBM_PS2_CENTURY) {
                    index = CENTURY;
                }
                if (running()) {
                    updateTime();
                }
                return cmos[index] & 0xFF;
            }
            case REG_A -> {
                int ret = cmos[REG_A] & 0xFF;
                return updateInProgress() ? ret | A_UIP : ret;
            }
            case REG_C -> {
                int ret = cmos[REG_C] & 0xFF;
                irq.lower();
                cmos[REG_C] = 0;
                if ((ret & (C_UF | C_AF)) != 0) {
                    checkUpdateTimer();
                }
                return ret;
            }
            default -> {
                return cmos[index] & 0xFF;
            }
        }
    }

    private void writeData(int data) {
        switch (index) {
            case SECONDS_ALARM, MINUTES_ALARM, HOURS_ALARM -> {
                cmos[index] = (byte) data;
                checkUpdateTimer();
            }
            case IBM_PS2_CENTURY, CENTURY, SECONDS, MINUTES, HOURS, DAY_OF_WEEK, DAY_OF_MONTH, MONTH, YEAR -> {
                if (index == IBM_PS2_CENTURY) {
                    index = CENTURY;
                }
                cmos[index] = (byte) data;
                if (running()) {
                    setTimeFromCmos();
                    checkUpdateTimer();
                }
            }
            case REG_A -> writeRegA(data);
            case REG_B -> writeRegB(data);
            case REG_C, REG_D -> {
                // read-only
            }
            default -> cmos[index] = (byte) data;
        }
    }

    private void writeRegA(int data) {
        int a = cmos[REG_A] & 0xFF;
        boolean periodChanged = ((a ^ data) & 0x0F) != 0;
        int oldPeriod = periodicTicks();
        if ((data & 0x60) == 0x60) { // divider reset
            if (running()) {
                updateTime();
            }
            a &= ~A_UIP;
        } else if ((a & 0x60) == 0x60 && (data & 0x70) <= 0x20) {
            // the divider reset removed: the first update comes half a second later
            if ((cmos[REG_B] & B_SET) == 0) {
                offset = 500_000_000L;
                setTimeFromCmos();
            }
            a &= ~A_UIP;
        }
        cmos[REG_A] = (byte) ((data & ~A_UIP) | (a & A_UIP));
        if (periodChanged) {
            periodicTimerUpdate(clock.nanos(), oldPeriod, true);
        }
        checkUpdateTimer();
    }

    private void writeRegB(int value) {
        int data = value;
        int b = cmos[REG_B] & 0xFF;
        boolean periodChanged = ((b ^ data) & B_PIE) != 0;
        int oldPeriod = periodicTicks();
        if ((data & B_SET) != 0) {
            if (running()) {
                updateTime();
            }
            cmos[REG_A] &= (byte) ~A_UIP;
            data &= ~B_UIE; // setting SET clears UIE (data sheet)
        } else if ((b & B_SET) != 0 && (cmos[REG_A] & 0x70) <= 0x20) {
            offset = Math.floorMod(guestNanos(), NS);
            setTimeFromCmos();
        }
        // a flag already set when its interrupt becomes enabled interrupts at once
        if ((data & cmos[REG_C] & C_MASK) != 0) {
            cmos[REG_C] |= (byte) C_IRQF;
            irq.raise();
        } else {
            cmos[REG_C] &= (byte) ~C_IRQF;
            irq.lower();
        }
        cmos[REG_B] = (byte) data;
        if (periodChanged) {
            periodicTimerUpdate(clock.nanos(), oldPeriod, true);
        }
        checkUpdateTimer();
    }

    // ------------------------------------------------------------------------------- time keeping

    /** Counting: SET clear and the divider in a running setting (DV 0-2). */
    boolean running() {
        return (cmos[REG_B] & B_SET) == 0 && (cmos[REG_A] & 0x70) <= 0x20;
    }

    /** The RTC's time in ns since 1970. */
    long guestNanos() {
        return baseRtc * NS + clock.nanos() - lastUpdate + offset;
    }

    /**
     * QEMU's rtc_update_time: the time registers from the clock (unless SET). The arithmetic is
     * QEMU's to the bit: nanoseconds in 64 bits (so a date set centuries away wraps as it does
     * there) and a truncating division.
     */
    private void updateTime() {
        long seconds = guestNanos() / NS;
        if ((cmos[REG_B] & B_SET) == 0) {
            setCmosTime(Calendar.fromEpochSeconds(seconds));
        }
    }

    /** QEMU's rtc_set_time: the clock from the time registers. */
    private void setTimeFromCmos() {
        baseRtc = RtcFields.epochSeconds(this);
        lastUpdate = clock.nanos();
        events.timeSet(baseRtc);
    }

    private void setCmosTime(Calendar.Time t) {
        RtcFields.store(this, t);
    }

    private boolean updateInProgress() {
        if (!running()) {
            return false;
        }
        if (updateTimer.armed() && clock.nanos() >= updateTimer.deadline() - UIP_HOLD) {
            cmos[REG_A] |= (byte) A_UIP; // latched until the update
            return true;
        }
        return Math.floorMod(guestNanos(), NS) >= NS - UIP_HOLD;
    }

    /** Arms the update timer for the next event that can change register C (QEMU's check_update_timer). */
    private void checkUpdateTimer() {
        if ((cmos[REG_A] & 0x60) == 0x60) {
            updateTimer.cancel();
            return;
        }
        long now = clock.nanos();
        long nextUpdate = now + NS - Math.floorMod(guestNanos(), NS);
        long alarmIn = RtcFields.nextAlarmSeconds(this);
        nextAlarmTime = alarmIn == NO_ALARM ? Long.MAX_VALUE : nextUpdate + (alarmIn - 1) * NS;
        int c = cmos[REG_C];
        if ((c & C_UF) == 0) {
            updateTimer.armAt(nextUpdate);
        } else if ((c & C_AF) == 0 && alarmIn != NO_ALARM) {
            updateTimer.armAt(nextAlarmTime);
        } else {
            updateTimer.cancel();
        }
    }

    private void onUpdateTimer() {
        updateTime();
        cmos[REG_A] &= (byte) ~A_UIP;
        int irqs = C_UF;
        if (clock.nanos() >= nextAlarmTime) {
            irqs |= C_AF;
        }
        int newIrqs = irqs & ~cmos[REG_C];
        cmos[REG_C] |= (byte) irqs;
        if ((newIrqs & cmos[REG_B]) != 0) {
            cmos[REG_C] |= (byte) C_IRQF;
            irq.raise();
        }
        checkUpdateTimer();
    }

    /** The periodic interrupt's period in 32.768 kHz cycles, 0 when off (PIE clear or rate 0). */
    int periodicTicks() {
        if ((cmos[REG_B] & B_PIE) == 0) {
            return 0;
        }
        int code = cmos[REG_A] & 0x0F;
        if (code == 0) {
            return 0;
        }
        if (code <= 2) {
            code += 7;
        }
        return 1 << (code - 1);
    }

    /** QEMU's periodic_timer_update with the discard policy. */
    private void periodicTimerUpdate(long now, int oldPeriod, boolean periodChange) {
        int p = periodicTicks();
        period = p;
        if (p == 0) {
            periodicTimer.cancel();
            return;
        }
        long cur = Ticks.fromNanos(now, RTC_HZ);
        long lost = 0;
        if (oldPeriod != 0 && periodChange) {
            long next = Ticks.fromNanos(nextPeriodicTime, RTC_HZ);
            lost = Math.max(0, cur - (next - oldPeriod));
        }
        lost = Math.min(lost, p);
        nextPeriodicTime = Ticks.toNanos(cur + p - lost, RTC_HZ) + 1;
        periodicTimer.armAt(nextPeriodicTime);
    }

    private void onPeriodicTimer() {
        periodicTimerUpdate(nextPeriodicTime, period, false);
        cmos[REG_C] |= (byte) C_PF;
        if ((cmos[REG_B] & B_PIE) != 0) {
            cmos[REG_C] |= (byte) C_IRQF;
            irq.raise();
        }
    }

    // ---------------------------------------------------------------------------------- state

    public Mc146818State save() {
        return Mc146818State.of(this);
    }

    /** Restores a snapshot after checking it; timers are re-armed from it. */
    public void restore(Mc146818State s) {
        s.validate();
        s.applyTo(this);
        if (period != 0) {
            periodicTimer.armAt(nextPeriodicTime);
        } else {
            periodicTimer.cancel();
        }
        checkUpdateTimer();
        irq.set((cmos[REG_C] & C_IRQF) != 0);
    }
}
