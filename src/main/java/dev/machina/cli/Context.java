package dev.machina.cli;

import dev.machina.hw.BuiltinTypes;
import dev.machina.qom.TypeRegistry;

/**
 * What the commands share, built lazily so that a command pays only for what it uses: the type
 * registry (and, later, the machine catalog). One instance per command-line run; no statics.
 */
public final class Context {
    private TypeRegistry registry;

    /** All known types: the built-in declarations. */
    public TypeRegistry registry() {
        if (registry == null) {
            registry = BuiltinTypes.registry();
        }
        return registry;
    }
}
