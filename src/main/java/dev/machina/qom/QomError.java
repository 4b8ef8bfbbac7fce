package dev.machina.qom;

import java.util.List;

/**
 * Everything that can go wrong in the object model, as values. Each message says what was wrong,
 * where (type, property, path) and, where one exists, what would be right.
 */
public sealed interface QomError {
    String message();

    private static String quoteList(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : i == names.size() - 1 ? " or " : ", ").append('\'').append(names.get(i)).append('\'');
        }
        return sb.toString();
    }

    /** A type name nobody registered. {@code typo} says whether the suggestions are likely typos. */
    record UnknownType(String name, List<String> suggestions, boolean typo) implements QomError {
        public String message() {
            if (suggestions.isEmpty()) {
                return "unknown type '" + name + "'";
            }
            return typo
                    ? "unknown type '" + name + "'; did you mean " + quoteList(suggestions) + "?"
                    : "unknown type '" + name + "'; closest names: " + String.join(", ", suggestions);
        }
    }

    record AbstractType(String name, String why) implements QomError {
        public String message() { return "type '" + name + "' is " + why + " and cannot be instantiated; 'machina device list' shows concrete types"; }
    }

    record UnknownProperty(String type, String property, List<String> suggestions) implements QomError {
        public String message() {
            return "unknown property '" + property + "' of " + type
                    + (suggestions.isEmpty() ? "" : "; did you mean " + quoteList(suggestions) + "?");
        }
    }

    record BadPropertyValue(String type, String property, String propertyType, String value, String reason, String expected) implements QomError {
        public String message() {
            return "invalid value '" + value + "' for " + type + "." + property + " (" + propertyType + "): "
                    + reason + "; expected " + expected;
        }
    }

    record SetAfterRealize(String type, String path, String property) implements QomError {
        public String message() {
            return "cannot set property '" + property + "' of " + type + " at " + path
                    + " after it was realized; set it before realize";
        }
    }

    record WrongState(String path, String operation, String state) implements QomError {
        public String message() { return "cannot " + operation + " " + path + ": the object is " + state; }
    }

    record PathNotFound(String path, String wantedType) implements QomError {
        public String message() {
            return "no object at path '" + path + "'" + (wantedType == null ? "" : " of type " + wantedType);
        }
    }

    record AmbiguousPath(String path, List<String> matches) implements QomError {
        public String message() {
            return "path '" + path + "' is ambiguous: it matches " + String.join(" and ", matches) + "; give a longer or absolute path";
        }
    }

    record LinkTargetType(String type, String property, String path, String expected, String actual) implements QomError {
        public String message() {
            return "link " + type + "." + property + " needs a " + expected + ", but '" + path + "' is a " + actual;
        }
    }

    record DuplicateChild(String parentPath, String name) implements QomError {
        public String message() {
            return "'" + parentPath + (parentPath.endsWith("/") ? "" : "/") + name + "' already exists";
        }
    }

    record BadId(String id) implements QomError {
        public String message() {
            return "invalid id '" + id + "': an id starts with a letter and has only letters, digits, '-', '.' and '_'";
        }
    }

    /** A global property that could not be applied to an object it matched. */
    record GlobalFailed(GlobalProperty global, QomError cause) implements QomError {
        public String message() {
            return "can't apply global " + global.driver() + "." + global.property() + "=" + global.value()
                    + (global.source().isEmpty() ? "" : " (" + global.source() + ")") + ": " + cause.message();
        }
    }

    record RealizeFailed(String path, String type, String reason) implements QomError {
        public String message() { return "cannot realize " + type + " at " + path + ": " + reason; }
    }

    /** A problem in a type declaration (a programming or data error, reported with where it was declared). */
    record BadDeclaration(String type, String origin, String problem) implements QomError {
        public String message() { return (origin.isEmpty() ? "" : origin + ": ") + "type '" + type + "': " + problem; }
    }
}
