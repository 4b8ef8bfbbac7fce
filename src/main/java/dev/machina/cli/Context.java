package dev.machina.cli;

import dev.machina.hw.BuiltinTypes;
import dev.machina.qom.TypeRegistry;

/**
 * What the commands share, built lazily so that a command pays only for what it uses: the type
 * registry (and, later, the machine catalog). One instance per command-line run; no statics.
 */
public final class Context {
    private TypeRegistry registry;
    private final java.io.OutputStream rawOut;

    public Context() {
        this(System.out);
    }

    /** @param rawOut where commands that pass bytes through unchanged (a guest's console) write */
    public Context(java.io.OutputStream rawOut) {
        this.rawOut = rawOut;
    }

    /** The command's standard output as bytes (the text output goes through picocli's writer). */
    public java.io.OutputStream rawOut() {
        return rawOut;
    }

    /** All known types: the built-in declarations. */
    public TypeRegistry registry() {
        if (registry == null) {
            registry = BuiltinTypes.registry();
        }
        return registry;
    }
}
