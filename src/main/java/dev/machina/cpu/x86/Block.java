package dev.machina.cpu.x86;

/**
 * A run of decoded instructions that starts at one physical address and EIP in one decode mode and
 * ends at a control transfer, a mode-changing instruction, a page boundary or a length limit. The
 * block loop runs {@link #ops} in order; {@link #eips} gives each op's EIP (for faults). A flag-setting
 * instruction and the conditional branch after it may share one op.
 * Up to two successors are linked ({@link #next0}, {@link #next1}), so a hot loop goes from block
 * to block without a cache lookup; links are followed only while {@link #linkGen} equals the CPU's
 * mapping generation and the successor is still {@link #valid}.
 */
final class Block {
    /** Backing-array offset of the first byte, or -1 for code that is not in RAM/ROM (not cached). */
    final int physOff;
    final int eip;
    final int mode;
    final int csLimit;
    final Op[] ops;
    /** EIP of each op's (first) instruction. */
    final int[] eips;
    /** Guest instructions before each op (ops may stand for two instructions), and in all. */
    final int[] before;
    final int insns;
    /** EIP after the last instruction: where execution goes unless a control transfer says otherwise. */
    final int endEip;
    /** Successors may be linked (false after instructions that change the mode, CPL or mappings). */
    final boolean linkable;
    /** One instruction that must be followed by a single-step #DB trap. */
    final boolean singleStep;
    final boolean cacheable;
    /** Backing page of the last byte when the block crosses into a second page, else -1. */
    final int page2;

    /** A number no other block of the process has (from 1): what CpuMemory.curBlock holds while this block runs. */
    final int serial = SERIALS.incrementAndGet();
    private static final java.util.concurrent.atomic.AtomicInteger SERIALS = new java.util.concurrent.atomic.AtomicInteger();

    boolean valid = true;
    Block next0, next1;
    int eip0, eip1;
    int linkGen;
    Block hashNext;
    /** Runs so far (the compiled tier compiles a block when this reaches its threshold), and the compiled code. */
    int heat;
    volatile Jit.Code jit;

    Block(int physOff, int eip, int mode, int csLimit, Op[] ops, int[] eips, int endEip, boolean linkable, int page2) {
        this.physOff = physOff;
        this.eip = eip;
        this.mode = mode;
        this.csLimit = csLimit;
        this.ops = ops;
        this.eips = eips;
        this.before = new int[ops.length];
        int n = 0;
        for (int i = 0; i < ops.length; i++) {
            before[i] = n;
            n += ops[i].width();
        }
        this.insns = n;
        this.endEip = endEip;
        this.linkable = linkable;
        this.singleStep = (mode & Cpu.MODE_TF) != 0;
        this.cacheable = physOff >= 0;
        this.page2 = page2;
    }

    void link(int target, Block to, int gen) {
        if (linkGen != gen) {
            next0 = next1 = null;
            linkGen = gen;
        }
        if (target == endEip) {
            next0 = to;
            eip0 = target;
        } else {
            next1 = to;
            eip1 = target;
        }
    }

    /** Self-modifying code hit this block while it runs: every remaining instruction leaves the block instead. */
    void poison() {
        for (int i = 0; i < ops.length; i++) {
            ops[i] = new SmcExit(eips[i]);
        }
    }

    /** Leaves the current block at an instruction whose bytes were overwritten. */
    private static final class SmcExit extends Op {
        private final int at;

        SmcExit(int at) {
            this.at = at;
        }

        @Override
        void exec(Cpu c) {
            c.eip = at;
            throw c.exitBlock();
        }
    }
}
