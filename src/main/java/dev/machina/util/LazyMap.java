package dev.machina.util;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A map made when first read (once; reads may come from any thread), equal to and hashing as the map it
 * makes: with {@link LazyList}, what lets a run read only the device graph of the machine family it
 * starts (DataReader's deferred family graphs). Read-only.
 */
public final class LazyMap<K, V> extends AbstractMap<K, V> {
    private final Lazy<Map<K, V>> map;

    public LazyMap(Supplier<Map<K, V>> make) {
        this.map = new Lazy<>(make);
    }

    private Map<K, V> map() {
        return map.get();
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return map().entrySet();
    }

    @Override
    public V get(Object key) {
        return map().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return map().containsKey(key);
    }

    @Override
    public int size() {
        return map().size();
    }
}
