package dev.machina.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;

/**
 * {@code --help} on every command, and {@code machina help COMMAND [SUBCOMMAND...]}. Commands that
 * take QEMU's options verbatim ({@code run}, {@code config write}) answer their help themselves,
 * where QEMU's syntax says an argument is a help option and not an option's value.
 */
final class Help {
    private Help() {}

    /** Commands whose arguments are QEMU options, read by the config layer: a picocli {@code --help} would take {@code -append --help}. */
    private static final List<String> VERBATIM = List.of("machina run", "machina config write");

    /** Gives every command and subcommand that lacks one a {@code -h, --help} option. */
    static void addHelpOptions(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        if (!VERBATIM.contains(spec.qualifiedName()) && spec.findOption("--help") == null && !isHelpCommand(spec)) {
            spec.addOption(OptionSpec.builder(spec.findOption("-h") == null ? new String[] {"-h", "--help"} : new String[] {"--help"})
                    .usageHelp(true).description("show this help and exit").build());
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            addHelpOptions(sub);
        }
    }

    /** A command that prints its usage itself (its options are not picocli's). */
    interface OwnUsage {
        void usage(java.io.PrintWriter out);
    }

    private static boolean isHelpCommand(CommandSpec spec) {
        return spec.userObject() instanceof Command0;
    }

    /**
     * {@code machina help [COMMAND...]}: the usage of the command named by the path, however deep
     * ({@code help machine list}); an unknown name is a usage error with did-you-mean.
     */
    @Command(name = "help", helpCommand = true, description = "Show the help of a command: machina help machine list")
    static final class Command0 implements CommandLine.IHelpCommandInitializable2, Runnable {
        @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;

        @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "a command and its subcommands, e.g. machine list")
        List<String> path = new ArrayList<>();

        private CommandLine self;
        private java.io.PrintWriter out;
        private CommandLine.Help.ColorScheme colors;

        @Override
        public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, java.io.PrintWriter outWriter,
                java.io.PrintWriter errWriter) {
            this.self = helpCommandLine;
            this.colors = colorScheme;
            this.out = outWriter;
        }

        @Override
        public void run() {
            CommandLine at = self.getParent();
            for (String name : path) {
                CommandLine next = at.getSubcommands().get(name);
                if (next == null) {
                    List<String> known = new ArrayList<>(at.getSubcommands().keySet());
                    String where = at.getCommandSpec().qualifiedName();
                    throw new CommandLine.ParameterException(self, "'" + name + "' is not a command of '" + where + "'"
                            + dev.machina.util.Suggest.didYouMean(name, known) + " (its commands: " + String.join(", ", known) + ")");
                }
                at = next;
            }
            if (at.getCommandSpec().userObject() instanceof OwnUsage own) {
                own.usage(out);
            } else {
                at.usage(out, colors);
            }
        }
    }
}
