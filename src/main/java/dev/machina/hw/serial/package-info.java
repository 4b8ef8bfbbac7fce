/**
 * The 16550A UART ({@link dev.machina.hw.serial.Uart16550}) as a pure register model: its
 * transmitter writes to a {@link dev.machina.hw.core.ByteSink}, its receiver takes host bytes
 * under flow control. (Not {@code hw.char}: {@code char} is a Java keyword.) Depends on
 * {@code dev.machina.hw.core} only.
 */
package dev.machina.hw.serial;
