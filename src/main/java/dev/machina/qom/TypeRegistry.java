package dev.machina.qom;

import dev.machina.util.Suggest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The immutable set of known QOM types: single inheritance from {@code object} (or {@code interface}
 * for interfaces), any number of interfaces, and a property schema per type that includes the
 * inherited properties. Built once from declarations by {@link Builder}; lookups never change it.
 */
public final class TypeRegistry {
    /** The checked declarations, by name (a deferred one's without its properties: see {@link Builder#addDeferred}). */
    private final Map<String, TypeInfo> declared;
    /** The whole declarations of the deferred types, made when such a type is first resolved. */
    private final Map<String, java.util.function.Supplier<TypeInfo>> deferred;
    /** Every name, sorted. */
    private final Set<String> names;
    /**
     * The types resolved so far: a type's schema (its inherited properties, chain, interfaces) is made
     * when it is first looked up, so a run that uses fifty of the catalog's types does not resolve the
     * thousand others at start-up. Resolution cannot fail once the declarations are checked.
     */
    private final Map<String, ObjectType> resolved = new HashMap<>();

    private TypeRegistry(Map<String, TypeInfo> declared, Map<String, java.util.function.Supplier<TypeInfo>> deferred) {
        this.declared = declared;
        this.deferred = deferred;
        this.names = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(declared.keySet()));
    }

    /** The resolved type of that name, or null when there is none. */
    private synchronized ObjectType get(String name) {
        ObjectType have = resolved.get(name);
        if (have != null) {
            return have;
        }
        TypeInfo info = declared.get(name);
        if (info == null) {
            return null;
        }
        java.util.function.Supplier<TypeInfo> whole = deferred.get(name);
        if (whole != null) {
            info = whole.get(); // once: the resolved type is kept below
        }
        ObjectType parent = info.parent() == null ? null : get(info.parent());
        List<String> chain = new ArrayList<>();
        chain.add(name);
        Set<String> isA = new LinkedHashSet<>();
        isA.add(name);
        Map<String, PropertySpec> props = new LinkedHashMap<>();
        Map<String, String> declaredIn = new LinkedHashMap<>();
        ObjectFactory factory = info.factory();
        Boolean hotpluggable = info.hotpluggable();
        if (parent != null) {
            chain.addAll(parent.chain());
            isA.addAll(parent.isANames());
            for (PropertySpec p : parent.properties()) {
                props.put(p.name(), p);
                declaredIn.put(p.name(), parent.declaredIn(p.name()));
            }
            if (factory == null) {
                factory = parent.factory();
            }
            if (hotpluggable == null) {
                hotpluggable = parent.hotpluggable();
            }
        }
        for (String i : info.interfaces()) {
            isA.addAll(get(i).isANames());
        }
        for (PropertySpec p : info.properties()) {
            props.put(p.name(), p);
            declaredIn.put(p.name(), name);
        }
        ObjectType t = new ObjectType(info, parent, chain, isA, props, declaredIn,
                factory == null ? QomObject::new : factory, hotpluggable == null || hotpluggable);
        resolved.put(name, t);
        return t;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The type called {@code name}, or a {@link QomError.UnknownType} naming the closest ones. */
    public ObjectType type(String name) {
        ObjectType t = get(name);
        if (t == null) {
            throw new QomException(unknown(name, names));
        }
        return t;
    }

    static QomError.UnknownType unknown(String name, Collection<String> known) {
        List<String> typos = Suggest.closest(name, known, 3);
        if (!typos.isEmpty()) {
            return new QomError.UnknownType(name, typos, true);
        }
        return new QomError.UnknownType(name, Suggest.nearest(name, known, 3), false);
    }

    public Optional<ObjectType> find(String name) {
        return Optional.ofNullable(get(name));
    }

    public boolean contains(String name) {
        return declared.containsKey(name);
    }

    /** Whether {@code type} is {@code ancestor}, inherits from it or implements it; false for unknown names. */
    public boolean isA(String type, String ancestor) {
        ObjectType t = get(type);
        return t != null && t.isA(ancestor);
    }

    /**
     * The declaration of {@code name} without resolving it (a deferred type's without its properties):
     * its parent, interfaces and flags, for listings that need no property (qom-list-types); empty for
     * unknown names.
     */
    public Optional<TypeInfo> declaration(String name) {
        return Optional.ofNullable(declared.get(name));
    }

    /** {@link #isA} from the declarations alone: no type is resolved (nor its properties read). */
    public boolean declaredIsA(String type, String ancestor) {
        for (TypeInfo t = declared.get(type); t != null; t = t.parent() == null ? null : declared.get(t.parent())) {
            if (t.name().equals(ancestor)) {
                return true;
            }
            for (String i : t.interfaces()) {
                if (declaredIsA(i, ancestor)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** All types, sorted by name. */
    public List<ObjectType> all() {
        List<ObjectType> all = new ArrayList<>(names.size());
        for (String n : names) {
            all.add(get(n));
        }
        return List.copyOf(all);
    }

    public Set<String> names() {
        return names;
    }

    /** Types that match a filter, sorted by name. */
    public List<ObjectType> list(Filter filter) {
        return all().stream().filter(filter.predicate()).toList();
    }

    /**
     * A listing filter, like QEMU's {@code qom-list-types implements=X abstract=B}.
     *
     * @param implementsType only types that are (or implement) this one; null for all
     * @param concreteOnly   leave out abstract types and interfaces
     */
    public record Filter(String implementsType, boolean concreteOnly) {
        public static final Filter ALL = new Filter(null, false);

        Predicate<ObjectType> predicate() {
            return t -> (implementsType == null || t.isA(implementsType)) && (!concreteOnly || !t.isAbstract());
        }
    }

    /** Collects declarations in any order; {@link #build()} resolves and checks them together. */
    public static final class Builder {
        private final Map<String, TypeInfo> declared = new LinkedHashMap<>();
        private final Map<String, java.util.function.Supplier<TypeInfo>> deferred = new HashMap<>();
        private final List<QomError> duplicates = new ArrayList<>();

        private Builder() {}

        /** What {@link #check()} found, kept until the next {@link #add} ({@link #build()} checks again). */
        private List<QomError> checked;

        public Builder add(TypeInfo info) {
            checked = null;
            TypeInfo previous = declared.putIfAbsent(info.name(), info);
            if (previous != null) {
                duplicates.add(new QomError.BadDeclaration(info.name(), info.origin(),
                        "declared twice" + (previous.origin().isEmpty() ? "" : " (first at " + previous.origin() + ")")));
            }
            return this;
        }

        /**
         * A declaration whose properties are made only when the type is first resolved: {@code header} is
         * it without properties (name, parent, interfaces, flags, origin), {@code whole} makes all of it
         * (the same but for the properties). {@link #check()} checks the header only, so this is for
         * declarations checked already, whole: the packaged data the build checked, of which a run
         * resolves a few dozen types out of hundreds (each x86 CPU model has some 280 properties).
         */
        public Builder addDeferred(TypeInfo header, java.util.function.Supplier<TypeInfo> whole) {
            add(header);
            deferred.putIfAbsent(header.name(), whole);
            return this;
        }

        public Builder addAll(Collection<TypeInfo> infos) {
            infos.forEach(this::add);
            return this;
        }

        /** Declarations added so far, by name (for loaders that check references before building). */
        public Set<String> declaredNames() {
            return declared.keySet();
        }

        /** Resolves every declaration; the first problem found is thrown as a {@link QomError.BadDeclaration}. */
        public TypeRegistry build() {
            List<QomError> problems = check();
            if (!problems.isEmpty()) {
                throw new QomException(problems.get(0));
            }
            return new TypeRegistry(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(declared)), Map.copyOf(deferred));
        }

        /** Every problem in the declarations: duplicates, unknown parents/interfaces, cycles, clashing properties. */
        public List<QomError> check() {
            if (checked == null) {
                checked = List.copyOf(problems());
            }
            return checked;
        }

        private List<QomError> problems() {
            List<QomError> problems = new ArrayList<>(duplicates);
            for (TypeInfo t : declared.values()) {
                if (t.parent() == null) {
                    if (!t.name().equals("object") && !t.name().equals("interface")) {
                        problems.add(new QomError.BadDeclaration(t.name(), t.origin(), "has no parent; every type but 'object' and 'interface' needs one"));
                    }
                } else if (!declared.containsKey(t.parent())) {
                    problems.add(new QomError.BadDeclaration(t.name(), t.origin(),
                            "unknown parent '" + t.parent() + "'" + Suggest.didYouMean(t.parent(), declared.keySet())));
                } else if (t.interfaceType() != declared.get(t.parent()).interfaceType()
                        && !(t.interfaceType() && t.parent().equals("interface"))) {
                    problems.add(new QomError.BadDeclaration(t.name(), t.origin(), t.interfaceType()
                            ? "an interface must derive from 'interface' or another interface, not '" + t.parent() + "'"
                            : "a class cannot derive from the interface '" + t.parent() + "'"));
                }
                for (String i : t.interfaces()) {
                    TypeInfo it = declared.get(i);
                    if (it == null) {
                        problems.add(new QomError.BadDeclaration(t.name(), t.origin(),
                                "unknown interface '" + i + "'" + Suggest.didYouMean(i, declared.keySet())));
                    } else if (!it.interfaceType()) {
                        problems.add(new QomError.BadDeclaration(t.name(), t.origin(), "'" + i + "' is not an interface"));
                    }
                }
                Set<String> seen = new HashSet<>();
                for (PropertySpec p : t.properties()) {
                    if (!seen.add(p.name())) {
                        problems.add(new QomError.BadDeclaration(t.name(), t.origin(), "property '" + p.name() + "' declared twice"));
                    }
                }
            }
            if (problems.isEmpty()) {
                problems.addAll(cycles());
            }
            if (problems.isEmpty()) {
                Map<String, Map<String, PropertySpec>> own = new HashMap<>();
                for (TypeInfo t : declared.values()) {
                    for (PropertySpec p : t.properties()) {
                        PropertySpec inherited = inheritedProperty(t.parent(), p.name(), own);
                        if (inherited != null && !inherited.type().equals(p.type())) {
                            problems.add(new QomError.BadDeclaration(t.name(), t.origin(), "property '" + p.name()
                                    + "' redeclared as " + p.type().name() + " but inherited as " + inherited.type().name()));
                        }
                    }
                }
            }
            return problems;
        }

        /**
         * The declaration of {@code property} nearest to {@code from} on its chain of parents (the first of
         * a type's list where it declares one twice), or null; {@code own} keeps each type's own
         * properties by name, so the check is linear in the declarations, not quadratic.
         */
        private PropertySpec inheritedProperty(String from, String property, Map<String, Map<String, PropertySpec>> own) {
            for (String n = from; n != null; n = declared.get(n).parent()) {
                Map<String, PropertySpec> m = own.get(n);
                if (m == null) {
                    m = new HashMap<>();
                    for (PropertySpec p : declared.get(n).properties()) {
                        m.putIfAbsent(p.name(), p);
                    }
                    own.put(n, m);
                }
                PropertySpec p = m.get(property);
                if (p != null) {
                    return p;
                }
            }
            return null;
        }

        private List<QomError> cycles() {
            List<QomError> out = new ArrayList<>();
            Set<String> clean = new HashSet<>();
            for (String start : declared.keySet()) {
                Deque<String> path = new ArrayDeque<>();
                Set<String> onPath = new LinkedHashSet<>();
                String n = start;
                while (n != null && !clean.contains(n)) {
                    if (!onPath.add(n)) {
                        List<String> loop = new ArrayList<>(onPath);
                        loop = loop.subList(loop.indexOf(n), loop.size());
                        out.add(new QomError.BadDeclaration(n, declared.get(n).origin(),
                                "inheritance cycle: " + String.join(" -> ", loop) + " -> " + n));
                        return out;
                    }
                    path.push(n);
                    n = declared.get(n).parent();
                }
                clean.addAll(onPath);
            }
            return out;
        }
    }
}
