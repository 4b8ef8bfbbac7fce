package dev.machina.qom;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A resolved, immutable QOM type: its declaration plus everything inherited (the parent chain, all
 * interfaces, the full property schema). Made only by {@link TypeRegistry}.
 */
public final class ObjectType {
    private final TypeInfo info;
    private final ObjectType parent;
    private final List<String> chain;
    private final Set<String> isA;
    private final Map<String, PropertySpec> properties;
    private final Map<String, String> declaredIn;
    private final ObjectFactory factory;
    private final boolean hotpluggable;

    ObjectType(TypeInfo info, ObjectType parent, List<String> chain, Set<String> isA, Map<String, PropertySpec> properties,
               Map<String, String> declaredIn, ObjectFactory factory, boolean hotpluggable) {
        this.info = info;
        this.parent = parent;
        this.chain = List.copyOf(chain);
        this.isA = Collections.unmodifiableSet(new LinkedHashSet<>(isA));
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        this.declaredIn = Collections.unmodifiableMap(new LinkedHashMap<>(declaredIn));
        this.factory = factory;
        this.hotpluggable = hotpluggable;
    }

    public String name() { return info.name(); }
    public TypeInfo info() { return info; }
    public Optional<ObjectType> parent() { return Optional.ofNullable(parent); }
    public String parentName() { return info.parent(); }
    public boolean isAbstract() { return info.abstractType(); }
    public boolean isInterface() { return info.interfaceType(); }
    public String description() { return info.description(); }
    public boolean hotpluggable() { return hotpluggable; }
    ObjectFactory factory() { return factory; }

    /** This type, its parent, … up to {@code object} (or {@code interface}). */
    public List<String> chain() { return chain; }

    /** Every name this type answers to in {@link #isA}: its chain and all interfaces, with their parents. */
    public Set<String> isANames() { return isA; }

    /** Whether an object of this type is a {@code name}: the type itself, an ancestor or an implemented interface. */
    public boolean isA(String name) { return isA.contains(name); }

    /** Interfaces implemented directly or through ancestors (including interface parents). */
    public List<String> allInterfaces(TypeRegistry registry) {
        return isA.stream().filter(n -> registry.find(n).map(ObjectType::isInterface).orElse(false)).toList();
    }

    /** The full property schema: inherited properties first (root first), then this type's own. */
    public Collection<PropertySpec> properties() { return properties.values(); }

    public Optional<PropertySpec> property(String name) { return Optional.ofNullable(properties.get(name)); }

    public Set<String> propertyNames() { return properties.keySet(); }

    /** The type that declared {@code property} (for a property redeclared to change its default, the latest). */
    public String declaredIn(String property) { return declaredIn.get(property); }

    /** Whether the property comes from an ancestor rather than this type's own declaration. */
    public boolean inherited(String property) {
        return info.properties().stream().noneMatch(p -> p.name().equals(property));
    }

    @Override
    public String toString() { return name(); }
}
