package dev.machina.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code machina run [QEMU options]}: start a VM, with QEMU's spelling of the options. The options
 * are taken verbatim (QEMU's syntax is parsed by the config layer, not by picocli).
 */
@Command(name = "run", description = "Start a VM; options are spelled as for qemu-system-x86_64 (-M, -m, -device, ...).")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        // -machine help / -M TYPE,help (also '?'): answered from the machine data (MachineHelp)
        if (args.size() == 2 && (args.get(0).equals("-machine") || args.get(0).equals("-M")) && MachineHelp.isHelp(args.get(1))) {
            spec.commandLine().getOut().print(MachineHelp.help(args.get(1), main.context()));
            return Main.EXIT_OK;
        }
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return Main.EXIT_OK;
        }
        spec.commandLine().getErr().println("machina: run: starting a VM is not available yet; "
                + "'machina config write' turns these options into a config file");
        return Main.EXIT_USER;
    }
}
