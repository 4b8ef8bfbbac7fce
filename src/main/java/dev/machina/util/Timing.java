package dev.machina.util;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's time goes, for people tuning start-up: with {@code MACHINA_TIMING} set in the
 * environment, each {@link #mark} records the host time since the previous one, the process's CPU
 * time in it (all threads: on a busy machine the better figure) and the number of classes the JVM
 * loaded by then, and {@link #report} prints them on stderr, one line each
 * ({@code machina timing: PHASE  12.3 ms wall  10.1 ms cpu  (+140 classes)}). The first line is the JVM's own start
 * (from process creation to {@code main}). Unset, a mark costs one boolean test and nothing is
 * printed. Figures only: no test depends on them.
 */
public final class Timing {
    private Timing() {}

    private static final boolean ON = System.getenv("MACHINA_TIMING") != null;
    private static final List<String> LINES = new ArrayList<>();
    private static long last;
    private static long lastCpu;
    private static long lastClasses;

    /** Whether timing is on (MACHINA_TIMING is set). */
    public static boolean on() {
        return ON;
    }

    /** The first mark, at the start of {@code main}: also records the JVM's time before it. */
    public static void start() {
        if (!ON) {
            return;
        }
        java.lang.management.RuntimeMXBean rt = java.lang.management.ManagementFactory.getRuntimeMXBean();
        long uptimeMs = rt.getUptime();
        last = System.nanoTime();
        lastCpu = cpu();
        lastClasses = classes();
        LINES.add(String.format("%-32s %7.1f ms wall %7.1f ms cpu  (%d classes; wall: JVM uptime, ms resolution)", "jvm start -> main",
                (double) uptimeMs, lastCpu / 1e6, lastClasses));
    }

    /** Ends a phase: the time since the previous mark is the phase's. */
    public static void mark(String phase) {
        if (ON) {
            record(phase);
        }
    }

    private static synchronized void record(String phase) {
        long now = System.nanoTime();
        long t = cpu();
        long c = classes();
        LINES.add(String.format("%-32s %7.1f ms wall %7.1f ms cpu  (+%d classes)", phase, (now - last) / 1e6, (t - lastCpu) / 1e6,
                c - lastClasses));
        last = now;
        lastCpu = t;
        lastClasses = c;
    }

    /** A line of figures that is not a phase (instructions retired, MIPS, time idle). */
    public static void note(String text) {
        if (ON) {
            synchronized (Timing.class) {
                LINES.add(text);
            }
        }
    }

    /** Prints what was recorded on stderr, once. */
    public static synchronized void report() {
        if (!ON || LINES.isEmpty()) {
            return;
        }
        for (String l : LINES) {
            System.err.println("machina timing: " + l);
        }
        System.err.flush();
        LINES.clear();
    }

    /** The process's CPU time (every thread: the guest's, the JIT compilers', the collector's), in ns. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long classes() {
        return java.lang.management.ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    }
}
