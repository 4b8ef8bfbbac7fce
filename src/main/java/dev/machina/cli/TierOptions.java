package dev.machina.cli;

import dev.machina.cpu.x86.Tier;
import picocli.CommandLine.Option;

/** {@code --tier} and {@code --jit-threshold}, shared by {@code cpu run} and {@code cpu singlestep}. */
final class TierOptions {
    @Option(names = "--tier", paramLabel = "TIER", description = "CPU tier: interp (the block interpreter) or compiled"
            + " (hot blocks compiled to JVM bytecode); default: ${DEFAULT-VALUE} (the system property machina.tier; 'run' defaults to compiled)")
    String tier = Tier.processDefault().key();

    @Option(names = "--jit-threshold", paramLabel = "N",
            description = "with --tier compiled: compile a block on its N-th run (default: ${DEFAULT-VALUE})")
    int jitThreshold = Tier.threshold();

    /** The options checked: the tier, or a usage error saying what would be right. */
    Tier tier() {
        if (jitThreshold < 1) {
            throw new CpuRunCommand.BadOption("--jit-threshold: must be at least 1, not " + jitThreshold);
        }
        try {
            return Tier.parse(tier);
        } catch (IllegalArgumentException e) {
            throw new CpuRunCommand.BadOption("--tier: " + e.getMessage());
        }
    }
}
