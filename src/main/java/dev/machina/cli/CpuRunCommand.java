package dev.machina.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder replaced below. */
@Command(name = "run", description = "Run a bare-metal guest ROM on the CPU core.")
final class CpuRunCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
