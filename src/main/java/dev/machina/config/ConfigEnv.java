package dev.machina.config;

import dev.machina.qom.TypeRegistry;
import java.util.Objects;

/**
 * What checking a configuration needs from the layers below: the type registry (device, object and
 * machine property schemas) and the machine types.
 */
public record ConfigEnv(TypeRegistry registry, MachineTypes machines) {
    public ConfigEnv {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(machines, "machines");
    }
}
