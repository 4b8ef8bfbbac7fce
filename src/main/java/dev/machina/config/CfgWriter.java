package dev.machina.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a configuration in QEMU's {@code -readconfig} format, canonically:
 * {@code [group]} or {@code [group "id"]}, each entry as two spaces, {@code key = "value"} and LF, a
 * blank line between sections, UTF-8 without a BOM. Comments and blank lines read from a cfg file
 * ({@link Layout.Kept}) are written back where they were.
 *
 * <p>The format has no escaping, so a value with {@code "}, CR, LF or NUL, a name over 63 characters
 * or a line over 1023 bytes cannot be written: that is an error naming the option it came from, never
 * a silently broken file (QEMU's {@code -writeconfig} wrote such files).
 */
public final class CfgWriter {
    private CfgWriter() {}

    private static boolean sameFile(Section a, Section b) {
        return a.layout() instanceof Layout.Kept && a.origin() instanceof Origin.InFile fa && b.origin() instanceof Origin.InFile fb
                && fa.file().equals(fb.file());
    }

    /** The file's text, or a {@link ConfigException} listing everything that cannot be written. */
    public static String write(VmConfig config) {
        List<ConfigError> problems = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        Section previous = null;
        for (Section s : config.sections()) {
            if (s.layout() instanceof Layout.Kept k) {
                // a file's first section after sections from elsewhere (-M pc -readconfig n.cfg) is set off by
                // a blank line as any section is; within the file, its own lines say what separates them
                if (previous != null && !sameFile(previous, s) && (k.before().isEmpty() || !k.before().get(0).isBlank())) {
                    out.append('\n');
                }
                k.before().forEach(l -> out.append(l).append('\n'));
            } else if (previous != null) {
                out.append('\n');
            }
            previous = s;
            checkName(problems, s.origin(), "the group of " + s.label(), s.group());
            StringBuilder header = new StringBuilder("[").append(s.group());
            s.id().ifPresent(id -> {
                checkText(problems, s.origin(), "the id of " + s.label(), id);
                if (id.isEmpty()) {
                    problems.add(new ConfigError.Unrepresentable(s.origin(), "the id of " + s.label(),
                            "it is empty, and QEMU reads [" + s.group() + " \"\"] as a group of that name"));
                }
                if (id.length() > CfgReader.MAX_NAME) {
                    problems.add(new ConfigError.Unrepresentable(s.origin(), "the id of " + s.label(),
                            "it has " + id.length() + " characters and QEMU cuts ids at 63"));
                }
                header.append(" \"").append(id).append('"');
            });
            header.append(']');
            if (s.layout() instanceof Layout.Kept k) {
                header.append(k.trailer());
            }
            out.append(header).append('\n');
            for (Entry e : s.entries()) {
                if (e.layout() instanceof Layout.Kept k) {
                    k.before().forEach(l -> out.append(l).append('\n'));
                }
                String what = "'" + e.key() + "' of " + s.label();
                checkName(problems, e.origin(), "the key " + what, e.key());
                checkText(problems, e.origin(), what, e.value());
                String line = "  " + e.key() + " = \"" + e.value() + "\"" + (e.layout() instanceof Layout.Kept k ? k.trailer() : "");
                int bytes = line.getBytes(StandardCharsets.UTF_8).length + 1;
                if (bytes > CfgReader.MAX_LINE_BYTES) {
                    problems.add(new ConfigError.Unrepresentable(e.origin(), what,
                            "its line would be " + bytes + " bytes long and QEMU reads at most 1023 bytes per line"));
                }
                out.append(line).append('\n');
            }
        }
        config.trailing().forEach(l -> out.append(l).append('\n'));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return out.toString();
    }

    private static void checkName(List<ConfigError> problems, Origin where, String what, String name) {
        if (name.isEmpty() || name.length() > CfgReader.MAX_NAME) {
            problems.add(new ConfigError.Unrepresentable(where, what, name.isEmpty() ? "it is empty"
                    : "it has " + name.length() + " characters and QEMU cuts names at 63"));
            return;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c < 128 && Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
                problems.add(new ConfigError.Unrepresentable(where, what,
                        "'" + name + "' has '" + c + "'; names in a config file have only letters, digits, '-', '_' and '.'"));
                return;
            }
        }
    }

    private static void checkText(List<ConfigError> problems, Origin where, String what, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String bad = switch (c) {
                case '"' -> "'\"'";
                case '\n' -> "a line feed";
                case '\r' -> "a carriage return";
                case '\0' -> "a NUL character";
                default -> null;
            };
            if (bad != null) {
                problems.add(new ConfigError.Unrepresentable(where, what,
                        "the value contains " + bad + ", which QEMU's config format cannot hold (it has no escaping)"));
                return;
            }
        }
    }
}
