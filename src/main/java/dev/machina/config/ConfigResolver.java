package dev.machina.config;

import dev.machina.qom.GlobalProperty;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertyDefault;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective configuration ({@code config convert --resolved}): what QEMU would use, written out.
 * <ul>
 *   <li>Repeated merge-lists options ({@code -m}, {@code -machine}, {@code -smp}, ...) become one
 *       section at the place of the first, later keys winning, as QEMU merges them.</li>
 *   <li>The machine type is named, and every machine property, {@code [memory]} and
 *       {@code [smp-opts]} value that has a default is filled in.</li>
 *   <li>Every device and (known) object gets every property that has a value: the user's, else the
 *       last matching user {@code -global}, else the machine type's compat property, else the type's
 *       default — QEMU's order (compat first, then user globals, then the device's own options).</li>
 * </ul>
 * Each filled-in value says where it came from: its origin is {@link Origin.Derived}, and in cfg
 * output it carries a trailing comment ({@code # default of isa-serial}).
 */
public final class ConfigResolver {
    private final ConfigEnv env;

    public ConfigResolver(ConfigEnv env) {
        this.env = env;
    }

    public VmConfig resolve(VmConfig config) {
        List<Section> merged = merge(config);
        String machineName = env.machines().defaultName();
        for (Section s : merged) {
            if (s.group().equals("machine")) {
                machineName = s.get("type").orElse(machineName);
            }
        }
        List<GlobalProperty> compat = env.machines().compat(machineName);
        List<GlobalProperty> user = new ArrayList<>();
        for (Section s : merged) {
            if (s.group().equals("global") && s.get("driver").isPresent() && s.get("property").isPresent() && s.get("value").isPresent()) {
                user.add(GlobalProperty.user(s.get("driver").get(), s.get("property").get(), s.get("value").get(), s.origin().describe()));
            }
        }
        Optional<ObjectType> machineType = env.machines().qomType(machineName).flatMap(q -> env.registry().find(q))
                .or(() -> env.registry().find("machine"));
        List<Section> out = new ArrayList<>();
        boolean sawMachine = false;
        boolean sawMemory = false;
        boolean sawSmp = false;
        for (Section s : merged) {
            switch (s.group()) {
                case "machine" -> {
                    sawMachine = true;
                    out.add(machine(s, machineName, machineType, compat));
                }
                case "memory" -> {
                    sawMemory = true;
                    out.add(struct(s, machineType, "memory", Map.of("size", "size", "max-size", "maxmem", "slots", "slots"), machineName));
                }
                case "smp-opts" -> {
                    sawSmp = true;
                    out.add(struct(s, machineType, "smp", null, machineName));
                }
                case "device", "object" -> out.add(properties(s, s.group().equals("device") ? "driver" : "qom-type", compat, user));
                default -> out.add(s);
            }
        }
        int at = 0;
        if (!sawMachine) {
            out.add(at++, machine(new Section("machine", Optional.empty(), List.of(), new Origin.Derived("default machine"),
                    Layout.CANONICAL), machineName, machineType, compat));
        } else {
            at = out.indexOf(out.stream().filter(x -> x.group().equals("machine")).findFirst().orElseThrow()) + 1;
        }
        // the machine type's compat properties, as globals ahead of the user's (QEMU applies them first)
        for (GlobalProperty g : compat) {
            if (g.optional()) {
                continue; // the driver lacks the property: QEMU skips it for such objects, and -global has no way to say so
            }
            out.add(at++, new Section("global", Optional.empty(), List.of(Entry.of("driver", g.driver()), Entry.of("property", g.property()),
                    Entry.of("value", g.value())), new Origin.Derived("compat " + g.source()),
                    new Layout.Kept(List.of(""), "  # compat " + g.source().replaceAll("\\p{Cntrl}", " "))));
        }
        final String model = machineName;
        if (merged.stream().noneMatch(x -> x.group().equals("machina-cpu"))) {
            env.machines().defaultCpuModel(machineName).ifPresent(cpu -> out.add(out.size(),
                    new Section("machina-cpu", Optional.empty(), List.of(derived("model", cpu, "default CPU of " + model)),
                            Origin.NONE, Layout.CANONICAL)));
        }
        if (!sawMemory) {
            out.add(at++, struct(new Section("memory", Optional.empty(), List.of(), Origin.NONE, Layout.CANONICAL), machineType,
                    "memory", Map.of("size", "size", "max-size", "maxmem", "slots", "slots"), machineName));
        }
        if (!sawSmp) {
            out.add(at, struct(new Section("smp-opts", Optional.empty(), List.of(), Origin.NONE, Layout.CANONICAL), machineType,
                    "smp", null, machineName));
        }
        out.removeIf(s -> s.entries().isEmpty() && !OptionGroups.find(s.group()).map(OptionGroup::isFlag).orElse(false));
        return new VmConfig(out, config.trailing());
    }

    /** Merge-lists groups: one section each, at the first one's place, later keys replacing earlier ones in place. */
    private static List<Section> merge(VmConfig config) {
        List<Section> out = new ArrayList<>();
        Map<String, Integer> firstAt = new LinkedHashMap<>();
        for (Section s : config.sections()) {
            boolean merges = OptionGroups.find(s.group()).map(OptionGroup::mergeLists).orElse(false);
            if (!merges) {
                out.add(s);
                continue;
            }
            Integer at = firstAt.get(s.group());
            if (at == null) {
                firstAt.put(s.group(), out.size());
                out.add(s);
                continue;
            }
            Section target = out.get(at);
            for (Entry e : s.entries()) {
                target = target.with(e.key(), e.value(), e.origin());
            }
            out.set(at, target);
        }
        return out;
    }

    private static Entry derived(String key, String value, String why) {
        String comment = why.replaceAll("\\p{Cntrl}", " ");
        return new Entry(key, value, new Origin.Derived(why), new Layout.Kept(List.of(), "  # " + comment));
    }

    private Section machine(Section s, String name, Optional<ObjectType> type, List<GlobalProperty> compat) {
        Section out = s.get("type").isPresent() ? s : s.with("type", name, new Origin.Derived("default machine type"));
        List<Entry> es = new ArrayList<>(out.entries());
        for (int i = 0; i < es.size(); i++) {
            if (es.get(i).key().equals("type")) {
                String concrete = type.map(t -> t.name().replaceFirst("-machine$", "")).orElse(name);
                String why = s.get("type").isEmpty() ? "the default machine type" + (concrete.equals(name) ? "" : ", " + concrete)
                        : concrete.equals(name) ? null : concrete;
                if (why != null) {
                    es.set(i, new Entry("type", es.get(i).value(), es.get(i).origin(), new Layout.Kept(List.of(), "  # " + why)));
                }
            }
        }
        out = out.withEntries(es);
        if (type.isEmpty()) {
            return out;
        }
        ObjectType t = type.get();
        for (PropertySpec p : t.properties()) {
            if (p.type() instanceof PropertyType.StructType || p.type() instanceof PropertyType.ChildType
                    || out.get(p.name()).isPresent() || out.get(p.name().replace('-', '_')).isPresent()) {
                continue;
            }
            Optional<Entry> v = valueOf(t, p, compat, List.of());
            if (v.isPresent()) {
                out = out.withEntries(append(out.entries(), v.get()));
            }
        }
        return out;
    }

    /**
     * [memory] and [smp-opts]: the machine's defaults for the keys not given. The CPU topology is filled
     * in only when none of it was given: QEMU derives the members the user leaves out from the ones
     * given (smp_parse), which is not a default to write down.
     */
    private Section struct(Section s, Optional<ObjectType> machineType, String property, Map<String, String> keyMap, String machineName) {
        if (machineType.isEmpty() || property.equals("smp") && !s.entries().isEmpty()) {
            return s;
        }
        Optional<PropertySpec> p = machineType.get().property(property);
        if (p.isEmpty() || !(p.get().defaultValue() instanceof PropertyDefault.Known k) || !(k.value() instanceof Map<?, ?> m)
                || !(p.get().type() instanceof PropertyType.StructType st)) {
            return s;
        }
        Section out = s;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String member = String.valueOf(e.getKey());
            String key = keyMap == null ? member : keyMap.get(member);
            if (key == null || out.get(key).isPresent()) {
                continue;
            }
            String text = st.fields().get(member).format(e.getValue());
            if (property.equals("memory") && key.equals("size")) {
                // the machine type's own default RAM when the catalog has it; [memory] size without a suffix means MiB
                text = MiB(env.machines().defaultRamBytes(machineName).map(Long::toUnsignedString).orElse(text));
            }
            out = out.withEntries(append(out.entries(), derived(key, text, "default of " + machineName)));
        }
        return out;
    }

    private static String MiB(String bytes) {
        long v = Long.parseUnsignedLong(bytes);
        return v % (1L << 20) == 0 ? Long.toUnsignedString(v >>> 20) : bytes + "B";
    }

    private Section properties(Section s, String typeKey, List<GlobalProperty> compat, List<GlobalProperty> user) {
        Optional<ObjectType> t = s.get(typeKey).flatMap(n -> env.registry().find(n));
        if (t.isEmpty()) {
            return s;
        }
        Section out = s;
        for (PropertySpec p : t.get().properties()) {
            if (p.type() instanceof PropertyType.ChildType || out.get(p.name()).isPresent()) {
                continue;
            }
            Optional<Entry> v = valueOf(t.get(), p, compat, user);
            if (v.isPresent()) {
                out = out.withEntries(append(out.entries(), v.get()));
            }
        }
        return out;
    }

    /** A property's value when the user did not set it: last matching user global, else compat (oldest set wins), else default. */
    private static Optional<Entry> valueOf(ObjectType t, PropertySpec p, List<GlobalProperty> compat, List<GlobalProperty> user) {
        for (int i = user.size() - 1; i >= 0; i--) {
            GlobalProperty g = user.get(i);
            if (t.isA(g.driver()) && g.property().equals(p.name())) {
                return Optional.of(derived(p.name(), g.value(), "-global " + g.driver() + "." + g.property() + " (" + g.source() + ")"));
            }
        }
        for (int i = compat.size() - 1; i >= 0; i--) {
            GlobalProperty g = compat.get(i);
            if (t.isA(g.driver()) && g.property().equals(p.name())) {
                return Optional.of(derived(p.name(), g.value(), "compat " + g.driver() + "." + g.property()
                        + (g.source().isEmpty() ? "" : " (" + g.source() + ")")));
            }
        }
        if (p.defaultValue() instanceof PropertyDefault.Known k) {
            return Optional.of(derived(p.name(), p.type().format(k.value()), "default of " + t.declaredIn(p.name())));
        }
        return Optional.empty();
    }

    private static List<Entry> append(List<Entry> es, Entry e) {
        List<Entry> out = new ArrayList<>(es);
        out.add(e);
        return out;
    }
}
