package dev.machina.hw.core;

import dev.machina.qom.PropertyType;
import dev.machina.qom.QomObject;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed handle on one property of a device's schema: how a device binding reads its configuration
 * ({@code Prop.u32("iobase")}), never by a string lookup at the point of use. Handles are values
 * (immutable; declare them as {@code static final} fields of the binding) and say what they expect
 * of the schema, so the {@link ModelCatalog} can check every binding against the type's data when it
 * is built: a handle that names a property the schema lacks, or expects another type, is an error
 * naming the type's {@code file:line:col}.
 *
 * <p>A handle is <b>required</b> ({@link #get}: the property always has a value, because the schema
 * gives it a known default) or <b>optional</b> ({@link #optional()}, {@link Optional#get}: the schema
 * gives no default, as for QEMU's unset strings and links, or says with {@code unset-value:} which
 * value means "unset", as QEMU's {@code iobase = 0xffffffff} does). Java never compares with a
 * sentinel: the optional handle returns empty for the schema's unset value.
 *
 * @param <T> the Java type the value is read as: {@link Long} for integers and sizes (unsigned values
 *            keep their bit pattern), {@link Boolean}, {@link String} for strings and enums,
 *            {@link QomObject} for links
 */
public final class Prop<T> implements PropHandle {
    private final String name;
    private final Kind kind;
    private final String linkTarget;
    private final Class<T> javaType;

    /** What a handle expects the schema's property type to be. */
    public enum Kind {
        U8("uint8"), U16("uint16"), U32("uint32"), U64("uint64"), I8("int8"), I16("int16"), I32("int32"), I64("int64"),
        SIZE("size"), BOOL("bool"), STR("a string"), ENUM("an enum"), LINK("a link");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** How messages name what the handle expects. */
        public String label() {
            return label;
        }

        /** Whether a property of schema type {@code t} can be read by a handle of this kind. */
        public boolean accepts(PropertyType t) {
            return switch (this) {
                case U8, U16, U32, U64, I8, I16, I32, I64 -> t instanceof PropertyType.IntType && t.name().equals(label);
                case SIZE -> t instanceof PropertyType.SizeType;
                case BOOL -> t instanceof PropertyType.BoolType;
                case STR -> t instanceof PropertyType.StrType;
                case ENUM -> t instanceof PropertyType.EnumType;
                case LINK -> t instanceof PropertyType.LinkType;
            };
        }
    }

    private Prop(String name, Kind kind, String linkTarget, Class<T> javaType) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = kind;
        this.linkTarget = linkTarget;
        this.javaType = javaType;
    }

    public static Prop<Long> u8(String name) { return new Prop<>(name, Kind.U8, null, Long.class); }
    public static Prop<Long> u16(String name) { return new Prop<>(name, Kind.U16, null, Long.class); }
    public static Prop<Long> u32(String name) { return new Prop<>(name, Kind.U32, null, Long.class); }
    public static Prop<Long> u64(String name) { return new Prop<>(name, Kind.U64, null, Long.class); }
    public static Prop<Long> i8(String name) { return new Prop<>(name, Kind.I8, null, Long.class); }
    public static Prop<Long> i16(String name) { return new Prop<>(name, Kind.I16, null, Long.class); }
    public static Prop<Long> i32(String name) { return new Prop<>(name, Kind.I32, null, Long.class); }
    public static Prop<Long> i64(String name) { return new Prop<>(name, Kind.I64, null, Long.class); }
    public static Prop<Long> size(String name) { return new Prop<>(name, Kind.SIZE, null, Long.class); }
    public static Prop<Boolean> bool(String name) { return new Prop<>(name, Kind.BOOL, null, Boolean.class); }
    /** A string property (QEMU's {@code str}, {@code string}, {@code chr}, {@code drive}, ...). */
    public static Prop<String> str(String name) { return new Prop<>(name, Kind.STR, null, String.class); }
    /** An enum property ({@code OnOffAuto}, {@code LostTickPolicy}, ...), read as the value's name. */
    public static Prop<String> enumeration(String name) { return new Prop<>(name, Kind.ENUM, null, String.class); }
    /** A {@code link<TARGET>} property; the catalog checks the schema's target type is {@code target}. */
    public static Prop<QomObject> link(String name, String target) {
        return new Prop<>(name, Kind.LINK, Objects.requireNonNull(target, "target"), QomObject.class);
    }

    @Override public String name() { return name; }
    @Override public Kind kind() { return kind; }
    @Override public boolean isOptional() { return false; }
    /** For a link handle, the type its target must be; else null. */
    public String linkTarget() { return linkTarget; }

    /** The same property read as optional: empty when it has no value or has the schema's unset value. */
    Optional<T> optionalOf(PropertyValues values) {
        return values.read(this, true).map(javaType::cast);
    }

    /** An optional handle on the same property (see the class comment for when a handle must be optional). */
    public OptionalProp<T> optional() {
        return new OptionalProp<>(this);
    }

    /**
     * The value; a model reads only the handles it declared (an undeclared one, or one without a value,
     * is a bug of the binding, caught by the catalog's checks and the conformance tests).
     */
    public T get(PropertyValues values) {
        return javaType.cast(values.read(this, false).orElseThrow(() -> new IllegalStateException(
                values.typeName() + "." + name + " has no value: its handle must be optional")));
    }

    @Override
    public String toString() {
        return "Prop." + kind.name().toLowerCase(java.util.Locale.ROOT) + "(\"" + name + "\")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prop<?> p && p.name.equals(name) && p.kind == kind && Objects.equals(p.linkTarget, linkTarget);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, linkTarget);
    }
}
