package dev.machina.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One option occurrence: a {@code -readconfig} section {@code [group "id"]} or a command-line option
 * such as {@code -device isa-serial,id=s0}. Entries keep their order.
 *
 * @param group   the option group, e.g. {@code device}, {@code memory}, {@code machina-cpu}
 * @param id      the id from the header ({@code [device "s0"]}) or the {@code id=} of an option
 * @param entries the keys and values, in order
 * @param origin  where the header or option was
 * @param layout  comments and blank lines around the header (cfg files)
 */
public record Section(String group, Optional<String> id, List<Entry> entries, Origin origin, Layout layout) {
    public Section {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(id, "id");
        entries = List.copyOf(entries);
        origin = origin == null ? Origin.NONE : origin;
        layout = layout == null ? Layout.CANONICAL : layout;
    }

    public static Section of(String group, String id, List<Entry> entries) {
        return new Section(group, Optional.ofNullable(id), entries, Origin.NONE, Layout.CANONICAL);
    }

    /** The value of the last entry called {@code key}, if any. */
    public Optional<String> get(String key) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).key().equals(key)) {
                return Optional.of(entries.get(i).value());
            }
        }
        return Optional.empty();
    }

    /** The last entry called {@code key}, if any. */
    public Optional<Entry> entry(String key) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).key().equals(key)) {
                return Optional.of(entries.get(i));
            }
        }
        return Optional.empty();
    }

    /** The id QEMU would use: an {@code id} entry overrides the header's (QEMU stores the header id as the first key). */
    public Optional<String> effectiveId() {
        Optional<String> key = get("id");
        return key.isPresent() ? key : id;
    }

    /** A copy where {@code key} has {@code value}: the last entry of that name is replaced in place, or one is appended. */
    public Section with(String key, String value, Origin where) {
        List<Entry> out = new ArrayList<>(entries);
        for (int i = out.size() - 1; i >= 0; i--) {
            if (out.get(i).key().equals(key)) {
                out.set(i, out.get(i).withValue(value, where));
                return new Section(group, id, out, origin, layout);
            }
        }
        out.add(new Entry(key, value, where, Layout.CANONICAL));
        return new Section(group, id, out, origin, layout);
    }

    public Section withEntries(List<Entry> newEntries) {
        return new Section(group, id, newEntries, origin, layout);
    }

    /** Group, id, keys and values only: what two forms of the same configuration must agree on. */
    public Section content() {
        return new Section(group, id, entries.stream().map(Entry::content).toList(), Origin.NONE, Layout.CANONICAL);
    }

    /** How messages name this section: {@code [device "s0"]}. */
    public String label() {
        return "[" + group + id.map(i -> " \"" + i + "\"").orElse("") + "]";
    }
}
