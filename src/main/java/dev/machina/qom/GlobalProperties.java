package dev.machina.qom;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The global properties of one VM, in QEMU's order: the machine type's compat properties first,
 * then the user's {@code -global}s, each list in the order given. They are applied in that order when
 * an object is created, so a user global beats a compat property and a later entry beats an earlier
 * one. Remembers which entries matched an object, to report unused user globals as QEMU does.
 */
public final class GlobalProperties {
    private final List<GlobalProperty> compat = new ArrayList<>();
    private final List<GlobalProperty> user = new ArrayList<>();
    private final BitSet used = new BitSet();

    public GlobalProperties addCompat(GlobalProperty g) {
        if (!user.isEmpty()) {
            // keep the index space stable: compat entries come first
            throw new IllegalStateException("compat properties must be registered before user globals");
        }
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
        List<GlobalProperty> all = ordered();
        for (int i = 0; i < all.size(); i++) {
            GlobalProperty g = all.get(i);
            if (!obj.type().isA(g.driver())) {
                continue;
            }
            used.set(i);
            if (g.optional() && obj.type().property(g.property()).isEmpty()) {
                continue;
            }
            try {
                obj.setFromGlobal(g);
            } catch (QomException e) {
                throw new QomException(new QomError.GlobalFailed(g, e.error()));
            }
        }
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
            if (used.get(compat.size() + i)) {
                continue;
            }
            ObjectType t = registry.find(g.driver()).orElse(null);
            if (t == null || !t.isA("device")) {
                out.add("global " + g.driver() + "." + g.property() + " has invalid class name");
            } else if (!t.hotpluggable()) {
                out.add("global " + g.driver() + "." + g.property() + "=" + g.value() + " not used");
            }
        }
        return out;
    }
}
