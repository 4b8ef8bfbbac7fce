package dev.machina.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machina.config.CliOption.Syntax;
import dev.machina.config.OptionSyntax.Element;
import dev.machina.config.OptionSyntax.KeyvalError;
import dev.machina.config.OptionSyntax.Parsed;
import dev.machina.util.Suggest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a qemu-system-x86_64 command line into a {@link VmConfig}: one section per option, in order,
 * with QEMU's syntax for each (QemuOpts, keyval, JSON, the sugar options), {@code -set} applied to the
 * sections defined before it, {@code -global} in both forms, and {@code -readconfig} files read in
 * place. Values are kept as written ({@code -m 512} stays "512", meaning MiB as in QEMU).
 *
 * <p>Strict by default: the same key twice in one option (QEMU silently keeps the last) is an error;
 * with {@link ReadMode#QEMU} the last one wins, as in QEMU, with a warning. Semantic checks (known
 * groups' keys, device properties, ids) are {@link ConfigValidator}'s.
 */
public final class CommandLineParser {
    /** Reads a {@code -readconfig} file. */
    @FunctionalInterface
    public interface FileLoader {
        ReadResult load(String path, ReadMode mode, Origin from);
    }

    /**
     * QEMU's JSON parser rejects a key given twice ("duplicate key"); Jackson would keep the last.
     * Made on the first JSON option only (a holder class): an ObjectMapper loads some 300 classes,
     * which every start without a JSON option would pay for.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    private final ReadMode mode;
    private final FileLoader files;
    private final Optional<ConfigEnv> env;

    /**
     * @param env the type registry, when known: {@code -object} list properties are then read as QEMU's
     *            OptsVisitor reads them ({@code host-nodes=0-1} is {@code host-nodes.0=0,host-nodes.1=1},
     *            the form files need), and JSON {@code -device} values are type-checked as QEMU does
     */
    public CommandLineParser(ReadMode mode, FileLoader files, Optional<ConfigEnv> env) {
        this.mode = mode;
        this.files = files;
        this.env = env;
    }

    public CommandLineParser(ReadMode mode, FileLoader files) {
        this(mode, files, Optional.empty());
    }

    /** The configuration, or a {@link ConfigException} with every error found. */
    public ParsedCommandLine parse(List<String> args) {
        Run run = new Run();
        run.parse(args);
        if (run.diags.hasErrors()) {
            throw new ConfigException(run.diags.all());
        }
        return new ParsedCommandLine(VmConfig.of(run.sections).withTrailing(run.trailing), run.writeConfig,
                Optional.ofNullable(run.help), run.diags.warnings());
    }

    private final class Run {
        final List<Section> sections = new ArrayList<>();
        final List<String> writeConfig = new ArrayList<>();
        final Diagnostics diags = new Diagnostics();
        List<String> trailing = List.of();
        HelpRequest help;

        void parse(List<String> args) {
            for (int i = 0; i < args.size() && help == null; i++) {
                String a = args.get(i);
                if (!a.startsWith("-") || a.equals("-")) {
                    diags.add(new ConfigError.Syntax(new Origin.Argument(i, a, ""), "unexpected argument '" + a + "'",
                            "options start with '-'; QEMU would take a bare file name as a disk image: write -drive file=" + a));
                    continue;
                }
                Optional<CliOption> found = CliOptions.find(a);
                if (found.isEmpty()) {
                    diags.add(new ConfigError.UnknownOption(new Origin.Argument(i, a, ""), a,
                            Suggest.closest(a.startsWith("--") ? a.substring(1) : a, CliOptions.names(), 3)));
                    continue;
                }
                CliOption opt = found.get();
                String value = "";
                if (opt.syntax().takesArgument()) {
                    if (i + 1 >= args.size()) {
                        diags.add(new ConfigError.MissingArgument(new Origin.Argument(i, a, ""), a));
                        break;
                    }
                    value = args.get(++i);
                }
                option(opt, new Origin.Argument(i - (opt.syntax().takesArgument() ? 1 : 0), a, value), value);
            }
        }

        private void syntax(Origin where, String problem, String fix) {
            diags.add(new ConfigError.Syntax(where, problem, fix));
        }

        private void option(CliOption opt, Origin.Argument where, String value) {
            switch (opt.syntax()) {
                case QEMU_OPTS -> qemuOpts(opt, where, value);
                case QEMU_OPTS_OR_JSON -> {
                    if (value.startsWith("{")) {
                        json(opt, where, value);
                    } else {
                        qemuOpts(opt, where, value);
                    }
                }
                case KEYVAL -> keyval(opt, where, value);
                case KEYVAL_OR_JSON -> {
                    if (value.startsWith("{")) {
                        json(opt, where, value);
                    } else {
                        keyval(opt, where, value);
                    }
                }
                case CPU -> cpu(where, value);
                case VERBATIM -> {
                    if (opt.name().equals("-vga") && OptionSyntax.isHelp(value)) {
                        help = HelpRequest.of(HelpRequest.Kind.VGA_TYPES);
                    } else {
                        add(new Section(opt.group(), Optional.empty(), List.of(entry(opt.key(), value, where)), where, Layout.CANONICAL));
                    }
                }
                case GROUP_KEY -> add(new Section(opt.group(), Optional.empty(), List.of(entry(opt.key(), value, where)), where, Layout.CANONICAL));
                case DRIVE -> drive(opt, where, value);
                case FIXED -> add(new Section(opt.group(), Optional.empty(), List.of(entry(opt.key(), opt.value(), where)), where, Layout.CANONICAL));
                case FLAG -> add(new Section(opt.group(), Optional.empty(), List.of(), where, Layout.CANONICAL));
                case GLOBAL -> global(where, value);
                case SET -> set(where, value);
                case READCONFIG -> readconfig(where, value);
                case WRITECONFIG -> writeConfig.add(value);
                case UNSUPPORTED -> diags.add(new ConfigError.Syntax(where, opt.name() + " is not supported for this target",
                        "qemu-system-x86_64 rejects it too"));
                case INFO -> help = switch (opt.name()) {
                    case "-version" -> HelpRequest.of(HelpRequest.Kind.VERSION);
                    // QEMU 7.2 prints the -audiodev form of its legacy QEMU_AUDIO_* settings and exits 0
                    case "-audio-help" -> HelpRequest.of(HelpRequest.Kind.GROUP_OPTIONS, "machina-audiodev");
                    default -> HelpRequest.of(HelpRequest.Kind.USAGE);
                };
                default -> throw new IllegalStateException(opt.syntax().toString());
            }
        }

        /**
         * {@code -hda FILE} and its kin: QEMU 7.2's {@code drive_add} parses the option's fixed keys, then
         * sets {@code if}, {@code index} and {@code file} in that order; the file name is taken as it is
         * (no {@code ,,} escaping: {@code -cdrom a,b.iso} is the file "a,b.iso").
         */
        private void drive(CliOption opt, Origin.Argument where, String value) {
            List<Entry> es = new ArrayList<>();
            for (String kv : opt.value().split(",")) {
                int eq = kv.indexOf('=');
                es.add(entry(kv.substring(0, eq), kv.substring(eq + 1), where));
            }
            es.add(entry("file", value, where));
            add(new Section("drive", Optional.empty(), es, where, Layout.CANONICAL));
        }

        private Entry entry(String key, String value, Origin where) {
            return new Entry(key, value, where, Layout.CANONICAL);
        }

        private void add(Section s) {
            if (!trailing.isEmpty()) {
                // comments at the end of a -readconfig file stay between its sections and the options after it
                List<String> before = new ArrayList<>(trailing);
                if (!before.get(before.size() - 1).isEmpty()) {
                    before.add("");
                }
                s = new Section(s.group(), s.id(), s.entries(), s.origin(), new Layout.Kept(before, ""));
                trailing = List.of();
            }
            sections.add(s);
        }

        /** The elements as entries: strict rejects a repeated key, compat keeps the last value (QEMU's qemu_opt_get). */
        private List<Entry> entries(List<Element> elements, Origin where, String label) {
            List<Entry> out = new ArrayList<>();
            for (Element e : elements) {
                int prior = -1;
                for (int k = 0; k < out.size(); k++) {
                    if (out.get(k).key().equals(e.key())) {
                        prior = k;
                    }
                }
                if (prior >= 0 && CliOptions.find(label).map(o -> RepeatedKeys.isList(o.group(), e.key())).orElse(false)) {
                    // not "the last wins": QEMU makes a list of the repeated values, and every one applies (RepeatedKeys);
                    // kept beside the earlier ones (the order among other keys does not matter), as a YAML list holds them
                    out.add(prior + 1, entry(e.key(), e.value(), where));
                    continue;
                }
                if (prior >= 0) {
                    if (mode == ReadMode.STRICT) {
                        diags.add(new ConfigError.DuplicateKey(where, label, e.key(), where));
                        continue;
                    }
                    diags.warn(where, "'" + e.key() + "' is given twice; QEMU keeps the last value");
                    out.set(prior, entry(e.key(), e.value(), where));
                    continue;
                }
                out.add(entry(e.key(), e.value(), where));
            }
            return out;
        }

        private void qemuOpts(CliOption opt, Origin.Argument where, String value) {
            OptionGroup g = OptionGroups.find(opt.group()).orElseThrow();
            boolean abbrev = g.implied().isPresent();
            Parsed p = OptionSyntax.qemuOpts(value, abbrev ? g.implied().get() : null, !g.qemuAcceptsAnyKey());
            Optional<String> impliedValue = p.elements().stream().filter(e -> e.kind() == Element.Kind.IMPLIED)
                    .map(Element::value).findFirst();
            boolean helpOpt = p.help() || p.elements().stream().anyMatch(e -> e.kind() == Element.Kind.FLAG && OptionSyntax.isHelp(e.key()));
            if (impliedHelp(opt, impliedValue, helpOpt)) {
                return;
            }
            if (p.help()) {
                help = HelpRequest.of(HelpRequest.Kind.GROUP_OPTIONS, g.name());
                return;
            }
            for (Element e : p.elements()) {
                if (e.kind() == Element.Kind.FLAG) {
                    diags.warn(where, "short-form boolean option '" + (e.value().equals("off") ? "no" : "") + e.key()
                            + "' deprecated; write " + e.key() + "=" + e.value());
                }
            }
            if (p.idCount() > 1 && mode == ReadMode.STRICT) {
                diags.add(new ConfigError.DuplicateKey(where, opt.name(), "id", where));
            }
            List<Element> elements = p.elements();
            if (g.name().equals("object")) {
                elements = objectLists(elements, where);
                if (elements == null) {
                    return;
                }
            }
            Optional<String> id = p.id().isEmpty() && g.name().equals("vnc") ? Optional.of(vncId()) : p.id();
            add(new Section(g.name(), id, entries(elements, where, opt.name()), where, Layout.CANONICAL));
        }

        /**
         * {@code -object} goes through QEMU's OptsVisitor: a list property is given by repeating its key or
         * as a range ({@code host-nodes=0-3}), and a dotted key is rejected. Files and JSON take
         * {@code host-nodes.0}; the model keeps that form so that what is written reads back in QEMU.
         */
        private List<Element> objectLists(List<Element> elements, Origin where) {
            Optional<dev.machina.qom.ObjectType> type = elements.stream().filter(e -> e.key().equals("qom-type")).map(Element::value)
                    .findFirst().flatMap(t -> env.flatMap(x -> x.registry().find(t)));
            if (type.isEmpty()) {
                return elements;
            }
            List<Element> out = new ArrayList<>();
            java.util.Map<String, List<String>> lists = new java.util.LinkedHashMap<>();
            for (Element e : elements) {
                String top = e.key().split("\\.", 2)[0];
                Optional<dev.machina.qom.PropertySpec> p = type.get().property(top);
                if (p.isEmpty() || !(p.get().type() instanceof dev.machina.qom.PropertyType.ListType lt)) {
                    out.add(e);
                    continue;
                }
                if (e.key().contains(".")) {
                    syntax(where, "Invalid parameter '" + e.key() + "'", "on the command line a list is " + top + "=0,"
                            + top + "=1 or a range " + top + "=0-1 (the dotted form is for config files and JSON)");
                    return null;
                }
                List<String> values = lists.get(top);
                if (values == null) {
                    values = new ArrayList<>();
                    lists.put(top, values);
                    out.add(new Element(top, "", Element.Kind.PAIR)); // placeholder, expanded below
                }
                int dash = e.value().indexOf('-', 1);
                if (lt.element() instanceof dev.machina.qom.PropertyType.IntType && dash > 0) {
                    try {
                        long lo = Long.parseLong(e.value().substring(0, dash).strip());
                        long hi = Long.parseLong(e.value().substring(dash + 1).strip());
                        if (hi < lo || hi - lo > 65535) {
                            throw new NumberFormatException();
                        }
                        for (long v = lo; v <= hi; v++) {
                            values.add(Long.toString(v));
                        }
                        continue;
                    } catch (NumberFormatException x) {
                        syntax(where, "bad range '" + e.value() + "' for " + top, "write LOW-HIGH with LOW <= HIGH");
                        return null;
                    }
                }
                values.add(e.value());
            }
            List<Element> expanded = new ArrayList<>();
            for (Element e : out) {
                List<String> values = lists.get(e.key());
                if (values != null && e.value().isEmpty() && e.kind() == Element.Kind.PAIR) {
                    for (int i = 0; i < values.size(); i++) {
                        expanded.add(new Element(e.key() + "." + i, values.get(i), Element.Kind.PAIR));
                    }
                    lists.remove(e.key());
                } else {
                    expanded.add(e);
                }
            }
            return expanded;
        }

        /** {@code -device help}, {@code -device TYPE,help} and their kin; true when handled. */
        private boolean impliedHelp(CliOption opt, Optional<String> implied, boolean helpFlag) {
            String name = opt.name();
            Optional<String> v = implied;
            boolean listAll = v.isPresent() && OptionSyntax.isHelp(v.get());
            switch (name) {
                case "-device" -> {
                    if (listAll) {
                        help = HelpRequest.of(HelpRequest.Kind.DEVICES);
                    } else if (helpFlag) {
                        help = HelpRequest.of(HelpRequest.Kind.DEVICE_PROPERTIES, v.orElse(null));
                    }
                }
                case "-object" -> {
                    if (listAll) {
                        help = HelpRequest.of(HelpRequest.Kind.OBJECTS);
                    } else if (helpFlag) {
                        help = HelpRequest.of(HelpRequest.Kind.OBJECT_PROPERTIES, v.orElse(null));
                    }
                }
                case "-chardev" -> help = listAll ? HelpRequest.of(HelpRequest.Kind.CHARDEV_BACKENDS) : help;
                case "-netdev", "-nic", "-net" -> help = listAll ? HelpRequest.of(HelpRequest.Kind.NETDEV_BACKENDS) : help;
                case "-accel" -> help = listAll ? HelpRequest.of(HelpRequest.Kind.ACCELERATORS) : help;
                default -> { }
            }
            return help != null;
        }

        private void keyval(CliOption opt, Origin.Argument where, String value) {
            OptionGroup g = OptionGroups.find(opt.group()).orElseThrow();
            Parsed p;
            try {
                p = OptionSyntax.keyval(value, g.implied().orElse(null));
            } catch (KeyvalError e) {
                syntax(where, e.getMessage(), "keyval syntax: key=value pairs separated by ','; write ',,' for a ',' in a value");
                return;
            }
            if (p.help() && (g.name().equals("machina-blockdev") || g.name().equals("machina-audiodev"))
                    && !(g.name().equals("machina-audiodev") && OptionSyntax.isHelp(value))) {
                // QEMU 7.2 reads these with qobject_input_visitor_new_str, whose keyval_parse is given no
                // help flag; only a whole "-audiodev help" lists something (audio_parse_option)
                syntax(where, "Help is not available for this option", g.name().equals("machina-audiodev")
                        ? "-audiodev help lists the drivers" : "-blockdev DRIVER,help is not QEMU's; write -blockdev driver=DRIVER,...");
                return;
            }
            if (p.help()) {
                Optional<String> type = p.elements().stream().filter(e -> e.key().equals("type")).map(Element::value).reduce((a, b) -> b);
                help = switch (g.name()) {
                    case "machine" -> type.isPresent() ? HelpRequest.of(HelpRequest.Kind.MACHINE_PROPERTIES, type.get())
                            : HelpRequest.of(HelpRequest.Kind.MACHINES);
                    case "machina-display" -> HelpRequest.of(HelpRequest.Kind.DISPLAYS);
                    case "machina-audiodev" -> HelpRequest.of(HelpRequest.Kind.AUDIO_DRIVERS);
                    default -> HelpRequest.of(HelpRequest.Kind.GROUP_OPTIONS, g.name());
                };
                return;
            }
            // the id goes where every id goes (the header in a file), whatever the syntax
            Optional<String> id = Optional.empty();
            List<Element> rest = new ArrayList<>();
            for (Element e : p.elements()) {
                if (e.key().equals("id") && id.isEmpty()) {
                    id = Optional.of(e.value());
                } else {
                    rest.add(e);
                }
            }
            add(new Section(g.name(), id, entries(rest, where, opt.name()), where, Layout.CANONICAL));
        }

        /**
         * QEMU 7.2's vnc_auto_assign_id (ui/vnc.c), run when -vnc is parsed: "default", else the first of vnc2,
         * vnc3, ... no VNC server defined so far has. A [vnc] without an id makes QEMU abort ("vnc_init_func:
         * Assertion `id' failed"), so the id is written with the section.
         */
        private String vncId() {
            java.util.Set<String> taken = new java.util.HashSet<>();
            sections.stream().filter(x -> x.group().equals("vnc")).forEach(x -> x.id().ifPresent(taken::add));
            String id = "default";
            for (int i = 2; taken.contains(id); i++) {
                id = "vnc" + i;
            }
            return id;
        }

        private void cpu(Origin.Argument where, String value) {
            String[] parts = value.split(",", -1);
            if (OptionSyntax.isHelp(parts[0])) {
                help = HelpRequest.of(HelpRequest.Kind.CPU_MODELS);
                return;
            }
            List<Element> elements = new ArrayList<>();
            elements.add(new Element("model", parts[0], Element.Kind.IMPLIED));
            for (int k = 1; k < parts.length; k++) {
                String f = parts[k];
                if (f.isEmpty()) {
                    syntax(where, "an empty CPU feature", "write -cpu MODEL,feature=on,...");
                    return;
                }
                if (f.startsWith("+") || f.startsWith("-")) {
                    // QEMU's legacy +feat/-feat: the same as feat=on/feat=off
                    elements.add(new Element(f.substring(1), f.startsWith("+") ? "on" : "off", Element.Kind.FLAG));
                } else if (f.indexOf('=') >= 0) {
                    elements.add(new Element(f.substring(0, f.indexOf('=')), f.substring(f.indexOf('=') + 1), Element.Kind.PAIR));
                } else {
                    elements.add(new Element(f, "on", Element.Kind.FLAG));
                }
            }
            if (mode == ReadMode.QEMU) {
                elements = cpuFeatures(elements, where);
            }
            // an id goes where every id goes (the validator says -cpu takes none)
            Optional<String> id = elements.stream().filter(e -> e.key().equals("id")).map(Element::value).findFirst();
            elements.removeIf(e -> e.key().equals("id"));
            add(new Section("machina-cpu", id, entries(elements, where, "-cpu"), where, Layout.CANONICAL));
        }

        /**
         * What QEMU 7.2 ends with (x86_cpu_parse_featurestr): +FEATURE and -FEATURE are applied after every
         * FEATURE=VALUE whatever the order (-cpu qemu64,-ssse3,ssse3=on ends with ssse3 off), a - after a +;
         * among FEATURE=VALUE the last wins. Each key keeps the place it was first given.
         */
        private List<Element> cpuFeatures(List<Element> elements, Origin.Argument where) {
            Map<String, String> pairs = new java.util.LinkedHashMap<>();
            java.util.Set<String> plus = new java.util.LinkedHashSet<>();
            java.util.Set<String> minus = new java.util.LinkedHashSet<>();
            List<String> order = new ArrayList<>();
            for (int k = 1; k < elements.size(); k++) {
                Element e = elements.get(k);
                if (!order.contains(e.key())) {
                    order.add(e.key());
                }
                boolean sign = e.kind() == Element.Kind.FLAG && signed(where.value(), e.key());
                if (sign) {
                    (e.value().equals("on") ? plus : minus).add(e.key());
                    continue;
                }
                if (plus.contains(e.key()) || minus.contains(e.key())) {
                    diags.warn(where, "Ambiguous CPU model string. Don't mix both \"" + (plus.contains(e.key()) ? "+" : "-") + e.key()
                            + "\" and \"" + e.key() + "=" + e.value() + "\": QEMU 7.2 applies the " + (plus.contains(e.key()) ? "+" : "-")
                            + e.key() + " (+/- features override FEATURE=VALUE)");
                } else if (pairs.containsKey(e.key())) {
                    diags.warn(where, "'" + e.key() + "' is given twice; QEMU keeps the last value");
                }
                pairs.put(e.key(), e.value());
            }
            List<Element> out = new ArrayList<>();
            out.add(elements.get(0));
            for (String key : order) {
                String v = minus.contains(key) ? "off" : plus.contains(key) ? "on" : pairs.get(key);
                out.add(new Element(key, v, Element.Kind.PAIR));
            }
            return out;
        }

        /** Whether -cpu gave this feature as +KEY or -KEY. */
        private static boolean signed(String value, String key) {
            for (String part : value.split(",", -1)) {
                if ((part.startsWith("+") || part.startsWith("-")) && part.substring(1).equals(key)) {
                    return true;
                }
            }
            return false;
        }

        private void json(CliOption opt, Origin.Argument where, String value) {
            JsonNode tree;
            try {
                tree = Json.MAPPER.readTree(value);
            } catch (JsonProcessingException e) {
                syntax(where, "not valid JSON: " + JsonFormat.problem(e), "write " + opt.name() + " {\"key\": \"value\", ...} or " + opt.name() + " key=value,...");
                return;
            }
            if (tree == null || !tree.isObject()) {
                syntax(where, "the JSON argument is not an object", "write " + opt.name() + " {\"key\": \"value\", ...}");
                return;
            }
            // an object type of a later release that Machina declares is the type registry's to check
            boolean later = opt.group().equals("object") && tree.path("qom-type").isTextual()
                    && !QapiCheck.packaged().knows(QapiCheck.Root.OBJECT, tree.get("qom-type").asText())
                    && env.flatMap(x -> x.registry().find(tree.get("qom-type").asText())).isPresent();
            Optional<QapiCheck.Refusal> refused = later ? Optional.empty() : QapiCheck.root(opt.group())
                    .flatMap(r -> QapiCheck.packaged().check(r, tree, QapiCheck.Reader.JSON));
            if (refused.isPresent()) {
                syntax(where, refused.get().message(), refused.get().fix());
                return;
            }
            List<Element> elements = new ArrayList<>();
            List<JsonNode> leaves = new ArrayList<>();
            String problem = flatten("", tree, elements, leaves, opt.group().equals("machina-blockdev"));
            if (problem != null) {
                syntax(where, problem, "JSON values are strings, numbers, booleans, arrays or objects");
                return;
            }
            if (opt.group().equals("device") && !jsonTypesOk(elements, leaves, where)) {
                return;
            }
            Optional<String> id = Optional.empty();
            List<Element> rest = new ArrayList<>();
            for (Element e : elements) {
                if (e.key().equals("id")) {
                    id = Optional.of(e.value());
                } else {
                    rest.add(e);
                }
            }
            add(new Section(opt.group(), id, entries(rest, where, opt.name()), where, Layout.CANONICAL));
        }

        /**
         * JSON values are typed, and QEMU 7.2 checks the types of a JSON {@code -device}: a string for an
         * integer property is "Parameter 'iobase' expects uint64" (transcripts/06), and so on.
         */
        private boolean jsonTypesOk(List<Element> elements, List<JsonNode> leaves, Origin where) {
            Optional<dev.machina.qom.ObjectType> type = elements.stream().filter(e -> e.key().equals("driver")).map(Element::value)
                    .findFirst().flatMap(t -> env.flatMap(x -> x.registry().find(DeviceAliases.resolve(t))));
            if (type.isEmpty()) {
                return true;
            }
            for (int i = 0; i < elements.size(); i++) {
                Optional<dev.machina.qom.PropertySpec> p = type.get().property(elements.get(i).key());
                if (p.isEmpty()) {
                    continue;
                }
                dev.machina.qom.PropertyType t = p.get().type();
                JsonNode v = leaves.get(i);
                if (t.name().equals("pci-devfn")) {
                    // set_pci_devfn takes a string (slot.fn in hex) or an integer devfn; the model keeps the string form
                    if (v.isIntegralNumber() && v.asLong() >= -1 && v.asLong() <= 255) {
                        long n = v.asLong();
                        elements.set(i, new Element(elements.get(i).key(), n < 0 ? "-1" : String.format("%02x.%d", n >> 3, n & 7),
                                Element.Kind.PAIR));
                        continue;
                    }
                    if (!v.isTextual()) {
                        syntax(where, "Parameter '" + elements.get(i).key() + "' expects a value between -1 and 255",
                                "write the devfn as a number, or \"SLOT.FN\" in hex, e.g. \"0x1.0x2\"");
                        return false;
                    }
                    continue;
                }
                boolean numeric = t instanceof dev.machina.qom.PropertyType.IntType || t instanceof dev.machina.qom.PropertyType.SizeType;
                boolean bool = t instanceof dev.machina.qom.PropertyType.BoolType;
                boolean ok = numeric ? v.isIntegralNumber() : bool ? v.isBoolean() : v.isTextual();
                if (!ok) {
                    // QEMU 7.2's words (qapi/qobject-input-visitor.c): unsigned and size properties are visited as uint64,
                    // signed ones as int64 ("integer")
                    String key = elements.get(i).key();
                    boolean signed = t instanceof dev.machina.qom.PropertyType.IntType it && it.signed();
                    String message = numeric && !signed ? "Parameter '" + key + "' expects uint64"
                            : "Invalid parameter type for '" + key + "', expected: " + (numeric ? "integer" : bool ? "boolean" : "string");
                    syntax(where, message,
                            "JSON values are typed: write " + (numeric ? "a number, e.g. 760" : bool ? "true or false" : "a string in quotes"));
                    return false;
                }
            }
            return true;
        }

        /**
         * JSON → flat dotted keys: nested objects are {@code a.b}, arrays {@code a.0}; booleans are on/off.
         * A null is a value only where QEMU 7.2's QAPI schema takes one in these options: a block node's
         * {@code backing} (BlockdevRefOrNull: no backing file). It is kept as {@code backing = ""}, the
         * keyval spelling QEMU 7.2 reads the same way (block.c: "" and null both mean BDRV_O_NO_BACKING;
         * keyval has no null).
         */
        private String flatten(String prefix, JsonNode node, List<Element> out, List<JsonNode> leaves, boolean blockdev) {
            if (node.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> it = node.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> f = it.next();
                    String problem = flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out, leaves, blockdev);
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            if (node.isArray()) {
                for (int k = 0; k < node.size(); k++) {
                    String problem = flatten(prefix + "." + k, node.get(k), out, leaves, blockdev);
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            if (node.isNull()) {
                if (blockdev && (prefix.equals("backing") || prefix.endsWith(".backing"))) {
                    out.add(new Element(prefix, "", Element.Kind.PAIR));
                    leaves.add(com.fasterxml.jackson.databind.node.TextNode.valueOf(""));
                    return null;
                }
                return "'" + prefix + "' is null; QEMU 7.2 takes null only for a block node's backing (-blockdev)";
            }
            String text = node.isBoolean() ? (node.booleanValue() ? "on" : "off") : node.asText();
            out.add(new Element(prefix, text, Element.Kind.PAIR));
            leaves.add(node);
            return null;
        }

        private void global(Origin.Argument where, String value) {
            byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            CScanf.Result r = CScanf.scan(bytes, "%63[^.=].%63[^=]%n");
            if (r.count() == 2 && r.positions().size() == 1 && r.positions().get(0) < bytes.length && bytes[r.positions().get(0)] == '=') {
                int pos = r.positions().get(0);
                String driver = new String(r.fields().get(0), java.nio.charset.StandardCharsets.UTF_8);
                String property = new String(r.fields().get(1), java.nio.charset.StandardCharsets.UTF_8);
                String v = new String(bytes, pos + 1, bytes.length - pos - 1, java.nio.charset.StandardCharsets.UTF_8);
                add(new Section("global", Optional.empty(), List.of(entry("driver", driver, where), entry("property", property, where),
                        entry("value", v, where)), where, Layout.CANONICAL));
                return;
            }
            Parsed p = OptionSyntax.qemuOpts(value, null, true);
            if (p.help()) {
                help = HelpRequest.of(HelpRequest.Kind.GROUP_OPTIONS, "global");
                return;
            }
            for (Element e : p.elements()) {
                if (e.kind() == Element.Kind.FLAG) {
                    diags.warn(where, "short-form boolean option '" + e.key() + "' deprecated");
                }
            }
            List<Entry> es = entries(p.elements(), where, "-global");
            Section s = new Section("global", p.id(), es, where, Layout.CANONICAL);
            if (s.get("driver").isEmpty() || s.get("property").isEmpty() || s.get("value").isEmpty()) {
                List<String> bad = es.stream().map(Entry::key).filter(k -> !List.of("driver", "property", "value").contains(k)).toList();
                if (!bad.isEmpty()) {
                    diags.add(new ConfigError.UnknownKey(where, "global", bad.get(0), Suggest.closest(bad.get(0), List.of("driver", "property", "value"), 3)));
                } else {
                    syntax(where, "options 'driver', 'property', and 'value' are required", "write -global DRIVER.PROPERTY=VALUE");
                }
                return;
            }
            add(s);
        }

        private void set(Origin.Argument where, String value) {
            byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            CScanf.Result r = CScanf.scan(bytes, "%63[^.].%63[^.].%63[^=]%n");
            if (r.count() < 3 || r.positions().isEmpty() || r.positions().get(0) >= bytes.length || bytes[r.positions().get(0)] != '=') {
                diags.add(new ConfigError.SetFailed(where, "can't parse: \"" + value + "\"; write -set GROUP.ID.KEY=VALUE"));
                return;
            }
            String group = new String(r.fields().get(0), java.nio.charset.StandardCharsets.UTF_8);
            String id = new String(r.fields().get(1), java.nio.charset.StandardCharsets.UTF_8);
            String key = new String(r.fields().get(2), java.nio.charset.StandardCharsets.UTF_8);
            int pos = r.positions().get(0);
            String v = new String(bytes, pos + 1, bytes.length - pos - 1, java.nio.charset.StandardCharsets.UTF_8);
            Optional<OptionGroup> g = OptionGroups.find(group);
            if (g.isEmpty()) {
                diags.add(new ConfigError.UnknownGroup(where, group, Suggest.closest(group, OptionGroups.names(), 3), ""));
                return;
            }
            if (g.get().kind() == OptionGroup.Kind.KEYVAL) {
                diags.add(new ConfigError.SetFailed(where, "-set is not supported with " + group
                        + " (QEMU 7.2 merges it into the machine); give the value in the " + group + " option itself"));
                return;
            }
            if (key.equals("id") && mode == ReadMode.STRICT) {
                // QEMU 7.2 adds an 'id' option beside the id it found the section by: the device is created
                // as the new id, later -set options still find it by the old one, and a file could not say both
                diags.add(new ConfigError.SetFailed(where, "-set cannot change an id (QEMU would create the " + group + " as '" + v
                        + "' but go on finding it as '" + id + "'); write id=" + v + " in the option itself"));
                return;
            }
            for (int k = sections.size() - 1; k >= 0; k--) {
                Section s = sections.get(k);
                if (s.group().equals(group) && s.effectiveId().filter(id::equals).isPresent()) {
                    sections.set(k, s.with(key, v, where));
                    return;
                }
            }
            diags.add(new ConfigError.SetFailed(where, "there is no " + group + " \"" + id + "\" defined"
                    + " before this -set (options are applied in command-line order)"));
        }

        private void readconfig(Origin.Argument where, String path) {
            ReadResult r = files.load(path, mode, where);
            diags.addAll(r.diagnostics());
            if (!r.config().sections().isEmpty()) {
                trailing = List.of();
            }
            r.config().sections().forEach(this::add);
            trailing = r.config().trailing();
        }
    }
}
