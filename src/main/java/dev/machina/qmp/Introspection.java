package dev.machina.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.machina.machine.MachineOption;
import dev.machina.machine.MachineTable;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertyDefault;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.TypeRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The introspection commands a management tool probes a binary with, answered from Machina's data:
 * the type registry (qom-list-types, qom-list-properties, device-list-properties,
 * query-cpu-definitions), the machine table (query-machines) and the option groups
 * (query-command-line-options). Each source is loaded when first asked for.
 */
public final class Introspection {
    private final Supplier<TypeRegistry> registry;
    private final Supplier<MachineTable> machines;
    private final Supplier<ArrayNode> commandLineOptions;
    private final java.util.function.Function<String, ObjectNode> machineDetails;
    private Supplier<String> release;

    /**
     * @param commandLineOptions query-command-line-options' full reply (the option groups are the
     *                           config layer's; the CLI renders them)
     */
    public Introspection(Supplier<TypeRegistry> registry, Supplier<MachineTable> machines, Supplier<ArrayNode> commandLineOptions) {
        this(registry, machines, commandLineOptions, null);
    }

    /**
     * @param machineDetails the members query-machines adds for {@code x-machina-machine} (compat-props,
     *                       x-machina-devices, x-machina-default-devices, x-machina-free-pci-slots) of one
     *                       machine type, from the builder {@code machine show} uses; null: not available
     */
    public Introspection(Supplier<TypeRegistry> registry, Supplier<MachineTable> machines, Supplier<ArrayNode> commandLineOptions,
            java.util.function.Function<String, ObjectNode> machineDetails) {
        this.registry = memo(registry);
        this.machines = memo(machines);
        this.commandLineOptions = memo(commandLineOptions);
        this.machineDetails = machineDetails;
    }

    private static <T> Supplier<T> memo(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }

    /**
     * Answers query-machines as QEMU {@code release} would (MACHINA_QEMU_VERSION): only the machine types that
     * release has, with its deprecations, aliases and default ({@link MachineTable#inRelease}); the newest
     * release the data describes keeps every type of the data.
     */
    public Introspection presenting(Supplier<String> release) {
        this.release = release;
        return this;
    }

    public TypeRegistry registry() {
        return registry.get();
    }

    /** qom-list-types: concrete types (with {@code abstract}, abstract ones too, marked), optionally only those implementing a type. */
    ArrayNode listTypes(String implementsType, boolean withAbstract) {
        if (presenting72()) {
            return Qemu72Qom.packaged().listTypes(implementsType, withAbstract); // QEMU 7.2's types, recorded
        }
        TypeRegistry reg = registry();
        ArrayNode a = QmpJson.NODES.arrayNode();
        if (implementsType != null && !reg.contains(implementsType)) {
            return a; // QEMU: an unknown type implements nothing
        }
        // the presented release's types (issue 14 item 5): none QEMU removed by it (sga, pvrdma, ...), and its x86 CPU
        // model types are its CPU models as query-cpu-definitions lists them (10.2's GraniteRapids-x86_64-cpu; no
        // Icelake-Client-x86_64-cpu, removed in 7.1)
        String r = release == null ? dev.machina.machine.QemuRelease.NEWEST : release.get();
        java.util.Set<String> removed = new java.util.HashSet<>(dev.machina.machine.QemuRelease.removedBy(r));
        removed.addAll(dev.machina.machine.QemuRelease.notYetIn(r).keySet()); // and none it does not have yet
        java.util.Set<String> cpus = new java.util.LinkedHashSet<>();
        CpuExpansion.listing(r).names().forEach(m -> cpus.add(m + "-x86_64-cpu"));
        // from the declarations: resolving every type (reading its properties) is most of a probe's cost otherwise
        for (String name : reg.names()) {
            dev.machina.qom.TypeInfo t = reg.declaration(name).orElseThrow();
            if (t.abstractType() && !withAbstract) {
                continue;
            }
            if (implementsType != null && !reg.declaredIsA(name, implementsType)) {
                continue;
            }
            if (removed.contains(name) || !t.abstractType() && name.endsWith("-x86_64-cpu") && !cpus.remove(name)) {
                continue;
            }
            ObjectNode o = a.addObject();
            if (t.abstractType()) {
                o.put("abstract", true);
            }
            o.put("name", name);
            if (t.parent() != null) {
                o.put("parent", t.parent());
            }
        }
        // the release's CPU models Machina has no type for (it lists them, -cpu refuses them): concrete x86_64-cpu types
        if (implementsType == null || reg.declaredIsA("x86_64-cpu", implementsType) || implementsType.equals("x86_64-cpu")) {
            for (String name : new java.util.TreeSet<>(cpus)) {
                a.addObject().put("name", name).put("parent", "x86_64-cpu");
            }
        }
        return a;
    }

    /** Whether the presented release lacks a type a later QEMU added (it is not in its qom-list-types either). */
    private boolean notYet(String typename) {
        String r = release == null ? dev.machina.machine.QemuRelease.NEWEST : release.get();
        return dev.machina.machine.QemuRelease.notYetIn(r).containsKey(typename);
    }

    /** qom-list-properties: the class properties of any type. */
    ArrayNode classProperties(String typename) {
        if (presenting72()) {
            Qemu72Qom q = Qemu72Qom.packaged();
            if (!q.contains(typename)) {
                throw QmpError.deviceNotFound("Class '" + typename + "' not found");
            }
            java.util.Optional<ArrayNode> recorded = q.properties("qom-list-properties", typename);
            if (recorded.isPresent()) {
                return recorded.get();
            }
        }
        ObjectType t = registry().find(typename).filter(x -> !notYet(typename))
                .orElseThrow(() -> QmpError.deviceNotFound("Class '" + typename + "' not found"));
        return properties(t, false); // QEMU's qom-list-properties has no default-value (qmp_qom_list_properties)
    }

    /** device-list-properties: the properties of a concrete device type, as {@code -device T,help} lists them. */
    ArrayNode deviceProperties(String typename) {
        if (presenting72()) {
            Qemu72Qom q = Qemu72Qom.packaged();
            if (!q.contains(typename)) {
                throw QmpError.deviceNotFound("Device '" + typename + "' not found");
            }
            if (!q.isA(typename, "device") || q.isAbstract(typename)) {
                throw QmpError.generic("Parameter 'typename' expects a non-abstract device type");
            }
            java.util.Optional<ArrayNode> recorded = q.properties("device-list-properties", typename);
            if (recorded.isPresent()) {
                return recorded.get();
            }
        }
        TypeRegistry reg = registry();
        ObjectType t = reg.find(typename).filter(x -> !notYet(typename))
                .orElseThrow(() -> QmpError.deviceNotFound("Device '" + typename + "' not found"));
        if (!reg.isA(typename, "device") || t.isAbstract()) {
            throw QmpError.generic("Parameter 'typename' expects a non-abstract device type");
        }
        return properties(t, true);
    }

    /**
     * Property infos; {@code defaults}: with their default values (QEMU has them for qdev properties,
     * not for the class properties of machines and other objects).
     */
    private static ArrayNode properties(ObjectType t, boolean defaults) {
        ArrayNode a = QmpJson.NODES.arrayNode();
        for (PropertySpec p : t.properties()) {
            ObjectNode o = a.addObject();
            // a PCI address is an int32 to QEMU's visitors (qdev_prop_pci_devfn's name), -1 for "any slot"
            boolean devfn = p.type().name().equals("pci-devfn");
            if (defaults && p.defaultValue() instanceof PropertyDefault.Known k && k.value() != null) {
                JsonNode v = QmpJson.mapper().valueToTree(p.type().toJson(k.value()));
                if (devfn && v.isTextual() && v.asText().matches("-?[0-9]+")) {
                    v = QmpJson.NODES.numberNode(Integer.parseInt(v.asText()));
                }
                if (v.isValueNode()) {
                    o.set("default-value", v);
                }
            }
            o.put("name", p.name());
            if (p.description() != null && !p.description().isEmpty()) {
                o.put("description", p.description());
            }
            o.put("type", devfn ? "int32" : p.type().name());
        }
        return a;
    }

    /**
     * Loads what a management tool's probe asks for next (the types, the machine table; QEMU 7.2's recorded
     * QOM and CPU classes when presenting 7.2), so that a caller can do it on another thread while the
     * client connects and negotiates: libvirt's sixth command lists every type.
     */
    public void warm() {
        if (presenting72()) {
            Qemu72Qom.packaged();
            CpuExpansion.packaged();
        }
        registry();
        machines.get();
    }

    /** Whether the replies are QEMU 7.2's (MACHINA_QEMU_VERSION=7.2). */
    private boolean presenting72() {
        return release != null && "7.2".equals(release.get());
    }

    /** query-tpm-models: the TPM front ends among the device types (QEMU's TpmModel values that are types here). */
    ArrayNode tpmModels() {
        ArrayNode a = QmpJson.NODES.arrayNode();
        for (String m : java.util.List.of("tpm-crb", "tpm-tis", "tpm-spapr")) {
            if (registry().find(m).isPresent()) {
                a.add(m);
            }
        }
        return a;
    }

    /**
     * query-cpu-definitions: the CPU classes of the release presented, as -cpu help lists them (issue 14 item 5):
     * QEMU 10.2's builtin_x86_defs presenting 10.2, 9.2.4's presenting 9.2 (and 10.0, 10.1), QEMU 7.2's presenting 7.2 ... 9.1 (no other release's
     * source read; --version says so). unavailable-features are the features a model asks for that Machina's
     * core lacks (QEMU 7.2's TCG set, which the core answers as). The registry's CPU types are not listed: they
     * also hold models no presented release has (Icelake-Client, removed in 7.1).
     */
    ArrayNode cpuDefinitions() {
        return CpuExpansion.listing(release == null ? null : release.get()).definitions();
    }

    /** query-machines: every machine type Machina has, with QEMU's members. */
    ArrayNode machines() {
        return machines(null);
    }

    /**
     * query-machines; with {@code only} (Machina's x-machina-machine, a name or alias) just that machine
     * type, with what its dry run knows: its compat properties (QEMU 9.1's compat-props member), its
     * devices with bus and address, the default devices -nodefaults leaves out, and each PCI bus's free slots.
     */
    ArrayNode machines(String only) {
        MachineTable table = machines.get();
        ArrayNode a = QmpJson.NODES.arrayNode();
        boolean found = false;
        java.util.List<MachineTable.Summary> summaries = table.summaries();
        String r = release == null ? null : release.get();
        boolean older = r != null && !r.equals(dev.machina.machine.QemuRelease.NEWEST);
        if (older) {
            summaries = MachineTable.inRelease(summaries, r);
        }
        for (MachineTable.Summary s : summaries) {
            if (s.removedUpstream() && only == null) {
                continue; // QEMU lists only the types it has, in every release (-machine help leaves them out too)
            }
            if (only != null && !s.name().equals(only) && !s.aliases().contains(only)) {
                continue;
            }
            found = true;
            Map<MachineOption, MachineTable.OptionValue> o = table.options(s.name());
            ObjectNode m = a.addObject();
            m.put("hotpluggable-cpus", bool(o, MachineOption.HOTPLUGGABLE_CPUS));
            m.put("name", s.name());
            m.put("numa-mem-supported", bool(o, MachineOption.NUMA_MEM_SUPPORTED));
            if (!s.aliases().isEmpty()) {
                m.put("alias", s.aliases().get(0));
            }
            if (s.isDefault()) {
                m.put("is-default", true);
            }
            Object cpu = value(o, MachineOption.DEFAULT_CPU_TYPE);
            if (cpu != null) {
                m.put("default-cpu-type", cpu.toString());
            }
            Object max = value(o, MachineOption.MAX_CPUS);
            m.put("cpu-max", max instanceof Number n && n.longValue() > 0 ? n.longValue() : 1);
            m.put("deprecated", s.deprecated());
            Object ram = value(o, MachineOption.DEFAULT_RAM_ID);
            if (ram != null) {
                m.put("default-ram-id", ram.toString());
            }
            if (only != null) {
                if (machineDetails == null) {
                    throw QmpError.generic("x-machina-machine is not available here");
                }
                m.setAll(machineDetails.apply(s.name()));
            }
        }
        if (only != null && !found) {
            throw QmpError.generic("machine type '" + only + "' not found (query-machines lists them)");
        }
        return a;
    }

    private static Object value(Map<MachineOption, MachineTable.OptionValue> o, MachineOption k) {
        MachineTable.OptionValue v = o.get(k);
        return v == null ? null : v.value();
    }

    private static boolean bool(Map<MachineOption, MachineTable.OptionValue> o, MachineOption k) {
        return Boolean.TRUE.equals(value(o, k));
    }

    /** query-command-line-options, all groups or one ({@code option}); an unknown one is QEMU's error. */
    ArrayNode commandLineOptions(String option) {
        ArrayNode all = commandLineOptions.get();
        if (option == null) {
            return all.deepCopy();
        }
        ArrayNode a = QmpJson.NODES.arrayNode();
        for (JsonNode n : all) {
            if (n.path("option").asText().equals(option)) {
                a.add(n.deepCopy());
            }
        }
        if (a.isEmpty()) {
            throw QmpError.generic("invalid option name: " + option);
        }
        return a;
    }

}
