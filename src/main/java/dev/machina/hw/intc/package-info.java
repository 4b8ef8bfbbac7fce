/**
 * Interrupt controllers of the PC as pure register models: the 8259A pair with its ELCR
 * ({@link dev.machina.hw.intc.I8259}, {@link dev.machina.hw.intc.I8259Pair}), the I/O APIC and the
 * local APIC of one CPU. Each takes {@link dev.machina.hw.core.IrqLine} outputs (and, where it keeps
 * time, {@link dev.machina.hw.core.Timers}) in its constructor; none opens files, threads or sockets.
 * Depends on {@code dev.machina.hw.core} only.
 */
package dev.machina.hw.intc;
