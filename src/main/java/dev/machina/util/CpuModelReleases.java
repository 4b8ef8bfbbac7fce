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
    public static final Map<String, String> OWN = Map.of("10.2", "10.2.0");

    /**
     * The release whose CPU models are listed when {@code presented} is presented: itself when it is a key of
     * {@link #OWN}, else "7.2" (8.0 ... 10.1: no source of theirs read).
     */
    public static String of(String presented) {
        return presented != null && OWN.containsKey(presented) ? presented : "7.2";
    }

    /** The class-path resource of {@code release}'s own models (a key of {@link #OWN}). */
    public static String resource(String release) {
        return "machines/cpu/qemu-" + OWN.get(release) + "-cpu-models.json";
    }
}
