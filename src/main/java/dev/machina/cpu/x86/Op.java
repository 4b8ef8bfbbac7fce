package dev.machina.cpu.x86;

/**
 * One decoded instruction with its operands resolved: the unit the block loop executes. Subclasses
 * are small final classes, one per instruction form; they allocate nothing when executed. A guest
 * exception is raised by throwing {@link CpuFault} (via {@link Cpu#fault}); the block loop knows
 * which instruction was running. An op that transfers control writes {@link Cpu#eip}; the others
 * leave it alone (the block loop has already set it to the block's fall-through address).
 *
 * <p>The hottest forms also carry a {@link #form} and up to two int operands ({@link #p},
 * {@link #q}): the block loop ({@link Cpu#execOps}) runs those kinds inline through a switch, and
 * everything else through {@link #exec}. Both paths call the same static implementation, so a form
 * has one definition; the switch only saves the megamorphic virtual call.
 */
abstract class Op {
    static final int GENERIC = 0;
    // 32-bit register forms (AluOps)
    static final int ADD_RR32 = 1, SUB_RR32 = 2, AND_RR32 = 3, OR_RR32 = 4, XOR_RR32 = 5, CMP_RR32 = 6, TEST_RR32 = 7,
            ZERO_R32 = 8, ADD_RI32 = 9, SUB_RI32 = 10, CMP_RI32 = 11, AND_RI32 = 12, INC_R32 = 13, DEC_R32 = 14;
    // moves (MoveOps)
    static final int MOV_RR32 = 20, MOV_RI32 = 21, MOV_RM32 = 22, MOV_MR32 = 23, LEA32 = 24, MOV_RM32_BD = 25,
            MOV_MR32_BD = 26;
    // near branches (BranchOps); CC_JCC = a flag-setting op fused with the Jcc after it
    static final int JZ = 30, JNZ = 31, JCC = 32, JMP = 33, CALL32 = 34, RET32 = 35, DEC_JNZ = 36, CMP_RR_JCC = 37,
            CMP_RI_JCC = 38, TEST_RR_JCC = 39;
    // stack (StackOps)
    static final int PUSH_R32 = 40, POP_R32 = 41;

    final int form;
    final int p, q;

    Op() {
        this(GENERIC, 0, 0);
    }

    Op(int form, int p, int q) {
        this.form = form;
        this.p = p;
        this.q = q;
    }

    abstract void exec(Cpu c);

    /** How many guest instructions this op stands for (2 for a fused compare-and-branch). */
    int width() {
        return 1;
    }
}
