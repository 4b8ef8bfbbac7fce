package dev.machina.hw.timer;

import dev.machina.hw.core.Clock;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.Timer;
import dev.machina.hw.core.Timers;

/**
 * The IA-PC HPET (High Precision Event Timer) as QEMU 7.2's {@code hpet} models it
 * (hw/timer/hpet.c): a 64-bit main counter at 100 MHz and {@code timers} comparators (3 on a PC).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>MMIO, 1 KiB at 0xFED00000, 32-bit accesses (others read 0 and are ignored; a 64-bit
 *       access is two 32-bit ones): 0x000 capabilities and ID (vendor 0x8086, legacy route
 *       capable, 64-bit counter, number of timers - 1, revision 1; period 10,000,000 fs at
 *       0x004), 0x010 configuration (ENABLE_CNF, LEG_RT_CNF), 0x020 interrupt status (write 1 to
 *       clear a level interrupt), 0x0F0 main counter (writable while halted), and per timer n at
 *       0x100 + 0x20n: configuration and capabilities (level, enable, periodic, periodic capable,
 *       64-bit capable, set value, 32-bit mode, route, FSB; routes allowed by {@code intcap} in
 *       bits 63-32), comparator (0x108), FSB route (0x110).</li>
 *   <li>Interrupts: timer n drives output {@code irqs[route]} (QEMU's sysbus-irq[route], GSI
 *       route on a PC): a pulse when edge-triggered, a level until the status bit is cleared
 *       when level-triggered. With LEG_RT_CNF, timer 0 drives output 0 (IRQ 0 / GSI 2) and timer
 *       1 output 8 (IRQ 8), and the 8254's and the RTC's own interrupts are cut off: the inputs
 *       {@link #pitInput()} and {@link #rtcInput()} pass through to outputs 0 and 8 only
 *       outside legacy mode, and {@code pitEnable} (the 8254's {@link I8254#irqEnable()}) goes
 *       low. FSB (MSI) delivery writes the route's data to its address through {@code fsb}.</li>
 *   <li>Timers: periodic mode reloads the comparator by the period written while SETVAL was
 *       clear; a 32-bit one-shot timer also interrupts when the counter wraps, as the
 *       specification and QEMU say.</li>
 *   <li>Reset: counter 0 and halted, configuration 0, every comparator all ones, timers
 *       disabled, the 8254's interrupt reconnected.</li>
 * </ul>
 */
public final class Hpet {
    /** Where an FSB (MSI) interrupt goes: a 32-bit write of {@code data} at {@code address}. */
    @FunctionalInterface
    public interface FsbSink {
        void write(long address, int data);
    }

    /** Nanoseconds per counter tick (QEMU's HPET_CLK_PERIOD: 100 MHz). */
    public static final long TICK_NS = 10;
    static final long CAPABILITIES = 0x8086A001L;
    static final long PERIOD_FS = TICK_NS * 1_000_000;
    static final int ID = 0x000, PERIOD = 0x004, CFG = 0x010, STATUS = 0x020, COUNTER = 0x0F0;
    static final long CFG_ENABLE = 1, CFG_LEGACY = 2, CFG_WRITE_MASK = 3;
    static final long TN_LEVEL = 1 << 1, TN_ENABLE = 1 << 2, TN_PERIODIC = 1 << 3, TN_PERIODIC_CAP = 1 << 4,
            TN_SIZE_CAP = 1 << 5, TN_SETVAL = 1 << 6, TN_32BIT = 1 << 8, TN_FSB_ENABLE = 1 << 14,
            TN_FSB_CAP = 1 << 15, TN_CFG_WRITE_MASK = 0x7F4E;
    static final int RTC_ISA_IRQ = 8;
    /** Outputs: one per route (QEMU's HPET_NUM_IRQ_ROUTES). */
    public static final int ROUTES = 32;

    private final IrqLine[] irqs;
    private final IrqLine pitEnable;
    private final FsbSink fsb;
    private final Clock clock;
    private final int intcap;
    private final boolean msi;
    final HpetTimer[] timers;
    long config;
    long isr;
    /** The counter while halted; while running, it is the clock plus {@link #offset}. */
    long counter;
    long offset;
    boolean rtcLevel;
    private final IrqLine pitIn = level -> {
        if (!legacy()) {
            route(0).set(level);
        }
    };
    private final IrqLine rtcIn = level -> {
        rtcLevel = level;
        if (!legacy()) {
            route(RTC_ISA_IRQ).set(level);
        }
    };

    /**
     * @param irqs the outputs, one per route (missing ones drive nothing)
     * @param count QEMU's {@code timers} property (3 .. 32)
     * @param intcap QEMU's {@code hpet-intcap}: the routes each timer may use (a PC board sets 0x4)
     * @param msi QEMU's {@code msi} property: FSB delivery capability
     */
    public Hpet(IrqLine[] irqs, IrqLine pitEnable, FsbSink fsb, Timers timers, int count, int intcap, boolean msi) {
        this.irqs = irqs.clone();
        this.pitEnable = pitEnable;
        this.fsb = fsb;
        this.clock = timers.clock();
        this.intcap = intcap;
        this.msi = msi;
        int n = Math.max(3, Math.min(32, count));
        this.timers = new HpetTimer[n];
        for (int i = 0; i < n; i++) {
            HpetTimer t = new HpetTimer(this, i);
            t.qemuTimer = timers.newTimer("hpet timer " + i, t::expire);
            this.timers[i] = t;
        }
        reset();
    }

    /** The 8254's IRQ 0 as it comes into the HPET (QEMU's HPET_LEGACY_PIT_INT input). */
    public IrqLine pitInput() {
        return pitIn;
    }

    /** The RTC's IRQ 8 as it comes into the HPET (QEMU's HPET_LEGACY_RTC_INT input). */
    public IrqLine rtcInput() {
        return rtcIn;
    }

    public void reset() {
        for (HpetTimer t : timers) {
            t.stop();
            t.cmp = -1L;
            t.config = TN_PERIODIC_CAP | TN_SIZE_CAP | (msi ? TN_FSB_CAP : 0) | (long) intcap << 32;
            t.period = 0;
            t.fsbRoute = 0;
            t.wrap = false;
        }
        pitEnable.raise();
        counter = 0;
        offset = 0;
        config = 0;
        isr = 0;
        rtcLevel = false;
    }

    boolean enabled() {
        return (config & CFG_ENABLE) != 0;
    }

    boolean legacy() {
        return (config & CFG_LEGACY) != 0;
    }

    /** The main counter now. */
    long ticks() {
        return Long.divideUnsigned(clock.nanos() + offset, TICK_NS); // QEMU: unsigned 64-bit, wrapping
    }

    long nanos() {
        return clock.nanos();
    }

    IrqLine route(int n) {
        return n >= 0 && n < irqs.length && irqs[n] != null ? irqs[n] : IrqLine.none();
    }

    void fsbWrite(long address, int data) {
        fsb.write(address, data);
    }

    // --------------------------------------------------------------------------------- MMIO

    /** A read of {@code size} bytes at {@code offset}; only 32-bit accesses are valid (QEMU 7.2). */
    public int read(long offset, int size) {
        if (size != 4) {
            return 0;
        }
        return read32((int) offset & 0x3FF);
    }

    private int read32(int addr) {
        if (addr >= 0x100) {
            HpetTimer t = timer(addr);
            return t == null ? 0 : t.read((addr - 0x100) % 0x20);
        }
        long cap = CAPABILITIES | (long) (timers.length - 1) << 8 | PERIOD_FS << 32;
        return switch (addr) {
            case ID -> (int) cap;
            case PERIOD -> (int) (cap >>> 32);
            case CFG -> (int) config;
            case STATUS -> (int) isr;
            case COUNTER -> (int) (enabled() ? ticks() : counter);
            case COUNTER + 4 -> (int) ((enabled() ? ticks() : counter) >>> 32);
            default -> 0;
        };
    }

    private HpetTimer timer(int addr) {
        int n = (addr - 0x100) / 0x20;
        return n < timers.length ? timers[n] : null;
    }

    public void write(long offset, int size, int value) {
        if (size != 4) {
            return;
        }
        int addr = (int) offset & 0x3FF;
        long newVal = value & 0xFFFFFFFFL;
        if (addr >= 0x100) {
            HpetTimer t = timer(addr);
            if (t != null) {
                t.write((addr - 0x100) % 0x20, newVal);
            }
            return;
        }
        switch (addr) {
            case CFG -> writeConfig(newVal);
            case STATUS -> {
                long clear = newVal & isr;
                for (HpetTimer t : timers) {
                    if ((clear & (1L << t.index)) != 0) {
                        t.updateIrq(false);
                    }
                }
            }
            case COUNTER -> counter = (counter & 0xFFFFFFFF00000000L) | newVal;
            case COUNTER + 4 -> counter = (counter & 0xFFFFFFFFL) | newVal << 32;
            default -> {
                // the capabilities and the upper half of the configuration are read-only
            }
        }
    }

    private void writeConfig(long newVal) {
        long old = config;
        config = (config & 0xFFFFFFFF00000000L) | (newVal & CFG_WRITE_MASK) | (old & ~CFG_WRITE_MASK & 0xFFFFFFFFL);
        if (turnsOn(old, newVal, CFG_ENABLE)) { // start the counter where it was halted
            offset = counter * TICK_NS - clock.nanos();
            for (HpetTimer t : timers) {
                if (t.cmp != -1L) {
                    t.set();
                }
            }
        } else if (turnsOff(old, newVal, CFG_ENABLE)) {
            counter = ticks();
            for (HpetTimer t : timers) {
                t.stop();
            }
        }
        if (turnsOn(old, newVal, CFG_LEGACY)) {
            pitEnable.lower();
            route(0).lower();
            route(RTC_ISA_IRQ).lower();
        } else if (turnsOff(old, newVal, CFG_LEGACY)) {
            route(0).lower();
            pitEnable.raise();
            route(RTC_ISA_IRQ).set(rtcLevel);
        }
    }

    static boolean turnsOn(long old, long now, long bit) {
        return (old & bit) == 0 && (now & bit) != 0;
    }

    static boolean turnsOff(long old, long now, long bit) {
        return (old & bit) != 0 && (now & bit) == 0;
    }

    // ---------------------------------------------------------------------------------- state

    public HpetState save() {
        return HpetState.of(this);
    }

    public void restore(HpetState s) {
        s.validate(timers.length);
        s.applyTo(this);
        for (HpetTimer t : timers) {
            t.rearm();
        }
    }
}
