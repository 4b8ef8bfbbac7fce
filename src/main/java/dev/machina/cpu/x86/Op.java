package dev.machina.cpu.x86;

/**
 * One decoded instruction with its operands resolved: the unit the block loop executes. Subclasses
 * are small final classes, one per instruction form; they allocate nothing when executed. A guest
 * exception is raised by throwing {@link CpuFault} (via {@link Cpu#fault}); the block loop knows
 * which instruction was running. An op that transfers control writes {@link Cpu#eip}; the others
 * leave it alone (the block loop has already set it to the block's fall-through address).
 */
abstract class Op {
    abstract void exec(Cpu c);
}
