package dev.machina.qom;

import java.util.Objects;

/**
 * A {@code (driver, property, value)} triple applied to every object that is a {@code driver} when it
 * is created: a compat property of a machine type, or a user's {@code -global}.
 *
 * @param driver   a type or interface name; subtypes and implementers match too
 * @param property the property to set
 * @param value    the value in QEMU's text form
 * @param source   where it came from, for messages and provenance (e.g. {@code compat hw-7.1 (hw/core/machine.c:45)})
 * @param user     given by the user (-global, [global]) rather than by a machine type
 * @param optional QEMU's {@code optional}: an object of a matching type that lacks the property is skipped
 */
public record GlobalProperty(String driver, String property, String value, String source, boolean user, boolean optional) {
    public GlobalProperty {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(value, "value");
        source = source == null ? "" : source;
    }

    public static GlobalProperty compat(String driver, String property, String value, String source) {
        return new GlobalProperty(driver, property, value, source, false, false);
    }

    public static GlobalProperty user(String driver, String property, String value, String source) {
        return new GlobalProperty(driver, property, value, source, true, false);
    }
}
