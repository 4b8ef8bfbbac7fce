package dev.machina.util;

import java.util.Map;

/**
 * Which QEMU release's CPU models -cpu help, query-cpu-definitions, -device help's CPU section and qom-list-types'
 * x86 CPU types list when Machina presents a release (issue 14 item 5). Here so that cpu.x86, qmp and cli read
 * the same answer without depending on each other.
 */
public final class CpuModelReleases {
    private CpuModelReleases() {}

    /**
     * The presented releases whose own CPU models Machina holds, by the source release they were read from
     * (machines/cpu/qemu-RELEASE-cpu-models.json, tools/gen_cpu_expansion.py --release from
     * tools/qemu-source/cpu-models-RELEASE.json, tools/qemu_cpu_models.py on that release's target/i386/cpu.c).
     */
    public static final Map<String, String> OWN = Map.of("8.2", "8.2.2", "9.0", "9.0.1", "9.2", "9.2.4", "10.2", "10.2.0");

    /**
     * The release whose CPU models are listed when {@code presented} is presented: itself when it is a key of
     * {@link #OWN}; else the newest key of {@link #OWN} older than it (9.1 lists 9.0's, 10.0 and 10.1 9.2's: QEMU only adds
     * models and versions after 7.1, so that list is the nearest below theirs), else "7.2" (8.0, 8.1).
     * --version says which when it is not the presented release.
     */
    public static String of(String presented) {
        if (presented == null) {
            return "7.2";
        }
        String best = "7.2";
        for (String r : OWN.keySet()) {
            if (compare(r, presented) <= 0 && compare(r, best) > 0) {
                best = r;
            }
        }
        return best;
    }

    /** "X.Y" releases in numeric order (9.2 before 10.2); a name that is not X.Y sorts first. */
    private static int compare(String a, String b) {
        int[] x = parts(a);
        int[] y = parts(b);
        return x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]);
    }

    private static int[] parts(String r) {
        String[] p = r.split("\\.");
        try {
            return new int[] {Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0};
        } catch (NumberFormatException e) {
            return new int[] {-1, -1};
        }
    }

    /** The class-path resource of {@code release}'s own models (a key of {@link #OWN}). */
    public static String resource(String release) {
        return "machines/cpu/qemu-" + OWN.get(release) + "-cpu-models.json";
    }
}
