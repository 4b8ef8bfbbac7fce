package dev.machina.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * query-cpu-model-expansion as QEMU 7.2 answers it under TCG with {@code -machine none}, from the CPU models
 * kept as data (machines/cpu/qemu72-cpu-expansion.json, made by tools/gen_cpu_expansion.py from QEMU 7.2.0's
 * builtin_x86_defs and feature words): the model is loaded as x86_cpu_load_model does (its definition, then
 * its version's props; an unversioned name is version 1, as -machine none leaves the default version), the
 * asked props are set over it, and the features are expanded as x86_cpu_expand_features does
 * (feature_dependencies, then the minimum CPUID levels the features need). A static expansion is "base"
 * plus x86_cpu_static_props and every feature; a full one keeps the model's name and lists every property.
 */
final class CpuExpansion {
    private static final String RESOURCE = "/machines/cpu/qemu72-cpu-expansion.json";
    private static final long UINT32_MAX = 0xFFFFFFFFL;
    private static volatile CpuExpansion packaged;

    private final JsonNode data;
    /** canonical feature name -> (word, bit) of its first bit */
    private final Map<String, String> wordOf = new HashMap<>();
    /** every canonical feature name, in word order */
    private final Set<String> features = new LinkedHashSet<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();

    CpuExpansion(JsonNode data) {
        this.data = data;
        data.get("words").fields().forEachRemaining(w -> w.getValue().forEach(n -> {
            if (!n.isNull()) {
                features.add(n.asText());
                wordOf.putIfAbsent(n.asText(), w.getKey());
            }
        }));
        data.get("aliases").fields().forEachRemaining(a -> aliases.put(a.getKey(), a.getValue().asText()));
    }

    private static final Map<String, CpuExpansion> LISTS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The CPU classes query-cpu-definitions lists when Machina presents {@code presented}: QEMU 7.2's
     * ({@link #packaged}), or a newer release's models (util.CpuModelReleases) over 7.2's TCG values.
     */
    static CpuExpansion listing(String presented) {
        String r = dev.machina.util.CpuModelReleases.of(presented);
        return r.equals("7.2") ? packaged() : LISTS.computeIfAbsent(r, k -> {
            // 7.2's data with the release's words, aliases, dependencies, feature-word order, cpu-definitions and
            // models laid over it (the TCG values and max stay those Machina's core answers with)
            String res = "/" + dev.machina.util.CpuModelReleases.resource(k);
            try (InputStream in = CpuExpansion.class.getResourceAsStream(res)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + res);
                }
                ObjectNode merged = packaged().data.deepCopy();
                QmpJson.mapper().readTree(in).fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
                return new CpuExpansion(merged);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static synchronized CpuExpansion packaged() { // synchronized: loaded ahead on another thread (Introspection.warm)
        CpuExpansion p = packaged;
        if (p == null) {
            try (InputStream in = CpuExpansion.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                p = new CpuExpansion(QmpJson.mapper().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            packaged = p;
        }
        return p;
    }

    /**
     * query-cpu-definitions as QEMU 7.2 answers it under TCG with {@code -machine none}: every CPU class (base,
     * host, max, each builtin_x86_defs model NAME, its versions NAME-vN and their aliases) in the order
     * arch_query_cpu_definitions gives (x86_cpu_list_compare's order, reversed: each entry is prepended),
     * an unversioned name {@code alias-of} its version 1 (-machine none keeps the default version) and a
     * version's alias {@code alias-of} that version, and as {@code unavailable-features} the features the
     * model asks for that TCG does not have (those max under TCG lacks), in feature-word order
     * (x86_cpu_class_check_missing_features, x86_cpu_list_feature_names).
     */
    /** The names query-cpu-definitions lists (base, host, max, every model, version and alias). */
    List<String> names() {
        List<String> out = new ArrayList<>();
        data.get("cpu-definitions").get("special").fieldNames().forEachRemaining(out::add);
        data.get("models").fields().forEachRemaining(m -> {
            out.add(m.getKey());
            for (JsonNode v : m.getValue().get("versions")) {
                out.add(m.getKey() + "-v" + v.get("version").asInt());
                if (v.hasNonNull("alias")) {
                    out.add(v.get("alias").asText());
                }
            }
        });
        return out;
    }

    com.fasterxml.jackson.databind.node.ArrayNode definitions() {
        JsonNode defs = data.get("cpu-definitions");
        JsonNode models = data.get("models");
        Map<String, String> aliasOf = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        defs.get("special").fieldNames().forEachRemaining(names::add);
        models.fields().forEachRemaining(m -> {
            names.add(m.getKey());
            boolean first = true;
            for (JsonNode v : m.getValue().get("versions")) {
                String vn = m.getKey() + "-v" + v.get("version").asInt();
                names.add(vn);
                if (first) {
                    aliasOf.put(m.getKey(), vn);
                    first = false;
                }
                if (v.hasNonNull("alias")) {
                    names.add(v.get("alias").asText());
                    aliasOf.put(v.get("alias").asText(), vn);
                }
            }
        });
        JsonNode ordering = defs.get("ordering");
        names.sort(java.util.Comparator.comparingInt((String n) -> ordering.path(n).asInt(0))
                .thenComparing(java.util.Comparator.naturalOrder()));
        java.util.Collections.reverse(names);
        List<String> inWordOrder = new ArrayList<>();
        data.get("feature-word-order").forEach(w -> data.get("words").get(w.asText()).forEach(n -> {
            if (!n.isNull() && !inWordOrder.contains(n.asText())) {
                inWordOrder.add(n.asText());
            }
        }));
        Set<String> tcg = new java.util.HashSet<>();
        data.get("max").get("features").forEach(f -> tcg.add(f.asText()));
        com.fasterxml.jackson.databind.node.ArrayNode out = QmpJson.NODES.arrayNode();
        for (String name : names) {
            JsonNode special = defs.get("special").get(name);
            ObjectNode o = out.addObject();
            o.put("name", name);
            o.put("typename", name + "-x86_64-cpu");
            com.fasterxml.jackson.databind.node.ArrayNode unavailable = o.putArray("unavailable-features");
            if (special != null) {
                special.path("unavailable-features").forEach(unavailable::add);
            } else {
                Cpu cpu = load(name);
                expandFeatures(cpu);
                for (String f : inWordOrder) {
                    if (cpu.on.contains(f) && !tcg.contains(f)) {
                        unavailable.add(f);
                    }
                }
            }
            if (aliasOf.containsKey(name)) {
                o.put("alias-of", aliasOf.get(name));
            }
            o.put("static", special != null && special.get("static").asBoolean());
            o.put("migration-safe", special == null || special.get("migration-safe").asBoolean());
            o.put("deprecated", special == null && models.path(baseOf(name)).hasNonNull("deprecation-note"));
        }
        return out;
    }

    /** The builtin_x86_defs model NAME, NAME-vN or a version's alias belongs to (null for base, host, max). */
    private String baseOf(String name) {
        JsonNode models = data.get("models");
        if (models.has(name)) {
            return name;
        }
        for (var it = models.fields(); it.hasNext(); ) {
            var e = it.next();
            for (JsonNode v : e.getValue().get("versions")) {
                if (name.equals(e.getKey() + "-v" + v.get("version").asInt()) || name.equals(v.path("alias").asText(null))) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /** The CPU being expanded: its feature bits and the values of its other properties. */
    private final class Cpu {
        final Set<String> on = new LinkedHashSet<>();
        final Map<String, JsonNode> props = new LinkedHashMap<>();
        final Set<String> userSet = new java.util.HashSet<>();
        final String typeName;
        final boolean max;

        Cpu(String typeName, boolean max) {
            this.typeName = typeName;
            this.max = max;
            data.get("properties").fields().forEachRemaining(p -> {
                if (!p.getValue().get("default").isNull() || max) {
                    props.put(p.getKey(), p.getValue().get("default"));
                }
            });
        }

        void setFeature(String name, boolean value) {
            if (value) {
                on.add(name);
            } else {
                on.remove(name);
            }
        }
    }

    /** The reply's {@code return}: {"model": {"name": ..., "props": {...}}}. */
    ObjectNode expand(String type, JsonNode model) {
        String name = model.get("name").asText();
        Cpu cpu = load(name);
        JsonNode props = model.get("props");
        if (props != null && props.isObject()) {
            props.fields().forEachRemaining(p -> set(cpu, p.getKey(), p.getValue()));
        }
        expandFeatures(cpu);
        ObjectNode out = QmpJson.object();
        ObjectNode m = out.putObject("model");
        ObjectNode o = QmpJson.object();
        if (type.equals("static")) {
            m.put("name", "base");
            for (JsonNode p : data.get("static-props")) {
                o.set(p.asText(), cpu.props.get(p.asText()));
            }
            for (String f : features) {
                o.put(f, cpu.on.contains(f));
            }
        } else {
            m.put("name", name);
            cpu.props.forEach(o::set);
            for (String f : features) {
                o.put(f, cpu.on.contains(f));
            }
            aliases.forEach((a, target) -> {
                if (features.contains(target)) {
                    o.put(a, cpu.on.contains(target));
                } else if (cpu.props.containsKey(target)) {
                    o.set(a, cpu.props.get(target));
                }
            });
        }
        m.set("props", o);
        return out;
    }

    private Cpu load(String name) {
        JsonNode models = data.get("models");
        if (name.equals("base")) {
            return new Cpu("base-x86_64-cpu", false);
        }
        if (name.equals("max") || name.equals("host")) {
            Cpu cpu = new Cpu(name + "-x86_64-cpu", true);
            JsonNode mx = data.get("max");
            mx.get("identity").fields().forEachRemaining(p -> cpu.props.put(p.getKey(), p.getValue()));
            mx.get("properties").fields().forEachRemaining(p -> cpu.props.put(p.getKey(), p.getValue()));
            mx.get("features").forEach(f -> cpu.on.add(f.asText()));
            return cpu;
        }
        // NAME, NAME-vN or a version's alias
        String base = null;
        int version = 1;
        if (models.has(name)) {
            base = name;
        } else {
            for (var it = models.fields(); it.hasNext() && base == null; ) {
                var e = it.next();
                for (JsonNode v : e.getValue().get("versions")) {
                    String vn = e.getKey() + "-v" + v.get("version").asInt();
                    if (name.equals(vn) || name.equals(v.path("alias").asText(null))) {
                        base = e.getKey();
                        version = v.get("version").asInt();
                        break;
                    }
                }
            }
        }
        if (base == null) {
            throw QmpError.generic("CPU model '" + name + "' not found");
        }
        JsonNode d = models.get(base);
        Cpu cpu = new Cpu(name + "-x86_64-cpu", false);
        for (String p : List.of("vendor", "family", "model", "stepping", "model-id", "min-level", "min-xlevel", "legacy-cache")) {
            cpu.props.put(p, d.get(p));
        }
        d.get("features").forEach(f -> cpu.on.add(f.asText()));
        cpu.on.add(data.get("hypervisor").asText()); // x86_cpu_load_model sets it on every model
        for (JsonNode v : d.get("versions")) {
            if (v.get("version").asInt() > version) {
                break;
            }
            v.get("props").fields().forEachRemaining(p -> applyLoaded(cpu, p.getKey(), p.getValue()));
        }
        // tcg_default_props: what a TCG CPU turns off when it is created
        data.get("tcg-default-props").fields().forEachRemaining(p -> applyLoaded(cpu, p.getKey(), p.getValue()));
        return cpu;
    }

    private void applyLoaded(Cpu cpu, String prop, JsonNode value) {
        String f = aliases.getOrDefault(prop, prop);
        if (features.contains(f)) {
            cpu.setFeature(f, value.asBoolean());
        } else {
            cpu.props.put(f, value);
        }
    }

    /** A property the client asked for, checked as QEMU's visitors and setters check it. */
    private void set(Cpu cpu, String prop, JsonNode value) {
        String f = aliases.getOrDefault(prop, prop);
        if (features.contains(f)) {
            if (!value.isBoolean()) {
                throw QmpError.generic("Invalid parameter type for '" + prop + "', expected: boolean");
            }
            cpu.setFeature(f, value.asBoolean());
            cpu.userSet.add(f);
            return;
        }
        JsonNode decl = data.get("properties").get(f);
        if (decl == null || (!cpu.max && decl.get("default").isNull())) {
            throw QmpError.generic("Property '" + cpu.typeName + "." + prop + "' not found");
        }
        String type = decl.get("type").asText();
        switch (type) {
            case "bool" -> {
                if (!value.isBoolean()) {
                    throw QmpError.generic("Invalid parameter type for '" + prop + "', expected: boolean");
                }
            }
            case "string", "str", "OnOffAuto" -> {
                if (!value.isTextual()) {
                    throw QmpError.generic("Invalid parameter type for '" + prop + "', expected: string");
                }
                if (f.equals("vendor") && value.asText().length() != 12) {
                    throw QmpError.generic("Property '.vendor' doesn't take value '" + value.asText() + "'");
                }
            }
            default -> {
                if (!value.isIntegralNumber()) {
                    throw QmpError.generic("Invalid parameter type for '" + prop + "', expected: integer");
                }
                JsonNode max = data.get("ranges").get(f);
                if (max != null && (value.asLong() < 0 || value.asLong() > max.asLong())) {
                    throw QmpError.generic("Property ." + f + " doesn't take value " + value.asLong()
                            + " (minimum: 0, maximum: " + max.asLong() + ")");
                }
            }
        }
        cpu.props.put(f, value);
        cpu.userSet.add(f);
    }

    private long num(Cpu cpu, String prop) {
        JsonNode v = cpu.props.get(prop);
        return v == null ? 0 : v.asLong();
    }

    private boolean anyOn(Cpu cpu, String word) {
        for (JsonNode n : data.get("words").get(word)) {
            if (!n.isNull() && cpu.on.contains(n.asText())) {
                return true;
            }
        }
        return false;
    }

    /** x86_cpu_expand_features: feature_dependencies, then the levels the features need. */
    private void expandFeatures(Cpu cpu) {
        for (JsonNode d : data.get("dependencies")) {
            // 7.2's data names one 'from' feature; a newer release's the bits of its mask (off: none of them on)
            boolean from = false;
            for (JsonNode f : d.get("from").isArray() ? d.get("from") : QmpJson.NODES.arrayNode().add(d.get("from"))) {
                from |= cpu.on.contains(f.asText());
            }
            if (!from) {
                d.get("to").forEach(t -> cpu.on.remove(t.asText()));
            }
        }
        long[] min = {num(cpu, "min-level"), num(cpu, "min-xlevel"), num(cpu, "min-xlevel2")};
        long func7 = 0;
        JsonNode auto = data.get("auto-level");
        List<String> words = new ArrayList<>();
        auto.get("always").forEach(w -> words.add(w.asText()));
        boolean full = cpu.props.getOrDefault("full-cpuid-auto-level", QmpJson.NODES.booleanNode(true)).asBoolean();
        if (full) {
            auto.get("full-cpuid-auto-level").forEach(w -> words.add(w.asText()));
        }
        for (String w : words) {
            JsonNode leaf = auto.get("leaves").get(w);
            long eax = leaf.get(0).asLong();
            if (!anyOn(cpu, w)) {
                continue;
            }
            if (eax == 7) {
                func7 = Math.max(func7, leaf.get(1).asLong());
            }
            int region = (int) ((eax >>> 28) & 0xF);
            int i = region == 0 ? 0 : region == 8 ? 1 : region == 0xC ? 2 : -1;
            if (i >= 0) {
                min[i] = Math.max(min[i], eax);
            }
        }
        if (full) {
            for (JsonNode f : auto.get("features")) {
                if (!cpu.on.contains(f.get("feature").asText())) {
                    continue;
                }
                if (f.has("unless-off") && !cpu.props.getOrDefault(f.get("unless-off").asText(),
                        QmpJson.NODES.booleanNode(true)).asBoolean()) {
                    continue;
                }
                if (f.has("level")) {
                    min[0] = Math.max(min[0], f.get("level").asLong());
                }
                if (f.has("xlevel")) {
                    min[1] = Math.max(min[1], f.get("xlevel").asLong());
                }
            }
        }
        cpu.props.put("min-level", QmpJson.NODES.numberNode(min[0]));
        cpu.props.put("min-xlevel", QmpJson.NODES.numberNode(min[1]));
        cpu.props.put("min-xlevel2", QmpJson.NODES.numberNode(min[2]));
        String[][] levels = {{"level", "min-level"}, {"xlevel", "min-xlevel"}, {"xlevel2", "min-xlevel2"}};
        for (String[] l : levels) {
            if (!cpu.userSet.contains(l[0]) || num(cpu, l[0]) == UINT32_MAX) {
                cpu.props.put(l[0], cpu.props.get(l[1]));
            }
        }
        if (!cpu.userSet.contains("level-func7") || num(cpu, "level-func7") == UINT32_MAX) {
            cpu.props.put("level-func7", QmpJson.NODES.numberNode(func7));
        }
    }
}
