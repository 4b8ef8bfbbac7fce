package dev.machina.config;

import java.util.List;

/**
 * What a reader made of its input: the configuration (as much of it as could be read) and every
 * diagnostic, errors and warnings, in the order found.
 */
public record ReadResult(VmConfig config, List<ConfigError> diagnostics) {
    public ReadResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean ok() {
        return diagnostics.stream().allMatch(ConfigError::isWarning);
    }

    /** The configuration, or a {@link ConfigException} with every diagnostic when there were errors. */
    public VmConfig orThrow() {
        if (!ok()) {
            throw new ConfigException(diagnostics);
        }
        return config;
    }
}
