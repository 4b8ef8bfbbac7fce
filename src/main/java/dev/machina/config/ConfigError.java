package dev.machina.config;

import dev.machina.util.Suggest;
import java.util.List;

/**
 * Everything that can be wrong with a VM configuration, as values. Each says where (file:line:col,
 * or the command-line option), what was wrong and, where one exists, what would be right.
 * {@link Warning} is the only kind that does not make a configuration invalid.
 */
public sealed interface ConfigError {
    Origin origin();

    /** What was wrong and what would be right, without the place. */
    String message();

    default boolean isWarning() {
        return false;
    }

    /** {@code place: message}, as the command line prints it. */
    default String render() {
        Origin o = origin();
        return cut(o == Origin.NONE ? message() : o.describe() + ": " + (isWarning() ? "warning: " : "") + message());
    }

    /** Longest run without a blank a message shows whole; a longer one (a 100 KB value) is cut, saying how long it was. */
    int LONGEST_WORD = 200;

    /** The text with every run of more than {@link #LONGEST_WORD} non-blank characters cut to its start and its length. */
    static String cut(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\S{" + (LONGEST_WORD + 1) + ",}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String w = m.group();
            // the punctuation around the value stays: 'VALUE'; reads as it does for a short value
            String lead = w.replaceAll("^([:;.,'\"()]*).*$", "$1");
            String tail = w.replaceAll("^.*?([:;.,'\"()]*)$", "$1");
            if (w.length() - lead.length() - tail.length() > 60) {
                w = w.substring(lead.length(), w.length() - tail.length());
            } else {
                lead = "";
                tail = "";
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                    lead + w.substring(0, 60) + "...(cut: " + w.codePointCount(0, w.length()) + " characters in all)" + tail));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String didYouMean(String wrong, List<String> suggestions) {
        return suggestions.isEmpty() ? "" : Suggest.didYouMean(wrong, suggestions);
    }

    /** A line or argument that does not follow the syntax. */
    record Syntax(Origin origin, String problem, String fix) implements ConfigError {
        public String message() {
            return fix == null || fix.isEmpty() ? problem : problem + "; " + fix;
        }
    }

    /** A group (file section or option) that does not exist. */
    record UnknownGroup(Origin origin, String group, List<String> suggestions, String note) implements ConfigError {
        public String message() {
            return "unknown option group '" + group + "'" + didYouMean(group, suggestions) + (note.isEmpty() ? "" : "; " + note);
        }
    }

    /** A key a group does not take. */
    record UnknownKey(Origin origin, String group, String key, List<String> suggestions) implements ConfigError {
        public String message() {
            return "unknown key '" + key + "' in [" + group + "]" + didYouMean(key, suggestions);
        }
    }

    /** A property a device, object or machine type does not have. */
    record UnknownProperty(Origin origin, dev.machina.qom.QomError.UnknownProperty error) implements ConfigError {
        public String message() {
            return error.message();
        }
    }

    /** A device, object or machine type nobody declared. */
    record UnknownType(Origin origin, String role, String name, List<String> suggestions, String hint) implements ConfigError {
        public String message() {
            return "unknown " + role + " '" + name + "'" + didYouMean(name, suggestions) + (hint.isEmpty() ? "" : "; " + hint);
        }
    }

    /** A type that exists but cannot be used where it was named (abstract, not a device, ...). */
    record WrongType(Origin origin, String name, String problem) implements ConfigError {
        public String message() {
            return "'" + name + "' " + problem;
        }
    }

    /**
     * A value that is not valid for its key.
     *
     * @param what     the key, e.g. {@code isa-serial.iobase (uint32)} or {@code [memory] size}
     * @param reason   what is wrong with it
     * @param expected what a valid value looks like
     */
    record BadValue(Origin origin, String what, String value, String reason, String expected) implements ConfigError {
        public String message() {
            return "invalid value '" + value + "' for " + what + ": " + reason + "; expected " + expected;
        }
    }

    /** A key a section must have. */
    record MissingKey(Origin origin, String section, String key, String why) implements ConfigError {
        public String message() {
            return section + " needs '" + key + "'" + (why.isEmpty() ? "" : ": " + why);
        }
    }

    /** Two sections of a group with the same id. */
    record DuplicateId(Origin origin, String group, String id, Origin first) implements ConfigError {
        public String message() {
            return "duplicate id '" + id + "' for " + group + " (first defined at " + first.describe() + "); ids must be unique";
        }
    }

    /** The same key twice in one section or option. */
    record DuplicateKey(Origin origin, String section, String key, Origin first) implements ConfigError {
        public String message() {
            return "'" + key + "' is given twice in " + section + " (first at " + first.describe()
                    + "); QEMU would silently keep only the last value: remove one";
        }
    }

    /** An id that QEMU does not accept. */
    record BadId(Origin origin, String id, String why) implements ConfigError {
        public String message() {
            return "invalid id '" + id + "': " + why;
        }
    }

    /** An id on a group that takes none. */
    record IdNotAllowed(Origin origin, String group, String why) implements ConfigError {
        public String message() {
            return "[" + group + "] takes no id: " + why;
        }
    }

    /** A value or section that a target format cannot hold. */
    record Unrepresentable(Origin origin, String what, String why) implements ConfigError {
        public String message() {
            return "cannot write " + what + ": " + why;
        }
    }

    /** A command-line option nobody knows. */
    record UnknownOption(Origin origin, String option, List<String> suggestions) implements ConfigError {
        public String message() {
            return "unknown option '" + option + "'" + didYouMean(option, suggestions);
        }
    }

    /** An option that needs an argument and got none. */
    record MissingArgument(Origin origin, String option) implements ConfigError {
        public String message() {
            return "option " + option + " needs an argument";
        }
    }

    /** A {@code -set} that cannot be applied. */
    record SetFailed(Origin origin, String problem) implements ConfigError {
        public String message() {
            return problem;
        }
    }

    /** A file that cannot be read or written. */
    record FileProblem(Origin origin, String file, String problem) implements ConfigError {
        public String message() {
            return file + ": " + problem;
        }

        @Override
        public String render() {
            return ConfigError.cut(origin == Origin.NONE ? message() : origin.describe() + ": " + message());
        }
    }

    /**
     * QEMU 7.2's own words, for {@code --compat=qemu}: QEMU rejects the input with this message at this
     * place (its line numbers count 1023-byte chunks, and it reports a section's group and id problems
     * at the last key line read before the next header).
     */
    record Qemu(Origin origin, String qemuMessage) implements ConfigError {
        public String message() {
            return qemuMessage + " (as QEMU 7.2 reports it)";
        }
    }

    /** Something valid but worth knowing: a silent QEMU quirk in compat mode, a global nobody uses, ... */
    record Warning(Origin origin, String text) implements ConfigError {
        public String message() {
            return text;
        }

        @Override
        public boolean isWarning() {
            return true;
        }
    }
}
