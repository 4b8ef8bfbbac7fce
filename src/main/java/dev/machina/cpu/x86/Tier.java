package dev.machina.cpu.x86;

import java.util.Locale;

/**
 * Which execution tier a {@link Cpu} uses: the block interpreter alone, or the interpreter plus
 * the compiler of hot blocks to JVM bytecode ({@link Jit}). Selected per process by
 * {@code -accel tcg,tier=interp|compiled} (or {@code cpu run --tier}), per CPU by
 * {@link Cpu#setTier}; the system properties {@code machina.tier} and
 * {@code machina.jit.threshold} set the process default (the test suite runs both tiers with them).
 */
public enum Tier {
    /** decoded blocks run by the interpreter only */
    INTERP,
    /** blocks that ran {@link #threshold()} times are compiled to JVM bytecode */
    COMPILED;

    /**
     * Runs of a block before the compiled tier compiles it, unless machina.jit.threshold says otherwise.
     * 8192, not 32: most boot-time blocks run some hundreds or thousands of times and then no more, and
     * compiling one (ASM, a hidden class, run by the JVM's own interpreter until HotSpot compiles it,
     * on a machine whose cores the emulator's threads share) costs more than the runs it speeds up.
     * Whole-process wall time of the Linux boot to its shell, medians of 3 paired runs: threshold 512
     * against 32 0.88x, 2048 against 512 0.94x, 8192 against 2048 0.84x (32768 against 8192 0.93x but
     * noisy, 0.88 to 1.29); SeaBIOS to "No bootable device." went from 1.16x the interpreter's time at
     * 32 to 0.98x at 8192. The benchmark loops reach 8192 runs in microseconds.
     */
    public static final int DEFAULT_THRESHOLD = 8192;

    private static volatile Tier processDefault = parseOr(System.getProperty("machina.tier"), INTERP);
    private static volatile int threshold = Math.max(1, Integer.getInteger("machina.jit.threshold", DEFAULT_THRESHOLD));

    /**
     * The tier of {@code run} without {@code -accel tcg,tier=}: the system property machina.tier when it is
     * set, else COMPILED. The compiled tier is the default since it runs the guest kit's Linux boot in
     * about half the interpreter's time and SeaBIOS to "No bootable device." in no more (whole-process
     * wall time, interleaved runs, medians: README, "Which tier `run` uses"). New CPUs of the other
     * commands and of the tests start with {@link #processDefault()} (INTERP unless machina.tier says).
     */
    public static Tier runDefault() {
        return parseOr(System.getProperty("machina.tier"), COMPILED);
    }

    /** The tier new CPUs start with. */
    public static Tier processDefault() {
        return processDefault;
    }

    public static void setProcessDefault(Tier t) {
        processDefault = t;
    }

    /** Runs of a block before it is compiled (at least 1). */
    public static int threshold() {
        return threshold;
    }

    public static void setThreshold(int runs) {
        threshold = Math.max(1, runs);
    }

    /** "interp" or "compiled" (any case); anything else: IllegalArgumentException saying what would be right. */
    public static Tier parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "interp" -> INTERP;
            case "compiled" -> COMPILED;
            default -> throw new IllegalArgumentException("tier must be 'interp' or 'compiled', not '" + s + "'");
        };
    }

    private static Tier parseOr(String s, Tier fallback) {
        try {
            return s == null ? fallback : parse(s);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
