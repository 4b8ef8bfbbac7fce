package dev.machina.vm;

import dev.machina.machine.MachineCatalog;
import dev.machina.machine.MachineDiff;
import dev.machina.machine.MachineSnapshot;
import dev.machina.machine.ResolvedMachine;
import dev.machina.qom.ValueOrigin;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A machine type as its dry run answers it, in the shapes {@code machine show}, {@code machine diff}
 * and {@code machine snapshot} print: the default device graph with every object's effective values
 * (and where each comes from) as the builder set them, and the compat properties as the builder's
 * engine applies them ({@link CompatProbe}).
 */
public final class MachineReport {
    private MachineReport() {}

    /** The dry run of a machine type with nothing added (its default RAM, one CPU). */
    public static BuiltMachine dryRun(MachineCatalog catalog, String machine) {
        return VmBuilder.dryRun(VmSpec.machineOnly(catalog, machine));
    }

    /** The dry run of a machine type as QEMU builds it without -nodefaults: its default devices included. */
    public static BuiltMachine dryRunWithDefaults(MachineCatalog catalog, String machine) {
        return VmBuilder.dryRun(VmSpec.machineOnly(catalog, machine, true));
    }

    /** One column of a diff: the machine type's dry run, labelled. */
    public static MachineDiff.Column column(String label, MachineCatalog catalog, String machine) {
        BuiltMachine b = dryRun(catalog, machine);
        return new MachineDiff.Column(label, resolved(b), catalog, new CompatProbe(b));
    }

    /** Every machine type of the catalog, from its dry run: what {@code machine snapshot} writes. */
    public static MachineSnapshot snapshot(MachineCatalog catalog) {
        return MachineSnapshot.of(catalog, n -> column(n, catalog, n));
    }

    /**
     * The built machine's type with its device graph as built: each device's QOM path, bus and PCI
     * address from the built object, and every property's effective value with its origin.
     */
    public static ResolvedMachine resolved(BuiltMachine b) {
        ResolvedMachine m = b.machineType();
        if (m.devices() == null) {
            return m;
        }
        Map<Object, String> idOf = new IdentityHashMap<>();
        for (Map.Entry<String, BuiltObject> e : b.boardObjects().entrySet()) {
            idOf.put(e.getValue(), e.getKey());
        }
        List<ResolvedMachine.Device> out = new ArrayList<>();
        for (ResolvedMachine.Device d : m.devices()) {
            BuiltObject o = b.boardObject(d.id()).orElse(null);
            if (o == null) {
                continue;
            }
            List<ResolvedMachine.DeviceValue> values = new ArrayList<>();
            for (EffectiveValue v : o.values()) {
                ResolvedMachine.CompatOrigin compat = v.origin() instanceof ValueOrigin.Global g && !g.global().user()
                        ? b.compatOrigin(g.global()).orElse(null) : null;
                values.add(new ResolvedMachine.DeviceValue(v.property(), v.type(), v.value(), v.origin(), compat));
            }
            String bus = o.bus().map(x -> idOf.getOrDefault(x, x.path())).orElse(null);
            // a device the graph puts on no PCI bus (hand-written data) keeps the address the data gives it
            String address = o.pciAddress().map(PciAddress::toString).orElse(d.address());
            Map<String, String> links = new LinkedHashMap<>();
            for (Map.Entry<String, String> l : d.links().entrySet()) {
                links.put(l.getKey(), l.getValue()); // as the data names them: a graph id, or a path outside the graph
            }
            out.add(new ResolvedMachine.Device(d.id(), o.typeName(), o.path(), d.parent(), bus, address, List.copyOf(values),
                    java.util.Collections.unmodifiableMap(links), d.set(), d.observed()));
        }
        out.sort(java.util.Comparator.comparing(ResolvedMachine.Device::id, dev.machina.machine.MachineOrder.NATURAL));
        return m.withDevices(out);
    }
}
