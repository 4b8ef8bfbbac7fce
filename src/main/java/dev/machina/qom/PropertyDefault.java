package dev.machina.qom;

/**
 * A property's default: a known value, no value at all (an unset link or string, as QEMU has), or
 * unknown (a type declared from facts that do not say, e.g. a type newer than the QEMU the facts were
 * taken from).
 */
public sealed interface PropertyDefault {
    /**
     * @param since where the default comes from when it is not the oldest one the data has: the QEMU
     *              release it holds from and where that release's source gives it (null otherwise)
     */
    record Known(Object value, String since) implements PropertyDefault {
        public Known {
            java.util.Objects.requireNonNull(value, "value");
        }

        public Known(Object value) {
            this(value, null);
        }
    }

    record None() implements PropertyDefault {}

    record Unknown() implements PropertyDefault {}

    PropertyDefault NONE = new None();
    PropertyDefault UNKNOWN = new Unknown();
}
