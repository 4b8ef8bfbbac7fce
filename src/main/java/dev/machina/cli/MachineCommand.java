package dev.machina.cli;

import dev.machina.hw.BuiltinTypes;
import dev.machina.machine.DataFiles;
import dev.machina.machine.MachineCatalog;
import dev.machina.machine.MachineError;
import dev.machina.machine.MachineTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code machina machine ...}: machine types as data (list, show, validate, diff, snapshot, check-stable). */
@Command(name = "machine", description = "Machine types: list, show, validate, diff, snapshot, check-stable, graph, qom-tree, mtree.",
        subcommands = {MachineCommand.ListMachines.class, MachineCommand.Show.class, MachineCommand.Validate.class,
                MachineDiffCommands.Diff.class, MachineDiffCommands.Snapshot.class, MachineDiffCommands.CheckStable.class,
                MachineGraphCommand.class, MachineInfoCommands.QomTree.class, MachineInfoCommands.DeviceTree.class, MachineInfoCommands.MemoryTree.class})
final class MachineCommand implements Runnable {
    @ParentCommand
    Main main;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    enum ListFormat { text, json }

    enum ShowFormat { yaml, json }

    @Command(name = "list", description = "List machine types: name, alias, default, deprecated, description; "
            + "versions sorted as versions; as the QEMU release Machina presents has them (--version says which; "
            + "MACHINA_QEMU_VERSION picks another). Types that release has removed are listed with --all.")
    static final class ListMachines implements Callable<Integer> {
        @ParentCommand
        MachineCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--all", description = "also list the types upstream QEMU has removed (with the release that removed them)")
        boolean all;

        @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
        ListFormat format;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(render(parent.main.context().machineSummaries(), all, format));
            return Main.EXIT_OK;
        }

        /** The listing: a table, or JSON; without {@code all}, types removed upstream are left out. */
        static String render(List<MachineTable.Summary> summaries, boolean all, ListFormat format) {
            List<MachineTable.Summary> rows = new ArrayList<>();
            for (MachineTable.Summary s : summaries) {
                if (all || !s.removedUpstream()) {
                    rows.add(s);
                }
            }
            if (format == ListFormat.json) {
                List<Object> json = new ArrayList<>();
                rows.forEach(s -> json.add(MachineView.summary(s)));
                return Output.json(json) + "\n";
            }
            List<String> header = new ArrayList<>(List.of("NAME", "ALIAS", "DEFAULT", "DEPRECATED"));
            if (all) {
                header.add("REMOVED UPSTREAM");
            }
            header.add("DESCRIPTION");
            List<List<String>> cells = new ArrayList<>();
            for (MachineTable.Summary s : rows) {
                List<String> r = new ArrayList<>(List.of(s.name(), s.aliases().isEmpty() ? "" : String.join(",", s.aliases()),
                        s.isDefault() ? "yes" : "", s.deprecated() ? "yes" : ""));
                if (all) {
                    r.add(s.removedUpstream() ? "in " + s.lifecycle().removedUpstreamIn() : "");
                }
                r.add(s.description());
                cells.add(r);
            }
            return Output.table(header, cells);
        }
    }

    @Command(name = "show", description = "Show one machine type fully resolved: options, the effective value of every "
            + "compat property, and the default device graph with every property value.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        MachineCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "a machine type or alias, e.g. pc-i440fx-2.5 or q35")
        String name;

        @Option(names = "--format", defaultValue = "yaml", description = "yaml or json (default: ${DEFAULT-VALUE})")
        ShowFormat format;

        @Option(names = "--provenance", description = "say where each value comes from (option layer, compat set with "
                + "its QEMU source, type default, device graph)")
        boolean provenance;

        @Option(names = "--with-defaults", description = "build it as QEMU does without -nodefaults: the default devices "
                + "(serial, parallel, VGA, NIC, CD-ROM, floppy, the monitor's chardev) are in the graph, at QEMU's paths")
        boolean withDefaults;

        @Override
        public Integer call() {
            dev.machina.machine.MachineCatalog catalog = parent.main.context().catalog();
            dev.machina.vm.BuiltMachine built = withDefaults ? dev.machina.vm.MachineReport.dryRunWithDefaults(catalog, name)
                    : dev.machina.vm.MachineReport.dryRun(catalog, name);
            dev.machina.machine.ResolvedMachine resolved = dev.machina.vm.MachineReport.resolved(built);
            Map<String, Object> view = new java.util.LinkedHashMap<>();
            // which release's defaults the values are (MACHINA_QEMU_VERSION picks another)
            view.put("qemu-release", parent.main.context().catalog().qemuRelease());
            view.putAll(MachineView.show(resolved, new dev.machina.vm.CompatProbe(built), provenance));
            List<Object> defaults = MachineView.defaultDevices(catalog, built.machineType());
            if (withDefaults) {
                view.put("devices-note", "the devices above are QEMU's graph without -nodefaults: default-devices lists the "
                        + "ones -nodefaults (or the option each names) removes");
                view.put("default-devices", defaults);
            } else if (!defaults.isEmpty()) {
                // the graph is QEMU's without its default devices: say so, and list them with what removes them
                view.put("devices-note", "the devices above are QEMU's -nodefaults graph; without -nodefaults QEMU also "
                        + "creates default-devices, each realized after its 'after' (which renumbers /machine/unattached)");
                view.put("default-devices", defaults);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (format == ShowFormat.json) {
                out.println(Output.json(view));
            } else {
                out.print(MachineView.yaml(view));
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "validate", description = "Check machine, compat-set and device-type files against their JSON Schemas "
            + "and against each other; print file:line:col: path: message [rule] for each problem and exit 1 if any. "
            + "Without PATH: the data packaged with machina. A PATH (file or directory) replaces the packaged file of "
            + "the same kind and name; the rest of the packaged data is the context it is checked in.")
    static final class Validate implements Callable<Integer> {
        @ParentCommand
        MachineCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PATH", arity = "0..*", description = "data files or directories of them")
        List<String> paths = new ArrayList<>();

        @Override
        public Integer call() {
            Context context = parent.main.context();
            List<DataFiles.DataFile> files;
            try {
                files = paths.isEmpty() ? context.packaged() : DataFiles.withPackaged(DataFiles.read(paths), context.packaged());
            } catch (dev.machina.machine.MachineDataException e) {
                return report(e.errors()); // unreadable, too large, not UTF-8: the same lines as any other problem
            }
            MachineCatalog.Check c = MachineCatalog.check(files, BuiltinTypes.all(), context.reading());
            if (!c.errors().isEmpty()) {
                return report(c.errors());
            }
            spec.commandLine().getOut().printf("ok: %d files: %d machine types in %d families, %d compat sets, %d types%n",
                    c.files(), c.machines(), c.families(), c.compatSets(), c.types());
            return Main.EXIT_OK;
        }

        private int report(List<MachineError> errors) {
            PrintWriter err = spec.commandLine().getErr();
            for (MachineError e : errors) {
                err.println(Main.cut(e.format()));
            }
            err.println("machina: " + errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + " found");
            return Main.EXIT_USER;
        }
    }
}
