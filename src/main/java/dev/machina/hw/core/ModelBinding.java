package dev.machina.hw.core;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Binds one QOM type (a type of {@code machines/types/*.yaml}) to the model that gives it behaviour:
 * the property handles the binding reads and the factory that makes the model from the object's
 * effective values. The {@link ModelCatalog} checks {@link #reads} against the type's schema.
 *
 * <pre>{@code
 * static final Prop<Long> IOBASE = Prop.u32("iobase");
 * static final OptionalProp<String> CHARDEV = Prop.str("chardev").optional();
 * static final ModelBinding<DeviceModel> BINDING = ModelBinding.of("isa-debugcon",
 *         v -> new IsaDebugcon(IOBASE.get(v), CHARDEV.get(v)), IOBASE, CHARDEV);
 * }</pre>
 *
 * @param type    the QOM type name
 * @param reads   every handle the factory (and the model it makes) reads
 * @param factory makes the model from the object's values
 * @param <M>     what the catalog holds (the runtime's device model interface)
 */
public record ModelBinding<M>(String type, List<PropHandle> reads, Function<PropertyValues, ? extends M> factory) {
    public ModelBinding {
        Objects.requireNonNull(type, "type");
        reads = List.copyOf(reads);
        Objects.requireNonNull(factory, "factory");
    }

    public static <M> ModelBinding<M> of(String type, Function<PropertyValues, ? extends M> factory, PropHandle... reads) {
        return new ModelBinding<>(type, List.of(reads), factory);
    }

    Set<PropHandle> readSet() {
        return new LinkedHashSet<>(reads);
    }
}
