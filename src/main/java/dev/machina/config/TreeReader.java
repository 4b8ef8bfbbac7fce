package dev.machina.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a configuration from a YAML/JSON/HOCON document tree:
 * <pre>
 * sections:
 *   - machine: {type: pc}
 *   - device: {id: s0, driver: isa-serial, chardev: c0}
 *   - machina-nodefaults: {}
 * </pre>
 * The top level has {@code sections} (a list of one-key mappings, group → keys), and may have
 * {@code vars} (free-form: a place for YAML anchors and HOCON substitution sources) and {@code $schema}.
 * A section's {@code id} key is its id. Nested mappings and lists become dotted keys
 * ({@code smp: {cpus: 2}} is {@code smp.cpus}, {@code host-nodes: [0]} is {@code host-nodes.0}), the
 * keyval form QEMU uses. Every problem is reported with the position of the key or value it concerns.
 */
final class TreeReader {
    private TreeReader() {}

    static ReadResult read(Tree root) {
        List<ConfigError> diags = new ArrayList<>();
        List<Section> sections = new ArrayList<>();
        if (!(root instanceof Tree.Mapping top)) {
            diags.add(new ConfigError.Syntax(root.origin(), "the document is not a mapping",
                    "a configuration is a mapping with a 'sections' list: sections: [ {machine: {type: pc}} ]"));
            return new ReadResult(VmConfig.EMPTY, diags);
        }
        Tree list = null;
        Map<String, Origin> seenTop = new HashMap<>();
        for (Tree.Field f : top.fields()) {
            Origin first = seenTop.putIfAbsent(f.key(), f.keyOrigin());
            if (first != null) {
                // a second 'sections' would silently replace the first (YAML and JSON keep the last)
                diags.add(new ConfigError.Syntax(f.keyOrigin(), "'" + f.key() + "' is given twice at the top level (first at "
                        + first.describe() + ")", "a document has one '" + f.key() + "': merge the two"));
                continue;
            }
            switch (f.key()) {
                case "sections" -> list = f.value();
                case "vars", "$schema" -> { }
                default -> diags.add(new ConfigError.UnknownKey(f.keyOrigin(), "top level", f.key(),
                        dev.machina.util.Suggest.closest(f.key(), List.of("sections", "vars", "$schema"), 3)));
            }
        }
        if (list == null) {
            diags.add(new ConfigError.Syntax(top.origin(), "no 'sections' list", "write sections: [ ... ], one item per option"));
            return new ReadResult(VmConfig.EMPTY, diags);
        }
        if (list instanceof Tree.Null) {
            return new ReadResult(VmConfig.EMPTY, diags);
        }
        if (!(list instanceof Tree.Sequence seq)) {
            diags.add(new ConfigError.Syntax(list.origin(), "'sections' is not a list", "write sections: [ {group: {key: value}} ... ]"));
            return new ReadResult(VmConfig.EMPTY, diags);
        }
        for (Tree item : seq.items()) {
            section(item, sections, diags);
        }
        return new ReadResult(VmConfig.of(sections), diags);
    }

    private static void section(Tree item, List<Section> out, List<ConfigError> diags) {
        if (!(item instanceof Tree.Mapping m) || m.fields().size() != 1) {
            diags.add(new ConfigError.Syntax(item.origin(), item instanceof Tree.Mapping mm && mm.fields().isEmpty()
                    ? "an empty section item" : item instanceof Tree.Mapping ? "a section item with more than one group"
                    : "a section item that is not a mapping", "each item is one group with its keys: - device: {driver: isa-serial}"));
            return;
        }
        Tree.Field f = m.fields().get(0);
        List<Entry> entries = new ArrayList<>();
        Optional<String> id = Optional.empty();
        Tree body = f.value();
        if (body instanceof Tree.Mapping keys) {
            Map<String, Origin> seen = new HashMap<>();
            for (Tree.Field k : keys.fields()) {
                if (k.key().equals("id")) {
                    if (k.value() instanceof Tree.Scalar s) {
                        id = Optional.of(s.text());
                    } else {
                        diags.add(new ConfigError.Syntax(k.keyOrigin(), "the id is not a single value", "write id: NAME"));
                    }
                    continue;
                }
                if (k.value() instanceof Tree.Sequence q && RepeatedKeys.isList(f.key(), k.key())
                        && !q.items().isEmpty() && q.items().stream().allMatch(x -> x instanceof Tree.Scalar)) {
                    // a key QEMU makes a list of (RepeatedKeys): each value one entry with the key
                    for (Tree x : q.items()) {
                        entries.add(new Entry(k.key(), ((Tree.Scalar) x).text(), x.origin(), Layout.CANONICAL));
                    }
                    continue;
                }
                flatten(k.key(), k.keyOrigin(), k.value(), entries, diags);
            }
            List<Entry> unique = new ArrayList<>();
            for (Entry e : entries) {
                Origin first = seen.putIfAbsent(e.key(), e.origin());
                if (first != null && RepeatedKeys.isList(f.key(), e.key())) {
                    unique.add(e);
                } else if (first != null) {
                    diags.add(new ConfigError.DuplicateKey(e.origin(), "[" + f.key() + "]", e.key(), first));
                } else {
                    unique.add(e);
                }
            }
            entries = unique;
        } else if (!(body instanceof Tree.Null)) {
            diags.add(new ConfigError.Syntax(body.origin(), "the keys of '" + f.key() + "' are not a mapping",
                    "write - " + f.key() + ": {key: value, ...} (or {} for none)"));
            return;
        }
        out.add(new Section(f.key(), id, entries, f.keyOrigin(), Layout.CANONICAL));
    }

    private static void flatten(String key, Origin keyOrigin, Tree value, List<Entry> out, List<ConfigError> diags) {
        if (value instanceof Tree.Scalar s) {
            out.add(new Entry(key, s.text(), keyOrigin, Layout.CANONICAL));
        } else if (value instanceof Tree.Mapping m) {
            if (m.fields().isEmpty()) {
                diags.add(new ConfigError.Syntax(keyOrigin, "'" + key + "' is an empty mapping", "give it members, or remove it"));
            }
            for (Tree.Field f : m.fields()) {
                flatten(key + "." + f.key(), f.keyOrigin(), f.value(), out, diags);
            }
        } else if (value instanceof Tree.Sequence q) {
            if (q.items().isEmpty()) {
                diags.add(new ConfigError.Syntax(keyOrigin, "'" + key + "' is an empty list",
                        "QEMU's keyval syntax cannot say an empty list; remove the key"));
            }
            for (int i = 0; i < q.items().size(); i++) {
                flatten(key + "." + i, q.items().get(i).origin(), q.items().get(i), out, diags);
            }
        } else {
            diags.add(new ConfigError.Syntax(keyOrigin, "'" + key + "' has no value",
                    "write " + key + ": \"\" for an empty value, or remove the key"));
        }
    }
}
