package dev.machina.hw.core;

import java.util.Objects;
import java.util.Optional;

/**
 * An optional handle on a property (see {@link Prop}): {@link #get} is empty when the property has
 * no value or holds the value the schema's {@code unset-value:} names. Made by {@link Prop#optional()}.
 *
 * @param <T> the Java type the value is read as
 */
public final class OptionalProp<T> implements PropHandle {
    private final Prop<T> prop;

    OptionalProp(Prop<T> prop) {
        this.prop = prop;
    }

    @Override public String name() { return prop.name(); }
    @Override public Prop.Kind kind() { return prop.kind(); }
    @Override public boolean isOptional() { return true; }

    /** The required handle this one reads optionally. */
    public Prop<T> required() { return prop; }

    public Optional<T> get(PropertyValues values) {
        return prop.optionalOf(values);
    }

    @Override
    public String toString() {
        return prop + ".optional()";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptionalProp<?> p && p.prop.equals(prop);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prop, true);
    }
}
