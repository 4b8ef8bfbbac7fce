package dev.machina.hw.core;

import dev.machina.qom.PropertySpec;
import dev.machina.qom.QomObject;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The effective property values of one device object as its binding reads them: only through the
 * handles the binding declared ({@link ModelBinding#reads()}), typed, with the schema's unset value
 * read as empty. What a {@link ModelBinding}'s factory gets; a model never sees the object itself.
 */
public final class PropertyValues {
    private final QomObject object;
    private final Set<PropHandle> declared;

    PropertyValues(QomObject object, Set<PropHandle> declared) {
        this.object = Objects.requireNonNull(object, "object");
        this.declared = declared;
    }

    /** The QOM type of the object, for messages. */
    public String typeName() {
        return object.typeName();
    }

    /** The object's QOM path, for messages and for naming what the device owns. */
    public String path() {
        return object.path();
    }

    Optional<Object> read(Prop<?> handle, boolean optional) {
        PropHandle asDeclared = optional ? handle.optional() : handle;
        if (!declared.contains(asDeclared)) {
            throw new IllegalStateException(object.typeName() + ": the binding reads " + asDeclared
                    + " without declaring it in its ModelBinding");
        }
        PropertySpec spec = object.type().property(handle.name()).orElseThrow(() -> new IllegalStateException(
                object.typeName() + " has no property " + handle.name() + " (the model catalog checks this)"));
        Optional<Object> v = object.value(handle.name());
        if (optional && v.isPresent() && spec.unsetValue().filter(u -> u.equals(v.get())).isPresent()) {
            return Optional.empty();
        }
        return v;
    }
}
