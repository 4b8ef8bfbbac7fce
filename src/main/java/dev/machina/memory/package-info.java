/**
 * Physical memory and I/O ports as the CPU sees them: {@link dev.machina.memory.PhysicalMemory}
 * (RAM and ROM pages in one backing array the CPU reads directly, everything else through a slow
 * path), {@link dev.machina.memory.MemoryMap} (regions laid out in a 32-bit physical address space:
 * RAM, ROM, read-only aliases, MMIO handlers, holes), and {@link dev.machina.memory.IoPorts} (the
 * x86 I/O port space).
 *
 * <p>Depends on nothing else in Machina; the CPU ({@code dev.machina.cpu.x86}) and device models
 * depend on it.
 */
package dev.machina.memory;
