package dev.machina.util;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Supplier;

/**
 * A list whose items are made when first read (once; reads may come from any thread): a run reads the
 * few device types and CPU models it uses, not every type's property list (YamlTreeStore's packaged
 * trees, DataReader's deferred type properties). Writes go to the made list, so it is as mutable as
 * what the supplier returns.
 */
public final class LazyList<T> extends AbstractList<T> implements RandomAccess {
    private final Lazy<List<T>> items;

    public LazyList(Supplier<List<T>> make) {
        this.items = new Lazy<>(make);
    }

    private List<T> items() {
        return items.get();
    }

    @Override
    public T get(int i) {
        return items().get(i);
    }

    @Override
    public int size() {
        return items().size();
    }

    @Override
    public T set(int i, T v) {
        return items().set(i, v);
    }

    @Override
    public void add(int i, T v) {
        items().add(i, v);
    }

    @Override
    public T remove(int i) {
        return items().remove(i);
    }
}
