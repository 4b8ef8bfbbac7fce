package dev.machina.config;

import dev.machina.util.UserException;
import java.util.List;

/** Carries the errors of an invalid configuration (warnings may come along) to the caller that reports them. */
public final class ConfigException extends UserException {
    private final transient List<ConfigError> diagnostics;

    public ConfigException(List<ConfigError> diagnostics) {
        super(summary(diagnostics));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public ConfigException(ConfigError error) {
        this(List.of(error));
    }

    /** All diagnostics, errors and warnings, in the order found. */
    public List<ConfigError> diagnostics() {
        return diagnostics;
    }

    public List<ConfigError> errors() {
        return diagnostics.stream().filter(d -> !d.isWarning()).toList();
    }

    private static String summary(List<ConfigError> all) {
        List<ConfigError> errors = all.stream().filter(d -> !d.isWarning()).toList();
        if (errors.isEmpty()) {
            return "invalid configuration";
        }
        String first = errors.get(0).render();
        return errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more)";
    }
}
