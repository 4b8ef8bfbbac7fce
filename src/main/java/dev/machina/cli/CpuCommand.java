package dev.machina.cli;

import dev.machina.cpu.x86.singlestep.SingleStepRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code machina cpu ...}: the x86 CPU core on its own (conformance runs, bare-metal guests). */
@Command(name = "cpu", description = "The x86 CPU core on its own.", mixinStandardHelpOptions = true,
        subcommands = {CpuCommand.SingleStep.class, CpuRunCommand.class})
final class CpuCommand implements Runnable {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    Context context() {
        return main.context();
    }

    @Command(name = "singlestep", mixinStandardHelpOptions = true,
            description = {"Run SingleStepTests records (JSON lines, .gz or plain) on the CPU core and compare the final state.",
                    "Ends with a line 'N passed, M failed, K skipped'; exit status 0 when nothing failed, 1 otherwise."})
    static final class SingleStep implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        CpuCommand parent;

        private Context context() {
            return parent.context();
        }

        @Parameters(paramLabel = "FILE", description = "tests, one JSON object per line (e.g. ../shared/x86/singlestep/sst286-real-100.jsonl.gz)")
        Path file;

        @Option(names = "--metadata", paramLabel = "FILE",
                description = "the suite's metadata.json (per-opcode flags masks; \"cpu\": \"286\" turns on the 286-vs-386 skips);"
                        + " default: metadata.json beside FILE when there is one")
        Path metadata;

        @Mixin
        TierOptions tierOptions = new TierOptions();

        @Option(names = "--list", description = "print the skip rules with their reasons and every failed and skipped test")
        boolean list;

        @Override
        public Integer call() {
            Path meta = metadata;
            if (meta == null) {
                Path sibling = file.toAbsolutePath().resolveSibling("metadata.json");
                if (Files.isRegularFile(sibling)) {
                    meta = sibling;
                }
            }
            dev.machina.cpu.x86.Tier.setProcessDefault(tierOptions.tier());
            dev.machina.cpu.x86.Tier.setThreshold(tierOptions.jitThreshold);
            SingleStepRunner runner = new SingleStepRunner(meta);
            SingleStepRunner.Summary s;
            long size;
            try {
                size = Files.size(file);
            } catch (java.io.IOException e) {
                size = 0; // the runner says what is wrong with the file
            }
            try (Progress p = Progress.startPercent(context().terminal(), spec.commandLine().getErr(), "singlestep " + file.getFileName(),
                    size)) {
                s = runner.run(file, p.shown() ? n -> p.set(n) : null);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (list) {
                SingleStepRunner.report(s).forEach(out::println);
            } else {
                int shown = 0;
                for (SingleStepRunner.Outcome o : s.outcomes()) {
                    if (o.kind().equals("fail") && shown++ < 20) {
                        out.println(o);
                    }
                }
                if (s.failed() > 20) {
                    out.println("... " + (s.failed() - 20) + " more failures (--list shows all)");
                }
                if (s.adapted() > 0 || s.skipped() > 0) {
                    out.println("(" + s.adapted() + " passes adapted to a named 286-vs-386 difference, " + s.skipped()
                            + " tests skipped as such; --list shows which and why)");
                }
                out.println(s.line());
            }
            out.flush();
            return s.failed() == 0 ? Main.EXIT_OK : Main.EXIT_USER;
        }
    }
}
