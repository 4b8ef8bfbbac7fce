package dev.machina.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The entry points the command line uses: a command line or a file in, a checked configuration out.
 * Reading (syntax) and checking ({@link ConfigValidator}) are always done together, so that what
 * comes out has been checked the same way whatever its source.
 */
public final class Configs {
    private final ConfigEnv env;

    public Configs(ConfigEnv env) {
        this.env = env;
    }

    public ConfigEnv env() {
        return env;
    }

    /**
     * A command line as a checked configuration. Errors (of the options, of the files they read, of
     * the meaning) come as one {@link ConfigException}; warnings come with the result. A help request
     * stops parsing and is returned unchecked.
     */
    public ParsedCommandLine fromCommandLine(List<String> args, ReadMode mode) {
        ParsedCommandLine p = new CommandLineParser(mode, ConfigFiles.readconfigLoader(), Optional.of(env)).parse(args);
        if (p.help().isPresent() && p.help().get().kind() != HelpRequest.Kind.VERSION && p.help().get().kind() != HelpRequest.Kind.USAGE) {
            return p; // QEMU answers help options as it meets them
        }
        List<ConfigError> all = new ArrayList<>(p.warnings());
        all.addAll(new ConfigValidator(env, mode).validate(p.config()));
        if (all.stream().anyMatch(e -> !e.isWarning())) {
            throw new ConfigException(all);
        }
        return new ParsedCommandLine(p.config(), p.writeConfig(), p.help(), all);
    }

    /** A file read and checked; {@link ReadResult#diagnostics()} has everything found. */
    public ReadResult load(String file, Optional<ConfigFormat> format, ReadMode mode) {
        ConfigFormat f = ConfigFiles.formatOf(file, format);
        ReadResult r = ConfigFiles.read(file, f, mode);
        if (r.diagnostics().stream().anyMatch(d -> d instanceof ConfigError.FileProblem)
                || mode == ReadMode.QEMU && !r.ok()) {
            return r; // QEMU stops at its first error; so does the compat reader
        }
        List<ConfigError> all = new ArrayList<>(r.diagnostics());
        all.addAll(new ConfigValidator(env, mode).validate(r.config()));
        return new ReadResult(r.config(), all);
    }
}
