package dev.machina.qom;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The declaration of a QOM type, as written in Java code or read from a catalog file: the unresolved
 * counterpart of {@link ObjectType}. {@link TypeRegistry.Builder#build()} checks it against the
 * other declarations.
 *
 * @param name          the type name, e.g. {@code isa-serial}
 * @param parent        the parent type; null only for the roots {@code object} and {@code interface}
 * @param abstractType  cannot be instantiated
 * @param interfaceType is an interface (its parent is {@code interface} or another interface)
 * @param interfaces    interfaces this type implements
 * @param properties    properties declared here (not the inherited ones); a property may repeat an
 *                      inherited name with the same type to change its default or description
 * @param description   what the type is, in our words (may be empty)
 * @param factory       the Java object to create, or null to inherit the parent's
 * @param hotpluggable  QEMU's DeviceClass.hotpluggable, or null to inherit
 * @param origin        where it was declared ({@code file:line:col} for data, empty for code)
 */
public record TypeInfo(String name, String parent, boolean abstractType, boolean interfaceType, List<String> interfaces,
                       List<PropertySpec> properties, String description, ObjectFactory factory, Boolean hotpluggable,
                       String origin) {
    public TypeInfo {
        Objects.requireNonNull(name, "name");
        interfaces = List.copyOf(interfaces);
        properties = List.copyOf(properties);
        description = description == null ? "" : description;
        origin = origin == null ? "" : origin;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Fluent construction for declarations in code. */
    public static final class Builder {
        private final String name;
        private String parent;
        private boolean abstractType;
        private boolean interfaceType;
        private final List<String> interfaces = new ArrayList<>();
        private final List<PropertySpec> properties = new ArrayList<>();
        private String description = "";
        private ObjectFactory factory;
        private Boolean hotpluggable;
        private String origin = "";

        private Builder(String name) {
            this.name = name;
        }

        public Builder parent(String p) { this.parent = p; return this; }
        public Builder abstractType() { this.abstractType = true; return this; }
        /** An interface: abstract, and a parent of {@code interface} unless another is given. */
        public Builder interfaceType() {
            this.interfaceType = true;
            this.abstractType = true;
            if (parent == null) {
                parent = "interface";
            }
            return this;
        }
        public Builder implementing(String... names) { interfaces.addAll(List.of(names)); return this; }
        public Builder property(PropertySpec p) { properties.add(p); return this; }
        public Builder property(String pname, PropertyType type, String defaultText, String desc) {
            return property(PropertySpec.of(pname, type, defaultText, desc));
        }
        public Builder description(String d) { this.description = d; return this; }
        public Builder factory(ObjectFactory f) { this.factory = f; return this; }
        public Builder hotpluggable(boolean h) { this.hotpluggable = h; return this; }
        public Builder origin(String o) { this.origin = o; return this; }

        public TypeInfo build() {
            return new TypeInfo(name, parent, abstractType, interfaceType, interfaces, properties, description, factory,
                    hotpluggable, origin);
        }
    }
}
