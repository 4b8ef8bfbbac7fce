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
        return new Introspection(context::registry, context::machines, MonitorData::commandLineOptions,
                name -> machineDetails(context, name)).presenting(context::qemuRelease);
    }

    /**
     * query-machines' members for {@code x-machina-machine}: what {@code machine show NAME} reports, from the
     * same dry run: the compat properties as QEMU 9.1's compat-props spells them (qom-type, property, the
     * value as the compat array writes it), every device of the -nodefaults graph with its bus and PCI
     * address, the default devices QEMU adds without -nodefaults, and each PCI bus's free slots in the
     * -nodefaults graph (a slot is taken when any function of it is).
     */
    static ObjectNode machineDetails(Context context, String name) {
        dev.machina.vm.BuiltMachine built = dev.machina.vm.MachineReport.dryRun(context.catalog(), name);
        dev.machina.machine.ResolvedMachine r = dev.machina.vm.MachineReport.resolved(built);
        ObjectNode o = QmpJson.object();
        ArrayNode compat = o.putArray("compat-props");
        for (dev.machina.vm.CompatProbe.Effective c : new dev.machina.vm.CompatProbe(built).table()) {
            compat.addObject().put("qom-type", c.driver()).put("property", c.property()).put("value", c.winner().text());
        }
        ArrayNode devices = o.putArray("x-machina-devices");
        java.util.Map<String, java.util.TreeSet<Integer>> used = new java.util.LinkedHashMap<>();
        java.util.Set<String> pciBuses = new java.util.LinkedHashSet<>();
        for (dev.machina.machine.ResolvedMachine.Device d : r.devices() == null
                ? java.util.List.<dev.machina.machine.ResolvedMachine.Device>of() : r.devices()) {
            ObjectNode n = devices.addObject().put("id", d.id()).put("type", d.type());
            if (d.bus() != null) {
                n.put("bus", d.bus());
            }
            if (d.address() != null) {
                n.put("address", d.address());
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9a-f]{1,2})\\.[0-7]").matcher(d.address());
                if (d.bus() != null && m.matches()) {
                    used.computeIfAbsent(d.bus(), b -> new java.util.TreeSet<>()).add(Integer.parseInt(m.group(1), 16));
                }
            }
            String t = d.type();
            if (t.equals("i440FX-pcihost") || t.equals("q35-pcihost")) {
                pciBuses.add(d.id() + "/" + (t.equals("q35-pcihost") ? "pcie.0" : "pci.0"));
            }
        }
        pciBuses.addAll(used.keySet());
        ArrayNode defaults = o.putArray("x-machina-default-devices");
        for (dev.machina.machine.ResolvedMachine.DefaultDevice dd : context.catalog().defaultDevices(r)) {
            ObjectNode n = defaults.addObject().put("id", dd.device().id()).put("type", dd.device().type()).put("kind", dd.kind());
            if (dd.device().bus() != null) {
                n.put("bus", dd.device().bus());
            }
            if (dd.device().address() != null) {
                n.put("address", dd.device().address());
            }
        }
        ArrayNode free = o.putArray("x-machina-free-pci-slots");
        for (String bus : pciBuses) {
            ObjectNode n = free.addObject().put("bus", bus);
            ArrayNode slots = n.putArray("slots");
            for (int slot = 0; slot < 32; slot++) {
                if (!used.getOrDefault(bus, new java.util.TreeSet<>()).contains(slot)) {
                    slots.add(slot);
                }
            }
        }
        return o;
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
