package dev.machina.cli;

import dev.machina.machine.Declarations.Lifecycle;
import dev.machina.machine.MachineTable;
import dev.machina.machine.ResolvedMachine;
import dev.machina.machine.ResolvedMachine.CompatOrigin;
import dev.machina.vm.CompatProbe;
import dev.machina.machine.ResolvedMachine.Device;
import dev.machina.machine.ResolvedMachine.DeviceValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * How machines are shown: the maps {@code machine list --format json} and {@code machine show}
 * print (as JSON or YAML). Keys are kebab-case and always present, so scripts can rely on the shape.
 */
final class MachineView {
    private MachineView() {}

    static Map<String, Object> summary(MachineTable.Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("family", s.family());
        m.put("alias", s.aliases().isEmpty() ? null : s.aliases().get(0));
        m.put("default", s.isDefault());
        m.put("deprecated", s.deprecated());
        m.put("deprecation-reason", s.lifecycle().deprecated());
        m.put("removed-upstream-in", s.lifecycle().removedUpstreamIn());
        m.put("description", s.description());
        return m;
    }

    private static Map<String, Object> lifecycle(Lifecycle l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deprecated", l.deprecated() != null);
        m.put("deprecation-reason", l.deprecated());
        m.put("removed-upstream-in", l.removedUpstreamIn());
        if (l.note() != null) {
            m.put("note", l.note());
        }
        return m;
    }

    /**
     * Everything {@code machine show} prints, from the machine type's dry run ({@code r} with its built
     * device values, {@code compat} its compat properties); with {@code provenance}, each value with its origin.
     */
    static Map<String, Object> show(ResolvedMachine r, CompatProbe compatValues, boolean provenance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("family", r.family());
        m.put("qom-type", r.qomType());
        ResolvedMachine.Option d = r.option(dev.machina.machine.MachineOption.DESCRIPTION);
        m.put("description", d == null ? null : d.value());
        m.put("aliases", r.aliases());
        m.put("default", r.isDefault());
        m.put("lifecycle", lifecycle(r.lifecycle()));
        m.put("source", r.source() == null ? null : r.source().toString());
        m.put("chain", r.chain());
        Map<String, Object> options = new LinkedHashMap<>();
        for (ResolvedMachine.Option o : r.options()) {
            Object v = o.value() == null ? null : o.option().type().toJson(o.value());
            if (provenance) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("value", v);
                p.put("set-by", o.setBy());
                p.put("source", o.source() == null ? null : o.source().toString());
                p.put("at", o.at().location());
                options.put(o.option().key(), p);
            } else {
                options.put(o.option().key(), v);
            }
        }
        m.put("options", options);
        m.put("compat-sets", r.compatSets());
        List<Object> compat = new ArrayList<>();
        for (CompatProbe.Effective c : compatValues.table()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("driver", c.driver());
            e.put("property", c.property());
            e.put("value", c.value());
            if (provenance) {
                e.put("text", c.winner().text());
                e.put("set", c.winner().set());
                e.put("source", c.winner().source() == null ? null : c.winner().source().toString());
                e.put("at", c.winner().at().location());
                List<Object> over = new ArrayList<>();
                for (CompatOrigin o : c.overridden()) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("set", o.set());
                    x.put("text", o.text());
                    x.put("at", o.at().location());
                    over.add(x);
                }
                e.put("overrides", over);
                if (c.resetBy() != null) {
                    e.put("then", c.resetBy());
                }
            }
            compat.add(e);
        }
        m.put("compat", compat);
        if (r.devices() == null) {
            m.put("devices", null);
        } else {
            List<Object> devices = new ArrayList<>();
            for (Device dev : r.devices()) {
                devices.add(device(dev, provenance));
            }
            m.put("devices", devices);
        }
        return m;
    }

    /**
     * What QEMU adds to the device graph when -nodefaults is not given ({@code default-devices:} of the
     * family), for this machine type ({@link dev.machina.machine.MachineCatalog#defaultDevices}: a kind its
     * options turn off is left out, the VGA and NIC take the model its options give).
     */
    static List<Object> defaultDevices(dev.machina.machine.MachineCatalog catalog, ResolvedMachine r) {
        List<Object> out = new ArrayList<>();
        for (ResolvedMachine.DefaultDevice dd : catalog.defaultDevices(r)) {
            Device d = dd.device();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("type", d.type());
            m.put("qemu-path", d.qemuPath());
            m.put("parent", d.parent());
            m.put("bus", d.bus());
            m.put("address", d.address());
            m.put("after", dd.after());
            m.put("kind", dd.kind());
            m.put("removed-by", dd.removedBy());
            m.put("source", dd.source());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> device(Device dev, boolean provenance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", dev.id());
        m.put("type", dev.type());
        m.put("qemu-path", dev.qemuPath());
        m.put("parent", dev.parent());
        m.put("bus", dev.bus());
        m.put("address", dev.address());
        Map<String, Object> props = new LinkedHashMap<>();
        for (DeviceValue v : dev.values()) {
            Object json = v.type().toJson(v.value());
            if (provenance) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("value", json);
                p.put("from", v.origin().toString());
                props.put(v.property(), p);
            } else {
                props.put(v.property(), json);
            }
        }
        m.put("properties", props);
        m.put("links", dev.links());
        return m;
    }

    /** Block-style YAML with LF line ends and no anchors. */
    static String yaml(Object value) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(0);
        o.setWidth(200);
        o.setLineBreak(DumperOptions.LineBreak.UNIX);
        o.setSplitLines(false);
        return new Yaml(o).dump(unshared(value));
    }

    /**
     * A copy in which no list or map appears twice: SnakeYAML writes a collection met a second time
     * (such as the one shared empty {@code List.of()}) as an anchor and alias, {@code &id001 []} ...
     * {@code *id001}, which is valid YAML but reads as if the two values were linked.
     */
    private static Object unshared(Object value) {
        if (value instanceof java.util.Map<?, ?> m) {
            java.util.Map<Object, Object> copy = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, unshared(v)));
            return copy;
        }
        if (value instanceof java.util.List<?> l) {
            java.util.List<Object> copy = new java.util.ArrayList<>(l.size());
            l.forEach(v -> copy.add(unshared(v)));
            return copy;
        }
        return value;
    }
}
