package dev.machina.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How large a HOCON document becomes once its substitutions are resolved, estimated from the
 * unresolved tree before Typesafe Config resolves it. Resolution itself is eager and unbounded
 * ({@code b = ${a}${a}...} nine levels deep is a string of 10^9 characters; lists of lists of
 * substitutions are 10^9 values), so the guard must come first and cost only the size of the text.
 *
 * <p>The estimate is an upper bound: a path weighs its literal text plus the weight of every path
 * it substitutes, each path computed once. A substitution of the path being computed (the previous
 * value, as in {@code a = ${a} [x]} or {@code a += x}) brings back what the definitions before it
 * made, so {@code a = ${a}${a}} written forty times is refused while {@code a += x} written a
 * thousand times is not.
 */
final class HoconExpansion {
    /** More characters than this in resolved scalar text is refused (16 MiB). */
    static final long MAX_CHARS = 16L << 20;

    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{\\??([^}]*)}");
    private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

    private final ConfigObject root;
    private final Map<String, Weight> memo = new HashMap<>();
    private final Deque<String> computing = new ArrayDeque<>();

    /** Values and characters of text a path (or a value) expands to. Saturates instead of overflowing. */
    record Weight(long values, long chars) {
        static final Weight NONE = new Weight(0, 0);

        Weight plus(Weight o) {
            return new Weight(sat(values + o.values), sat(chars + o.chars));
        }

        Weight times(long f) {
            return new Weight(mul(values, f), mul(chars, f));
        }

        boolean tooLarge() {
            return values > YamlFormat.MAX_VALUES || chars > MAX_CHARS;
        }

        private static long sat(long v) {
            return v < 0 ? Long.MAX_VALUE : v;
        }

        private static long mul(long a, long f) {
            return a != 0 && f > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * f;
        }
    }

    private HoconExpansion(ConfigObject root) {
        this.root = root;
    }

    /** Why a document is refused and the value to point at. */
    record Problem(ConfigValue where, String message) {}

    /**
     * More definitions of one path than this that refer to its previous value ({@code a += x},
     * {@code a = ${a} [x]}) are refused: Typesafe Config resolves them in time that grows with the
     * square of their number (a thousand appends take minutes), where one array says the same.
     */
    static final int MAX_SELF_REFERENCES = 50;

    /** Why an unresolved document would be too costly to resolve, if it would. */
    static Optional<Problem> check(ConfigObject unresolvedRoot) {
        HoconExpansion e = new HoconExpansion(unresolvedRoot);
        Weight total;
        try {
            total = e.value(unresolvedRoot, "", 0);
        } catch (TooManySelfReferences t) {
            ConfigValue where = e.lookup(t.path);
            return Optional.of(new Problem(where == null ? unresolvedRoot : where, "'" + t.path + "' refers to its previous value "
                    + t.count + " times (more than " + MAX_SELF_REFERENCES + "); write its items in one array or object instead"));
        }
        if (!total.tooLarge()) {
            return Optional.empty();
        }
        // the least of the values that are too large is where the expansion crosses the limit
        ConfigValue where = e.memo.entrySet().stream().filter(m -> m.getValue().tooLarge())
                .min(java.util.Comparator.comparingLong((Map.Entry<String, Weight> m) -> m.getValue().values())
                        .thenComparingLong(m -> m.getValue().chars()))
                .map(m -> e.lookup(m.getKey())).orElse(unresolvedRoot);
        return Optional.of(new Problem(where, total.values() > YamlFormat.MAX_VALUES
                ? "the document expands to more than " + YamlFormat.MAX_VALUES + " values (substitutions of substitutions?)"
                : "the document expands to more than " + (MAX_CHARS >> 20) + " MiB of text (substitutions of substitutions?)"));
    }

    private static final class TooManySelfReferences extends RuntimeException {
        final String path;
        final long count;

        TooManySelfReferences(String path, long count) {
            super(null, null, false, false);
            this.path = path;
            this.count = count;
        }
    }

    private Weight value(ConfigValue v, String path, int depth) {
        if (depth > YamlFormat.MAX_DEPTH) {
            return new Weight(1, 0);
        }
        Weight w = new Weight(1, 0);
        if (v instanceof ConfigObject o) {
            for (String k : o.keySet()) {
                String child = path.isEmpty() ? ConfigUtil.joinPath(k) : path + "." + ConfigUtil.joinPath(k);
                w = w.plus(path(child, o.get(k), depth + 1));
                if (w.tooLarge()) {
                    return w;
                }
            }
            return w;
        }
        if (v instanceof ConfigList l) {
            for (ConfigValue i : l) {
                w = w.plus(value(i, path, depth + 1));
                if (w.tooLarge()) {
                    return w;
                }
            }
            return w;
        }
        // a scalar, or an unresolved reference, concatenation or merge: its text and what it substitutes
        String text;
        try {
            text = v.render(CONCISE);
        } catch (ConfigException | UnsupportedOperationException e) {
            return w;
        }
        // a merge of repeated definitions renders as its layers joined by commas, oldest first; a
        // reference to the previous value in a layer brings back everything the layers before made
        Weight previous = Weight.NONE;
        long referring = 0;
        for (String layer : layers(text)) {
            Matcher m = SUBSTITUTION.matcher(layer);
            long selfRefs = 0;
            int literal = layer.length();
            Weight own = Weight.NONE;
            while (m.find()) {
                literal -= m.end() - m.start();
                String target = normal(m.group(1).trim());
                if (target == null) {
                    continue;
                }
                if (onStack(target)) {
                    selfRefs++;
                    continue;
                }
                Weight t = target(target, depth);
                // a substituted object or list adds its values; a scalar (or a concatenation) only its text
                ConfigValue tv = lookup(target);
                own = own.plus(tv instanceof ConfigObject || tv instanceof ConfigList ? t : new Weight(0, t.chars()));
                if (own.tooLarge()) {
                    return w.plus(own);
                }
            }
            own = own.plus(new Weight(0, Math.max(literal, 0)));
            if (selfRefs > 0 && ++referring > MAX_SELF_REFERENCES) {
                throw new TooManySelfReferences(path, layers(text).stream().filter(l -> l.contains("${")).count());
            }
            // a layer without a self-reference replaces or merges with the one before: count both
            previous = own.plus(previous.times(Math.max(selfRefs, 1)));
            if (previous.tooLarge()) {
                break;
            }
        }
        return w.plus(previous);
    }

    /** Text split at the commas outside brackets, braces, quotes and substitutions. */
    static List<String> layers(String text) {
        List<String> out = new java.util.ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(from, i));
                from = i + 1;
            }
        }
        out.add(text.substring(from));
        return out;
    }

    private Weight path(String path, ConfigValue v, int depth) {
        Weight known = memo.get(path);
        if (known != null) {
            return known;
        }
        computing.push(path);
        Weight w = value(v, path, depth);
        computing.pop();
        memo.put(path, w);
        return w;
    }

    /** The weight of a substituted path: its value in the tree, else an environment variable, else nothing. */
    private Weight target(String target, int depth) {
        ConfigValue v = lookup(target);
        if (v != null) {
            return path(target, v, depth + 1);
        }
        String env = System.getenv(target);
        return env == null ? Weight.NONE : new Weight(1, env.length());
    }

    private ConfigValue lookup(String target) {
        List<String> parts;
        try {
            parts = ConfigUtil.splitPath(target);
        } catch (ConfigException e) {
            return null;
        }
        ConfigValue at = root;
        for (String p : parts) {
            if (!(at instanceof ConfigObject o)) {
                return null;
            }
            at = o.get(p);
            if (at == null) {
                return null;
            }
        }
        return at;
    }

    private boolean onStack(String target) {
        for (String p : computing) {
            // the path itself or one that contains it: a reference to the previous value, not a sibling
            if (p.equals(target) || p.startsWith(target + ".")) {
                return true;
            }
        }
        return false;
    }

    /** A substitution's path in the form this class keys paths by (each element as {@link ConfigUtil#joinPath}). */
    private static String normal(String expr) {
        try {
            List<String> parts = ConfigUtil.splitPath(expr);
            StringBuilder b = new StringBuilder();
            for (String p : parts) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(ConfigUtil.joinPath(p));
            }
            return b.toString();
        } catch (ConfigException e) {
            return null;
        }
    }
}
