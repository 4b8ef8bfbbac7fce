package dev.machina.config;

import java.util.List;
import java.util.Optional;

/**
 * A command line turned into a configuration.
 *
 * @param config      the sections, in argv order, files read in place
 * @param writeConfig the targets of {@code -writeconfig} ({@code -} is stdout), in order
 * @param help        a help request, when one was found (parsing stops there)
 * @param warnings    what QEMU would warn about (deprecated short-form booleans, ...)
 */
public record ParsedCommandLine(VmConfig config, List<String> writeConfig, Optional<HelpRequest> help,
                                List<ConfigError> warnings) {
    public ParsedCommandLine {
        writeConfig = List.copyOf(writeConfig);
        warnings = List.copyOf(warnings);
    }
}
