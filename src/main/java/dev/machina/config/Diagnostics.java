package dev.machina.config;

import java.util.ArrayList;
import java.util.List;

/** Collects the errors and warnings of one read or check, in the order found. */
public final class Diagnostics {
    private final List<ConfigError> all = new ArrayList<>();

    public void add(ConfigError e) {
        all.add(e);
    }

    public void addAll(List<ConfigError> es) {
        all.addAll(es);
    }

    public void warn(Origin where, String text) {
        all.add(new ConfigError.Warning(where, text));
    }

    public List<ConfigError> all() {
        return List.copyOf(all);
    }

    public boolean hasErrors() {
        return all.stream().anyMatch(e -> !e.isWarning());
    }

    public List<ConfigError> warnings() {
        return all.stream().filter(ConfigError::isWarning).toList();
    }

    /** Throws a {@link ConfigException} with everything collected when any error was found. */
    public void throwIfErrors() {
        if (hasErrors()) {
            throw new ConfigException(all);
        }
    }
}
