package dev.machina.cpu.x86;

/**
 * RDRAND (0F C7 /6 with a register operand; CPUID.1:ECX.RDRAND[30]), SDM Vol. 2B: a random value in the
 * destination, CF = 1 (a value was available), OF, SF, ZF, AF and PF cleared. The memory form (VMPTRLD of
 * VMX) and the F2/F3 forms are #UD, as in QEMU 7.2 TCG; so is every form on a model without rdrand.
 *
 * <p>Where the values come from: a SplitMix64 sequence per CPU from a fixed seed, so that a run is
 * reproducible like everything else a guest can observe here (the TSC follows the virtual clock, the
 * virtual clock the retired instructions). They are not secret: RDRAND here is no entropy source, as
 * QEMU's is not under its {@code -seed} either (its qemu_guest_getrandom then is a seeded generator).
 */
final class RandomOps {
    private RandomOps() {}

    static final int W_1_ECX_RDRAND = 1 << 30;
    /** The sequence's start (any constant; fixed so that every run of a guest sees the same values). */
    static final long SEED = 0x6D616368696E61L; // "machina"

    static Op rdrand(Insn i) {
        if (!i.isReg() || i.rep != 0) {
            return null;
        }
        if ((i.model.features()[CpuModel.W_1_ECX] & W_1_ECX_RDRAND) == 0) {
            return SystemOps.missingFeature("RDRAND", "rdrand");
        }
        return new Rdrand(i.osize, i.rm);
    }

    /** The next value of c's sequence (SplitMix64: Steele, Lea and Flood, OOPSLA 2014). */
    static long next(CpuState c) {
        long z = c.rdrandState += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static final class Rdrand extends Op {
        private final int size, d;

        Rdrand(int size, int d) {
            this.size = size;
            this.d = d;
        }

        @Override
        void exec(Cpu c) {
            c.setReg(size, d, (int) next(c));
            c.setSomeFlags(Cpu.ARITH, Cpu.CF);
        }
    }
}
