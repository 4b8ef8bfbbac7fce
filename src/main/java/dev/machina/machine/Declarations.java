package dev.machina.machine;

import java.util.List;
import java.util.Map;

/**
 * What the data files declare, as read, with positions: the unresolved counterparts of
 * {@link MachineCatalog} and {@link ResolvedMachine}. Made by {@link DataReader}; values of
 * properties stay plain YAML data until {@link MachineCatalog} type-checks them against the registry.
 */
public final class Declarations {
    private Declarations() {}

    /** A name written in a file, with where. */
    public record Ref(String name, Position at) {}

    /** A plain YAML value (String, Long, BigInteger, Double, Boolean, List, Map or null) with where. */
    public record Value(Object data, Position at) {}

    /**
     * Where QEMU defines something: release of the source tree read, file, line, array or function.
     * {@code line} is 0 when the line was not read (the source then names the function).
     */
    public record QemuSource(String release, String file, int line, String array, String function) {
        /** {@code hw/core/machine.c:118 (QEMU 10.2.0)}; without a line, {@code hw/core/machine.c (QEMU 10.2.0, f)}. */
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + " (QEMU " + release + (function != null ? ", " + function
                    : array != null ? ", " + array : "") + ")";
        }
    }

    public record CompatEntry(String driver, String property, String value, boolean optional, String fromMacro,
                              Position at) {}

    public record CompatSet(String name, String kind, String restores, QemuSource source, String note,
                            List<CompatEntry> entries, Position at) {}

    /** One option set by a layer or version: a typed value, or null for "explicitly none". */
    public record OptionSetting(MachineOption option, Object value, Position at) {}

    /** A family's base layer (what a QEMU class init or family options function sets). */
    public record Layer(QemuSource source, List<OptionSetting> options, List<Ref> compat, Position at) {}

    /**
     * One device of a default graph. {@code set} is what the board sets on it (each group with the QEMU
     * code that does; a hand-written {@code properties:} map is one group without a source),
     * {@code observed} what QEMU 7.2 reported (never replayed).
     */
    public record DeviceDecl(String id, String type, String qemuPath, String parent, String bus, String address,
                             List<SetGroup> set, Map<String, Value> observed, Map<String, Value> links, Position at) {
        /** Every value the board sets, by property (a later group wins). */
        public Map<String, Value> properties() {
            Map<String, Value> out = new java.util.LinkedHashMap<>();
            set.forEach(g -> out.putAll(g.values()));
            return out;
        }
    }

    /**
     * Values a board sets together, with the code that sets them; {@code ifUnchanged}: only where the
     * value is still the type's default (QEMU's board reads it first).
     */
    public record SetGroup(Map<String, Value> values, QemuSource source, boolean ifUnchanged, Position at) {}

    /** How a version's device graph differs from the one it inherits. */
    public record DeviceChanges(List<DeviceDecl> add, List<Ref> remove, Map<String, Map<String, Value>> set,
                                Map<String, Position> setAt) {
        public static final DeviceChanges NONE = new DeviceChanges(List.of(), List.of(), Map.of(), Map.of());
    }

    /**
     * A machine type's life in QEMU: {@code deprecated} is the reason as of the newest release the data
     * describes, {@code deprecatedSince} the first release that deprecates it (null: not known, for a type
     * removed before any release Machina presents), {@code removedUpstreamIn} the first release without it,
     * {@code since} the first with it for a type whose name has no version (a versioned type X.Y is new in X.Y).
     */
    public record Lifecycle(String deprecated, String removedUpstreamIn, String note, String since, String deprecatedSince) {
        public static final Lifecycle NONE = new Lifecycle(null, null, null);

        public Lifecycle(String deprecated, String removedUpstreamIn, String note) {
            this(deprecated, removedUpstreamIn, note, null, null);
        }

        /** Whether QEMU {@code release} has the type {@code name} (whose life this is). */
        public boolean existsIn(String name, String release) {
            String first = since != null ? since : MachineCatalog.since(name);
            if (first != null && QemuRelease.compare(first, release) > 0) {
                return false;
            }
            return removedUpstreamIn == null || QemuRelease.compare(release, removedUpstreamIn) < 0;
        }

        /** Whether QEMU {@code release} marks the type deprecated (a type it no longer has counts as deprecated). */
        public boolean deprecatedIn(String release) {
            if (deprecated == null) {
                return false;
            }
            return deprecatedSince == null || QemuRelease.compare(deprecatedSince, release) <= 0;
        }
    }

    public record VersionDecl(String name, String family, Ref inherits, List<Ref> compat, List<OptionSetting> options,
                              DeviceChanges devices, Lifecycle lifecycle, QemuSource source, Position at) {}

    /** A property as declared in data (its type and default are checked when the registry is built). */
    public record PropertyDecl(String name, Ref type, Value defaultValue, boolean unknownDefault, String description,
                               String source, Value unsetValue, String noEffect, Position at,
                               List<ReleaseDefault> releaseDefaults) {
        public PropertyDecl {
            releaseDefaults = releaseDefaults == null ? List.of() : List.copyOf(releaseDefaults);
        }

        public PropertyDecl(String name, Ref type, Value defaultValue, boolean unknownDefault, String description,
                            String source, Value unsetValue, String noEffect, Position at) {
            this(name, type, defaultValue, unknownDefault, description, source, unsetValue, noEffect, at, List.of());
        }
    }

    /**
     * A property's default from one QEMU release on (until the next entry's release): {@code defaults:}
     * in the type data, with where QEMU's source of that release gives it.
     */
    public record ReleaseDefault(String qemu, Value value, String source, Position at) {}

    public record FamilyDecl(String name, Ref qomParent, List<PropertyDecl> qomProperties, Map<String, Ref> aliases,
                             Ref defaultMachine, List<Layer> base, List<DeviceDecl> devices, List<VersionDecl> versions,
                             Position at, List<DefaultDeviceDecl> defaultDevices) {
        public FamilyDecl {
            // a deferred family's list (DataReader) stays unread until used
            defaultDevices = defaultDevices == null ? List.of()
                    : defaultDevices instanceof dev.machina.util.LazyList ? defaultDevices : List.copyOf(defaultDevices);
        }

        public FamilyDecl(String name, Ref qomParent, List<PropertyDecl> qomProperties, Map<String, Ref> aliases,
                          Ref defaultMachine, List<Layer> base, List<DeviceDecl> devices, List<VersionDecl> versions,
                          Position at) {
            this(name, qomParent, qomProperties, aliases, defaultMachine, base, devices, versions, at, List.of());
        }
    }

    /**
     * A device QEMU adds when -nodefaults is not given (a serial port, a VGA, an empty CD-ROM, ...):
     * realized right after {@code after}, removed by any of {@code removedBy}.
     *
     * @param kind   serial, parallel, vga, nic, cdrom, floppy or monitor
     * @param model  how the machine type picks the device's model, when it does (vga, nic)
     */
    public record DefaultDeviceDecl(DeviceDecl device, String after, String kind, List<String> removedBy, String model,
                                    QemuSource source) {}

    public record TypeDecl(String name, String parent, boolean abstractType, String description, String source,
                           List<PropertyDecl> properties, Position at, List<String> interfaces) {
        public TypeDecl(String name, String parent, boolean abstractType, String description, String source,
                        List<PropertyDecl> properties, Position at) {
            this(name, parent, abstractType, description, source, properties, at, List.of());
        }
    }

    public record EnumDecl(String name, List<String> values, Position at) {}

    public record StructDecl(String name, Map<String, Ref> fields, Position at) {}

    /** Everything read from a set of files. */
    public record All(List<FamilyDecl> families, List<CompatSet> compatSets, List<TypeDecl> types,
                      List<EnumDecl> enums, List<StructDecl> structs) {
        /** Empty, with lists to add to while reading. */
        static All empty() {
            return new All(new java.util.ArrayList<>(), new java.util.ArrayList<>(), new java.util.ArrayList<>(),
                    new java.util.ArrayList<>(), new java.util.ArrayList<>());
        }

        /** This one's declarations followed by another's (both left unchanged). */
        All plus(All o) {
            return new All(cat(families, o.families), cat(compatSets, o.compatSets), cat(types, o.types),
                    cat(enums, o.enums), cat(structs, o.structs));
        }

        All frozen() {
            return new All(List.copyOf(families), List.copyOf(compatSets), List.copyOf(types), List.copyOf(enums),
                    List.copyOf(structs));
        }

        private static <T> List<T> cat(List<T> a, List<T> b) {
            List<T> out = new java.util.ArrayList<>(a);
            out.addAll(b);
            return out;
        }
    }
}
