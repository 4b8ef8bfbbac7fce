/**
 * Timers of the PC as pure register models: the 8254 PIT ({@link dev.machina.hw.timer.I8254}), port
 * 0x61 ({@link dev.machina.hw.timer.PcSpeaker}) and the HPET. Each takes its IRQ outputs and the
 * machine's {@link dev.machina.hw.core.Timers} in its constructor and computes counters from the
 * clock; none opens files, threads or sockets. Depends on {@code dev.machina.hw.core} only.
 */
package dev.machina.hw.timer;
