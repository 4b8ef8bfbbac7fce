package dev.machina.machine;

import java.util.List;

/**
 * Everything that can be wrong in machine data, as values. Each error knows where it is (file, line,
 * column, object path), the rule it breaks and a message that says what would be right.
 * {@link #format()} is the line {@code machine validate} prints:
 * {@code file:line:col: path: message [rule]}.
 */
public sealed interface MachineError {
    Position where();

    /** A short stable name of the rule, for scripts and for looking it up in the README. */
    String rule();

    String message();

    default String format() {
        Position p = where();
        return p.location() + ": " + (p.path().isEmpty() ? "" : p.path() + ": ") + message() + " [" + rule() + "]";
    }

    private static String quoteList(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : i == names.size() - 1 ? " or " : ", ").append('\'').append(names.get(i)).append('\'');
        }
        return sb.toString();
    }

    private static String hint(List<String> suggestions) {
        return suggestions.isEmpty() ? "" : "; did you mean " + quoteList(suggestions) + "?";
    }

    /** The file could not be read at all. */
    record Unreadable(Position where, String reason) implements MachineError {
        public String rule() { return "readable-file"; }
        public String message() { return "cannot read the file: " + reason; }
    }

    /** A file, or a run of characters in it, larger than Machina reads; {@code what} says which limit. */
    record TooLarge(Position where, String what) implements MachineError {
        public String rule() { return "size-limit"; }
        public String message() { return what; }
    }

    /** A directory given to {@code machine validate} that holds no data file. */
    record NoDataFiles(Position where) implements MachineError {
        public String rule() { return "readable-file"; }
        public String message() { return "no *.yaml file in this directory; name data files, or a directory that holds them"; }
    }

    record YamlSyntax(Position where, String problem) implements MachineError {
        public String rule() { return "yaml-syntax"; }
        public String message() { return "not valid YAML: " + problem; }
    }

    record DuplicateKey(Position where, String key, Position first) implements MachineError {
        public String rule() { return "unique-key"; }
        public String message() { return "key '" + key + "' appears twice (first at " + first.location() + "); keep one"; }
    }

    /** A JSON Schema rule (keyword) that the document breaks. */
    record Schema(Position where, String keyword, String detail) implements MachineError {
        public String rule() { return "schema:" + keyword; }
        public String message() { return detail; }
    }

    /** The document's shape is not what its kind needs (found by the loader itself). */
    record WrongShape(Position where, String expected, String found) implements MachineError {
        public String rule() { return "shape"; }
        public String message() { return "expected " + expected + ", found " + found; }
    }

    record UnknownKind(Position where, String kind) implements MachineError {
        public String rule() { return "known-kind"; }
        public String message() {
            return (kind == null ? "no 'kind'" : "unknown kind '" + kind + "'")
                    + "; a data file is one of: machine-family, compat-sets, device-types, cpu-models";
        }
    }

    record UnknownCompatSet(Position where, String name, List<String> suggestions) implements MachineError {
        public String rule() { return "known-compat-set"; }
        public String message() { return "unknown compat set '" + name + "'" + hint(suggestions); }
    }

    record UnknownDriver(Position where, String driver, List<String> suggestions) implements MachineError {
        public String rule() { return "known-driver"; }
        public String message() {
            return "unknown driver '" + driver + "'" + hint(suggestions)
                    + (suggestions.isEmpty() ? "; declare the type in machines/types/ or fix the name" : "");
        }
    }

    record UnknownProperty(Position where, String type, String property, List<String> suggestions) implements MachineError {
        public String rule() { return "known-property"; }
        public String message() { return "unknown property '" + property + "' of " + type + hint(suggestions); }
    }

    record BadValue(Position where, String type, String property, String propertyType, String value, String reason,
                    String expected) implements MachineError {
        public String rule() { return "valid-value"; }
        public String message() {
            return "invalid value '" + value + "' for " + type + "." + property + " (" + propertyType + "): " + reason
                    + "; expected " + expected;
        }
    }

    record UnknownOption(Position where, String option, List<String> suggestions) implements MachineError {
        public String rule() { return "known-option"; }
        public String message() { return "unknown machine option '" + option + "'" + hint(suggestions); }
    }

    /** Two declarations of one name: {@code what} is "version", "compat set", "type", "device id", ... */
    record Duplicate(Position where, String what, String name, Position first) implements MachineError {
        public String rule() { return "unique-name"; }
        public String message() { return "duplicate " + what + " '" + name + "' (first at " + first.location() + ")"; }
    }

    /** A reference to a machine that does not exist: {@code role} is "inherits", "alias 'pc'", "default". */
    record UnknownMachine(Position where, String role, String name, List<String> suggestions) implements MachineError {
        public String rule() { return "known-machine"; }
        public String message() { return role + " names '" + name + "', which is not a machine" + hint(suggestions); }
    }

    record AliasClash(Position where, String alias, String clash) implements MachineError {
        public String rule() { return "unique-alias"; }
        public String message() { return "alias '" + alias + "' is already " + clash + "; pick another name"; }
    }

    record InheritanceCycle(Position where, List<String> cycle) implements MachineError {
        public String rule() { return "no-inheritance-cycle"; }
        public String message() {
            return "inheritance cycle: " + String.join(" -> ", cycle) + "; a version must end in its family's base";
        }
    }

    record TwoDefaults(Position where, String second, String first, Position firstAt) implements MachineError {
        public String rule() { return "single-default"; }
        public String message() {
            return "'" + second + "' is a second default machine ('" + first + "' already is, at " + firstAt.location()
                    + "); only one machine type may be the default";
        }
    }

    record UnknownPropertyType(Position where, String typeName, List<String> suggestions) implements MachineError {
        public String rule() { return "known-property-type"; }
        public String message() {
            return "unknown property type '" + typeName + "'" + hint(suggestions)
                    + (suggestions.isEmpty() ? "; declare it under 'enums' or 'structs'" : "");
        }
    }

    /** A type declaration that the type registry rejects (unknown parent, cycle, clashing property). */
    record BadType(Position where, String type, String problem) implements MachineError {
        public String rule() { return "valid-type"; }
        public String message() { return "type '" + type + "': " + problem; }
    }

    /** A device id in a device graph that no device has: {@code role} is "bus", "parent", "link 'pit'", ... */
    record UnknownDevice(Position where, String role, String id, List<String> suggestions) implements MachineError {
        public String rule() { return "known-device"; }
        public String message() { return role + " names device '" + id + "', which is not in the graph" + hint(suggestions); }
    }

    /** A version that changes the device graph of a family that has none (so nothing would check the changes). */
    record NoDeviceGraph(Position where, String family) implements MachineError {
        public String rule() { return "known-device"; }
        public String message() {
            return "changes the device graph, but family '" + family + "' has no default device graph (devices:); "
                    + "give the family one, or drop the changes";
        }
    }

    /**
     * A family's base layers that no machine type applies: its newest version inherits from another
     * family, so every version's chain ends in that family's base instead.
     */
    record UnusedBase(Position where, String family, String newest, String inherits) implements MachineError {
        public String rule() { return "used-base"; }
        public String message() {
            return "the base of family '" + family + "' is never applied: its newest version '" + newest + "' inherits '"
                    + inherits + "', so its machine types start from that one, not from this base; remove base, or drop the inherits";
        }
    }

    /** A directory given as a data tree that is not one. */
    record NotADataTree(Position where, String problem) implements MachineError {
        public String rule() { return "data-tree"; }
        public String message() {
            return "not a data tree: " + problem + "; a data tree is a directory with machines/, machines/types/ and "
                    + "compat/, such as a Machina checkout";
        }
    }
}
