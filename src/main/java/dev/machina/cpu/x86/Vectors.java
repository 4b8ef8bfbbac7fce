package dev.machina.cpu.x86;

/** Exception and interrupt vectors (SDM Vol. 3A 6.3.1, Table 6-1). */
final class Vectors {
    private Vectors() {}

    static final int DE = 0;   // divide error
    static final int DB = 1;   // debug
    static final int NMI = 2;
    static final int BP = 3;   // INT3
    static final int OF = 4;   // INTO
    static final int BR = 5;   // BOUND range exceeded
    static final int UD = 6;   // invalid opcode
    static final int NM = 7;   // device not available (x87)
    static final int DF = 8;   // double fault, error code 0
    static final int TS = 10;  // invalid TSS
    static final int NP = 11;  // segment not present
    static final int SS = 12;  // stack-segment fault
    static final int GP = 13;  // general protection
    static final int PF = 14;  // page fault
    static final int MF = 16;  // x87 floating-point error
    static final int AC = 17;  // alignment check
    static final int XM = 19;  // SIMD floating-point exception

    /** Vectors that push an error code in protected mode (SDM Vol. 3A Table 6-1). */
    static boolean hasErrorCode(int v) {
        return v == DF || v == TS || v == NP || v == SS || v == GP || v == PF || v == AC;
    }

    /** "Contributory" exceptions for the double-fault rules (SDM Vol. 3A Table 6-4/6-5). */
    static boolean contributory(int v) {
        return v == DE || v == TS || v == NP || v == SS || v == GP;
    }
}
