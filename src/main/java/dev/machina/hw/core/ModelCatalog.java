package dev.machina.hw.core;

import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertyDefault;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.QomObject;
import dev.machina.qom.TypeRegistry;
import dev.machina.util.Suggest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds QOM type names to the models that give them behaviour ({@link ModelBinding}), checked against
 * the type data when it is built, so that a property the data declares is never silently ignored:
 * building fails, naming the type's {@code file:line:col}, when
 * <ul>
 *   <li>a binding names a type the data lacks, or an abstract one, or a type is bound twice;</li>
 *   <li>a handle names a property the type's schema lacks, or reads it as another type;</li>
 *   <li>a required handle reads a property that can have no value (no default, or a default the data
 *       does not know) or whose schema names an {@code unset-value:}, or an optional handle reads one
 *       that always has a value;</li>
 *   <li>a property of the type's schema (its own or inherited) is read neither by the binding nor by
 *       shared code of a base type ({@link Builder#shared}: what a bus does with {@code addr} or
 *       {@code romfile} for every PCI device), and is not marked {@code no-effect: REASON}.</li>
 * </ul>
 * Wiring properties ({@code link<irq>}, QEMU's GPIO lines, and {@code link<memory-region>}) and
 * {@code child<>} properties are the board's business, not a model's, and are not checked.
 *
 * @param <M> what the bindings make (the runtime's device model interface)
 */
public final class ModelCatalog<M> {
    private final TypeRegistry registry;
    private final Map<String, ModelBinding<M>> bindings;

    private ModelCatalog(TypeRegistry registry, Map<String, ModelBinding<M>> bindings) {
        this.registry = registry;
        this.bindings = bindings;
    }

    public static <M> Builder<M> builder(TypeRegistry registry) {
        return new Builder<>(registry);
    }

    /** The bound type names, in the order bound. */
    public Set<String> types() {
        return bindings.keySet();
    }

    public Collection<ModelBinding<M>> bindings() {
        return bindings.values();
    }

    /** The binding of exactly this type, if one is bound. */
    public Optional<ModelBinding<M>> binding(String type) {
        return Optional.ofNullable(bindings.get(type));
    }

    /**
     * Makes the model of a built object from its effective values.
     *
     * @throws IllegalArgumentException when no model is bound to the object's type (check first with {@link #binding})
     */
    public M create(QomObject object) {
        ModelBinding<M> b = bindings.get(object.typeName());
        if (b == null) {
            throw new IllegalArgumentException("no model is bound to " + object.typeName());
        }
        return b.factory().apply(new PropertyValues(object, b.readSet()));
    }

    public TypeRegistry registry() {
        return registry;
    }

    /** Collects bindings; {@link #build} checks them all together. */
    public static final class Builder<M> {
        private final TypeRegistry registry;
        private final List<ModelBinding<M>> bindings = new ArrayList<>();
        private final Map<String, List<PropHandle>> shared = new LinkedHashMap<>();

        private Builder(TypeRegistry registry) {
            this.registry = registry;
        }

        public Builder<M> bind(ModelBinding<? extends M> binding) {
            @SuppressWarnings("unchecked")
            ModelBinding<M> b = (ModelBinding<M>) binding;
            bindings.add(b);
            return this;
        }

        /**
         * Properties of {@code baseType} (and so of every type derived from it) that shared code reads
         * for every bound subtype: the PCI slot reads {@code addr}, {@code multifunction} and the ROM
         * properties, whatever the function. They count as read for each bound type that is a
         * {@code baseType}.
         */
        public Builder<M> shared(String baseType, PropHandle... reads) {
            shared.computeIfAbsent(baseType, k -> new ArrayList<>()).addAll(List.of(reads));
            return this;
        }

        /** @throws ModelCatalogException listing every problem, in the order bound */
        public ModelCatalog<M> build() {
            List<ModelCatalogError> errors = new ArrayList<>();
            Map<String, ModelBinding<M>> out = new LinkedHashMap<>();
            for (var e : shared.entrySet()) {
                Optional<ObjectType> base = registry.find(e.getKey());
                if (base.isEmpty()) {
                    errors.add(new ModelCatalogError.UnknownType("(shared reads)", e.getKey(),
                            Suggest.closest(e.getKey(), registry.names(), 3)));
                    continue;
                }
                for (PropHandle h : e.getValue()) {
                    checkHandle(base.get(), h, errors);
                }
            }
            for (ModelBinding<M> b : bindings) {
                Optional<ObjectType> t = registry.find(b.type());
                if (t.isEmpty()) {
                    errors.add(new ModelCatalogError.UnknownType("(model bindings)", b.type(), Suggest.closest(b.type(), registry.names(), 3)));
                    continue;
                }
                String at = at(t.get());
                if (t.get().isAbstract()) {
                    errors.add(new ModelCatalogError.AbstractType(at, b.type()));
                    continue;
                }
                if (out.putIfAbsent(b.type(), b) != null) {
                    errors.add(new ModelCatalogError.BoundTwice(at, b.type()));
                    continue;
                }
                Set<String> read = new HashSet<>();
                for (PropHandle h : b.reads()) {
                    checkHandle(t.get(), h, errors);
                    read.add(h.name());
                }
                for (var e : shared.entrySet()) {
                    if (t.get().isA(e.getKey())) {
                        e.getValue().forEach(h -> read.add(h.name()));
                    }
                }
                for (PropertySpec p : t.get().properties()) {
                    if (!read.contains(p.name()) && p.noEffect().isEmpty() && !wiring(p.type())) {
                        errors.add(new ModelCatalogError.Unread(at, b.type(), p.name(), t.get().declaredIn(p.name())));
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw new ModelCatalogException(errors);
            }
            return new ModelCatalog<>(registry, Collections.unmodifiableMap(out));
        }

        private static boolean wiring(PropertyType t) {
            return t instanceof PropertyType.ChildType
                    || t instanceof PropertyType.LinkType l && (l.target().equals("irq") || l.target().equals("memory-region"));
        }

        private static String at(ObjectType t) {
            return t.info().origin().isEmpty() ? "(declared in code)" : t.info().origin();
        }

        private void checkHandle(ObjectType t, PropHandle h, List<ModelCatalogError> errors) {
            String at = at(t);
            PropertySpec p = t.property(h.name()).orElse(null);
            if (p == null) {
                errors.add(new ModelCatalogError.UnknownProperty(at, t.name(), h.toString(), Suggest.closest(h.name(), t.propertyNames(), 3)));
                return;
            }
            boolean targetOk = h.kind() != Prop.Kind.LINK || p.type() instanceof PropertyType.LinkType l
                    && registry.find(l.target()).map(x -> x.isA(h.linkTarget())).orElse(l.target().equals(h.linkTarget()));
            if (!h.kind().accepts(p.type()) || !targetOk) {
                errors.add(new ModelCatalogError.WrongType(at, t.name(), h.toString(), p.type().name(),
                        h.kind() == Prop.Kind.LINK ? "link<" + h.linkTarget() + ">" : h.kind().label()));
                return;
            }
            boolean canBeEmpty = !(p.defaultValue() instanceof PropertyDefault.Known);
            if (!h.isOptional() && p.unsetValue().isPresent()) {
                errors.add(new ModelCatalogError.MustBeOptional(at, t.name(), h.toString(), "the schema says "
                        + p.type().format(p.unsetValue().get()) + " means unset"));
            } else if (!h.isOptional() && canBeEmpty) {
                errors.add(new ModelCatalogError.MustBeOptional(at, t.name(), h.toString(),
                        p.defaultValue() instanceof PropertyDefault.Unknown ? "its default is not known" : "it has no default"));
            } else if (h.isOptional() && !canBeEmpty && p.unsetValue().isEmpty()) {
                errors.add(new ModelCatalogError.NeedNotBeOptional(at, t.name(), h.toString(), p.defaultText()));
            }
        }
    }
}
