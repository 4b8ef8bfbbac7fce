/**
 * The PC's keyboard controller and its PS/2 devices as pure register models: the i8042
 * ({@link dev.machina.hw.input.I8042}) with its A20 and reset outputs, a PS/2 keyboard with a
 * queue for host keys, a PS/2 mouse. Depends on {@code dev.machina.hw.core} only.
 */
package dev.machina.hw.input;
