package dev.machina.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A cfg file's comments and blank lines ({@link Layout.Kept}) through the formats that have comments,
 * YAML and HOCON, so that cfg → yaml → cfg and cfg → hocon → cfg give the cfg file back byte for byte.
 * The writers put each section's and entry's lines before the line that holds it and its trailer at the
 * end of that line; {@link #attach} reads them back from the text, by the lines the origins name: the
 * comment and blank lines right above, and what follows the header or value on its own line. JSON has
 * no comments: converting to it says how many comment lines are left out ({@link #count}).
 *
 * <p>A document with no comment at all is read as canonical (blank lines there are not layout), as
 * before; one with comments keeps every section's and entry's lines as written.
 */
public final class ConfigComments {
    private ConfigComments() {}

    /** The lines a writer puts before a section or entry: a cfg file's own, else none. */
    static List<String> before(Layout l) {
        return l instanceof Layout.Kept k ? k.before() : List.of();
    }

    /** What a writer appends to the line of a header or entry. */
    static String trailer(Layout l) {
        return l instanceof Layout.Kept k ? k.trailer() : "";
    }

    /** How many comment lines (and trailing comments) the configuration carries from a cfg file. */
    public static int count(VmConfig config) {
        int n = (int) config.trailing().stream().filter(l -> l.startsWith("#")).count();
        for (Section s : config.sections()) {
            n += comments(s.layout());
            for (Entry e : s.entries()) {
                n += comments(e.layout());
            }
        }
        return n;
    }

    private static int comments(Layout l) {
        if (!(l instanceof Layout.Kept k)) {
            return 0;
        }
        return (int) k.before().stream().filter(x -> x.startsWith("#")).count() + (k.trailer().contains("#") ? 1 : 0);
    }

    /** A cfg comment line as a YAML/HOCON writer puts it, indented to the node it stands before. */
    static String indent(String line, String indent) {
        return line.isEmpty() ? "" : indent + line;
    }

    /**
     * The configuration read from {@code text} (the file {@code file}), with the layout its comments
     * give: for every section and entry whose origin is a line of this file, the comment and blank
     * lines right above that line and the trailer {@code trailer} finds on it ({@code (line, isHeader)}
     * → the trailer, or empty when the line holds none). Unchanged when the text has no comment.
     */
    static VmConfig attach(VmConfig config, String file, String text, BiFunction<Origin.InFile, Boolean, Optional<String>> trailer) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        boolean any = false;
        List<Section> sections = new ArrayList<>();
        int lastUsed = 0;
        for (Section s : config.sections()) {
            Layout sl = layout(s.origin(), file, lines, true, trailer);
            any |= comments(sl) > 0;
            lastUsed = Math.max(lastUsed, line(s.origin(), file));
            List<Entry> entries = new ArrayList<>();
            int previousLine = -1;
            for (Entry e : s.entries()) {
                int at = line(e.origin(), file);
                lastUsed = Math.max(lastUsed, at);
                // a second value on the same line (a HOCON list): its lines are the first's
                Layout el = at > 0 && at == previousLine ? Layout.CANONICAL : layout(e.origin(), file, lines, false, trailer);
                previousLine = at;
                any |= comments(el) > 0;
                entries.add(new Entry(e.key(), e.value(), e.origin(), el));
            }
            sections.add(new Section(s.group(), s.id(), entries, s.origin(), sl));
        }
        List<String> trailing = new ArrayList<>();
        if (lastUsed > 0) {
            int end = lines.size();
            int start = end;
            while (start > lastUsed && comment(lines.get(start - 1)) != null) {
                start--;
            }
            boolean structural = false;
            for (int i = lastUsed; i < start; i++) {
                structural |= !closing(lines.get(i));
            }
            if (!structural) {
                for (int i = start; i < end; i++) {
                    trailing.add(comment(lines.get(i)));
                }
            }
        }
        any |= trailing.stream().anyMatch(l -> l.startsWith("#"));
        if (!any) {
            return config;
        }
        // the canonical blank line a cfg writer puts between sections is layout only where written
        return new VmConfig(sections, trailing);
    }

    /** A line after the last entry that only closes brackets (YAML has none; HOCON "}", "]"). */
    private static boolean closing(String l) {
        return l.strip().matches("[}\\]]*");
    }

    private static int line(Origin o, String file) {
        return o instanceof Origin.InFile f && f.file().equals(file) ? f.line() : 0;
    }

    /** A blank line as "", a comment line without its indentation, anything else null. */
    private static String comment(String l) {
        String t = l.strip();
        if (t.isEmpty()) {
            return "";
        }
        return t.startsWith("#") ? t : null;
    }

    private static Layout layout(Origin o, String file, List<String> lines, boolean header,
                                 BiFunction<Origin.InFile, Boolean, Optional<String>> trailer) {
        int at = line(o, file);
        if (at <= 0 || at > lines.size()) {
            return Layout.CANONICAL;
        }
        List<String> before = new ArrayList<>();
        for (int i = at - 2; i >= 0; i--) {
            String c = comment(lines.get(i));
            if (c == null) {
                break;
            }
            before.add(0, c);
        }
        String t = trailer.apply((Origin.InFile) o, header).orElse("");
        return new Layout.Kept(before, t);
    }
}
