package dev.machina.qom;

import java.util.Objects;
import java.util.Optional;

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
 * @param unsetValue           the value that means "not set" (QEMU's {@code iobase = 0xffffffff}), typed;
 *                             device models read it as an empty optional
 * @param noEffect             why no device model reads the property, when none does
 */
public record PropertySpec(String name, PropertyType type, PropertyDefault defaultValue, String description,
                           boolean settableAfterRealize, Optional<Object> unsetValue, Optional<String> noEffect) {
    public PropertySpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        description = description == null ? "" : description;
        unsetValue = unsetValue == null ? Optional.empty() : unsetValue;
        noEffect = noEffect == null ? Optional.empty() : noEffect;
    }

    public PropertySpec(String name, PropertyType type, PropertyDefault defaultValue, String description,
                        boolean settableAfterRealize) {
        this(name, type, defaultValue, description, settableAfterRealize, Optional.empty(), Optional.empty());
    }

    /** The same property with the value that means "not set" and why no model reads it (either may be empty). */
    public PropertySpec withModelFacts(Optional<Object> unset, Optional<String> noEffectReason) {
        return new PropertySpec(name, type, defaultValue, description, settableAfterRealize, unset, noEffectReason);
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
        return new PropertySpec(name, type, defaultValue, description, true, unsetValue, noEffect);
    }

    public PropertySpec withDefault(PropertyDefault d) {
        return new PropertySpec(name, type, d, description, settableAfterRealize, unsetValue, noEffect);
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
