/**
 * A bare machine to run the CPU core on its own: RAM, a ROM image at the reset vector (and its
 * last 128 KiB below 1 MiB, as on a PC), and the few ports bare-metal test guests use: the debug
 * console (0xE9 as Bochs, 0x402 as QEMU's isa-debugcon), QEMU's isa-debug-exit at 0xF4 and the
 * port 92h A20 gate. The full PC device set lives elsewhere (a later layer).
 *
 * <p>Depends on {@code dev.machina.cpu.x86} and {@code dev.machina.memory}.
 */
package dev.machina.cpu.x86.harness;
