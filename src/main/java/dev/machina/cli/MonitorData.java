package dev.machina.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.machina.config.OptionGroup;
import dev.machina.config.OptionGroups;
import dev.machina.qmp.Introspection;
import dev.machina.qmp.QmpJson;
import java.util.Map;

/** The data the monitors' introspection commands answer from, taken from a command's {@link Context}. */
public final class MonitorData {
    private MonitorData() {}

    public static Introspection of(Context context) {
        return new Introspection(context::registry, context::machines, MonitorData::commandLineOptions);
    }

    /**
     * The dry run of a configuration's machine (nothing realized): the object graph the qom-* commands
     * answer from for {@code -machine none} and before {@code x-exit-preconfig}.
     */
    public static dev.machina.vm.BuiltMachine dryRun(dev.machina.config.VmConfig config, Context context) {
        return dev.machina.vm.VmBuilder.dryRun(dev.machina.vm.VmSpec.of(config, context.catalog()));
    }

    /** {@link #dryRun(dev.machina.config.VmConfig, Context)} of a QEMU command line (for tests and tools). */
    public static dev.machina.vm.BuiltMachine dryRun(java.util.List<String> qemuArgs, Context context) {
        return dryRun(ConfigSupport.configs(context).fromCommandLine(qemuArgs, dev.machina.config.ReadMode.STRICT).config(), context);
    }

    /**
     * query-command-line-options: QEMU's option groups (not Machina's own {@code machina-*} ones), each
     * with its QemuOpts parameters; a group whose keys are checked elsewhere lists none, as in QEMU.
     */
    static ArrayNode commandLineOptions() {
        ArrayNode a = QmpJson.NODES.arrayNode();
        for (OptionGroup g : OptionGroups.all()) {
            if (g.kind() == OptionGroup.Kind.MACHINA) {
                continue;
            }
            ObjectNode o = a.addObject();
            ArrayNode params = o.putArray("parameters");
            if (!g.qemuAcceptsAnyKey()) {
                for (Map.Entry<String, OptionGroup.Param> p : g.params().entrySet()) {
                    params.addObject().put("name", p.getKey()).put("type", switch (p.getValue().type()) {
                        case STRING -> "string";
                        case BOOL -> "boolean";
                        case NUMBER -> "number";
                        case SIZE -> "size";
                    });
                }
            }
            o.put("option", g.name());
        }
        return a;
    }
}
