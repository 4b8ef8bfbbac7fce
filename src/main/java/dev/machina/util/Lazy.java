package dev.machina.util;

import java.util.function.Supplier;

/**
 * A value made the first time it is read, once, whichever thread reads first (double-checked: later
 * reads cost one volatile load). The supplier is dropped once it has run, so what it captured can be
 * collected. The holder behind {@link LazyMap} and {@link LazyList}.
 */
public final class Lazy<T> implements Supplier<T> {
    private Supplier<? extends T> make;
    private volatile T value;

    public Lazy(Supplier<? extends T> make) {
        this.make = make;
    }

    /** The value, made now if this is the first read. The supplier must not return null. */
    @Override
    public T get() {
        T x = value;
        if (x == null) {
            synchronized (this) {
                x = value;
                if (x == null) {
                    x = java.util.Objects.requireNonNull(make.get(), "a Lazy's supplier returned null");
                    value = x;
                    make = null;
                }
            }
        }
        return x;
    }
}
