package dev.machina.hw.intc;

import dev.machina.hw.core.Clock;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.Timer;
import dev.machina.hw.core.Timers;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * The local APIC of one CPU as QEMU 7.2's {@code apic} models it for TCG (hw/intc/apic.c,
 * apic_common.c): the xAPIC register page, interrupt acceptance and priorities, the timer, LINT0
 * and LINT1, and the CPU side of the interrupt-acknowledge cycle.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>MMIO: the 4 KiB page at 0xFEE00000 ({@link #read}, {@link #write}; 32-bit accesses, smaller
 *       ones read 0 and are ignored; the register is bits 11-4 of the offset). Registers (SDM Vol.
 *       3A 10.4): ID (0x20), version (0x30: {@code version} | 5 << 16, six LVT entries), TPR
 *       (0x80), APR (0x90, reads 0), PPR (0xA0), EOI (0xB0), LDR (0xD0), DFR (0xE0), SVR (0xF0,
 *       bits 8-0 kept), ISR/TMR/IRR (0x100-0x270), ESR (0x280), ICR (0x300/0x310), LVT timer,
 *       thermal, performance counter, LINT0, LINT1, error (0x320-0x370), timer initial count
 *       (0x380), current count (0x390), divide configuration (0x3E0). An unknown register sets ESR
 *       bit 7 (illegal register address). A write at offset 0 of the page or beyond 4 KiB is an
 *       MSI ({@link #msi}), as QEMU's shared region does.</li>
 *   <li>Interrupts arrive as MSI messages ({@link #msi}: from the I/O APIC and PCI devices), from
 *       the LVT (timer, LINT0, LINT1) and from the ICR. This CPU is the only one: physical
 *       destination 0xFF or its ID, a logical destination matching its LDR (flat or cluster
 *       model), the "self" and "all including self" shorthands reach it; "all excluding self"
 *       reaches nobody. Fixed and lowest-priority messages set IRR (and TMR for level); NMI pulses
 *       {@code nmi}; INIT, SIPI and SMI are reported ({@link Events}).</li>
 *   <li>{@code intr} is the CPU's INTR pin: high while a fixed interrupt outranks the processor
 *       priority (PPR) or the 8259 ({@link #setLint0}) is requesting through LINT0.
 *       {@link #acknowledge()} is the CPU's interrupt-acknowledge cycle: the APIC's vector (IRR to
 *       ISR), or the 8259's through {@code picAck} for ExtINT, or the spurious vector of SVR.</li>
 *   <li>EOI clears the highest ISR bit; a level-triggered one is broadcast to the I/O APICs
 *       ({@code eoiBroadcast}).</li>
 *   <li>Timer: the machine's nanosecond clock divided by the divide configuration (QEMU's APIC
 *       timer runs at 1 GHz), one-shot or periodic per LVT timer bit 17; a masked timer does not
 *       interrupt.</li>
 *   <li>The APIC base MSR (0x1B) is the CPU's ({@link #baseMsr}, {@link #writeBaseMsr}): BSP bit 8,
 *       global enable bit 11, which once cleared stays clear until reset (as QEMU: the CPU then
 *       hides the APIC from CPUID, {@link Events#globallyDisabled}). A globally disabled APIC
 *       passes the 8259's INTR straight to the CPU, as the hardware does. The base address is
 *       kept but the registers stay at 0xFEE00000, as in QEMU.</li>
 *   <li>Reset (QEMU's apic_reset_common): every LVT masked, SVR 0xFF (software disabled), DFR
 *       flat, TPR/ISR/IRR/TMR/ESR/ICR/timer 0, ID the initial APIC ID, MSR 0xFEE00000 | enable | BSP.</li>
 * </ul>
 *
 * <p>QEMU 7.2's choices kept (recorded in {@code tests/qtest/lapic-*.txt}): LVT and ICR reserved
 * bits read back as written, ESR is never cleared by a write, vectors below 16 are accepted, after reset the timer
 * counts undivided until the divide register is written. Unlike QEMU, the ICR's delivery-status
 * bit (12) always reads 0 (the IPI has been sent).
 */
public final class LocalApic {
    /** What the APIC asks of its CPU besides INTR and NMI; the default ignores everything. */
    public interface Events {
        /** An INIT message reached this CPU (the CPU resets its state, not the APIC's registers). */
        default void initReceived() {
        }

        /** A start-up IPI reached this CPU while it waits for one (never, for a BSP). */
        default void startupReceived(int vector) {
        }

        /** An SMI message or LVT entry reached this CPU. */
        default void smiReceived() {
        }

        /** The guest cleared the global enable bit of the APIC base MSR (QEMU clears CPUID.1:EDX.APIC). */
        default void globallyDisabled() {
        }
    }

    public static final long DEFAULT_BASE = 0xFEE00000L;
    static final long MSR_BSP = 1 << 8, MSR_ENABLE = 1 << 11;
    static final int SV_ENABLE = 1 << 8;
    static final int LVT_MASKED = 1 << 16, LVT_LEVEL = 1 << 15, LVT_PERIODIC = 1 << 17;
    static final int LVT_TIMER = 0, LVT_THERMAL = 1, LVT_PERF = 2, LVT_LINT0 = 3, LVT_LINT1 = 4, LVT_ERROR = 5;
    static final int LVT_COUNT = 6;
    static final int DM_FIXED = 0, DM_LOWPRI = 1, DM_SMI = 2, DM_NMI = 4, DM_INIT = 5, DM_SIPI = 6, DM_EXTINT = 7;
    static final int ESR_ILLEGAL_ADDRESS = 0x80;
    static final int ICR_BUSY = 1 << 12;

    private final IrqLine intr;
    private final IrqLine nmi;
    private final Clock clock;
    private final Timer timer;
    private final IntSupplier picAck;
    private final IntConsumer eoiBroadcast;
    private final Events events;
    private final int initialId;
    private final int version;
    final ApicRegisters regs = new ApicRegisters();

    /**
     * @param initialId the APIC ID (QEMU's {@code id} property, the CPU index)
     * @param version QEMU's {@code version} property (0x14)
     * @param bsp whether this is the bootstrap processor (MSR bit 8)
     */
    public LocalApic(IrqLine intr, IrqLine nmi, Timers timers, IntSupplier picAck, IntConsumer eoiBroadcast,
            int initialId, int version, boolean bsp, Events events) {
        this.intr = intr;
        this.nmi = nmi;
        this.clock = timers.clock();
        this.timer = timers.newTimer("apic timer", this::onTimer);
        this.picAck = picAck;
        this.eoiBroadcast = eoiBroadcast;
        this.events = events;
        this.initialId = initialId & 0xFF;
        this.version = version & 0xFF;
        regs.apicBase = DEFAULT_BASE | (bsp ? MSR_BSP : 0) | MSR_ENABLE;
        reset();
    }

    /** QEMU's apic_reset_common + apic_init_reset. */
    public void reset() {
        regs.apicBase = DEFAULT_BASE | (regs.apicBase & MSR_BSP) | MSR_ENABLE;
        regs.id = initialId;
        regs.reset();
        timer.cancel();
        updateIrq();
    }

    /**
     * The APIC's part of an INIT (QEMU's apic_init_reset): every register as at reset but the APIC
     * ID and the base MSR, the timer stopped; an application processor then waits for a start-up IPI.
     */
    public void initReset() {
        int id = regs.id;
        regs.reset();
        regs.id = id;
        timer.cancel();
        updateIrq();
    }

    // ------------------------------------------------------------------------------- MSR 0x1B

    public long baseMsr() {
        return regs.apicBase;
    }

    /** WRMSR 0x1B (QEMU's apic_set_base): the base and, once, the disable. */
    public void writeBaseMsr(long value) {
        boolean wasEnabled = hwEnabled();
        regs.apicBase = (value & 0xFFFFF000L) | (regs.apicBase & (MSR_BSP | MSR_ENABLE));
        if ((value & MSR_ENABLE) == 0) { // once disabled, it stays disabled until reset
            regs.apicBase &= ~MSR_ENABLE;
            regs.spuriousVec &= ~SV_ENABLE;
            if (wasEnabled) {
                events.globallyDisabled();
            }
        }
        updateIrq();
    }

    private boolean hwEnabled() {
        return (regs.apicBase & MSR_ENABLE) != 0;
    }

    private boolean swEnabled() {
        return (regs.spuriousVec & SV_ENABLE) != 0;
    }

    /** CR8 (the CPU's cr8legacy LOCK MOV CR0): TPR bits 7:4. */
    public int cr8() {
        return regs.tpr >> 4;
    }

    /** A CR8 write: TPR = (value &amp; 0xF) &lt;&lt; 4, then the interrupt output as for a TPR write. */
    public void writeCr8(int value) {
        regs.tpr = (value & 0xF) << 4;
        updateIrq();
    }

    // --------------------------------------------------------------------------------- MMIO

    public int read(long offset, int size) {
        if (size < 4) {
            return 0;
        }
        int index = (int) (offset >> 4) & 0xFF;
        return switch (index) {
            case 0x02 -> regs.id << 24;
            case 0x03 -> version | (LVT_COUNT - 1) << 16;
            case 0x08 -> regs.tpr;
            case 0x09 -> 0; // arbitration priority: not modelled (QEMU reads 0)
            case 0x0A -> ppr();
            case 0x0B -> 0;
            case 0x0D -> regs.logDest << 24;
            case 0x0E -> regs.destMode << 28 | 0x0FFFFFFF;
            case 0x0F -> regs.spuriousVec;
            case 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17 -> regs.isr[index & 7];
            case 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F -> regs.tmr[index & 7];
            case 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27 -> regs.irr[index & 7];
            case 0x28 -> regs.esr;
            case 0x30 -> regs.icrLow;
            case 0x31 -> regs.icrHigh;
            case 0x32, 0x33, 0x34, 0x35, 0x36, 0x37 -> regs.lvt[index - 0x32];
            case 0x38 -> regs.initialCount;
            case 0x39 -> currentCount();
            case 0x3E -> regs.divideConf;
            default -> {
                regs.esr |= ESR_ILLEGAL_ADDRESS;
                yield 0;
            }
        };
    }

    public void write(long offset, int size, int val) {
        int index = (int) (offset >> 4) & 0xFF;
        if (size < 4) {
            return;
        }
        if (offset > 0xFFF || index == 0) {
            msi(DEFAULT_BASE + offset, val);
            return;
        }
        switch (index) {
            case 0x02 -> regs.id = val >>> 24;
            case 0x08 -> {
                regs.tpr = val & 0xFF;
                updateIrq();
            }
            case 0x0B -> eoi();
            case 0x0D -> regs.logDest = val >>> 24;
            case 0x0E -> regs.destMode = val >>> 28;
            case 0x0F -> {
                regs.spuriousVec = val & 0x1FF;
                updateIrq();
            }
            case 0x30 -> {
                regs.icrLow = val & ~ICR_BUSY;
                sendIpi();
            }
            case 0x31 -> regs.icrHigh = val;
            case 0x32, 0x33, 0x34, 0x35, 0x36, 0x37 -> {
                int n = index - 0x32;
                regs.lvt[n] = val;
                if (n == LVT_TIMER) {
                    timerUpdate(clock.nanos());
                } else if (n == LVT_LINT0 && checkPic()) {
                    updateIrq();
                }
            }
            case 0x38 -> {
                regs.initialCount = val;
                regs.loadTime = clock.nanos();
                timerUpdate(regs.loadTime);
            }
            case 0x3E -> {
                regs.divideConf = val & 0xB;
                int v = (regs.divideConf & 3) | ((regs.divideConf >> 1) & 4);
                regs.countShift = (v + 1) & 7;
            }
            case 0x03, 0x09, 0x0A, 0x39 -> {
                // read-only
            }
            default -> {
                if (index < 0x10 || index > 0x2F) { // ISR, TMR, IRR and ESR writes are ignored (QEMU)
                    regs.esr |= ESR_ILLEGAL_ADDRESS;
                }
            }
        }
    }

    // ------------------------------------------------------------------------ interrupt logic

    /** Processor priority: TPR, or the class of the highest in-service vector if higher. */
    int ppr() {
        int isrv = Math.max(ApicRegisters.highest(regs.isr), 0);
        return (regs.tpr >> 4) >= (isrv >> 4) ? regs.tpr : isrv & 0xF0;
    }

    /** The vector the APIC would deliver, 0 for none, -1 when one is held off by PPR (QEMU's apic_irq_pending). */
    private int irqPending() {
        if (!swEnabled()) {
            return 0;
        }
        int irrv = ApicRegisters.highest(regs.irr);
        if (irrv < 0) {
            return 0;
        }
        int ppr = ppr();
        if (ppr != 0 && (irrv & 0xF0) <= (ppr & 0xF0)) {
            return -1;
        }
        return irrv;
    }

    /** QEMU's apic_accept_pic_intr: the 8259 reaches this CPU (APIC disabled, or LINT0 unmasked). */
    private boolean acceptPic() {
        return !hwEnabled() || (regs.lvt[LVT_LINT0] & LVT_MASKED) == 0;
    }

    private void updateIrq() {
        boolean level;
        if (!hwEnabled()) {
            level = regs.picLevel;
        } else {
            level = irqPending() > 0 || acceptPic() && regs.picLevel;
        }
        intr.set(level);
    }

    /** LINT0: the 8259's INTR (QEMU's pic_irq_request / apic_deliver_pic_intr). */
    public void setLint0(boolean level) {
        regs.picLevel = level;
        if (hwEnabled() && acceptPic()) {
            if (level) {
                localDeliver(LVT_LINT0);
            } else {
                int lvt = regs.lvt[LVT_LINT0];
                int mode = (lvt >> 8) & 7;
                if (mode == DM_FIXED && (lvt & LVT_LEVEL) != 0) {
                    ApicRegisters.clear(regs.irr, lvt & 0xFF);
                }
            }
        }
        updateIrq();
    }

    /** LINT1 (the board's NMI source): a rising edge is delivered as its LVT entry says. */
    public void setLint1(boolean level) {
        if (level && !regs.lint1Level) {
            if (hwEnabled()) {
                localDeliver(LVT_LINT1);
            } else {
                nmi.pulse();
            }
        }
        regs.lint1Level = level;
    }

    private boolean checkPic() {
        if (!acceptPic() || !regs.picLevel) {
            return false;
        }
        localDeliver(LVT_LINT0);
        return true;
    }

    private void localDeliver(int n) {
        int lvt = regs.lvt[n];
        if ((lvt & LVT_MASKED) != 0) {
            return;
        }
        switch ((lvt >> 8) & 7) {
            case DM_SMI -> events.smiReceived();
            case DM_NMI -> nmi.pulse();
            case DM_EXTINT -> updateIrq();
            case DM_FIXED -> {
                boolean level = (n == LVT_LINT0 || n == LVT_LINT1) && (lvt & LVT_LEVEL) != 0;
                setIrq(lvt & 0xFF, level);
            }
            default -> {
            }
        }
    }

    private void setIrq(int vector, boolean level) {
        ApicRegisters.set(regs.irr, vector);
        if (level) {
            ApicRegisters.set(regs.tmr, vector);
        } else {
            ApicRegisters.clear(regs.tmr, vector);
        }
        updateIrq();
    }

    /**
     * The CPU's interrupt-acknowledge cycle (QEMU's cpu_get_pic_interrupt): always a vector, the
     * spurious one when the request went away.
     */
    public int acknowledge() {
        if (!hwEnabled()) {
            return picAck.getAsInt();
        }
        if (swEnabled()) {
            int intno = irqPending();
            // an 8259 request through LINT0 goes first: ExtINT ignores the priorities
            if (intno != 0 && !checkPic()) {
                if (intno < 0) {
                    return regs.spuriousVec & 0xFF;
                }
                ApicRegisters.clear(regs.irr, intno);
                ApicRegisters.set(regs.isr, intno);
                updateIrq();
                return intno;
            }
        }
        return acceptPic() ? picAck.getAsInt() : regs.spuriousVec & 0xFF;
    }

    private void eoi() {
        int isrv = ApicRegisters.highest(regs.isr);
        if (isrv < 0) {
            return;
        }
        ApicRegisters.clear(regs.isr, isrv);
        if (ApicRegisters.get(regs.tmr, isrv)) {
            eoiBroadcast.accept(isrv);
        }
        updateIrq();
    }

    // ----------------------------------------------------------------------- messages and IPIs

    /** An MSI-format message (I/O APIC, PCI MSI): address bits 19-12 destination, 2 mode; data vector, mode, trigger. */
    public void msi(long address, int data) {
        int dest = (int) (address >> 12) & 0xFF;
        boolean logical = (address & 4) != 0;
        deliver(matches(dest, logical), (data >> 8) & 7, data & 0xFF, (data & 0x8000) != 0);
    }

    private boolean matches(int dest, boolean logical) {
        if (!logical) {
            return dest == 0xFF || dest == regs.id;
        }
        if (regs.destMode == 0xF) {
            return (dest & regs.logDest) != 0;
        }
        if (regs.destMode == 0) {
            return (dest & 0xF0) == (regs.logDest & 0xF0) && (dest & regs.logDest & 0x0F) != 0;
        }
        return false;
    }

    private void deliver(boolean toSelf, int mode, int vector, boolean level) {
        if (!toSelf) {
            return;
        }
        switch (mode) {
            case DM_FIXED, DM_LOWPRI, DM_EXTINT -> setIrq(vector, level);
            case DM_SMI -> events.smiReceived();
            case DM_NMI -> nmi.pulse();
            case DM_INIT -> events.initReceived();
            default -> {
            }
        }
    }

    /** A write of ICR low: QEMU's apic_deliver for a machine with this one CPU. */
    private void sendIpi() {
        int icr = regs.icrLow;
        int shorthand = (icr >> 18) & 3;
        boolean toSelf = switch (shorthand) {
            case 0 -> matches(regs.icrHigh >>> 24, (icr & (1 << 11)) != 0);
            case 1, 2 -> true;
            default -> false;
        };
        int mode = (icr >> 8) & 7;
        if (mode == DM_INIT && (icr & (1 << 15)) != 0 && (icr & (1 << 14)) == 0) {
            return; // INIT level de-assert: only resynchronizes arbitration IDs
        }
        if (mode == DM_SIPI) {
            if (toSelf && regs.waitForSipi) {
                regs.waitForSipi = false;
                events.startupReceived(icr & 0xFF);
            }
            return;
        }
        deliver(toSelf, mode, icr & 0xFF, (icr & (1 << 15)) != 0);
    }

    // ------------------------------------------------------------------------------- timer

    int currentCount() {
        long d = (clock.nanos() - regs.loadTime) >> regs.countShift;
        long initial = regs.initialCount & 0xFFFFFFFFL;
        if ((regs.lvt[LVT_TIMER] & LVT_PERIODIC) != 0) {
            return (int) (initial - d % (initial + 1));
        }
        return d >= initial ? 0 : (int) (initial - d);
    }

    /** QEMU's apic_next_timer / apic_timer_update. */
    private void timerUpdate(long now) {
        if ((regs.lvt[LVT_TIMER] & LVT_MASKED) != 0) {
            timer.cancel();
            return;
        }
        long d = (now - regs.loadTime) >> regs.countShift;
        long initial = regs.initialCount & 0xFFFFFFFFL;
        if ((regs.lvt[LVT_TIMER] & LVT_PERIODIC) != 0) {
            if (initial == 0) {
                timer.cancel();
                return;
            }
            d = (d / (initial + 1) + 1) * (initial + 1);
        } else {
            if (d >= initial) {
                timer.cancel();
                return;
            }
            d = initial + 1;
        }
        regs.nextTime = regs.loadTime + (d << regs.countShift);
        timer.armAt(regs.nextTime);
    }

    private void onTimer() {
        localDeliver(LVT_TIMER);
        timerUpdate(regs.nextTime);
    }

    // ---------------------------------------------------------------------------------- state

    public LocalApicState save() {
        return LocalApicState.of(regs, timer.armed());
    }

    public void restore(LocalApicState s) {
        s.validate();
        s.applyTo(regs);
        if (s.timerArmed()) {
            timer.armAt(regs.nextTime);
        } else {
            timer.cancel();
        }
        updateIrq();
    }
}
