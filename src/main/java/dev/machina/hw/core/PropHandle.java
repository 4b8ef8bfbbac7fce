package dev.machina.hw.core;

/** What the {@link ModelCatalog} checks of a handle: the property it names, the type it expects, whether it is optional. */
public sealed interface PropHandle permits Prop, OptionalProp {
    String name();

    Prop.Kind kind();

    boolean isOptional();

    /** The link target a link handle expects, else null. */
    default String linkTarget() {
        return this instanceof Prop<?> p ? p.linkTarget() : ((OptionalProp<?>) this).required().linkTarget();
    }
}
