package dev.machina.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HOCON form, read with Typesafe Config: {@code include} and {@code ${...}} substitutions work,
 * then the resolved tree is read like YAML and JSON. Typesafe Config keeps no key order, so keys are
 * put back in the order of their lines (and columns, found in the source line). Its origins carry
 * lines only; columns are looked up in the source. A number whose text Typesafe Config would change
 * ({@code 010} read as 10, {@code 1.50} as 1.5) is an error asking for quotes, never a changed value.
 */
public final class HoconFormat {
    private HoconFormat() {}

    /** Reads a file (includes are relative to it). {@code display} is how messages name it. */
    public static ReadResult read(Path path, String display) {
        Sources sources = new Sources(path, display);
        try {
            // absolute: Typesafe Config resolves an include against the including File's parent, and a bare name
            // (a.conf, read from its own directory) has none, so include "b.conf" was looked for on the class path
            com.typesafe.config.Config unresolved = ConfigFactory.parseFile(path.toAbsolutePath().toFile(), ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.CONF).setAllowMissing(false).setIncluder(new LocalIncluder(null)));
            // resolving is eager and unbounded: refuse a document that would expand too far before it starts
            var problem = HoconExpansion.check(unresolved.root());
            if (problem.isPresent()) {
                return failed(sources.origin(problem.get().where().origin(), null), problem.get().message());
            }
            com.typesafe.config.Config c = unresolved.resolve();
            Converter conv = new Converter(sources);
            Tree root = conv.convert(c.root(), null, 0);
            ReadResult r = TreeReader.read(root);
            String text;
            try {
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                text = ""; // Typesafe Config read it; without its text the layout is canonical
            }
            List<String> lines = List.of(text.split("\n", -1));
            r = new ReadResult(ConfigComments.attach(r.config(), display, text, (o, header) -> trailer(lines, o, header)), r.diagnostics());
            if (conv.errors.isEmpty()) {
                return r;
            }
            List<ConfigError> all = new ArrayList<>(conv.errors);
            all.addAll(r.diagnostics());
            return new ReadResult(r.config(), all);
        } catch (TooManyValues e) {
            return failed(e.where, e.tooDeep ? "the document nests more than " + YamlFormat.MAX_DEPTH + " levels"
                    : "the document expands to more than " + YamlFormat.MAX_VALUES + " values (substitutions of substitutions?)");
        } catch (StackOverflowError e) {
            // Typesafe Config parses and resolves recursively: nesting thousands deep exhausts the stack
            return failed(new Origin.InFile(display, 1, 1), "the document nests too deeply to read");
        } catch (ConfigException e) {
            ConfigOrigin o = e.origin();
            String message = e.getMessage();
            // Typesafe Config prefixes its messages with "file: line: "; the position goes in front once
            if (o != null && message.contains(": ")) {
                String prefix = o.description() + ": ";
                if (message.startsWith(prefix)) {
                    message = message.substring(prefix.length());
                }
            }
            Origin where = sources.origin(o, null);
            if (message.contains("include statements nested more than")) {
                // Typesafe Config's message for a cycle has no line and a trace of every level: say what it is, at the include
                return failed(sources.includeOf(""), "HOCON: the includes form a cycle (a file includes itself, directly or through "
                        + "other files; the reader stops after 50 levels)");
            }
            if (e instanceof RefusedInclude r) {
                where = sources.includeOf(r.what);
            } else if (e instanceof ConfigException.IO && o != null && o.lineNumber() < 1) {
                // an include that cannot be read: its origin is the included file, without a line; point at the include
                message = message.replaceFirst("^java\\.io\\.\\w+: ", "");
                if (!message.contains(o.description())) {
                    message = "cannot include '" + o.description() + "': " + message;
                }
                where = sources.includeOf(o.description());
            }
            return failed(where, "HOCON: " + message);
        }
    }

    private static ReadResult failed(Origin where, String problem) {
        return new ReadResult(VmConfig.EMPTY, List.of(new ConfigError.Syntax(where, problem, "")));
    }

    /** More values than {@link YamlFormat#MAX_VALUES} once substitutions are resolved, or deeper than {@link YamlFormat#MAX_DEPTH}. */
    private static final class TooManyValues extends RuntimeException {
        final transient Origin where;
        final boolean tooDeep;

        TooManyValues(Origin where, boolean tooDeep) {
            super(null, null, false, false);
            this.where = where;
            this.tooDeep = tooDeep;
        }
    }

    /**
     * Typesafe Config's own includer, without {@code include url(...)} (or a quoted http/https URL):
     * reading a configuration must not fetch anything over the network. Files and classpath
     * resources are included as Typesafe Config does.
     */
    private static final class LocalIncluder implements com.typesafe.config.ConfigIncluder,
            com.typesafe.config.ConfigIncluderFile, com.typesafe.config.ConfigIncluderURL,
            com.typesafe.config.ConfigIncluderClasspath {
        private final com.typesafe.config.ConfigIncluder fallback;

        LocalIncluder(com.typesafe.config.ConfigIncluder fallback) {
            this.fallback = fallback;
        }

        @Override
        public com.typesafe.config.ConfigIncluder withFallback(com.typesafe.config.ConfigIncluder f) {
            return fallback == null ? new LocalIncluder(f) : this;
        }

        @Override
        public ConfigObject include(com.typesafe.config.ConfigIncludeContext context, String what) {
            if (what.matches("(?i)[a-z][a-z0-9+.-]*://.*") && !what.regionMatches(true, 0, "file:", 0, 5)) {
                throw refused(what);
            }
            if (what.toLowerCase(java.util.Locale.ROOT).endsWith(".hocon")) {
                // Typesafe Config knows only .conf/.json/.properties as extensions: for "b.hocon" it would look for
                // b.hocon.conf, .json and .properties and read nothing. Read the named file itself, as HOCON; the
                // context's options keep include's rule (a missing file is nothing, unless required()).
                com.typesafe.config.ConfigParseable p = context.relativeTo(what);
                if (p != null) {
                    return p.parse(context.parseOptions().setSyntax(ConfigSyntax.CONF));
                }
            }
            return fallback.include(context, what);
        }

        @Override
        public ConfigObject includeURL(com.typesafe.config.ConfigIncludeContext context, java.net.URL what) {
            if (!"file".equalsIgnoreCase(what.getProtocol())) {
                throw refused(what.toString());
            }
            return ((com.typesafe.config.ConfigIncluderURL) fallback).includeURL(context, what);
        }

        @Override
        public ConfigObject includeFile(com.typesafe.config.ConfigIncludeContext context, java.io.File what) {
            return ((com.typesafe.config.ConfigIncluderFile) fallback).includeFile(context, what);
        }

        @Override
        public ConfigObject includeResources(com.typesafe.config.ConfigIncludeContext context, String what) {
            return ((com.typesafe.config.ConfigIncluderClasspath) fallback).includeResources(context, what);
        }

        private static ConfigException refused(String what) {
            return new RefusedInclude(what);
        }
    }

    /** An {@code include} of a URL, refused by {@link LocalIncluder}. */
    private static final class RefusedInclude extends ConfigException.Generic {
        final String what;

        RefusedInclude(String what) {
            super("include of a URL (" + what + ") is not allowed; include a local file instead");
            this.what = what;
        }
    }

    /** Source lines of the files that values came from, for columns and number texts. */
    private static final class Sources {
        private final Path main;
        private final String display;
        private final Map<String, List<String>> lines = new HashMap<>();

        Sources(Path main, String display) {
            this.main = main;
            this.display = display;
        }

        String name(ConfigOrigin o) {
            if (o == null || o.filename() == null) {
                return display;
            }
            try {
                return Path.of(o.filename()).toAbsolutePath().normalize().equals(main.toAbsolutePath().normalize()) ? display : o.filename();
            } catch (RuntimeException e) {
                return o.filename();
            }
        }

        String line(ConfigOrigin o) {
            if (o == null || o.filename() == null || o.lineNumber() < 1) {
                return null;
            }
            List<String> ls = lines.computeIfAbsent(o.filename(), f -> {
                try {
                    return Files.readAllLines(Path.of(f), StandardCharsets.UTF_8);
                } catch (IOException | RuntimeException e) {
                    return List.of();
                }
            });
            return o.lineNumber() <= ls.size() ? ls.get(o.lineNumber() - 1) : null;
        }

        /** The line of the main file that includes {@code name}, or its first line. */
        Origin includeOf(String name) {
            List<String> ls = lines.computeIfAbsent(main.toString(), f -> {
                try {
                    return Files.readAllLines(main, StandardCharsets.UTF_8);
                } catch (IOException | RuntimeException e) {
                    return List.of();
                }
            });
            for (int i = 0; i < ls.size(); i++) {
                int at = ls.get(i).indexOf("include");
                if (at >= 0 && ls.get(i).contains(name)) {
                    return new Origin.InFile(display, i + 1, at + 1);
                }
            }
            return new Origin.InFile(display, 1, 1);
        }

        /** The position of a value (and its key, to find the column). */
        Origin origin(ConfigOrigin o, String key) {
            if (o == null) {
                return new Origin.InFile(display, 0, 0);
            }
            int line = Math.max(o.lineNumber(), 0);
            int col = 0;
            String text = line(o);
            if (text != null && key != null) {
                int at = keyColumn(text, key);
                col = at < 0 ? 0 : at + 1;
            }
            return new Origin.InFile(name(o), line, col);
        }

        static int keyColumn(String text, String key) {
            Matcher m = Pattern.compile("(^|[\\s{,])(\"?)" + Pattern.quote(key) + "\\2\\s*[=:{]").matcher(text);
            return m.find() ? m.start() + m.group(1).length() : -1;
        }
    }

    private static final class Converter {
        private final Sources sources;
        final List<ConfigError> errors = new ArrayList<>();
        private int values;

        Converter(Sources sources) {
            this.sources = sources;
        }

        Tree convert(ConfigValue v, String key, int depth) {
            Origin where = sources.origin(v.origin(), key);
            if (++values > YamlFormat.MAX_VALUES || depth > YamlFormat.MAX_DEPTH) {
                throw new TooManyValues(where, depth > YamlFormat.MAX_DEPTH);
            }
            if (v instanceof ConfigObject o) {
                record Keyed(String key, ConfigValue value, int line, int col) {}
                List<Keyed> keyed = new ArrayList<>();
                // keySet + get, not entrySet: Typesafe Config's entrySet puts each entry in a HashSet, hashing
                // the whole value below it, which for shared substitutions of substitutions is billions of
                // values before the count below can stop the walk
                for (String k : o.keySet()) {
                    ConfigValue value = o.get(k);
                    ConfigOrigin vo = value.origin();
                    String text = sources.line(vo);
                    int col = text == null ? Integer.MAX_VALUE : Sources.keyColumn(text, k);
                    keyed.add(new Keyed(k, value, vo.lineNumber() < 0 ? Integer.MAX_VALUE : vo.lineNumber(),
                            col < 0 ? Integer.MAX_VALUE : col));
                }
                keyed.sort(Comparator.comparingInt(Keyed::line).thenComparingInt(Keyed::col).thenComparing(Keyed::key));
                List<Tree.Field> fields = new ArrayList<>();
                for (Keyed k : keyed) {
                    fields.add(new Tree.Field(k.key(), sources.origin(k.value().origin(), k.key()), convert(k.value(), k.key(), depth + 1)));
                }
                return new Tree.Mapping(fields, where);
            }
            if (v instanceof ConfigList l) {
                List<Tree> items = new ArrayList<>();
                for (ConfigValue i : l) {
                    items.add(convert(i, null, depth + 1));
                }
                return new Tree.Sequence(items, where);
            }
            ConfigValueType t = v.valueType();
            if (t == ConfigValueType.NULL) {
                return new Tree.Null(where);
            }
            if (t == ConfigValueType.BOOLEAN) {
                return new Tree.Scalar(Boolean.TRUE.equals(v.unwrapped()) ? "on" : "off", where);
            }
            if (t == ConfigValueType.NUMBER) {
                String rendered = v.render(ConfigRenderOptions.concise());
                String written = numberAsWritten(v.origin(), key);
                if (written != null && !written.equals(rendered)) {
                    errors.add(new ConfigError.Syntax(where, "HOCON reads the number " + written + " as " + rendered,
                            "put it in quotes (\"" + written + "\") to keep it as written"));
                }
                return new Tree.Scalar(rendered, where);
            }
            return new Tree.Scalar(String.valueOf(v.unwrapped()), where);
        }

        private String numberAsWritten(ConfigOrigin o, String key) {
            String text = sources.line(o);
            if (text == null || key == null) {
                return null;
            }
            Matcher m = Pattern.compile("(^|[\\s{,])\"?" + Pattern.quote(key) + "\"?\\s*[=:]\\s*([-+0-9.eE]+)").matcher(text);
            return m.find() ? m.group(2) : null;
        }
    }

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private static String key(String k) {
        return PLAIN_KEY.matcher(k).matches() && !k.equals("include") ? k : quote(k);
    }

    /** A JSON string literal, which HOCON reads as the same string ({@code ${} stays literal in quotes). */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** HOCON text: {@code sections = [ { group { key = "value" } } ... ]}, one key per line. */
    public static String write(VmConfig config) {
        List<Object> items = TreeWriter.sections(config);
        // a cfg file's comments and blank lines go around the lines that hold their section or entry
        boolean layout = ConfigComments.count(config) > 0;
        StringBuilder b = new StringBuilder("sections = [\n");
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            Section s = config.sections().get(i);
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) item;
            Map.Entry<String, Object> g = m.entrySet().iterator().next();
            @SuppressWarnings("unchecked")
            Map<String, Object> keys = (Map<String, Object>) g.getValue();
            b.append("  {\n");
            if (layout) {
                List<String> before = s.layout() instanceof Layout.Kept ? ConfigComments.before(s.layout()) : i == 0 ? List.of() : List.of("");
                before.forEach(l -> b.append(ConfigComments.indent(l, "    ")).append('\n'));
            }
            b.append("    ").append(key(g.getKey()));
            String header = layout ? ConfigComments.trailer(s.layout()) : "";
            if (keys.isEmpty()) {
                b.append(" {}").append(header).append('\n');
            } else {
                b.append(" {").append(header).append('\n');
                Map<String, List<Entry>> byKey = new java.util.LinkedHashMap<>();
                for (Entry e : s.entries()) {
                    byKey.computeIfAbsent(e.key(), x -> new ArrayList<>()).add(e);
                }
                for (Map.Entry<String, Object> k : keys.entrySet()) {
                    Object v = k.getValue();
                    List<Entry> es = byKey.getOrDefault(k.getKey(), List.of());
                    if (layout && v instanceof List<?> l && l.size() == es.size()) {
                        // one value a line, so that each keeps its own comments
                        b.append("      ").append(key(k.getKey())).append(" = [\n");
                        for (int x = 0; x < l.size(); x++) {
                            ConfigComments.before(es.get(x).layout()).forEach(c -> b.append(ConfigComments.indent(c, "        ")).append('\n'));
                            b.append("        ").append(quote((String) l.get(x))).append(ConfigComments.trailer(es.get(x).layout())).append('\n');
                        }
                        b.append("      ]\n");
                        continue;
                    }
                    if (layout && !es.isEmpty()) {
                        ConfigComments.before(es.get(0).layout()).forEach(l -> b.append(ConfigComments.indent(l, "      ")).append('\n'));
                    }
                    String text = v instanceof List<?> l ? "[" + String.join(", ", l.stream().map(x -> quote((String) x)).toList()) + "]" : quote((String) v);
                    b.append("      ").append(key(k.getKey())).append(" = ").append(text);
                    if (layout && !es.isEmpty()) {
                        b.append(ConfigComments.trailer(es.get(es.size() - 1).layout()));
                    }
                    b.append('\n');
                }
                b.append("    }\n");
            }
            b.append("  }\n");
        }
        b.append("]\n");
        if (layout) {
            config.trailing().forEach(l -> b.append(l).append('\n'));
        }
        return b.toString();
    }

    private static final Pattern HEADER_TRAILER = Pattern.compile("[ \\t]*\\{}?([ \\t]*(?:#.*)?)");
    private static final Pattern ENTRY_TRAILER = Pattern.compile("[ \\t]*(?:#.*)?");

    /**
     * What follows a section's {@code group {} or an entry's {@code key = VALUE} on its line (blanks and a
     * comment), for the forms this writer writes: a quoted value or a list of them.
     */
    static java.util.Optional<String> trailer(List<String> lines, Origin.InFile o, boolean header) {
        if (o.line() < 1 || o.line() > lines.size()) {
            return java.util.Optional.empty();
        }
        String l = lines.get(o.line() - 1);
        if (!header && o.column() < 1 && l.strip().startsWith("\"")) {
            // a list's value on a line of its own
            int end = string(l, l.indexOf('"'));
            String rest = end < 0 ? "x" : l.substring(end);
            return ENTRY_TRAILER.matcher(rest).matches() ? java.util.Optional.of(rest) : java.util.Optional.empty();
        }
        int i = o.column() - 1;
        if (i < 0 || i >= l.length()) {
            return java.util.Optional.empty();
        }
        i = l.charAt(i) == '"' ? string(l, i) : plain(l, i);
        if (i < 0) {
            return java.util.Optional.empty();
        }
        if (header) {
            Matcher m = HEADER_TRAILER.matcher(l.substring(i));
            return m.matches() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
        }
        while (i < l.length() && (l.charAt(i) == ' ' || l.charAt(i) == '\t')) {
            i++;
        }
        if (i >= l.length() || l.charAt(i) != '=') {
            return java.util.Optional.empty();
        }
        i++;
        while (i < l.length() && (l.charAt(i) == ' ' || l.charAt(i) == '\t')) {
            i++;
        }
        if (i < l.length() && l.charAt(i) == '"') {
            i = string(l, i);
        } else if (i < l.length() && l.charAt(i) == '[') {
            i++;
            while (i >= 0 && i < l.length() && l.charAt(i) != ']') {
                i = l.charAt(i) == '"' ? string(l, i) : i + 1;
            }
            i = i < 0 || i >= l.length() ? -1 : i + 1;
        } else {
            return java.util.Optional.empty();
        }
        if (i < 0) {
            return java.util.Optional.empty();
        }
        String rest = l.substring(i);
        return ENTRY_TRAILER.matcher(rest).matches() ? java.util.Optional.of(rest) : java.util.Optional.empty();
    }

    /** The index after a JSON string starting at {@code i}, or -1. */
    private static int string(String l, int i) {
        for (int k = i + 1; k < l.length(); k++) {
            char c = l.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '"') {
                return k + 1;
            }
        }
        return -1;
    }

    private static int plain(String l, int i) {
        int k = i;
        while (k < l.length() && " \t={:\"".indexOf(l.charAt(k)) < 0) {
            k++;
        }
        return k == i ? -1 : k;
    }
}
