package dev.machina.qom;

/**
 * A property's default: a known value, no value at all (an unset link or string, as QEMU has), or
 * unknown (a type declared from facts that do not say, e.g. a type newer than the QEMU the facts were
 * taken from).
 */
public sealed interface PropertyDefault {
    record Known(Object value) implements PropertyDefault {
        public Known {
            java.util.Objects.requireNonNull(value, "value");
        }
    }

    record None() implements PropertyDefault {}

    record Unknown() implements PropertyDefault {}

    PropertyDefault NONE = new None();
    PropertyDefault UNKNOWN = new Unknown();
}
