package dev.machina.qom;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The global properties of one VM, in QEMU's order: the machine type's compat properties first,
 * then the user's {@code -global}s, each list in the order given (whatever order the two lists are
 * filled in). They are applied in that order when an object is created, so a user global beats a
 * compat property and a later entry beats an earlier one.
 *
 * <p>As in QEMU 7.2, compat properties reach every object of a matching type (QEMU applies them to
 * devices and to the objects that ask, such as memory backends: {@code object_apply_compat_props}),
 * while user globals reach devices only ({@code qdev_prop_set_globals} runs in
 * {@code device_post_init}): {@code -global memory-backend-ram.dump=off} changes nothing and is
 * reported as an invalid class name. Remembers which user entries matched an object, to report
 * unused ones as QEMU does.
 */
public final class GlobalProperties {
    /** QEMU's TYPE_DEVICE: only objects of this type take user globals. */
    static final String DEVICE = "device";

    private final List<GlobalProperty> compat = new ArrayList<>();
    private final List<GlobalProperty> user = new ArrayList<>();
    private final BitSet usedUser = new BitSet();

    public GlobalProperties addCompat(GlobalProperty g) {
        compat.add(g);
        return this;
    }

    public GlobalProperties addUser(GlobalProperty g) {
        user.add(g);
        return this;
    }

    /** All entries in application order. */
    public List<GlobalProperty> ordered() {
        List<GlobalProperty> all = new ArrayList<>(compat);
        all.addAll(user);
        return all;
    }

    /** Applies every matching entry to a newly created object, in order. */
    void apply(QomObject obj) {
        for (GlobalProperty g : compat) {
            applyOne(obj, g);
        }
        if (!obj.type().isA(DEVICE)) {
            return;
        }
        for (int i = 0; i < user.size(); i++) {
            if (applyOne(obj, user.get(i))) {
                usedUser.set(i);
            }
        }
    }

    /**
     * Whether an entry reaches objects of a type: its driver is the type, an ancestor or an interface
     * of it (QEMU's {@code object_dynamic_cast} in {@code object_apply_global_props}). The one rule
     * both creating objects and asking about a type without creating one ({@link #touching}) use.
     */
    public static boolean reaches(GlobalProperty g, ObjectType type) {
        return type.isA(g.driver());
    }

    /**
     * The entries that set {@code property} on an object of {@code type}, in the order they are
     * applied (compat entries, then user ones for a device): the last one is the value the object
     * gets. For a type that is not concrete (an interface, an abstract base) this says what every
     * object of it gets from these entries.
     */
    public List<GlobalProperty> touching(ObjectType type, String property) {
        List<GlobalProperty> out = new ArrayList<>();
        for (GlobalProperty g : compat) {
            if (g.property().equals(property) && reaches(g, type)) {
                out.add(g);
            }
        }
        if (type.isA(DEVICE)) {
            for (GlobalProperty g : user) {
                if (g.property().equals(property) && reaches(g, type)) {
                    out.add(g);
                }
            }
        }
        return out;
    }

    /** The compat entries, in application order. */
    public List<GlobalProperty> compat() {
        return java.util.Collections.unmodifiableList(compat);
    }

    /** Sets one entry on the object if it matches (QEMU's object_apply_global_props); whether it did. */
    private static boolean applyOne(QomObject obj, GlobalProperty g) {
        if (!reaches(g, obj.type())) {
            return false;
        }
        if (g.optional() && obj.type().property(g.property()).isEmpty()) {
            return false;
        }
        try {
            obj.setFromGlobal(g);
        } catch (QomException e) {
            throw new QomException(new QomError.GlobalFailed(g, e.error()));
        }
        return true;
    }

    /**
     * The warnings QEMU 7.2 prints for user globals that matched no object
     * ({@code qdev_prop_check_globals}): a driver that is not a device type has an "invalid class name";
     * an unused global for a device type that cannot be hot-plugged was "not used" (one for a
     * hot-pluggable type may still match a device added later, so it is not reported).
     */
    public List<String> unusedUserWarnings(TypeRegistry registry) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < user.size(); i++) {
            GlobalProperty g = user.get(i);
            if (usedUser.get(i)) {
                continue;
            }
            ObjectType t = registry.find(g.driver()).orElse(null);
            if (t == null || !t.isA(DEVICE)) {
                out.add("global " + g.driver() + "." + g.property() + " has invalid class name");
            } else if (!t.hotpluggable()) {
                out.add("global " + g.driver() + "." + g.property() + "=" + g.value() + " not used");
            }
        }
        return out;
    }
}
