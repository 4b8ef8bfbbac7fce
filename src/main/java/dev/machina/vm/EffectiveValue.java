package dev.machina.vm;

import dev.machina.qom.PropertyType;
import dev.machina.qom.ValueOrigin;
import java.util.Objects;

/**
 * One property of a built object: its type, its effective value (as {@link PropertyType} represents
 * values: Boolean, Long, String, List, Map; a link's target path as a String) and where that value
 * came from.
 */
public record EffectiveValue(String property, PropertyType type, Object value, ValueOrigin origin) {
    public EffectiveValue {
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
    }

    /** QEMU's text form ({@code on}, {@code 1016}, {@code 01.0}). */
    public String text() {
        return type.format(value);
    }

    /** A JSON-ready form: Boolean, Long/BigInteger, String, List or Map. */
    public Object json() {
        return type.toJson(value);
    }
}
