/**
 * The MC146818 real-time clock and CMOS RAM ({@link dev.machina.hw.rtc.Mc146818}) as a pure
 * register model, and the bytes a PC board fills in it ({@link dev.machina.hw.rtc.PcCmos}).
 * Depends on {@code dev.machina.hw.core} only.
 */
package dev.machina.hw.rtc;
