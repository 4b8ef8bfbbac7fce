package dev.machina.cpu.x86.singlestep;

import java.util.List;
import java.util.Optional;

/**
 * Where the 80286 (the CPU the real-mode SingleStepTests subset was captured on) differs from the
 * 386/486/Pentium-class CPU this core emulates. Each rule names a documented difference.
 *
 * <p>Two kinds: {@link #RULES} skip a test outright (the behaviours cannot be compared); the
 * {@link #ADAPTATIONS} are checked: a failing test is run again as a variant that takes the
 * difference out (a LOCK prefix swapped for one without effect, vector 12 aimed at the vector-13
 * handler); when the variant passes, the test counts as passed and is listed as adapted.
 *
 * <p>Besides these skips, one adaptation applies to every comparison: the 286 keeps FLAGS bits
 * 12-15 (IOPL, NT, bit 15) at 0 in real mode, whereas a 386 in real mode loads IOPL and NT from
 * POPF/IRET (SDM Vol. 2B POPF "Operation", real-address mode). The initial flags are loaded with
 * those bits clear (as the suite's README prescribes) and they are left out of the comparison.
 */
public final class Differences286 {
    private Differences286() {}

    /** A named difference and the tests it covers. */
    public record Rule(String name, String reason, java.util.function.Predicate<SingleStepCase> matches) {}

    /** FLAGS bits not compared (see the class comment). */
    public static final int FLAGS_NOT_COMPARED = 0xF000;

    public static final List<Rule> RULES = List.of(
            new Rule("x87-escape",
                    "ESC D8-DF: the 286 the data came from had no coprocessor, so ESC only computed its memory operand;"
                            + " this core has an x87 and decodes them as x87 instructions (unimplemented arithmetic raises #UD)",
                    t -> isEscape(t.opcodeByte())),
            new Rule("length-over-10",
                    "instruction longer than 10 bytes (redundant prefixes): the 286 raises #GP (13) beyond 10 bytes"
                            + " (as every such test records), a 386 and later accept up to 15 (SDM Vol. 2A 2.3.11)",
                    t -> t.instructionLength() > 10),
            new Rule("segment-register-4-5",
                    "MOV to/from segment register 4 or 5: the 286 has no FS/GS and raises #UD (6),"
                            + " the 386 and later move FS/GS (SDM Vol. 2B MOV)",
                    t -> (t.opcodeByte() == 0x8C || t.opcodeByte() == 0x8E) && t.modrmByte() >= 0
                            && ((t.modrmByte() >>> 3) & 7) >= 4),
            new Rule("string-overrun-commits-index",
                    "word string instruction whose operand at offset FFFF overruns the segment: the 286 raises #GP"
                            + " after stepping SI/DI, a 386 and later fault with SI/DI unchanged so the instruction can"
                            + " be restarted (SDM Vol. 3A 6.5 faults)",
                    Differences286::stringOverrun));

    /**
     * LOCK before an instruction that cannot be locked: the 286 ignores the prefix, the 386 and
     * later raise #UD (SDM Vol. 2A LOCK, "Protected/Real-Address Mode Exceptions"). Variant: the
     * LOCK byte becomes a prefix without effect on that instruction (a copy of its own segment
     * override, DS for a string instruction, else REP, which non-string instructions ignore).
     */
    public static final Rule LOCK_ON_NON_LOCKABLE = new Rule("lock-on-non-lockable",
            "LOCK before an instruction that cannot be locked: the 286 ignores the prefix, a 386 and later raise #UD"
                    + " (SDM Vol. 2A LOCK); verified by running the test again with the LOCK byte replaced by a prefix"
                    + " without effect on that instruction",
            t -> t.hasLock() && !lockable(t));

    /**
     * The 286 reports a real-mode stack-segment overrun (an SS-relative access past offset FFFF)
     * as exception 13 (#GP); the 386 and later raise exception 12 (#SS) (SDM Vol. 2 "Real-Address
     * Mode Exceptions" of PUSH, POP, etc.). Variant: vector 12 points at the vector-13 handler.
     */
    public static final Rule STACK_OVERRUN_VECTOR = new Rule("stack-overrun-vector",
            "real-mode stack-segment overrun: the 286 raises #GP (13), a 386 and later #SS (12);"
                    + " verified by running the test again with vector 12 aimed at the vector-13 handler",
            t -> t.exception() == 13);

    public static final List<Rule> ADAPTATIONS = List.of(LOCK_ON_NON_LOCKABLE, STACK_OVERRUN_VECTOR);

    /**
     * The adaptation under which a failing test passes, if any; {@code passesWith} runs the test
     * with extra RAM bytes written after its initial state.
     */
    public static Optional<Rule> verifiedDifference(SingleStepCase t,
                                                    java.util.function.Predicate<List<int[]>> passesWith) {
        List<int[]> lock = LOCK_ON_NON_LOCKABLE.matches().test(t) ? lockVariant(t) : null;
        List<int[]> ivt = STACK_OVERRUN_VECTOR.matches().test(t) ? ivtVariant(t) : null;
        if (lock != null && passesWith.test(lock)) {
            return Optional.of(LOCK_ON_NON_LOCKABLE);
        }
        if (ivt != null && passesWith.test(ivt)) {
            return Optional.of(STACK_OVERRUN_VECTOR);
        }
        if (lock != null && ivt != null) {
            List<int[]> both = new java.util.ArrayList<>(lock);
            both.addAll(ivt);
            if (passesWith.test(both)) {
                return Optional.of(new Rule(LOCK_ON_NON_LOCKABLE.name() + "+" + STACK_OVERRUN_VECTOR.name(),
                        "both differences at once", x -> true));
            }
        }
        return Optional.empty();
    }

    /** The test's code with each LOCK byte replaced (see {@link #LOCK_ON_NON_LOCKABLE}). */
    private static List<int[]> lockVariant(SingleStepCase t) {
        int cs = t.reg("cs") & 0xFFFF;
        int ip = t.reg("ip") & 0xFFFF;
        int[] b = t.bytes();
        int n = 0;
        int replacement = -1;
        while (n < b.length && isPrefix(b[n])) {
            if (b[n] == 0x26 || b[n] == 0x2E || b[n] == 0x36 || b[n] == 0x3E) {
                replacement = b[n];
            }
            n++;
        }
        int op = t.opcodeByte();
        boolean string = (op >= 0xA4 && op <= 0xA7) || (op >= 0xAA && op <= 0xAF) || (op >= 0x6C && op <= 0x6F);
        if (replacement < 0) {
            replacement = string ? 0x3E : 0xF3;
        }
        List<int[]> variant = new java.util.ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (b[k] == 0xF0) {
                variant.add(new int[] {(cs << 4) + ((ip + k) & 0xFFFF), replacement});
            }
        }
        return variant;
    }

    /** Vector 12's IVT entry set to vector 13's (see {@link #STACK_OVERRUN_VECTOR}). */
    private static List<int[]> ivtVariant(SingleStepCase t) {
        List<int[]> ivt12 = new java.util.ArrayList<>();
        for (int[] p : t.initialRam()) {
            if (p[0] >= 13 * 4 && p[0] < 14 * 4) {
                ivt12.add(new int[] {p[0] - 4, p[1]});
            }
        }
        return ivt12.size() == 4 ? ivt12 : null;
    }

    private static boolean isPrefix(int b) {
        return b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0xF0 || b == 0xF2 || b == 0xF3;
    }

    private static boolean stringOverrun(SingleStepCase t) {
        int op = t.opcodeByte();
        if (t.exception() != 13 || (op & 1) == 0) {
            return false;
        }
        boolean usesSi = op == 0xA5 || op == 0xA7 || op == 0xAD || op == 0x6F;
        boolean usesDi = op == 0xA5 || op == 0xA7 || op == 0xAB || op == 0xAF || op == 0x6D;
        return (usesSi && t.reg("si") == 0xFFFF) || (usesDi && t.reg("di") == 0xFFFF);
    }

    /** The first rule that matches a test, if any. */
    public static Optional<Rule> skipRule(SingleStepCase t) {
        for (Rule r : RULES) {
            if (r.matches().test(t)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private static boolean isEscape(int op) {
        return op >= 0xD8 && op <= 0xDF;
    }

    /** LOCK is valid only with these instructions and a memory destination (SDM Vol. 2A LOCK). */
    static boolean lockable(SingleStepCase t) {
        int op = t.opcodeByte();
        int modrm = t.modrmByte();
        if (modrm < 0 || (modrm >>> 6) == 3) {
            return false;
        }
        int reg = (modrm >>> 3) & 7;
        if (op < 0x40 && (op & 7) <= 1 && (op & 0x38) != 0x38) {
            return true; // ADD OR ADC SBB AND SUB XOR Eb/Ev,Gb/Gv
        }
        return switch (op) {
            case 0x80, 0x81, 0x82, 0x83 -> reg != 7;
            case 0x86, 0x87 -> true;
            case 0xF6, 0xF7 -> reg == 2 || reg == 3;
            case 0xFE, 0xFF -> reg == 0 || reg == 1;
            default -> false;
        };
    }
}
