/**
 * Small ISA devices that are the reference bindings for every other model: {@code isa-debugcon}
 * ({@link dev.machina.hw.misc.IsaDebugcon}), {@code isa-debug-exit}
 * ({@link dev.machina.hw.misc.IsaDebugExit}) and {@code port92}
 * ({@link dev.machina.hw.misc.IsaPort92} over the register model {@link dev.machina.hw.misc.Port92}).
 *
 * <p>Depends on {@code dev.machina.hw.core} and {@code dev.machina.memory} only.
 */
package dev.machina.hw.misc;
