package dev.machina.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shape YAML, JSON and HOCON share: a list of {group: {id, key: value...}}, values as text. */
final class TreeWriter {
    private TreeWriter() {}

    /**
     * The sections as YAML/JSON/HOCON items (one mapping per section, its id a key), or a
     * {@link ConfigException} naming every entry a mapping cannot hold.
     */
    static List<Object> sections(VmConfig config) {
        List<ConfigError> problems = new ArrayList<>();
        List<Object> out = sections(config, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return out;
    }

    private static List<Object> sections(VmConfig config, List<ConfigError> problems) {
        List<Object> out = new ArrayList<>();
        for (Section s : config.sections()) {
            Map<String, Object> keys = new LinkedHashMap<>();
            s.id().ifPresent(id -> keys.put("id", id));
            for (Entry e : s.entries()) {
                if (keys.containsKey(e.key()) && RepeatedKeys.isList(s.group(), e.key())) {
                    // a key QEMU makes a list of: one key, its values in order
                    Object prior = keys.get(e.key());
                    List<Object> values = prior instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>(List.of(prior));
                    values.add(e.value());
                    keys.put(e.key(), values);
                    continue;
                }
                if (keys.containsKey(e.key())) {
                    problems.add(new ConfigError.Unrepresentable(e.origin(), "'" + e.key() + "' of " + s.label(),
                            e.key().equals("id") ? "the section has an id in its header and as a key; a mapping holds one"
                                    : "the key appears twice and a mapping holds it once"));
                    continue;
                }
                keys.put(e.key(), e.value());
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put(s.group(), keys);
            out.add(item);
        }
        return out;
    }
}
