package dev.machina.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * QEMU's two option syntaxes, as {@code util/qemu-option.c} ({@code opts_do_parse},
 * {@code get_opt_name_value}, {@code opts_parse_id}) and {@code util/keyval.c}
 * ({@code keyval_parse_one}) of 7.2 read them, and the inverse: how to write keys and values so that
 * they read back the same. Facts: shared/qemu/config/README.md §3.2, §3.3, transcripts/06.
 */
final class OptionSyntax {
    private OptionSyntax() {}

    /** One {@code key=value} (or flag, or implied value) of an option argument. */
    record Element(String key, String value, Kind kind) {
        enum Kind { PAIR, IMPLIED, FLAG }
    }

    /** A parsed argument: its elements other than {@code id}, the id QEMU takes, and whether help was asked for. */
    record Parsed(List<Element> elements, Optional<String> id, int idCount, boolean help) {}

    static boolean isHelp(String s) {
        return s.equals("help") || s.equals("?");
    }

    // -- QemuOpts ------------------------------------------------------------------------------

    /** {@code get_opt_value}: up to a single ',', with ',,' meaning ','. Returns the value and the index after it. */
    private static int optValue(String p, int i, StringBuilder out) {
        int n = p.length();
        while (true) {
            int comma = p.indexOf(',', i);
            int offset = comma < 0 ? n : comma;
            out.append(p, i, offset);
            if (offset < n && offset + 1 < n && p.charAt(offset + 1) == ',') {
                out.append(',');
                i = offset + 2;
                continue;
            }
            return offset;
        }
    }

    private static int strcspn(String s, int from, String reject) {
        int i = from;
        while (i < s.length() && reject.indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return i - from;
    }

    /**
     * Reads a QemuOpts argument. {@code implied} is the group's implied key, or null when the first
     * element must be {@code key=value} (QEMU's {@code permit_abbrev} false). {@code helpWanted} is
     * QEMU's {@code help_wanted}: only groups with a descriptor list treat a {@code help} flag as a
     * request; elsewhere it is the short-form boolean {@code help=on}.
     */
    static Parsed qemuOpts(String params, String implied, boolean helpWanted) {
        // opts_parse_id: the first 'id' element, read without an implied key (a bare 'id' is id=on)
        Optional<String> id = Optional.empty();
        int idCount = 0;
        for (Element e : qemuOptsElements(params, null)) {
            if (e.key().equals("id")) {
                if (id.isEmpty()) {
                    id = Optional.of(e.value());
                }
                idCount++;
            }
        }
        List<Element> out = new ArrayList<>();
        boolean help = false;
        for (Element e : qemuOptsElements(params, implied)) {
            if (helpWanted && e.kind() == Element.Kind.FLAG && isHelp(e.key())) {
                help = true;
                break;
            }
            if (!e.key().equals("id") || e.kind() == Element.Kind.IMPLIED) {
                out.add(e);
            }
        }
        return new Parsed(out, id, idCount, help);
    }

    private static List<Element> qemuOptsElements(String params, String implied) {
        List<Element> out = new ArrayList<>();
        int p = 0;
        int n = params.length();
        String firstname = implied;
        while (p < n) {
            int len = strcspn(params, p, "=,");
            if (p + len >= n || params.charAt(p + len) != '=') {
                if (firstname != null) {
                    StringBuilder v = new StringBuilder();
                    p = optValue(params, p, v);
                    out.add(new Element(firstname, v.toString(), Element.Kind.IMPLIED));
                } else {
                    String option = params.substring(p, p + len);
                    p += len;
                    String value = "on";
                    if (option.startsWith("no")) {
                        option = option.substring(2);
                        value = "off";
                    }
                    out.add(new Element(option, value, Element.Kind.FLAG));
                }
            } else {
                String name = params.substring(p, p + len);
                StringBuilder v = new StringBuilder();
                p = optValue(params, p + len + 1, v);
                out.add(new Element(name, v.toString(), Element.Kind.PAIR));
            }
            firstname = null;
            if (p < n && params.charAt(p) == ',') {
                p++;
            }
        }
        return out;
    }

    /** A value as a QemuOpts argument writes it: every ',' doubled. */
    static String escapeQemuOpts(String value) {
        return value.replace(",", ",,");
    }

    // -- keyval --------------------------------------------------------------------------------

    /** A keyval syntax error with QEMU's words. */
    static final class KeyvalError extends Exception {
        KeyvalError(String message) {
            super(message, null, false, false);
        }
    }

    /** QAPI name: a letter, then letters, digits, '-' and '_' (parse_qapi_name). */
    private static int qapiName(String s, int from, int to) {
        int p = from;
        if (p >= to || !Character.isLetter(s.charAt(p)) || s.charAt(p) > 127) {
            return -1;
        }
        p++;
        while (p < to) {
            char c = s.charAt(p);
            if (!(c < 128 && Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                break;
            }
            p++;
        }
        return p - from;
    }

    private static int index(String s, int from, int to) {
        int p = from;
        while (p < to && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            p++;
        }
        return p == from ? -1 : p - from;
    }

    /**
     * Reads a keyval argument; elements come out in order, repeated leaves included (the last wins).
     * An empty argument has no elements: keyval_parse_into loops {@code while (*s)}, so QEMU 7.2 takes
     * {@code -machine ''}, {@code -smp ''}, {@code -boot ''} and {@code -compat ''} as an empty group
     * (the group's own checks, such as -display's type, still apply).
     */
    static Parsed keyval(String params, String implied) throws KeyvalError {
        List<Element> out = new ArrayList<>();
        boolean help = false;
        int s = 0;
        int n = params.length();
        String impliedKey = implied;
        while (s < n) {
            int len = strcspn(params, s, "=,");
            int keyStart = s;
            String keyText;
            int valueEnd = -1;
            if (len > 0 && (s + len >= n || params.charAt(s + len) != '=')) {
                String word = params.substring(s, s + len);
                if (isHelp(word)) {
                    help = true;
                    s += len;
                    if (s < n && params.charAt(s) == ',') {
                        s++;
                    }
                    impliedKey = null;
                    continue;
                }
                if (impliedKey != null) {
                    valueEnd = s + len;
                    out.add(new Element(impliedKey, word, Element.Kind.IMPLIED));
                    s = valueEnd;
                    if (s < n && params.charAt(s) == ',') {
                        s++;
                    }
                    impliedKey = null;
                    continue;
                }
            }
            int keyEnd = s + len;
            keyText = params.substring(keyStart, keyEnd);
            // key fragments: a QAPI name first, then names or list indexes, separated by '.'
            int f = keyStart;
            boolean first = true;
            while (true) {
                int flen = !first && index(params, f, keyEnd) >= 0 ? index(params, f, keyEnd) : qapiName(params, f, keyEnd);
                if (flen <= 0 || f + flen < keyEnd && params.charAt(f + flen) != '.') {
                    throw new KeyvalError("Invalid parameter '" + keyText + "'");
                }
                if (flen >= 128) {
                    throw new KeyvalError("Parameter '" + keyText + "' is too long");
                }
                f += flen;
                first = false;
                if (f >= keyEnd) {
                    break;
                }
                f++; // the '.'
                if (f >= keyEnd) {
                    throw new KeyvalError("Invalid parameter '" + keyText + "'");
                }
            }
            if (keyEnd >= n || params.charAt(keyEnd) != '=') {
                throw new KeyvalError("Expected '=' after parameter '" + keyText + "'");
            }
            StringBuilder v = new StringBuilder();
            s = keyEnd + 1;
            while (s < n) {
                char c = params.charAt(s);
                if (c == ',') {
                    s++;
                    if (s >= n || params.charAt(s) != ',') {
                        break;
                    }
                }
                v.append(params.charAt(s++));
            }
            out.add(new Element(keyText, v.toString(), Element.Kind.PAIR));
            impliedKey = null;
        }
        checkTree(out.stream().map(Element::key).toList());
        return new Parsed(out, Optional.empty(), 0, help);
    }

    /** A value as a keyval argument writes it after '=': every ',' doubled. */
    static String escapeKeyval(String value) {
        return value.replace(",", ",,");
    }

    /**
     * The consistency keyval (and {@code qdict_crumple} for files) requires of dotted keys: no key is
     * both a value and a parent, and list indexes run from 0 without gaps.
     */
    static void checkTree(List<String> keys) throws KeyvalError {
        Map<String, Boolean> leaf = new LinkedHashMap<>(); // path → is a leaf
        for (String k : keys) {
            String[] parts = k.split("\\.", -1);
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    path.append('.');
                }
                path.append(parts[i]);
                boolean isLeaf = i == parts.length - 1;
                Boolean had = leaf.get(path.toString());
                if (had != null && had != isLeaf) {
                    throw new KeyvalError("Parameters '" + path + ".*' used inconsistently");
                }
                leaf.put(path.toString(), isLeaf);
            }
        }
        // lists: children of one parent are either all indexes 0..n-1 or all names
        Map<String, TreeSet<Integer>> indexes = new LinkedHashMap<>();
        Map<String, Boolean> named = new LinkedHashMap<>();
        for (String path : leaf.keySet()) {
            int dot = path.lastIndexOf('.');
            String parent = dot < 0 ? "" : path.substring(0, dot);
            String last = path.substring(dot + 1);
            if (!last.isEmpty() && last.chars().allMatch(Character::isDigit)) {
                indexes.computeIfAbsent(parent, x -> new TreeSet<>()).add(Integer.parseInt(last.length() > 9 ? "999999999" : last));
            } else {
                named.put(parent, true);
            }
        }
        for (Map.Entry<String, TreeSet<Integer>> e : indexes.entrySet()) {
            if (named.containsKey(e.getKey())) {
                throw new KeyvalError("Parameters '" + (e.getKey().isEmpty() ? "" : e.getKey() + ".") + "*' used inconsistently");
            }
            int expect = 0;
            for (int i : e.getValue()) {
                if (i != expect) {
                    throw new KeyvalError("Parameter '" + (e.getKey().isEmpty() ? "" : e.getKey() + ".") + expect + "' missing");
                }
                expect++;
            }
        }
    }
}
