package dev.machina.cli;

import dev.machina.config.ConfigFiles;
import dev.machina.machine.MachineCatalog;
import dev.machina.machine.MachineDiff;
import dev.machina.machine.MachineSnapshot;
import dev.machina.machine.ResolvedMachine;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code machine diff}, {@code machine snapshot} and {@code machine check-stable}: comparing machine types. */
final class MachineDiffCommands {
    private MachineDiffCommands() {}

    enum DiffFormatName { text, markdown, json, csv }

    enum Color { auto, always, never }

    @Command(name = "diff", description = {
            "What differs between machine types: options, the effective value of every (driver, property) a compat set "
                    + "of any of them touches (the type's default where none applies), and the default device graphs "
                    + "(devices added or removed, type, bus, address, property values, links). Unchanged rows are hidden "
                    + "unless --all. Columns follow the order the machine types are given in.",
            "With --left-data/--right-data, each machine type is compared across two data trees (directories with "
                    + "machines/, machines/types/ and compat/, e.g. two checkouts); a side not given is the packaged data."})
    static final class Diff implements Callable<Integer> {
        @ParentCommand
        MachineCommand parent;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "MACHINE", arity = "1..*", description = "machine types or aliases (pc, q35)")
        List<String> names = new ArrayList<>();

        @Option(names = "--format", defaultValue = "text", description = "text, markdown, json or csv (default: ${DEFAULT-VALUE})")
        DiffFormatName format;

        @Option(names = "--all", description = "also print the rows that do not differ")
        boolean all;

        @Option(names = "--explain", paramLabel = "DRIVER.PROPERTY", description = "instead of the table: for each machine, "
                + "every compat entry that reaches DRIVER.PROPERTY in application order, the one that wins, and the type's default")
        String explain;

        @Option(names = "--left-data", paramLabel = "DIR", description = "data tree of the left side")
        String leftData;

        @Option(names = "--right-data", paramLabel = "DIR", description = "data tree of the right side")
        String rightData;

        @Option(names = "--color", defaultValue = "auto", description = "colour the text table: auto (when stdout is a "
                + "terminal, unless NO_COLOR is set or TERM=dumb), always or never (default: ${DEFAULT-VALUE})")
        Color color;

        @Override
        public Integer call() {
            Context context = parent.main.context();
            boolean twoTrees = leftData != null || rightData != null;
            List<MachineDiff.Column> columns = new ArrayList<>();
            if (twoTrees) {
                MachineCatalog left = context.catalog(leftData);
                MachineCatalog right = context.catalog(rightData);
                for (String n : unique(names, left, leftData)) {
                    columns.add(column("left:", left, n, leftData));
                    columns.add(column("right:", right, n, rightData));
                }
            } else {
                if (names.size() < 2 && explain == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "machine diff needs at least two machine types "
                            + "(or one with --left-data/--right-data, or --explain)");
                }
                MachineCatalog c = context.catalog();
                for (String n : unique(names, c, null)) {
                    columns.add(dev.machina.vm.MachineReport.column(n, c, n));
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            boolean colored = color == Color.always || color == Color.auto && parent.main.context().terminal().colourByDefault();
            if (explain != null) {
                String[] dp = MachineDiff.splitDriverProperty(explain, columns);
                MachineDiff.Explanation e = MachineDiff.explain(columns, dp[0], dp[1]);
                if (format == DiffFormatName.json) {
                    out.println(Output.json(DiffFormat.explainJson(e)));
                } else if (format == DiffFormatName.text) {
                    out.print(DiffFormat.explainText(e, colored));
                } else {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--explain prints text or json, not " + format);
                }
                return Main.EXIT_OK;
            }
            MachineDiff d = MachineDiff.of(columns, twoTrees ? 2 : columns.size());
            switch (format) {
                case text -> out.print(DiffFormat.text(d, all, colored));
                case markdown -> out.print(DiffFormat.markdown(d, all));
                case csv -> out.print(DiffFormat.csv(d, all));
                case json -> {
                    Map<String, String> data = null;
                    if (twoTrees) {
                        data = new LinkedHashMap<>();
                        data.put("left", leftData);
                        data.put("right", rightData);
                    }
                    out.println(Output.json(DiffFormat.json(d, all, data)));
                }
                default -> throw new IllegalStateException(String.valueOf(format));
            }
            return Main.EXIT_OK;
        }

        /** The machine names as given, each canonical once (an alias and its machine are the same column). */
        private List<String> unique(List<String> given, MachineCatalog c, String tree) {
            Map<String, String> seen = new HashMap<>();
            Set<String> out = new LinkedHashSet<>();
            for (String n : given) {
                String canonical = c.canonical(n);
                if (canonical == null) {
                    column("", c, n, tree); // unknown: the catalog's error, with did-you-mean
                }
                String before = seen.putIfAbsent(canonical, n);
                if (before != null) {
                    throw new UserError(n.equals(before)
                            ? "'" + n + "' is given twice; name each machine type once"
                            : "'" + before + "' and '" + n + "' are the same machine type (" + canonical + "); name it once");
                }
                out.add(canonical);
            }
            return new ArrayList<>(out);
        }

        private static MachineDiff.Column column(String side, MachineCatalog c, String name, String tree) {
            try {
                return dev.machina.vm.MachineReport.column(side + name, c, name);
            } catch (MachineCatalog.UnknownMachineException e) {
                throw tree == null ? e : new UserError("data tree '" + tree + "': " + e.getMessage());
            }
        }
    }

    /** Every machine type's dry run, as {@code MachineReport.snapshot} makes it, with a progress line on a terminal. */
    static MachineSnapshot snapshot(Context context, String data, CommandSpec spec) {
        MachineCatalog catalog = context.catalog(data);
        try (Progress p = Progress.start(context.terminal(), spec.commandLine().getErr(), "machine types",
                catalog.table().names().size())) {
            return MachineSnapshot.of(catalog, n -> {
                p.step(n);
                return dev.machina.vm.MachineReport.column(n, catalog, n);
            });
        }
    }

    @Command(name = "snapshot", description = "Write every machine type, resolved (options, compat property values, default "
            + "device graph), as canonical JSON: the baseline 'machine check-stable' compares with. The file is written "
            + "whole or not at all.")
    static final class Snapshot implements Callable<Integer> {
        @ParentCommand
        MachineCommand parent;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;

        @Spec
        CommandSpec spec;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write it (default: stdout)")
        String output;

        @Option(names = "--data", paramLabel = "DIR", description = "a data tree instead of the packaged data")
        String data;

        @Override
        public Integer call() {
            MachineSnapshot s = snapshot(parent.main.context(), data, spec);
            String text = s.render();
            if (output == null || output.equals("-")) {
                spec.commandLine().getOut().print(text);
                return Main.EXIT_OK;
            }
            ConfigFiles.writeAtomically(output, text); // whole or not at all; a device or symlink is not replaced
            spec.commandLine().getErr().println("machina: wrote " + s.machineNames().size() + " machine types to " + output);
            return Main.EXIT_OK;
        }
    }

    @Command(name = "check-stable", description = "Compare every machine type with a baseline written by 'machine snapshot': "
            + "exit 1 listing each change to the options, compat property values or default device graph of a machine type "
            + "the baseline has (a machine type removed from the data is a change; one added is not).")
    static final class CheckStable implements Callable<Integer> {
        @ParentCommand
        MachineCommand parent;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;

        @Spec
        CommandSpec spec;

        @Option(names = "--baseline", required = true, paramLabel = "FILE", description = "a snapshot of the released machine types")
        String baseline;

        @Option(names = "--data", paramLabel = "DIR", description = "a data tree instead of the packaged data")
        String data;

        @Override
        public Integer call() {
            MachineSnapshot base = MachineSnapshot.read(baseline);
            MachineSnapshot now = snapshot(parent.main.context(), data, spec);
            List<MachineSnapshot.Change> changes = now.changesFrom(base);
            List<String> added = now.newSince(base);
            PrintWriter out = spec.commandLine().getOut();
            if (changes.isEmpty()) {
                out.println("ok: the " + base.machineNames().size() + " machine types of " + baseline + " are unchanged"
                        + (added.isEmpty() ? "" : "; new since: " + String.join(", ", added)));
                return Main.EXIT_OK;
            }
            Set<String> machines = new LinkedHashSet<>();
            for (MachineSnapshot.Change c : changes) {
                out.println(c.format());
                machines.add(c.machine());
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println("machina: " + changes.size() + " change" + (changes.size() == 1 ? "" : "s") + " to " + machines.size()
                    + " released machine type" + (machines.size() == 1 ? "" : "s") + " of " + baseline + ": "
                    + String.join(", ", machines));
            err.println("machina: a released machine type keeps its ABI: restore it with a compat set of the newer machine "
                    + "types, or, if the change is meant, write a new baseline with 'machina machine snapshot -o " + baseline + "'");
            return Main.EXIT_USER;
        }
    }
}
