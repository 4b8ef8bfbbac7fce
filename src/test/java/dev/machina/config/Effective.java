package dev.machina.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machina.qom.ValueParsers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The values QMP reported in a transcript, and the same values as our configuration gives them:
 * for comparing what QEMU 7.2 built with what Machina read.
 */
final class Effective {
    private Effective() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One comparison: what QMP said, what we say. */
    record Check(String what, String qemu, String ours) {}

    static List<Check> compare(List<String> qmpLines, VmConfig config, ConfigEnv env) {
        // the effective values, from a dry run of the VM builder (made only for the cases that ask for one)
        java.util.function.Supplier<VmConfig> resolved = new java.util.function.Supplier<>() {
            private VmConfig done;

            public VmConfig get() {
                if (done == null) {
                    done = dev.machina.vm.ResolvedConfig.resolve(config, catalog());
                }
                return done;
            }
        };
        VmConfig r = config;
        List<Check> out = new ArrayList<>();
        for (String q : qmpLines) {
            int arrow = q.indexOf(" ->");
            String cmd = q.substring(4, arrow);
            String result = q.substring(arrow + 3).strip();
            JsonNode c = parse(cmd);
            String exec = c.path("execute").asText();
            JsonNode args = c.path("arguments");
            switch (exec) {
                case "query-name" -> {
                    JsonNode n = parse(result);
                    out.add(new Check("name", n == null || n.isNull() ? "(not run)" : n.has("name") ? n.get("name").asText() : "(none)",
                            n == null || n.isNull() ? "(not run)" : last(r, "name", "guest").orElse("(none)")));
                }
                case "query-chardev" -> {
                    TreeSet<String> q1 = new TreeSet<>();
                    parse(result).forEach(x -> q1.add(x.get("label").asText()));
                    q1.remove("compat_monitor0");
                    out.add(new Check("chardev ids", q1.toString(), ids(r, "chardev").toString()));
                }
                case "query-memory-size-summary" -> out.add(new Check("RAM bytes", parse(result).get("base-memory").asText(),
                        Long.toUnsignedString(ramBytes(r))));
                case "query-cpus-fast" -> out.add(new Check("CPUs", Integer.toString(parse(result).size()), Long.toString(cpus(r))));
                case "qom-list" -> {
                    TreeSet<String> names = new TreeSet<>();
                    parse(result).forEach(x -> names.add(x.get("name").asText()));
                    names.remove("type");
                    String path = args.path("path").asText();
                    if (path.equals("/machine/peripheral")) {
                        out.add(new Check("device ids", names.toString(), ids(r, "device").toString()));
                    } else if (path.equals("/machine/peripheral-anon")) {
                        out.add(new Check("anonymous devices", Integer.toString(names.size()),
                                Long.toString(r.sections("device").stream().filter(s -> s.effectiveId().isEmpty()).count())));
                    } else if (path.equals("/objects")) {
                        out.add(new Check("object ids", names.toString(), ids(r, "object").toString()));
                    }
                }
                case "qom-get" -> {
                    String path = args.path("path").asText();
                    String prop = args.path("property").asText();
                    String value = result.strip();
                    if (path.equals("/machine") && prop.equals("type")) {
                        String name = last(r, "machine", "type").orElse("pc");
                        out.add(new Check("machine type", value, env.machines().qomType(name).orElse(name)));
                    } else if (path.equals("/machine") && prop.equals("hpet")) {
                        out.add(new Check("hpet", value, last(r, "machine", "hpet").map(Effective::bool).orElse("(default)")));
                    } else if (path.startsWith("/machine/peripheral/") && prop.equals("iobase")) {
                        String id = path.substring("/machine/peripheral/".length());
                        Optional<String> v = resolved.get().sections("device").stream().filter(s -> s.effectiveId().filter(id::equals).isPresent())
                                .findFirst().flatMap(s -> s.get("iobase"));
                        out.add(new Check("iobase of " + id, value, v.map(Effective::integer).orElse("(unset)")));
                    }
                }
                default -> { }
            }
        }
        return out;
    }

    private static dev.machina.machine.MachineCatalog catalog;

    private static synchronized dev.machina.machine.MachineCatalog catalog() {
        if (catalog == null) {
            catalog = new dev.machina.cli.Context().catalog();
        }
        return catalog;
    }

    private static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            return null;
        }
    }

    private static Optional<String> last(VmConfig c, String group, String key) {
        Optional<String> v = Optional.empty();
        for (Section s : c.sections(group)) {
            Optional<String> x = s.get(key);
            if (x.isPresent()) {
                v = x;
            }
        }
        return v;
    }

    private static TreeSet<String> ids(VmConfig c, String group) {
        TreeSet<String> out = new TreeSet<>();
        c.sections(group).forEach(s -> s.effectiveId().ifPresent(out::add));
        return out;
    }

    /** [memory] size: a number without a suffix is MiB (QEMU appends 'M'). */
    static long ramBytes(VmConfig c) {
        String v = last(c, "memory", "size").orElse("128").strip(); // QEMU 7.2's default RAM: 128 MiB
        try {
            return ValueParsers.parseSize(Character.isDigit(v.charAt(v.length() - 1)) ? v + "M" : v);
        } catch (Exception e) {
            return QemuValues.hexWithSuffix(v + "M") ? Long.decode(v) << 20 : -1;
        }
    }

    /** The CPU count: [smp-opts] cpus and [machine] smp.cpus merge into the machine in order. */
    static long cpus(VmConfig c) {
        long cpus = 1;
        for (Section s : c.sections()) {
            Optional<String> v = s.group().equals("smp-opts") ? s.get("cpus") : s.group().equals("machine") ? s.get("smp.cpus") : Optional.empty();
            if (v.isPresent()) {
                cpus = Long.parseLong(v.get().strip());
            }
        }
        return cpus;
    }

    private static String bool(String v) {
        return ValueParsers.TRUE_SPELLINGS.contains(v) ? "true" : "false";
    }

    private static String integer(String v) {
        try {
            return Long.toString(ValueParsers.parseInteger(v, 64, false));
        } catch (Exception e) {
            return v;
        }
    }
}
