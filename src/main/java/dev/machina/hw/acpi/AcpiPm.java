package dev.machina.hw.acpi;

import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.MachineControl;
import dev.machina.hw.core.Regions;
import dev.machina.hw.core.ShutdownCause;
import dev.machina.hw.core.Timer;
import dev.machina.hw.core.Timers;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.RegionOps;

/**
 * The ACPI fixed-feature hardware registers of a PC chipset (ACPI 3.0 section 4.7; QEMU 7.2
 * hw/acpi/core.c): PM1a event block (PM1_STS, PM1_EN), PM1a control (PM1_CNT), the PM timer
 * (PM_TMR) and a GPE0 block, with the SCI they raise.
 *
 * <ul>
 *   <li>PM_TMR: 24 bits counting at 3.579545 MHz from the machine's clock (QEMU's
 *       muldiv64(virtual ns, 3579545, 10^9)); 32-bit reads only (other sizes read 0).</li>
 *   <li>PM1_STS: write 1 to clear; TMR_STS (bit 0) is set whenever the timer has passed the next
 *       bit-23 transition (QEMU's overflow_time, 0 after reset, so TMR_STS reads set at power-on).
 *       PM1_EN: TMR_EN, GBL_EN, PWRBTN_EN, SLPBTN_EN, RTC_EN raise SCI with their status bit.</li>
 *   <li>PM1_CNT (16-bit callbacks that ignore the offset, as QEMU 7.2's acpi_pm_cnt_ops do:
 *       tests/chipset/qemu72/q35-pm-registers.txt): SCI_EN (bit 0; set at reset when the chipset runs without SMM, QEMU's
 *       {@code acpi_only}, and then not changed by the APM enable/disable commands). Writing
 *       SLP_EN (bit 13) with SLP_TYP (bits 12:10) 0 requests a shutdown (QEMU's DSDT says S5 = 0),
 *       with SLP_TYP = {@code s4Val} too (S4 is a power-off for QEMU); SLP_TYP 1 (S3, suspend to
 *       RAM) is not modelled and ignored.</li>
 *   <li>GPE0: first half status (write 1 to clear), second half enables; SCI while any enabled
 *       status bit of byte 0 is set.</li>
 *   <li>The overflow timer is armed at the first nanosecond at which the counter has reached the
 *       overflow value (rounded up, where QEMU rounds down and would fire early).</li>
 * </ul>
 */
public final class AcpiPm {
    public static final long PM_TIMER_FREQUENCY = 3_579_545;
    private static final long NS = 1_000_000_000L;

    public static final int TMR_STS = 0x0001;
    public static final int TMR_EN = 0x0001;
    public static final int GBL_EN = 0x0020;
    public static final int PWRBTN_EN = 0x0100;
    public static final int SLPBTN_EN = 0x0200;
    public static final int RTC_EN = 0x0400;
    static final int SCI_MASK = TMR_EN | GBL_EN | PWRBTN_EN | SLPBTN_EN | RTC_EN;
    public static final int PWRBTN_STS = 0x0100;
    public static final int SCI_EN = 0x0001;
    public static final int SLP_EN = 0x2000;

    private final IrqLine sci;
    private final Timers timers;
    private final Timer overflowTimer;
    private final MachineControl control;
    private final int s4Val;
    private final boolean acpiOnly;
    private final int[] gpeSts;
    private final int[] gpeEn;
    private int sts;
    private int en;
    private int cnt;
    private long overflowTime;

    /**
     * @param gpeLength bytes of the GPE0 block (status and enable halves), e.g. 4 on PIIX4, 16 on ICH9
     * @param acpiOnly  no SMM: SCI_EN is set at reset and the APM commands leave it
     */
    public AcpiPm(IrqLine sci, Timers timers, MachineControl control, int s4Val, boolean acpiOnly, int gpeLength) {
        this.sci = sci;
        this.timers = timers;
        this.control = control;
        this.s4Val = s4Val;
        this.acpiOnly = acpiOnly;
        this.gpeSts = new int[gpeLength / 2];
        this.gpeEn = new int[gpeLength / 2];
        this.overflowTimer = timers.newTimer("acpi-pm-timer", this::updateSci);
        reset();
    }

    /** The PM timer's full count (not yet cut to 24 bits). */
    private long ticks() {
        long ns = timers.clock().nanos();
        return ns / NS * PM_TIMER_FREQUENCY + ns % NS * PM_TIMER_FREQUENCY / NS;
    }

    public int timer() {
        return (int) (ticks() & 0xFFFFFF);
    }

    public int status() {
        if (ticks() >= overflowTime) {
            sts |= TMR_STS;
        }
        return sts;
    }

    public void writeStatus(int v) {
        if ((status() & v & TMR_STS) != 0) {
            overflowTime = (ticks() + 0x800000L) & ~0x7FFFFFL;
        }
        sts &= ~v;
        updateSci();
    }

    public int enable() {
        return en;
    }

    public void writeEnable(int v) {
        en = v & 0xFFFF;
        updateSci();
    }

    public int control() {
        return cnt;
    }

    public void writeControl(int v) {
        cnt = v & 0xFFFF & ~SLP_EN;
        if ((v & SLP_EN) != 0) {
            int type = (v >> 10) & 7;
            if (type == 0 || (type != 1 && type == s4Val)) {
                control.requestShutdown(ShutdownCause.GUEST_SHUTDOWN);
            }
        }
    }

    /** The APM control port's ACPI enable/disable commands (ACPI 3.0 4.7.2.5). */
    public void apmCommand(boolean enableAcpi, boolean disableAcpi) {
        if (acpiOnly) {
            return;
        }
        if (enableAcpi) {
            cnt |= SCI_EN;
        } else if (disableAcpi) {
            cnt &= ~SCI_EN;
        }
    }

    /** The power button: PWRBTN_STS, and SCI if enabled (QEMU's acpi_pm1_evt_power_down). */
    public void powerButton() {
        if ((en & PWRBTN_EN) != 0) {
            sts |= PWRBTN_STS;
            updateSci();
        }
    }

    public int readGpe(int offset) {
        int half = gpeSts.length;
        return offset < half ? gpeSts[offset] : offset < 2 * half ? gpeEn[offset - half] : 0;
    }

    public void writeGpe(int offset, int v) {
        int half = gpeSts.length;
        if (offset < half) {
            gpeSts[offset] &= ~v;
        } else if (offset < 2 * half) {
            gpeEn[offset - half] = v & 0xFF;
        }
        updateSci();
    }

    /** Sets GPE0 status bits (a hotplug or other event source). */
    public void raiseGpe(int byteIndex, int bits) {
        gpeSts[byteIndex] |= bits;
        updateSci();
    }

    private void updateSci() {
        int s = status();
        boolean level = (s & en & SCI_MASK) != 0 || (gpeSts.length > 0 && (gpeSts[0] & gpeEn[0]) != 0);
        sci.set(level);
        if ((en & TMR_EN) != 0 && (s & TMR_STS) == 0) {
            // first nanosecond at which ticks() >= overflowTime
            long q = overflowTime / PM_TIMER_FREQUENCY;
            long r = overflowTime % PM_TIMER_FREQUENCY;
            overflowTimer.armAt(q * NS + (r * NS + PM_TIMER_FREQUENCY - 1) / PM_TIMER_FREQUENCY);
        } else {
            overflowTimer.cancel();
        }
    }

    public void reset() {
        sts = 0;
        en = 0;
        cnt = acpiOnly ? SCI_EN : 0;
        overflowTime = 0;
        java.util.Arrays.fill(gpeSts, 0);
        java.util.Arrays.fill(gpeEn, 0);
        overflowTimer.cancel();
        sci.set(false);
    }

    // -- regions --------------------------------------------------------------------------

    /** {@code acpi-evt} (4 bytes), {@code acpi-cnt} (2), {@code acpi-tmr} (4), placed by the chipset at PMBASE+0/+4/+8. */
    public MemoryRegion[] pm1Regions(Regions r) {
        MemoryRegion evt = r.io("acpi-evt", 4, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return offset == 0 ? status() : offset == 2 ? en : 0;
            }

            @Override
            public void write(long offset, int size, long value) {
                if (offset == 0) {
                    writeStatus((int) value);
                } else if (offset == 2) {
                    writeEnable((int) value);
                }
            }
        }, AccessRule.sizes(1, 2, 2, 2));
        MemoryRegion ctl = r.io("acpi-cnt", 2, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return cnt; // QEMU 7.2 ignores the offset: inb PM1_CNT+1 reads the low byte
            }

            @Override
            public void write(long offset, int size, long value) {
                writeControl((int) value); // and a byte written at +1 lands in the low byte
            }
        }, AccessRule.sizes(1, 2, 2, 2));
        MemoryRegion tmr = r.io("acpi-tmr", 4, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return timer() & 0xFFFFFFFFL;
            }

            @Override
            public void write(long offset, int size, long value) {
            }
        }, AccessRule.sizes(4, 4));
        return new MemoryRegion[] {evt, ctl, tmr};
    }

    /** {@code acpi-gpe0}: the GPE0 block, byte-wide registers. */
    public MemoryRegion gpeRegion(Regions r) {
        return r.io("acpi-gpe0", 2L * gpeSts.length, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return readGpe((int) offset);
            }

            @Override
            public void write(long offset, int size, long value) {
                writeGpe((int) offset, (int) value);
            }
        }, AccessRule.sizes(1, 4, 1, 1));
    }
}
