package dev.machina.cpu.x86;

/**
 * The one exception the core throws: a guest exception is being raised (vector and error code are
 * in {@link Cpu}), or the current block must be left (self-modifying code). Never leaves
 * {@link Cpu#run}. It captures no stack trace and is allocated once, so raising a guest #PF costs an
 * unwind, not an allocation.
 */
final class CpuFault extends RuntimeException {
    static final CpuFault INSTANCE = new CpuFault();

    private CpuFault() {
        super("guest exception", null, false, false);
    }
}
