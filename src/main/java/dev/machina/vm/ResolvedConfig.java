package dev.machina.vm;

import dev.machina.config.ConfigMerge;
import dev.machina.config.Entry;
import dev.machina.config.Layout;
import dev.machina.config.Origin;
import dev.machina.config.Section;
import dev.machina.config.VmConfig;
import dev.machina.machine.MachineCatalog;
import dev.machina.qom.GlobalProperty;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.ValueOrigin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective configuration ({@code config convert --resolved}): what QEMU would use, written out,
 * from a dry run of the VM builder, so it says what the VM gets and never a second opinion.
 * <ul>
 *   <li>Repeated merge-lists options become one section at the place of the first ({@link ConfigMerge}).</li>
 *   <li>The machine type is named, and every machine property with a value (its type's default, its
 *       {@code default-machine-options}, the board's settings), {@code [memory]} and {@code [smp-opts]}
 *       are filled in.</li>
 *   <li>The machine type's compat properties are written as {@code [global]} sections ahead of the
 *       user's, since QEMU applies them first.</li>
 *   <li>Every device and object gets every property that has a value, as the builder set it: the
 *       user's, else the last matching user {@code -global} (devices only: an {@code -object} never
 *       takes one), else the machine type's compat property, else the type's default.</li>
 * </ul>
 * Each filled-in value says where it came from: its origin is {@link Origin.Derived}, and in cfg output
 * it carries a trailing comment ({@code # default of isa-serial}).
 */
public final class ResolvedConfig {
    private ResolvedConfig() {}

    public static VmConfig resolve(VmConfig config, MachineCatalog catalog) {
        List<Section> merged = ConfigMerge.merge(config);
        BuiltMachine built = VmBuilder.dryRun(VmSpec.of(VmConfig.of(merged), catalog));
        String given = catalog.table().defaultMachine();
        for (Section s : merged) {
            if (s.group().equals("machine")) {
                given = s.get("type").orElse(given);
            }
        }
        List<BuiltObject> devices = built.objects().stream().filter(o -> o.kind() == BuiltObject.Kind.USER_DEVICE).toList();
        List<BuiltObject> objects = built.objects().stream().filter(o -> o.kind() == BuiltObject.Kind.USER_OBJECT).toList();
        int nextDevice = 0;
        int nextObject = 0;
        List<Section> out = new ArrayList<>();
        boolean sawMachine = false;
        boolean sawMemory = false;
        boolean sawSmp = false;
        for (Section s : merged) {
            switch (s.group()) {
                case "machine" -> {
                    sawMachine = true;
                    out.add(machine(s, given, built));
                }
                case "memory" -> {
                    sawMemory = true;
                    out.add(memory(s, built, given));
                }
                case "smp-opts" -> {
                    sawSmp = true;
                    out.add(smp(s, built, given));
                }
                case "device" -> out.add(filled(s, devices.get(nextDevice++)));
                case "object" -> out.add(filled(s, objects.get(nextObject++)));
                default -> out.add(s);
            }
        }
        int at = 0;
        if (!sawMachine) {
            out.add(at++, machine(new Section("machine", Optional.empty(), List.of(), new Origin.Derived("default machine"),
                    Layout.CANONICAL), given, built));
        } else {
            at = out.indexOf(out.stream().filter(x -> x.group().equals("machine")).findFirst().orElseThrow()) + 1;
        }
        // the machine type's compat properties, as globals ahead of the user's (QEMU applies them first)
        for (GlobalProperty g : built.globals().compat()) {
            if (g.optional()) {
                continue; // the driver lacks the property: QEMU skips it for such objects, and -global has no way to say so
            }
            out.add(at++, new Section("global", Optional.empty(), List.of(Entry.of("driver", g.driver()), Entry.of("property", g.property()),
                    Entry.of("value", g.value())), new Origin.Derived("compat " + g.source()),
                    new Layout.Kept(List.of(""), "  # compat " + g.source().replaceAll("\\p{Cntrl}", " "))));
        }
        if (merged.stream().noneMatch(x -> x.group().equals("machina-cpu"))) {
            String cpu = built.values().cpuType().replaceFirst("-x86_64-cpu$", "");
            if (!cpu.isEmpty()) {
                out.add(new Section("machina-cpu", Optional.empty(), List.of(derived("model", cpu, "default CPU of " + given)),
                        Origin.NONE, Layout.CANONICAL));
            }
        }
        if (!sawMemory) {
            out.add(at++, memory(new Section("memory", Optional.empty(), List.of(), Origin.NONE, Layout.CANONICAL), built, given));
        }
        if (!sawSmp) {
            out.add(at, smp(new Section("smp-opts", Optional.empty(), List.of(), Origin.NONE, Layout.CANONICAL), built, given));
        }
        out.removeIf(s -> s.entries().isEmpty() && !ConfigMerge.isFlag(s.group()));
        return new VmConfig(out, config.trailing());
    }

    private static Entry derived(String key, String value, String why) {
        String comment = why.replaceAll("\\p{Cntrl}", " ");
        return new Entry(key, value, new Origin.Derived(why), new Layout.Kept(List.of(), "  # " + comment));
    }

    /** How a filled-in value's comment names its origin. */
    static String why(ValueOrigin o) {
        if (o instanceof ValueOrigin.Default d) {
            return d.toString();
        }
        if (o instanceof ValueOrigin.Global g) {
            GlobalProperty p = g.global();
            return (p.user() ? "-global " : "compat ") + p.driver() + "." + p.property() + (p.source().isEmpty() ? "" : " (" + p.source() + ")");
        }
        return o.toString();
    }

    private static boolean skipped(PropertyType t) {
        return t instanceof PropertyType.StructType || t instanceof PropertyType.ChildType || t instanceof PropertyType.ListType
                || t instanceof PropertyType.LinkType;
    }

    private static Section machine(Section s, String given, BuiltMachine built) {
        Section out = s.get("type").isPresent() ? s : s.with("type", given, new Origin.Derived("default machine type"));
        String concrete = built.machineType().name();
        List<Entry> es = new ArrayList<>(out.entries());
        for (int i = 0; i < es.size(); i++) {
            if (es.get(i).key().equals("type")) {
                String why = s.get("type").isEmpty() ? "the default machine type" + (concrete.equals(given) ? "" : ", " + concrete)
                        : concrete.equals(given) ? null : concrete;
                if (why != null) {
                    es.set(i, new Entry("type", es.get(i).value(), es.get(i).origin(), new Layout.Kept(List.of(), "  # " + why)));
                }
            }
        }
        out = out.withEntries(es);
        BuiltObject m = built.machine();
        for (PropertySpec p : m.type().properties()) {
            if (skipped(p.type()) || out.get(p.name()).isPresent() || out.get(p.name().replace('-', '_')).isPresent()) {
                continue;
            }
            Optional<EffectiveValue> v = m.value(p.name());
            if (v.isPresent()) {
                out = out.withEntries(append(out.entries(), derived(p.name(), v.get().text(), why(v.get().origin()))));
            }
        }
        return out;
    }

    /** [memory]: the RAM size when not given, in MiB as {@code -m} writes it. */
    private static Section memory(Section s, BuiltMachine built, String given) {
        if (s.get("size").isPresent()) {
            return s;
        }
        long bytes = built.values().ramBytes();
        String text = bytes % (1L << 20) == 0 ? Long.toUnsignedString(bytes >>> 20) : Long.toUnsignedString(bytes) + "B";
        return s.withEntries(append(s.entries(), derived("size", text, "default of " + given)));
    }

    /**
     * [smp-opts]: the CPU topology, filled in only when none of it was given: QEMU derives the members
     * the user leaves out from the ones given (smp_parse), which is not a default to write down.
     */
    private static Section smp(Section s, BuiltMachine built, String given) {
        if (!s.entries().isEmpty()) {
            return s;
        }
        VmSpec.Smp t = built.values().smp();
        Section out = s;
        for (Map.Entry<String, Integer> e : List.of(Map.entry("cpus", t.cpus()), Map.entry("sockets", t.sockets()),
                Map.entry("dies", t.dies()), Map.entry("clusters", t.clusters()), Map.entry("cores", t.cores()),
                Map.entry("threads", t.threads()), Map.entry("maxcpus", t.maxCpus()))) {
            out = out.withEntries(append(out.entries(), derived(e.getKey(), Integer.toString(e.getValue()), "default of " + given)));
        }
        return out;
    }

    /** A -device or -object section with every property the built object has a value for. */
    private static Section filled(Section s, BuiltObject o) {
        Section out = s;
        for (EffectiveValue v : o.values()) {
            if (out.get(v.property()).isPresent()) {
                continue;
            }
            out = out.withEntries(append(out.entries(), derived(v.property(), v.text(), why(v.origin()))));
        }
        return out;
    }

    private static List<Entry> append(List<Entry> es, Entry e) {
        List<Entry> out = new ArrayList<>(es);
        out.add(e);
        return out;
    }
}
