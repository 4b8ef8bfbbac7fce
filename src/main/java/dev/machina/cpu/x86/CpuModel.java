package dev.machina.cpu.x86;

import dev.machina.util.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A CPU model as data: what CPUID reports (vendor, family/model/stepping, feature bits, the other
 * leaves verbatim). Models come from {@code cpu-models.yaml} beside this class; see that file for
 * where each value comes from. Besides CPUID, the model decides which optional instructions exist
 * (RDTSC needs {@code tsc}, RDMSR/WRMSR {@code msr}, CMPXCHG8B {@code cx8}, CMOVcc {@code cmov}).
 *
 * @param leaf1Edx the model's leaf-1 EDX feature bits (before the core's filter)
 * @param leaf1Ecx the model's leaf-1 ECX feature bits (before the core's filter)
 * @param leaves other leaves by key {@code leaf << 8 | subleaf} ({@code subleaf} 0 when absent)
 */
public record CpuModel(String name, String vendor, int family, int model, int stepping, int maxLeaf, int maxExtendedLeaf,
                       String brand, int leaf1Ebx, int leaf1Edx, int leaf1Ecx, Map<Long, int[]> leaves) {

    /** CPUID.1:EDX feature bits by SDM name (Vol. 2A, Table 3-11). */
    static final List<String> EDX_NAMES = List.of("fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic",
            "", "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "psn", "clfsh", "", "ds", "acpi", "mmx", "fxsr", "sse",
            "sse2", "ss", "htt", "tm", "", "pbe");
    /** CPUID.1:ECX feature bits by SDM name (Vol. 2A, Table 3-10). */
    static final List<String> ECX_NAMES = List.of("sse3", "pclmulqdq", "dtes64", "monitor", "ds-cpl", "vmx", "smx", "est",
            "tm2", "ssse3", "cnxt-id", "sdbg", "fma", "cx16", "xtpr", "pdcm", "", "pcid", "dca", "sse4.1", "sse4.2", "x2apic",
            "movbe", "popcnt", "tsc-deadline", "aes", "xsave", "osxsave", "avx", "f16c", "rdrand", "hypervisor");

    static final int EDX_FPU = 1, EDX_DE = 1 << 2, EDX_PSE = 1 << 3, EDX_TSC = 1 << 4, EDX_MSR = 1 << 5, EDX_MCE = 1 << 7,
            EDX_CX8 = 1 << 8, EDX_PGE = 1 << 13, EDX_CMOV = 1 << 15, EDX_PAT = 1 << 16;
    static final int ECX_HYPERVISOR = 1 << 31;

    public static final String DEFAULT = "qemu32";

    private static final Set<String> KEYS = Set.of("vendor", "family", "model", "stepping", "max-leaf", "max-extended-leaf",
            "brand", "leaf1-ebx", "edx", "ecx", "leaves");

    /** Every model in the built-in catalog, by name, in file order. */
    public static Map<String, CpuModel> catalog() {
        try (InputStream in = CpuModel.class.getResourceAsStream("cpu-models.yaml")) {
            if (in == null) {
                throw new IllegalStateException("cpu-models.yaml is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "cpu-models.yaml");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read cpu-models.yaml", e);
        }
    }

    /** One model by name; an unknown name is a user error naming the known ones. */
    public static CpuModel named(String name) {
        Map<String, CpuModel> all = catalog();
        CpuModel m = all.get(name);
        if (m == null) {
            throw new BadModel("unknown CPU model '" + name + "'; known: " + String.join(", ", all.keySet()));
        }
        return m;
    }

    /** Parses a catalog in the format of {@code cpu-models.yaml}; errors name the file, model and key. */
    @SuppressWarnings("unchecked")
    static Map<String, CpuModel> parse(String text, String file) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (!(root instanceof Map<?, ?> top) || !(top.get("models") instanceof Map<?, ?> models)) {
            throw new BadModel(file + ": expected a mapping with key 'models'");
        }
        Map<String, CpuModel> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : models.entrySet()) {
            String name = String.valueOf(e.getKey());
            String where = file + ": models." + name;
            if (!(e.getValue() instanceof Map<?, ?> m)) {
                throw new BadModel(where + ": expected a mapping");
            }
            for (Object k : m.keySet()) {
                if (!KEYS.contains(String.valueOf(k))) {
                    throw new BadModel(where + ": unknown key '" + k + "'");
                }
            }
            String vendor = str(m, "vendor", where);
            if (vendor.length() != 12) {
                throw new BadModel(where + ".vendor: must be 12 characters, not '" + vendor + "'");
            }
            String brand = str(m, "brand", where);
            if (brand.length() > 47) {
                throw new BadModel(where + ".brand: at most 47 characters");
            }
            Map<Long, int[]> leaves = new LinkedHashMap<>();
            Object lv = m.get("leaves");
            if (!(lv instanceof Map<?, ?> lm)) {
                throw new BadModel(where + ".leaves: expected a mapping");
            }
            for (Map.Entry<?, ?> le : lm.entrySet()) {
                String key = String.valueOf(le.getKey());
                String[] parts = key.split("\\.", 2);
                long leaf = number(parts[0], where + ".leaves." + key);
                long sub = parts.length > 1 ? number(parts[1], where + ".leaves." + key) : 0;
                if (!(le.getValue() instanceof List<?> regs) || regs.size() != 4) {
                    throw new BadModel(where + ".leaves." + key + ": expected [eax, ebx, ecx, edx]");
                }
                int[] v = new int[4];
                for (int i = 0; i < 4; i++) {
                    v[i] = (int) number(String.valueOf(regs.get(i)), where + ".leaves." + key);
                }
                leaves.put((leaf << 8) | sub, v);
            }
            out.put(name, new CpuModel(name, vendor, integer(m, "family", where), integer(m, "model", where),
                    integer(m, "stepping", where), integer(m, "max-leaf", where), integer(m, "max-extended-leaf", where),
                    brand, integer(m, "leaf1-ebx", where), features(m, "edx", EDX_NAMES, where),
                    features(m, "ecx", ECX_NAMES, where), Map.copyOf(leaves)));
        }
        return out;
    }

    /** CPUID.1:EAX: the processor signature (SDM Vol. 2A Figure 3-6), also EDX after reset. */
    public int signature() {
        int fam = family > 15 ? 15 : family;
        int ext = family > 15 ? family - 15 : 0;
        return (ext << 20) | ((model >> 4) << 16) | (fam << 8) | ((model & 15) << 4) | (stepping & 15);
    }

    boolean has(int edxBit) {
        return (leaf1Edx & edxBit) != 0;
    }

    private static String str(Map<?, ?> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            throw new BadModel(where + ": missing key '" + key + "'");
        }
        return String.valueOf(v);
    }

    private static int integer(Map<?, ?> m, String key, String where) {
        return (int) number(str(m, key, where), where + "." + key);
    }

    private static long number(String s, String where) {
        try {
            return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new BadModel(where + ": not a number: '" + s + "'");
        }
    }

    private static int features(Map<?, ?> m, String key, List<String> names, String where) {
        Object v = m.get(key);
        if (!(v instanceof List<?> list)) {
            throw new BadModel(where + "." + key + ": expected a list of feature names");
        }
        int bits = 0;
        List<String> unknown = new ArrayList<>();
        for (Object o : list) {
            int i = names.indexOf(String.valueOf(o));
            if (i < 0 || String.valueOf(o).isEmpty()) {
                unknown.add(String.valueOf(o));
            } else {
                bits |= 1 << i;
            }
        }
        if (!unknown.isEmpty()) {
            throw new BadModel(where + "." + key + ": unknown feature(s) " + unknown);
        }
        return bits;
    }

    /** A malformed model catalog or an unknown model name. */
    public static final class BadModel extends UserException {
        BadModel(String message) {
            super(message);
        }
    }
}
