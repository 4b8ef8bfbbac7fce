package dev.machina.qom;

/** Where an object's property value came from: provenance for {@code --provenance} and diagnostics. */
public sealed interface ValueOrigin {
    /** The type's default. */
    record Default(String type) implements ValueOrigin {
        public String toString() { return "default of " + type; }
    }

    /** A global property (compat or user). */
    record Global(GlobalProperty global) implements ValueOrigin {
        public String toString() {
            return (global.user() ? "global " : "compat ") + global.driver() + "." + global.property()
                    + (global.source().isEmpty() ? "" : " (" + global.source() + ")");
        }
    }

    /** Set explicitly, e.g. by a {@code -device} option; {@code where} says where it was written. */
    record Explicit(String where) implements ValueOrigin {
        public String toString() { return where.isEmpty() ? "set" : where; }
    }
}
