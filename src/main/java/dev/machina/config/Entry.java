package dev.machina.config;

import java.util.Objects;

/**
 * One {@code key = "value"} of a section. The value is text, exactly as QEMU would receive it (no
 * {@code ,,} escaping, no implied names: those belong to the command-line syntax).
 */
public record Entry(String key, String value, Origin origin, Layout layout) {
    public Entry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        origin = origin == null ? Origin.NONE : origin;
        layout = layout == null ? Layout.CANONICAL : layout;
    }

    public static Entry of(String key, String value) {
        return new Entry(key, value, Origin.NONE, Layout.CANONICAL);
    }

    public Entry withValue(String newValue, Origin newOrigin) {
        return new Entry(key, newValue, newOrigin, layout);
    }

    /** The same key and value with no origin and canonical layout: what "the same model" compares. */
    public Entry content() {
        return new Entry(key, value, Origin.NONE, Layout.CANONICAL);
    }
}
