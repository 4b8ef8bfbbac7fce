package dev.machina.vm;

import dev.machina.machine.QemuRelease;
import dev.machina.qom.QomObject;
import dev.machina.qom.ValueOrigin;
import java.util.List;
import java.util.Optional;

/**
 * Values a type's instance_init sets after the compat properties were applied to the object, so that
 * no compat entry (and no -global) reaches them: QEMU's order for these is create → compat → the
 * instance_init's own assignment, not the usual create → instance_init → compat. Only -object/-device
 * keys set later change them.
 */
final class InstanceInit {
    private InstanceInit() {}

    /** One such assignment: a value a release range's instance_init gives after applying compat props. */
    record Reset(String type, String property, String value, String since, String source) {}

    static final List<Reset> RESETS = List.of(
            // object_apply_compat_props(obj); sev_guest->legacy_vm_type = ON_OFF_AUTO_AUTO; so pc_compat_9_0's
            // {sev-guest, legacy-vm-type, on} never takes effect
            new Reset("sev-guest", "legacy-vm-type", "auto", "9.1",
                    "sev_guest_instance_init sets it after object_apply_compat_props (QEMU 10.2.0 target/i386/sev.c:2870)"));

    /** The reset of (type, property) in {@code release}, if its instance_init has one. */
    static Optional<Reset> of(String type, String property, String release) {
        return RESETS.stream().filter(r -> r.type().equals(type) && r.property().equals(property)
                && QemuRelease.compare(r.since(), release) <= 0).findFirst();
    }

    /** Applies the resets of the object's type (and its ancestors') to a just-created object. */
    static void apply(QomObject o, String release) {
        for (Reset r : RESETS) {
            if (o.type().isA(r.type()) && o.hasProperty(r.property()) && QemuRelease.compare(r.since(), release) <= 0) {
                o.set(r.property(), r.value(), "");
                o.setTyped(r.property(), o.value(r.property()).orElseThrow(), new ValueOrigin.Computed(r.source()));
            }
        }
    }
}
