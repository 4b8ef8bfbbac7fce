package dev.machina.qom;

import dev.machina.util.Suggest;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An instance of a QOM type: typed property values (each with its origin), its place in the
 * composition tree, and its lifecycle state.
 *
 * <p>Lifecycle: {@link ObjectTree#create} makes it (defaults, then global properties) → properties
 * are set → {@link ObjectTree#realize} → {@link ObjectTree#unrealize} → {@link ObjectTree#unparent}.
 * A property that is not {@link PropertySpec#settableAfterRealize()} cannot change while the object
 * is realized. Device models subclass this and override {@link #onRealize()} / {@link #onUnrealize()};
 * they read their configuration with the typed getters.
 */
public class QomObject {
    /** Lifecycle states. */
    public enum State { CREATED, REALIZED, FINALIZED }

    private final ObjectType type;
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, ValueOrigin> origins = new HashMap<>();
    private final Map<String, QomObject> children = new LinkedHashMap<>();
    private ObjectTree tree;
    private QomObject parent;
    private String name;
    private State state = State.CREATED;

    public QomObject(ObjectType type) {
        this.type = type;
        for (PropertySpec p : type.properties()) {
            if (p.defaultValue() instanceof PropertyDefault.Known k) {
                values.put(p.name(), k.value());
                origins.put(p.name(), new ValueOrigin.Default(type.declaredIn(p.name()), k.since()));
            }
        }
    }

    public final ObjectType type() { return type; }
    public final String typeName() { return type.name(); }
    public final State state() { return state; }
    public final boolean isRealized() { return state == State.REALIZED; }
    public final Optional<QomObject> parent() { return Optional.ofNullable(parent); }
    /** The name under which the parent holds this object, e.g. {@code device[0]}; null when unparented. */
    public final String name() { return name; }

    /** The canonical path: {@code /} for the root, {@code /machine/peripheral/s0} for a device. */
    public final String path() {
        if (parent == null) {
            return name == null ? "/" : name; // an object outside any tree is shown by its type
        }
        String p = parent.path();
        return (p.equals("/") ? "" : p) + "/" + name;
    }

    /** A short name for messages: the path when attached, else the type. */
    final String where() {
        return parent == null ? "an unattached " + type.name() : path();
    }

    // -- properties ---------------------------------------------------------------------------

    private PropertySpec spec(String property) {
        return type.property(property).orElseThrow(() -> new QomException(new QomError.UnknownProperty(
                type.name(), property, Suggest.closest(property, type.propertyNames(), 3))));
    }

    /** Whether the type's schema has this property. */
    public final boolean hasProperty(String property) {
        return type.property(property).isPresent();
    }

    /** The typed value, or empty when the property has no value (no default and never set). */
    public final Optional<Object> value(String property) {
        spec(property);
        return Optional.ofNullable(values.get(property));
    }

    public final ValueOrigin origin(String property) {
        spec(property);
        return origins.get(property);
    }

    /** The value in canonical text form, or empty. */
    public final Optional<String> text(String property) {
        PropertySpec s = spec(property);
        Object v = values.get(property);
        return v == null ? Optional.empty() : Optional.of(s.type().format(v));
    }

    public final boolean getBool(String property) { return (Boolean) required(property); }
    public final long getLong(String property) { return (Long) required(property); }
    public final String getString(String property) { return (String) value(property).orElse(null); }

    /** The object a {@code link<>} property points to, if set. */
    public final Optional<QomObject> getLink(String property) {
        return value(property).map(v -> (QomObject) v);
    }

    private Object required(String property) {
        return value(property).orElseThrow(() -> new QomException(new QomError.WrongState(where(), "read " + property + " of",
                "without a value for it")));
    }

    /**
     * Sets a property from QEMU's text form. {@code where} is recorded as the value's origin (e.g.
     * {@code -device at argument 4}). {@code link<>} values are paths, resolved in this object's tree.
     */
    public final void set(String property, String text, String where) {
        PropertySpec s = spec(property);
        checkSettable(s);
        Object v;
        try {
            v = s.type().parse(text);
        } catch (BadValue e) {
            throw QomException.badValue(type.name(), s, text, e);
        }
        store(s, v, new ValueOrigin.Explicit(where));
    }

    /** Sets a property from a value read out of JSON/YAML data (strings are parsed as text). */
    public final void setData(String property, Object data, String where) {
        PropertySpec s = spec(property);
        checkSettable(s);
        Object v;
        try {
            v = s.type().fromData(data);
        } catch (BadValue e) {
            throw QomException.badValue(type.name(), s, String.valueOf(data), e);
        }
        store(s, v, new ValueOrigin.Explicit(where));
    }

    /**
     * Sets a property to a value already typed by the property's type (a board setting read from
     * machine data), with the given origin; {@code link<>} values are paths, resolved in the tree.
     */
    public final void setTyped(String property, Object value, ValueOrigin origin) {
        PropertySpec s = spec(property);
        checkSettable(s);
        store(s, value, origin);
    }

    final void setFromGlobal(GlobalProperty g) {
        PropertySpec s = spec(g.property());
        Object v;
        try {
            v = s.type().parse(g.value());
        } catch (BadValue e) {
            throw QomException.badValue(type.name(), s, g.value(), e);
        }
        store(s, v, new ValueOrigin.Global(g));
    }

    private void checkSettable(PropertySpec s) {
        if (state == State.FINALIZED) {
            throw new QomException(new QomError.WrongState(type.name(), "set " + s.name() + " of", "unparented"));
        }
        if (state == State.REALIZED && !s.settableAfterRealize()) {
            throw new QomException(new QomError.SetAfterRealize(type.name(), path(), s.name()));
        }
    }

    private void store(PropertySpec s, Object v, ValueOrigin origin) {
        if (s.type() instanceof PropertyType.LinkType lt) {
            v = resolveLink(s, lt, (String) v);
        } else if (s.type() instanceof PropertyType.ChildType) {
            throw new IllegalStateException("child property parsed"); // ChildType.parse always fails
        }
        values.put(s.name(), v);
        origins.put(s.name(), origin);
    }

    private QomObject resolveLink(PropertySpec s, PropertyType.LinkType lt, String path) {
        if (tree == null) {
            throw new QomException(new QomError.WrongState(type.name(), "set link " + s.name() + " of", "not in an object tree"));
        }
        QomObject target = tree.resolve(path);
        if (!target.type().isA(lt.target())) {
            throw new QomException(new QomError.LinkTargetType(type.name(), s.name(), path, lt.target(), target.typeName()));
        }
        return target;
    }

    // -- composition tree ---------------------------------------------------------------------

    /** Children by name, in insertion order ({@code child<>} properties, declared or added). */
    public final Map<String, QomObject> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Link properties that point somewhere, by name (for path resolution). */
    final Map<String, QomObject> links() {
        Map<String, QomObject> out = new LinkedHashMap<>();
        for (PropertySpec p : type.properties()) {
            if (p.type() instanceof PropertyType.LinkType && values.get(p.name()) instanceof QomObject o) {
                out.put(p.name(), o);
            }
        }
        return out;
    }

    final void attach(ObjectTree t) { this.tree = t; }
    final ObjectTree tree() { return tree; }

    final void addChildInternal(String childName, QomObject child) {
        if (children.containsKey(childName)) {
            throw new QomException(new QomError.DuplicateChild(path(), childName));
        }
        children.put(childName, child);
        child.parent = this;
        child.name = childName;
    }

    final void removeChildInternal(QomObject child) {
        children.remove(child.name);
        child.parent = null;
        child.name = null;
    }

    final void setState(State s) { this.state = s; }

    final List<QomObject> childList() { return List.copyOf(children.values()); }

    // -- lifecycle hooks ----------------------------------------------------------------------

    /**
     * Called by realize once properties are final. Throw a {@link QomException} (usually a
     * {@link QomError.RealizeFailed}) to refuse; the object is then unparented and nothing of it stays
     * in the tree.
     */
    protected void onRealize() {}

    /** Undoes {@link #onRealize()}. */
    protected void onUnrealize() {}

    /** Helper for subclasses: a realize failure with this object's path and type. */
    protected final QomException realizeError(String reason) {
        return new QomException(new QomError.RealizeFailed(where(), type.name(), reason));
    }

    @Override
    public String toString() {
        return type.name() + "@" + path();
    }
}
