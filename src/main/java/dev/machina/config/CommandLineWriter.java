package dev.machina.config;

import dev.machina.config.CliOption.Syntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a configuration back as a qemu-system-x86_64 command line, canonically: one option per
 * section, the implied key first and unnamed where the syntax allows it ({@code -device isa-serial,id=s0}),
 * {@code id=} next, the other keys in order, {@code ,,} for commas, {@code -global D.P=V} where the short
 * form can say it. {@link CommandLineParser} reads the result back to the same sections.
 */
public final class CommandLineWriter {
    private CommandLineWriter() {}

    /** The arguments, or a {@link ConfigException} naming each section the command line cannot express. */
    public static List<String> write(VmConfig config) {
        return write(config, Optional.empty());
    }

    /**
     * With the type registry, an {@code -object}'s list properties ({@code host-nodes.0}, the form
     * files need) are written as QEMU's command line takes them: the key repeated.
     */
    public static List<String> write(VmConfig config, Optional<ConfigEnv> env) {
        List<String> out = new ArrayList<>();
        List<ConfigError> problems = new ArrayList<>();
        for (Section s : config.sections()) {
            String problem = section(s.group().equals("object") ? objectLists(s, env) : s, out);
            if (problem != null) {
                problems.add(new ConfigError.Unrepresentable(s.origin(), s.label() + " as a command-line option", problem));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return out;
    }

    private static String section(Section s, List<String> out) {
        Optional<CliOption> opt = CliOptions.forGroup(s.group());
        Optional<OptionGroup> group = OptionGroups.find(s.group());
        if (opt.isEmpty() || group.isEmpty()) {
            return group.isPresent() && group.get().inFiles() == OptionGroup.InFiles.IGNORED
                    ? "QEMU ignores [" + s.group() + "] in files, and its command-line option would act on it"
                    : "no option writes [" + s.group() + "]";
        }
        CliOption o = opt.get();
        OptionGroup g = group.get();
        if (s.entries().isEmpty() && s.id().isEmpty() && o.syntax() != Syntax.FLAG) {
            return "it has no keys, and " + o.name() + " needs at least one";
        }
        switch (o.syntax()) {
            case FLAG -> {
                if (!s.entries().isEmpty()) {
                    return o.name() + " takes no value";
                }
                out.add(o.name());
                return null;
            }
            case VERBATIM -> {
                if (s.entries().size() != 1 || !s.entries().get(0).key().equals(o.key()) || s.id().isPresent()) {
                    return o.name() + " takes exactly one value, '" + o.key() + "'";
                }
                out.add(o.name());
                out.add(s.entries().get(0).value());
                return null;
            }
            case CPU -> {
                return cpu(s, out);
            }
            case GLOBAL -> {
                return global(s, out);
            }
            case KEYVAL, KEYVAL_OR_JSON -> {
                return keyval(s, g, o, out);
            }
            case QEMU_OPTS, QEMU_OPTS_OR_JSON -> {
                return qemuOpts(s, g, o, out);
            }
            default -> {
                return "no option writes it";
            }
        }
    }

    private static Section objectLists(Section s, Optional<ConfigEnv> env) {
        Optional<dev.machina.qom.ObjectType> t = s.get("qom-type").flatMap(n -> env.flatMap(e -> e.registry().find(n)));
        if (t.isEmpty()) {
            return s;
        }
        List<Entry> es = new ArrayList<>();
        for (Entry e : s.entries()) {
            int dot = e.key().indexOf('.');
            String top = dot < 0 ? e.key() : e.key().substring(0, dot);
            boolean list = dot > 0 && t.get().property(top).map(p -> p.type() instanceof dev.machina.qom.PropertyType.ListType).orElse(false)
                    && e.key().substring(dot + 1).chars().allMatch(Character::isDigit);
            es.add(list ? new Entry(top, e.value(), e.origin(), e.layout()) : e);
        }
        return s.withEntries(es);
    }

    private static String qemuOpts(Section s, OptionGroup g, CliOption o, List<String> out) {
        for (Entry e : s.entries()) {
            if (e.key().isEmpty() || e.key().contains(",") || e.key().contains("=")) {
                return "the key '" + e.key() + "' cannot be written as " + o.name() + " key=value";
            }
            if (e.key().equals("id")) {
                return "it has an 'id' key besides its header id";
            }
        }
        // the implied form reads best; QEMU's scan for 'id' (opts_parse_id reads every element as if
        // none were implied) can see flags in an implied value, so each form is checked by reading it back
        boolean canImply = g.implied().isPresent() && !s.entries().isEmpty() && s.entries().get(0).key().equals(g.implied().get())
                && impliedSafe(s.entries().get(0).value(), o);
        for (boolean implied : canImply ? new boolean[] {true, false} : new boolean[] {false}) {
            String arg = qemuOptsArg(s, implied);
            OptionSyntax.Parsed p = OptionSyntax.qemuOpts(arg, g.implied().orElse(null), false);
            List<Entry> back = p.elements().stream().map(x -> Entry.of(x.key(), x.value())).toList();
            if (p.id().equals(s.id()) && p.idCount() == (s.id().isPresent() ? 1 : 0)
                    && back.equals(s.entries().stream().map(Entry::content).toList())) {
                out.add(o.name());
                out.add(arg);
                return null;
            }
        }
        return "QemuOpts syntax cannot say it unambiguously";
    }

    private static String qemuOptsArg(Section s, boolean implied) {
        List<String> parts = new ArrayList<>();
        List<Entry> rest = new ArrayList<>(s.entries());
        if (implied) {
            parts.add(OptionSyntax.escapeQemuOpts(rest.remove(0).value()));
        }
        s.id().ifPresent(id -> parts.add("id=" + OptionSyntax.escapeQemuOpts(id)));
        for (Entry e : rest) {
            parts.add(e.key() + "=" + OptionSyntax.escapeQemuOpts(e.value()));
        }
        return String.join(",", parts);
    }

    /**
     * Whether a QemuOpts implied value reads back as itself in first place: not empty, no '=', not
     * {@code help}/{@code ?} (a help request), not {@code id}/{@code noid} (QEMU's opts_parse_id reads
     * the first element as a flag and would take it as {@code id=on}/{@code id=off}), and not starting
     * with '{' where the option also takes JSON.
     */
    private static boolean impliedSafe(String v, CliOption o) {
        return !v.isEmpty() && !v.contains("=") && !OptionSyntax.isHelp(v) && !v.equals("id") && !v.equals("noid")
                && !(v.startsWith("{") && o.syntax() == Syntax.QEMU_OPTS_OR_JSON);
    }

    private static String keyval(Section s, OptionGroup g, CliOption o, List<String> out) {
        List<String> parts = new ArrayList<>();
        List<Entry> rest = new ArrayList<>(s.entries());
        String first = rest.isEmpty() ? "" : rest.get(0).value();
        if (g.implied().isPresent() && !rest.isEmpty() && rest.get(0).key().equals(g.implied().get()) && !first.isEmpty()
                && first.indexOf(',') < 0 && first.indexOf('=') < 0 && !OptionSyntax.isHelp(first)
                && !(first.startsWith("{") && o.syntax() == Syntax.KEYVAL_OR_JSON)) { // '{' first would be read as JSON
            parts.add(rest.remove(0).value());
        }
        if (s.id().isPresent()) {
            if (rest.stream().anyMatch(e -> e.key().equals("id"))) {
                return "it has an 'id' key besides its header id";
            }
            parts.add("id=" + OptionSyntax.escapeKeyval(s.id().get()));
        }
        for (Entry e : rest) {
            parts.add(e.key() + "=" + OptionSyntax.escapeKeyval(e.value()));
        }
        String arg = String.join(",", parts);
        try {
            OptionSyntax.Parsed p = OptionSyntax.keyval(arg, g.implied().orElse(null));
            if (p.elements().size() != s.entries().size() + (s.id().isPresent() ? 1 : 0)) {
                return "its keys do not survive " + o.name() + " syntax";
            }
        } catch (OptionSyntax.KeyvalError e) {
            return o.name() + " cannot say it: " + e.getMessage();
        }
        out.add(o.name());
        out.add(arg);
        return null;
    }

    private static String cpu(Section s, List<String> out) {
        Optional<String> model = s.get("model");
        if (model.isEmpty()) {
            return "-cpu needs a 'model'";
        }
        StringBuilder arg = new StringBuilder();
        if (!s.entries().get(0).key().equals("model")) {
            return "-cpu names the model first";
        }
        for (Entry e : s.entries()) {
            if (e.value().contains(",") || e.key().contains(",") || e.key().contains("=")) {
                return "-cpu has no escaping for ',' (in '" + e.key() + "')";
            }
            if (e.key().equals("id")) {
                return "it has an 'id' key besides its id";
            }
            if (e.key().equals("model")) {
                if (arg.length() > 0 || e.value().isEmpty() || e.value().contains("=")) {
                    return "-cpu takes one model, first";
                }
                if (OptionSyntax.isHelp(e.value())) {
                    return "-cpu reads the model '" + e.value() + "' as a request for the list of models";
                }
                arg.append(e.value());
            } else {
                if (e.key().isEmpty() || e.key().startsWith("+") || e.key().startsWith("-")) {
                    return "the feature '" + e.key() + "' cannot be written for -cpu";
                }
                arg.append(',').append(e.key()).append('=').append(e.value());
            }
        }
        if (s.id().isPresent()) {
            if (s.id().get().contains(",")) {
                return "-cpu has no escaping for ',' (in the id)";
            }
            arg.append(",id=").append(s.id().get());
        }
        out.add("-cpu");
        out.add(arg.toString());
        return null;
    }

    private static String global(Section s, List<String> out) {
        List<Entry> es = s.entries();
        if (s.id().isEmpty() && es.size() == 3 && es.get(0).key().equals("driver") && es.get(1).key().equals("property")
                && es.get(2).key().equals("value")) {
            String d = es.get(0).value();
            String p = es.get(1).value();
            if (!d.isEmpty() && d.length() <= 63 && d.indexOf('.') < 0 && d.indexOf('=') < 0
                    && !p.isEmpty() && p.length() <= 63 && p.indexOf('=') < 0 && !p.contains("\0")) {
                out.add("-global");
                out.add(d + "." + p + "=" + es.get(2).value());
                return null;
            }
        }
        List<String> parts = new ArrayList<>();
        s.id().ifPresent(id -> parts.add("id=" + OptionSyntax.escapeQemuOpts(id)));
        for (Entry e : es) {
            if (e.key().isEmpty() || e.key().contains(",") || e.key().contains("=")) {
                return "the key '" + e.key() + "' cannot be written for -global";
            }
            parts.add(e.key() + "=" + OptionSyntax.escapeQemuOpts(e.value()));
        }
        out.add("-global");
        out.add(String.join(",", parts));
        return null;
    }
}
