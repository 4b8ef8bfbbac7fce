package dev.machina.cpu.x86.singlestep;

import java.util.List;
import java.util.Optional;

/**
 * Where the 80286 (the CPU the real-mode SingleStepTests subset was captured on) differs from the
 * 386/486/Pentium-class CPU this core emulates. Each rule names a documented difference; a test it
 * matches is skipped, with the rule's name and reason reported.
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
            new Rule("lock-on-non-lockable",
                    "LOCK before an instruction that cannot be locked: the 286 ignores the prefix,"
                            + " a 386 and later raise #UD (SDM Vol. 2A LOCK, \"Protected/Real-Address Mode Exceptions\")",
                    t -> t.hasLock() && !lockable(t)),
            new Rule("length-over-10",
                    "instruction longer than 10 bytes (redundant prefixes): the 286 raises #UD at 10 bytes,"
                            + " a 386 and later accept up to 15 (SDM Vol. 2A 2.3.11)",
                    t -> t.instructionLength() > 10),
            new Rule("segment-register-4-5",
                    "MOV to/from segment register 4 or 5: the 286 has no FS/GS (#UD or an alias),"
                            + " the 386 and later move FS/GS (SDM Vol. 2B MOV)",
                    t -> (t.opcodeByte() == 0x8C || t.opcodeByte() == 0x8E) && t.modrmByte() >= 0
                            && ((t.modrmByte() >>> 3) & 7) >= 4),
            new Rule("string-overrun-commits-index",
                    "word string instruction whose operand at offset FFFF overruns the segment: the 286 raises #GP"
                            + " after stepping SI/DI, a 386 and later fault with SI/DI unchanged so the instruction can"
                            + " be restarted (SDM Vol. 3A 6.5 faults)",
                    Differences286::stringOverrun));

    /**
     * A difference that is only known once the test ran: the 286 reports a real-mode stack-segment
     * overrun (an SS-relative access past offset FFFF) as exception 13 (#GP); the 386 and later
     * raise exception 12 (#SS) (SDM Vol. 2 "Real-Address Mode Exceptions" of PUSH, POP, etc.). A
     * failing test that expected exception 13 is run again with vector 12 pointing at the vector-13
     * handler; if it then passes, the vector number was the only difference.
     */
    public static final Rule STACK_OVERRUN_VECTOR = new Rule("stack-overrun-vector",
            "real-mode stack-segment overrun: the 286 raises #GP (13), a 386 and later #SS (12);"
                    + " verified by running the test again with vector 12 aimed at the vector-13 handler",
            t -> t.exception() == 13);

    /** Checks the run-time differences; {@code passesWith} runs the test with extra RAM bytes. */
    public static Optional<Rule> verifiedDifference(SingleStepCase t,
                                                    java.util.function.Predicate<List<int[]>> passesWith) {
        if (STACK_OVERRUN_VECTOR.matches().test(t)) {
            List<int[]> ivt12 = new java.util.ArrayList<>();
            for (int[] p : t.initialRam()) {
                if (p[0] >= 13 * 4 && p[0] < 14 * 4) {
                    ivt12.add(new int[] {p[0] - 4, p[1]});
                }
            }
            if (ivt12.size() == 4 && passesWith.test(ivt12)) {
                return Optional.of(STACK_OVERRUN_VECTOR);
            }
        }
        return Optional.empty();
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
