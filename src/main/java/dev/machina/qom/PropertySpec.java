package dev.machina.qom;

import java.util.Objects;

/**
 * One property in a type's static schema: what QEMU's {@code DEFINE_PROP_*} tables say, but
 * available without an instance.
 *
 * @param name                 the property name, e.g. {@code iobase}
 * @param type                 its type
 * @param defaultValue         its default
 * @param description          what it does, in our words (may be empty)
 * @param settableAfterRealize whether it may still change once the object is realized (QEMU's qdev
 *                             properties may not; a few QOM properties may)
 */
public record PropertySpec(String name, PropertyType type, PropertyDefault defaultValue, String description,
                           boolean settableAfterRealize) {
    public PropertySpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        description = description == null ? "" : description;
    }

    /**
     * A property whose default is given as text in QEMU's syntax (null for no default).
     *
     * @throws IllegalArgumentException when the default is not a valid value of the type: a
     *                                  declaration bug, caught by the conformance tests
     */
    public static PropertySpec of(String name, PropertyType type, String defaultText, String description) {
        return new PropertySpec(name, type, defaultOf(name, type, defaultText), description, false);
    }

    public PropertySpec mutableAfterRealize() {
        return new PropertySpec(name, type, defaultValue, description, true);
    }

    public PropertySpec withDefault(PropertyDefault d) {
        return new PropertySpec(name, type, d, description, settableAfterRealize);
    }

    static PropertyDefault defaultOf(String name, PropertyType type, String text) {
        if (text == null) {
            return PropertyDefault.NONE;
        }
        try {
            return new PropertyDefault.Known(type.parse(text));
        } catch (BadValue e) {
            throw new IllegalArgumentException("default '" + text + "' of " + name + " is not a " + type.name() + ": " + e.getMessage());
        }
    }

    /** The default as text, or "" when there is none, or "unknown". */
    public String defaultText() {
        if (defaultValue instanceof PropertyDefault.Known k) {
            return type.format(k.value());
        }
        return defaultValue instanceof PropertyDefault.Unknown ? "unknown" : "";
    }
}
