package dev.machina.hw.core;

import java.util.List;

/**
 * A binding that does not fit the type data it binds, found when the {@link ModelCatalog} is built.
 * Each names the type with where it is declared ({@code machines/types/devices.yaml:120:5}), the
 * handle or property, and what would be right.
 */
public sealed interface ModelCatalogError {
    /** Where the type is declared ({@code file:line:col}, or "declared in code"). */
    String at();

    String type();

    String problem();

    default String message() {
        return at() + ": " + type() + ": " + problem();
    }

    record UnknownType(String at, String type, List<String> suggestions) implements ModelCatalogError {
        public String problem() {
            return "a model is bound to a type that machines/types/*.yaml does not declare"
                    + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(", ", suggestions) + "?");
        }
    }

    record AbstractType(String at, String type) implements ModelCatalogError {
        public String problem() { return "a model is bound to an abstract type; bind its concrete subtypes"; }
    }

    record BoundTwice(String at, String type) implements ModelCatalogError {
        public String problem() { return "two models are bound to this type"; }
    }

    record UnknownProperty(String at, String type, String handle, List<String> suggestions) implements ModelCatalogError {
        public String problem() {
            return "the model reads " + handle + ", which the type's schema does not have"
                    + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(", ", suggestions) + "?");
        }
    }

    record WrongType(String at, String type, String handle, String schemaType, String expected) implements ModelCatalogError {
        public String problem() {
            return "the model reads " + handle + " as " + expected + ", but the schema types it " + schemaType;
        }
    }

    /** A required handle on a property that can have no value, or whose schema names an unset value. */
    record MustBeOptional(String at, String type, String handle, String why) implements ModelCatalogError {
        public String problem() { return "the model reads " + handle + " as always set, but " + why + "; read it with .optional()"; }
    }

    /** An optional handle on a property that always has a value. */
    record NeedNotBeOptional(String at, String type, String handle, String defaultText) implements ModelCatalogError {
        public String problem() {
            return "the model reads " + handle + ", but the property always has a value (default " + defaultText
                    + ", no unset-value in the schema); read it without .optional()";
        }
    }

    /** A schema property nothing reads and the schema does not mark {@code no-effect: REASON}. */
    record Unread(String at, String type, String property, String declaredIn) implements ModelCatalogError {
        public String problem() {
            return "property '" + property + "'" + (declaredIn.equals(type) ? "" : " (declared by " + declaredIn + ")")
                    + " is neither read by the model nor marked 'no-effect: REASON' in the schema";
        }
    }
}
