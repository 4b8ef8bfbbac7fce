/**
 * The x86 CPU core: a threaded interpreter for the 386/486/Pentium integer instruction set in real
 * mode and 16/32-bit protected mode with paging.
 *
 * <p>Guest code is decoded once ({@link dev.machina.cpu.x86.Decoder}, driven by the opcode map in
 * {@link dev.machina.cpu.x86.OpcodeMap}, written in the SDM's operand notation) into operation
 * objects ({@link dev.machina.cpu.x86.Op}: one small final class per instruction form, operands
 * resolved), grouped into {@link dev.machina.cpu.x86.Block}s cached by physical address, EIP and
 * decode mode and linked to their successors ({@link dev.machina.cpu.x86.CodeCache}). Arithmetic
 * flags are kept lazily (last result plus a carry vector, see {@link dev.machina.cpu.x86.Cpu}).
 * Memory accesses take a fast path through a software TLB straight into the RAM backing array;
 * everything else (segment checks that fail the fast test, page walks, MMIO, writes to pages that
 * hold decoded code) goes through the slow path. Guest exceptions are delivered through the IVT or
 * IDT ({@link dev.machina.cpu.x86.Interrupts}); inside the core they travel as one pre-allocated,
 * stack-trace-free {@link dev.machina.cpu.x86.CpuFault} caught at the block boundary, and never
 * leave {@link dev.machina.cpu.x86.Cpu#run}.
 *
 * <p>Depends only on {@code dev.machina.memory} (physical memory and I/O ports through interfaces)
 * and {@code dev.machina.util} (the user-error type of a bad CPU model); PackageDependenciesTest checks it.
 * Interrupts arrive through {@link dev.machina.cpu.x86.Cpu#setIntr} / {@link dev.machina.cpu.x86.Cpu#raiseNmi}
 * and an {@link dev.machina.cpu.x86.InterruptAcknowledge} a PIC provides.
 */
package dev.machina.cpu.x86;
