/**
 * A bare machine to run the CPU core on its own: RAM, a ROM image at the reset vector (and its
 * last 128 KiB below 1 MiB, as on a PC), and the few ports bare-metal test guests use, made of the
 * same device models as a PC ({@code dev.machina.hw.misc}: isa-debugcon at 0x402 or 0xE9,
 * isa-debug-exit at 0xF4, port92) on the same memory system ({@code dev.machina.memory}).
 *
 * <p>Depends on {@code dev.machina.cpu.x86}, {@code dev.machina.memory}, {@code dev.machina.hw.core}
 * and {@code dev.machina.hw.misc}.
 */
package dev.machina.cpu.x86.harness;
