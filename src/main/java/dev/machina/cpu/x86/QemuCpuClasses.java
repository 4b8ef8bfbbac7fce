package dev.machina.cpu.x86;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * QEMU 7.2's x86 CPU classes as data ({@code machines/cpu/qemu72-cpu-expansion.json}, made by
 * tools/gen_cpu_expansion.py from QEMU 7.2.0's builtin_x86_defs): every model NAME, its versions NAME-vN and
 * their aliases, with base, host and max. {@link #help} is QEMU 7.2's {@code -cpu help}; {@link #autoLevel}
 * the CPUID levels x86_cpu_expand_features raises for a model's features.
 */
final class QemuCpuClasses {
    static final String RESOURCE = "machines/cpu/qemu72-cpu-expansion.json";
    private static volatile JsonNode data;
    private static final Map<String, JsonNode> NEWER = new java.util.concurrent.ConcurrentHashMap<>();

    private QemuCpuClasses() {
    }

    static JsonNode data() {
        JsonNode d = data;
        if (d == null) {
            try (InputStream in = QemuCpuClasses.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the class path");
                }
                d = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            data = d;
        }
        return d;
    }

    /** The QEMU release whose CPU models Machina lists when it presents {@code presented}: "7.2" or a key of {@link dev.machina.util.CpuModelReleases#OWN}. */
    static String modelsRelease(String presented) {
        return dev.machina.util.CpuModelReleases.of(presented);
    }

    /**
     * The CPU data of the models {@code presented} lists: QEMU 7.2's, or for a release of {@link dev.machina.util.CpuModelReleases#OWN}
     * 7.2's with that release's words, aliases, dependencies, feature-word order, cpu-definitions and models
     * laid over it (the TCG values, max and property types stay those Machina's core answers with).
     */
    static JsonNode data(String presented) {
        String r = modelsRelease(presented);
        if (r.equals("7.2")) {
            return data();
        }
        return NEWER.computeIfAbsent(r, k -> {
            String res = dev.machina.util.CpuModelReleases.resource(k);
            try (InputStream in = QemuCpuClasses.class.getClassLoader().getResourceAsStream(res)) {
                if (in == null) {
                    throw new IllegalStateException(res + " is missing from the class path");
                }
                com.fasterxml.jackson.databind.node.ObjectNode merged = data().deepCopy();
                new ObjectMapper().readTree(in).fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
                return merged;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * name -> description, in QEMU 7.2's order (x86_cpu_list: x86_cpu_list_compare sorts by the class's
     * ordering, then by name with strcmp), each description as x86_cpu_list_entry makes it: the class's
     * model_description (base, host, max); "(alias configured by machine type)" for an unversioned NAME;
     * "(alias of NAME-vN)" for a version's alias; else the version's model-id (its props over the
     * definition's), with " [note]" where the version has one.
     */
    static Map<String, String> listing() {
        return listing(data());
    }

    /**
     * name -> description of the models in {@code d} ({@link #data(String)}), as {@link #listing()}; a model with
     * a deprecation note gets " (deprecated)" (x86_cpu_list_entry of QEMU 8.0 and later; 7.2 has none).
     */
    static Map<String, String> listing(JsonNode d) {
        JsonNode defs = d.get("cpu-definitions");
        Map<String, String> desc = new LinkedHashMap<>();
        defs.get("special").fields().forEachRemaining(s -> desc.put(s.getKey(), s.getValue().get("description").asText()));
        d.get("models").fields().forEachRemaining(m -> {
            String dep = m.getValue().hasNonNull("deprecation-note") ? " (deprecated)" : "";
            desc.put(m.getKey(), "(alias configured by machine type)" + dep);
            String modelId = m.getValue().get("model-id").asText();
            for (JsonNode v : m.getValue().get("versions")) {
                String vn = m.getKey() + "-v" + v.get("version").asInt();
                modelId = v.get("props").path("model-id").asText(modelId);
                desc.put(vn, (v.hasNonNull("note") ? modelId + " [" + v.get("note").asText() + "]" : modelId) + dep);
                if (v.hasNonNull("alias")) {
                    desc.put(v.get("alias").asText(), "(alias of " + vn + ")" + dep);
                }
            }
        });
        JsonNode ordering = defs.get("ordering");
        List<String> names = new ArrayList<>(desc.keySet());
        names.sort(Comparator.comparingInt((String n) -> ordering.path(n).asInt(0)).thenComparing(Comparator.naturalOrder()));
        Map<String, String> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, desc.get(n)));
        return out;
    }

    /** QEMU 7.2's {@code -cpu help}, byte for byte (x86_cpu_list, x86_cpu_list_entry, listflags). */
    static String help() {
        return help("7.2");
    }

    /**
     * The {@code -cpu help} of the release Machina presents: QEMU 7.2's byte for byte, or for a release of
     * {@link dev.machina.util.CpuModelReleases#OWN} its models and CPUID flags as its x86_cpu_list prints them (9.2's and 10.2's
     * x86_cpu_list_entry print "  %-20s  %s", without 7.2's "x86 " prefix).
     */
    static String help(String presented) {
        boolean own = !modelsRelease(presented).equals("7.2");
        JsonNode d = data(presented);
        StringBuilder sb = new StringBuilder("Available CPUs:\n");
        // x86_cpu_list_entry's format, as the release's source has it (7.2: "x86 %-20s  %s\n", 9.2 and 10.2: "  %-20s  %s\n")
        String format = own ? d.get("cpu-definitions").get("list-format").asText() : "x86 %-20s  %s\n";
        listing(d).forEach((name, desc) -> sb.append(String.format(format.replace("\n", ""), name, desc)).append('\n'));
        // every name of every feature word (a name two words share is listed twice, as QEMU does), sorted
        List<String> flags = new ArrayList<>();
        d.get("words").forEach(w -> w.forEach(n -> {
            if (!n.isNull()) {
                flags.add(n.asText());
            }
        }));
        Collections.sort(flags);
        sb.append("\nRecognized CPUID flags:\n");
        int len = 0;
        for (String f : flags) {
            if (len + f.length() + 1 >= 75) {
                sb.append('\n');
                len = 0;
            }
            sb.append(len == 0 ? "  " : " ").append(f);
            len += f.length() + 1;
        }
        return sb.append("\n\n").toString();
    }

    /**
     * The lowest CPUID level and extended level a CPU with these features answers (x86_cpu_expand_features
     * with full-cpuid-auto-level, as every model has by default): the leaf of each feature word holding one
     * of its features, and the leaf a feature needs of its own (svm's 8000000Ah, sgx's 12h, intel-pt's 14h).
     */
    static long[] autoLevel(Predicate<String> on) {
        JsonNode d = data();
        JsonNode auto = d.get("auto-level");
        long level = 0, xlevel = 0;
        List<JsonNode> words = new ArrayList<>();
        auto.get("always").forEach(words::add);
        auto.get("full-cpuid-auto-level").forEach(words::add);
        for (JsonNode w : words) {
            boolean any = false;
            for (JsonNode n : d.get("words").get(w.asText())) {
                any |= !n.isNull() && on.test(n.asText());
            }
            if (any) {
                long eax = auto.get("leaves").get(w.asText()).get(0).asLong();
                if (eax >= 0x80000000L && eax < 0xC0000000L) {
                    xlevel = Math.max(xlevel, eax);
                } else if (eax < 0x80000000L) {
                    level = Math.max(level, eax);
                }
            }
        }
        for (JsonNode f : auto.get("features")) {
            if (on.test(f.get("feature").asText())) {
                level = Math.max(level, f.path("level").asLong(0));
                xlevel = Math.max(xlevel, f.path("xlevel").asLong(0));
            }
        }
        return new long[] {level, xlevel};
    }

    /** The names of a feature word's bits (QEMU 7.2's feature_word_info), null for an unnamed bit. */
    static List<String> word(String name) {
        List<String> out = new ArrayList<>();
        data().get("words").get(name).forEach(n -> out.add(n.isNull() ? null : n.asText()));
        return out;
    }
}
