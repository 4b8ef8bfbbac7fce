package dev.machina.cli;

import dev.machina.config.ParsedCommandLine;
import dev.machina.config.ReadMode;
import dev.machina.qom.QomObject;
import dev.machina.vm.BuiltMachine;
import dev.machina.vm.Qtree;
import dev.machina.vm.Vm;
import dev.machina.vm.VmBuilder;
import dev.machina.vm.VmException;
import dev.machina.vm.VmSpec;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Dry runs that answer what QEMU 7.2's monitor answers about a machine that has not run yet:
 * {@code machine qom-tree TYPE} ({@code info qom-tree}) and {@code machine mtree TYPE}
 * ({@code info mtree}).
 */
final class MachineInfoCommands {
    private MachineInfoCommands() {}

    @Command(name = "qom-tree", description = {"Print the composition tree of a machine type as QEMU 7.2's 'info qom-tree' "
            + "prints it (from /machine; '/NAME (TYPE)', two spaces per level, children sorted by name), built by a dry run "
            + "of the machine type with -nodefaults (--with-defaults: without).",
            "The memory regions and IRQ pins QEMU also lists as children of each device are not part of the dry run and "
            + "are not printed."})
    static final class QomTree implements Callable<Integer> {
        @ParentCommand
        MachineCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TYPE", description = "a machine type or alias")
        String name;

        @Option(names = "--with-defaults", description = "as QEMU builds it without -nodefaults (serial, parallel, VGA, NIC, CD-ROM, ...)")
        boolean withDefaults;

        @Override
        public Integer call() {
            BuiltMachine built = VmBuilder.dryRun(VmSpec.machineOnly(parent.main.context().catalog(), name, withDefaults));
            QomObject machine = built.tree().machine().orElseThrow();
            StringBuilder sb = new StringBuilder();
            render(machine, 0, sb);
            spec.commandLine().getOut().print(sb);
            spec.commandLine().getOut().flush();
            return Main.EXIT_OK;
        }

        /** qom/qom-hmp-cmds.c print_qom_composition: "%*s/%s (%s)", children in strcmp order of their names. */
        static void render(QomObject o, int indent, StringBuilder sb) {
            sb.append(" ".repeat(indent)).append('/').append(o.name().replace("/", "\\x2f")).append(" (").append(o.typeName()).append(")\n");
            List<String> names = new ArrayList<>(o.children().keySet());
            names.sort(String::compareTo);
            for (String n : names) {
                render(o.children().get(n), indent + 2, sb);
            }
        }
    }

    @Command(name = "qtree", description = {"Print the device tree of a machine type as QEMU 7.2's 'info qtree' prints it "
            + "(from the main system bus: 'bus: NAME', 'type BUSTYPE', each device newest first as 'dev: TYPE, id \"ID\"' with its "
            + "qdev properties and its own buses), built by a dry run of the machine type with -nodefaults (--with-defaults: without).",
            "The lines realize adds (GPIO counts, MMIO windows, PCI class, IDs and BARs) are not part of the dry run and are not "
            + "printed; 'info qtree' in the monitor of 'machina run' prints them."})
    static final class DeviceTree implements Callable<Integer> {
        @ParentCommand
        MachineCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TYPE", description = "a machine type or alias")
        String name;

        @Option(names = "--with-defaults", description = "as QEMU builds it without -nodefaults (serial, parallel, VGA, NIC, CD-ROM, ...)")
        boolean withDefaults;

        @Override
        public Integer call() {
            BuiltMachine built = VmBuilder.dryRun(VmSpec.machineOnly(parent.main.context().catalog(), name, withDefaults));
            spec.commandLine().getOut().print(Qtree.render(built, Qtree.DRY_RUN));
            spec.commandLine().getOut().flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "mtree", description = {"Print the memory map of a machine type as QEMU 7.2's 'info mtree' prints it "
            + "(-f: 'info mtree -f', the flat views): the machine is built as 'machina run -M TYPE -nodefaults' builds it "
            + "(with its firmware, which sizes the BIOS regions) and not run."})
    static final class MemoryTree implements Callable<Integer> {
        @ParentCommand
        MachineCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TYPE", description = "a machine type or alias")
        String name;

        @Option(names = {"-f", "--flat"}, description = "the flat views, as 'info mtree -f'")
        boolean flat;

        @Option(names = "-bios", paramLabel = "FILE", description = "the firmware image (default: the machine type's, from /usr/share/seabios)")
        String bios;

        @Override
        public Integer call() {
            Context context = parent.main.context();
            List<String> args = new ArrayList<>(List.of("-M", name, "-nodefaults", "-display", "none"));
            if (bios != null) {
                args.addAll(List.of("-bios", bios));
            }
            Vm vm;
            try {
                ParsedCommandLine p = ConfigSupport.configs(context).fromCommandLine(args, ReadMode.STRICT);
                vm = Vm.create(p.config(), context.catalog(), new Vm.Console(InputStream.nullInputStream(), new ByteArrayOutputStream()));
            } catch (VmException | dev.machina.config.ConfigException e) {
                throw new UserError("machine mtree " + name + ": " + e.getMessage());
            }
            spec.commandLine().getOut().print(vm.mtree(flat));
            spec.commandLine().getOut().flush();
            return Main.EXIT_OK;
        }
    }
}
