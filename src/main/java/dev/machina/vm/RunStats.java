package dev.machina.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a run did, for people finding where a guest's time goes ({@code machina run --stats}, or
 * {@code MACHINA_STATS=1} in the environment): instructions retired, guest (virtual) time, host
 * wall and process CPU time, guest MIPS over the host time the CPU was not waiting, the guest time a
 * halted CPU skipped to the next timer deadline and how many such jumps, external interrupts and NMIs
 * taken, and blocks compiled to JVM bytecode. Each figure is counted from the start of the run, and
 * the table has one row per phase: the first second of host time (warm-up: the JVM compiles the
 * emulator, then the compiled tier compiles the guest's hot blocks, so a run's first second is slower
 * than the rest), the first byte the guest wrote to a console (a kernel's first line), the first
 * console line that contains each {@code --stats-mark=TEXT}, and the end of the run (also when it is ended from outside: a timeout, Ctrl-C). Printed on stderr, so it never mixes with
 * a console on stdout. Figures only: the guest's view does not change with it on.
 */
public final class RunStats {
    /** The figures at one point of a run, each counted from its start. */
    public record Snapshot(String phase, long instructions, long guestNanos, long hostNanos, long cpuNanos, long waitNanos,
            long haltedNanos, long haltJumps, long interrupts, long compiledBlocks) {
        /** Guest instructions per microsecond of host time the loop did not spend waiting for a halted CPU's timer. */
        public double mips() {
            return instructions / Math.max(1.0, (hostNanos - waitNanos) / 1e3);
        }
    }

    /** Where the figures come from (the run loop). */
    interface Source {
        Snapshot now(String phase);
    }

    private final List<String> marks;
    private final boolean[] seen;
    private final StringBuilder line = new StringBuilder();
    private final List<Snapshot> rows = new ArrayList<>();
    private Source source;
    private boolean anyOutput;
    /** Whether the guest's last console byte ended a line (true before any): else the table starts with a line break. */
    private volatile boolean atLineStart = true;
    private boolean printed;
    private boolean firstSecond;

    /** One second of host time, the end of the phase "first second". */
    static final long SECOND_NANOS = 1_000_000_000L;

    /** Stats with a phase at the first console line that contains each of {@code marks}. */
    public RunStats(List<String> marks) {
        this.marks = List.copyOf(marks);
        this.seen = new boolean[marks.size()];
    }

    void attach(Source s) {
        this.source = s;
    }

    /**
     * The run loop's host time since power-on (loop thread, between CPU slices): the first call at or
     * past one second adds the row "first second", so warm-up shows apart from the rest of the run.
     */
    void hostTime(long nanos) {
        if (!firstSecond && nanos >= SECOND_NANOS && source != null) {
            firstSecond = true;
            add(source.now("first second"));
        }
    }

    /** A byte the guest wrote to a chardev (loop thread). */
    void output(int b) {
        if (source == null) {
            return;
        }
        if (!anyOutput) {
            anyOutput = true;
            add(source.now("first console output"));
        }
        atLineStart = b == '\n';
        if (marks.isEmpty()) {
            return;
        }
        if (b == '\n' || b == '\r') {
            line.setLength(0);
            return;
        }
        if (line.length() < 4096) {
            line.append((char) (b & 0xFF));
        }
        for (int i = 0; i < marks.size(); i++) {
            if (!seen[i] && endsWith(line, marks.get(i))) {
                seen[i] = true;
                add(source.now(marks.get(i)));
            }
        }
    }

    private static boolean endsWith(StringBuilder sb, String s) {
        int n = sb.length(), m = s.length();
        if (m > n) {
            return false;
        }
        for (int i = 0; i < m; i++) {
            if (sb.charAt(n - m + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private synchronized void add(Snapshot s) {
        rows.add(s);
    }

    /** The phases so far. */
    public synchronized List<Snapshot> rows() {
        return List.copyOf(rows);
    }

    /** The run ended: the last row, once (a second call, from a shutdown hook, adds nothing). */
    synchronized void end(String how) {
        if (source != null && !printed) {
            rows.add(source.now(how));
        }
    }

    /**
     * The table, one line per phase, each starting {@code machina stats:}; after guest output that did not
     * end its line (SeaBIOS's last word is "Rebooting"), a line break first, so that on a terminal, where
     * the console and stderr meet, the table starts on its own line.
     */
    public synchronized String render() {
        StringBuilder sb = new StringBuilder();
        if (!atLineStart) {
            sb.append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "machina stats: %-24s %14s %14s %10s %10s %8s %12s %10s %10s %8s%n", "phase", "instructions",
                "guest_ms", "host_ms", "cpu_ms", "MIPS", "halted_ms", "hlt_jumps", "interrupts", "compiled"));
        for (Snapshot s : rows) {
            sb.append(String.format(Locale.ROOT, "machina stats: %-24s %14d %14.6f %10.1f %10.1f %8.1f %12.3f %10d %10d %8d%n",
                    s.phase().length() > 24 ? s.phase().substring(0, 24) : s.phase(), s.instructions(), s.guestNanos() / 1e6,
                    s.hostNanos() / 1e6, s.cpuNanos() / 1e6, s.mips(), s.haltedNanos() / 1e6, s.haltJumps(), s.interrupts(),
                    s.compiledBlocks()));
        }
        return sb.toString();
    }

    /** The table, once: later calls (and {@link #print}) give nothing. */
    public synchronized String takeTable() {
        if (printed) {
            return "";
        }
        printed = true;
        return render();
    }

    /** Prints the table on stderr, once. */
    public synchronized void print(java.io.PrintStream err) {
        if (printed || rows.isEmpty()) {
            return;
        }
        printed = true;
        err.print(render());
        err.flush();
    }

    /** The process's CPU time over all its threads (ns), or 0 where the JVM does not say. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return Math.max(0, sun.getProcessCpuTime());
        }
        return 0;
    }
}
