package dev.machina.config;

import dev.machina.qom.TypeRegistry;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What checking a configuration needs from the layers below: the type registry (device, object and
 * machine property schemas) and the machine types. The registry may be given as a supplier, asked
 * only when a configuration names a type whose properties are checked: building it means loading the
 * whole machine catalog, which a management tool's probe ({@code -machine none -qmp ...}) never needs
 * before its greeting.
 */
public final class ConfigEnv {
    private final Supplier<TypeRegistry> source;
    private final MachineTypes machines;
    private final Function<String, Optional<String>> absentTypes;
    private TypeRegistry registry;

    public ConfigEnv(TypeRegistry registry, MachineTypes machines) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.machines = Objects.requireNonNull(machines, "machines");
        this.source = null;
        this.absentTypes = t -> Optional.empty();
    }

    private ConfigEnv(Supplier<TypeRegistry> source, MachineTypes machines, Function<String, Optional<String>> absentTypes) {
        this.source = Objects.requireNonNull(source, "registry");
        this.machines = Objects.requireNonNull(machines, "machines");
        this.absentTypes = Objects.requireNonNull(absentTypes, "absentTypes");
    }

    /** An environment whose registry is built on first use (once). */
    public static ConfigEnv lazy(Supplier<TypeRegistry> registry, MachineTypes machines) {
        return new ConfigEnv(registry, machines, t -> Optional.empty());
    }

    /**
     * As {@link #lazy(Supplier, MachineTypes)}, for a presented QEMU release that lacks some of the
     * registry's types: {@code absentTypes} says why a type is not in that release (one a later QEMU
     * added), or empty when the release has it.
     */
    public static ConfigEnv lazy(Supplier<TypeRegistry> registry, MachineTypes machines, Function<String, Optional<String>> absentTypes) {
        return new ConfigEnv(registry, machines, absentTypes);
    }

    /** Why the presented QEMU release has no type {@code name}, or empty when it has it. */
    public Optional<String> absentFromRelease(String name) {
        return absentTypes.apply(name);
    }

    /** The type registry, built now if it was given as a supplier and not asked for before. */
    public synchronized TypeRegistry registry() {
        if (registry == null) {
            registry = Objects.requireNonNull(source.get(), "registry");
        }
        return registry;
    }

    public MachineTypes machines() {
        return machines;
    }
}
