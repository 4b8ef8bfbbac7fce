package dev.machina.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * The commands people and management tools type many times a day, answered without building the
 * picocli command tree: {@code machine list [--all] [--format text|json]}, {@code --version} and
 * {@code -machine help}. picocli's classes are Java 5 bytecode, which the JVM verifies with its old
 * verifier and class-data sharing cannot archive, so building the tree is most of a short run's
 * time. The output is exactly what the full command prints (a test compares them); anything else,
 * including any other option, goes through picocli.
 */
final class QuickCommands {
    private QuickCommands() {}

    /** The answer for {@code args}, or null when the full command line must handle them. */
    static String answer(String[] args, Context context) {
        List<String> a = List.of(args);
        if (a.equals(List.of("--version")) || a.equals(List.of("-V"))) {
            return String.join("\n", Main.Version.lines()) + "\n";
        }
        if (a.size() == 2 && (a.get(0).equals("-machine") || a.get(0).equals("-M")) && (a.get(1).equals("help") || a.get(1).equals("?"))) {
            return Listings.packaged(context, "machine-help").orElseGet(() -> MachineHelp.list(context.machineSummaries()));
        }
        if (a.size() < 2 || !a.get(0).equals("machine") || !a.get(1).equals("list")) {
            return null;
        }
        boolean all = false;
        MachineCommand.ListFormat format = MachineCommand.ListFormat.text;
        for (int i = 2; i < a.size(); i++) {
            String o = a.get(i);
            if (o.equals("--all")) {
                all = true;
            } else if ((o.equals("--format") && i + 1 < a.size()) || o.startsWith("--format=")) {
                String f = o.equals("--format") ? a.get(++i) : o.substring("--format=".length());
                if (f.equals("text") || f.equals("json")) {
                    format = MachineCommand.ListFormat.valueOf(f);
                } else {
                    return null; // picocli's usage error
                }
            } else {
                return null;
            }
        }
        if (format == MachineCommand.ListFormat.text) {
            boolean withRemoved = all;
            return Listings.packaged(context, all ? "list-all" : "list")
                    .orElseGet(() -> MachineCommand.ListMachines.render(context.machineSummaries(), withRemoved, MachineCommand.ListFormat.text));
        }
        return MachineCommand.ListMachines.render(context.machineSummaries(), all, format);
    }

    /** Prints the answer when there is one; returns whether there was. */
    static boolean run(String[] args, PrintStream out, Context context) {
        String text = answer(args, context);
        if (text == null) {
            return false;
        }
        dev.machina.util.Timing.mark("answer");
        out.print(text);
        out.flush();
        dev.machina.util.Timing.mark("print");
        return true;
    }
}
