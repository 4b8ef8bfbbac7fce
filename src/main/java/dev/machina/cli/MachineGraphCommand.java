package dev.machina.cli;

import dev.machina.hw.BuiltinTypes;
import dev.machina.machine.MachineCatalog;
import dev.machina.qom.TypeInfo;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code machina machine graph TYPE [B]}: the default device graph of a machine type, or what changes between two. */
@Command(name = "graph", description = {"Draw the default device graph of a machine type: a node per device (type and id; "
        + "dashed where Machina has no model yet), an edge from each bus to the devices on it (with their addresses), "
        + "composition (diamond) and links (dashed).",
        "With two machine types, the change from the first to the second: added devices and edges green, removed red, "
        + "changed properties listed on the node.",
        "svg and png are laid out by Graphviz's dot (Debian: apt-get install graphviz); dot and json need nothing."})
final class MachineGraphCommand implements Callable<Integer> {
    @ParentCommand
    MachineCommand parent;

    @Spec
    CommandSpec spec;

    enum Format { dot, svg, png, json }

    @Parameters(paramLabel = "TYPE", arity = "1..2", description = "a machine type or alias; a second one draws the change to it")
    List<String> names;

    @Option(names = "--format", defaultValue = "svg", description = "dot, svg, png or json (default: ${DEFAULT-VALUE}; "
            + "with -o, the extension of FILE when it names one of them)")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE atomically (default: stdout)")
    String output;

    @Option(names = "--with-defaults", description = "also draw the devices a machine type adds unless -nodefaults "
            + "(serial, parallel, floppy, VGA, NIC, IDE) where the data has them")
    boolean withDefaults;

    @Override
    public Integer call() throws java.io.IOException {
        Context context = parent.main.context();
        MachineCatalog c = context.catalog();
        Set<String> modelled = modelled();
        MachineGraph g = names.size() == 1 ? MachineGraph.of(c.resolve(names.get(0)), modelled)
                : MachineGraph.diff(c.resolve(names.get(0)), c.resolve(names.get(1)), modelled);
        Format f = format;
        if (output != null && spec.commandLine().getParseResult().expandedArgs().stream().noneMatch(a -> a.startsWith("--format"))) {
            String lower = output.toLowerCase(java.util.Locale.ROOT);
            for (Format x : Format.values()) {
                if (lower.endsWith("." + x.name())) {
                    f = x;
                }
            }
        }
        byte[] bytes = switch (f) {
            case dot -> g.dot().getBytes(StandardCharsets.UTF_8);
            case json -> (Output.json(g.json()) + "\n").getBytes(StandardCharsets.UTF_8);
            case svg, png -> GraphRender.render(g.dot(), f.name());
        };
        if ((output == null || output.equals("-")) && f != Format.png) {
            spec.commandLine().getOut().print(new String(bytes, StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
        } else if (output == null || output.equals("-")) {
            spec.commandLine().getOut().flush();
            context.rawOut().write(bytes, 0, bytes.length); // PNG bytes, not text
            context.rawOut().flush();
        } else {
            if (f == Format.png) {
                writeAtomically(output, bytes);
            } else {
                dev.machina.config.ConfigFiles.writeAtomically(output, new String(bytes, StandardCharsets.UTF_8));
            }
        }
        return Main.EXIT_OK;
    }

    /** Bytes to a file: a temporary file beside it, renamed over it, so it is whole or untouched. */
    static void writeAtomically(String target, byte[] bytes) {
        java.nio.file.Path abs = java.nio.file.Path.of(target).toAbsolutePath();
        java.nio.file.Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            java.nio.file.Files.write(tmp, bytes);
            java.nio.file.Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            try {
                java.nio.file.Files.deleteIfExists(tmp);
            } catch (java.io.IOException ignored) {
                // nothing more to undo
            }
            throw new UserError("cannot write " + target + ": " + e.getMessage());
        }
    }

    /**
     * The types with a model: those {@code machina run} assembles (the run path's own list, so the
     * picture cannot drift from what runs) and the structural types declared in code.
     */
    static Set<String> modelled() {
        Set<String> out = new HashSet<>(dev.machina.vm.PcMachine.modelledTypes());
        for (TypeInfo t : BuiltinTypes.all()) {
            out.add(t.name());
        }
        return out;
    }
}
