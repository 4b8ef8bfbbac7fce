package dev.machina.cli;

import dev.machina.config.ConfigEnv;
import dev.machina.config.ConfigError;
import dev.machina.config.ConfigException;
import dev.machina.config.ConfigFiles;
import dev.machina.config.Configs;
import dev.machina.config.Origin;
import dev.machina.config.ParsedCommandLine;
import dev.machina.config.ReadMode;
import java.io.PrintWriter;
import java.util.List;

/** What the config and run commands share: building {@link Configs} from the context, reporting diagnostics, writing output. */
final class ConfigSupport {
    private ConfigSupport() {}

    /**
     * The configurations of this context's data. Nothing is loaded here: the machine table when an
     * option names a machine, the catalog (its type registry) when a type's properties are checked, so
     * that {@code -machine none -qmp ...} greets without building the catalog.
     */
    static Configs configs(Context context) {
        return new Configs(ConfigEnv.lazy(context::registry, CatalogMachineTypes.of(context),
                t -> java.util.Optional.ofNullable(DeviceCommand.Show.notYetIn(context, t))));
    }

    /** {@code --compat=qemu} → QEMU's reader; absent → strict. */
    static ReadMode mode(String compat) {
        if (compat == null) {
            return ReadMode.STRICT;
        }
        if (compat.equals("qemu")) {
            return ReadMode.QEMU;
        }
        // a usage error (exit 2); picocli needs a command to build one from (a bare Object is none: that was a crash)
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new CompatOption()),
                "--compat takes 'qemu' (QEMU 7.2's lenient reader), not '" + compat.replaceAll("\\p{Cntrl}", "?") + "'");
    }

    @picocli.CommandLine.Command(name = "machina")
    private static final class CompatOption {}

    /** One line per diagnostic on stderr: {@code place: message}, warnings marked. */
    static void print(PrintWriter err, List<ConfigError> diagnostics) {
        for (ConfigError d : diagnostics) {
            err.println(d.render());
        }
        err.flush();
    }

    /**
     * Prints a failed configuration's diagnostics and ends the command: status 2 (usage) when an
     * option on the command line is unknown or lacks its argument, else 1.
     */
    static Main.ExitException fail(PrintWriter err, ConfigException e) {
        print(err, e.diagnostics());
        boolean usage = e.diagnostics().stream().anyMatch(d -> d instanceof ConfigError.UnknownOption
                || d instanceof ConfigError.MissingArgument);
        return new Main.ExitException(usage ? Main.EXIT_USAGE : Main.EXIT_USER);
    }

    /**
     * Honours {@code -writeconfig}: the configuration in each target's format (by its extension, as
     * {@code -readconfig} reads it); a file that cannot be written is reported with the option.
     */
    static void writeConfig(ParsedCommandLine p, PrintWriter out) {
        for (String target : p.writeConfig()) {
            try {
                output(target, ConfigFiles.render(p.config(), ConfigFiles.readconfigFormat(target)), out);
            } catch (ConfigException e) {
                throw new ConfigException(e.errors().stream().map(d -> d instanceof ConfigError.FileProblem fp && fp.origin() == Origin.NONE
                        ? new ConfigError.FileProblem(new Origin.Argument(-1, "-writeconfig", target), fp.file(), fp.problem()) : d).toList());
            }
        }
    }

    /** Writes text to a file atomically, or to stdout for {@code -}. */
    static void output(String target, String text, PrintWriter out) {
        if (target == null || target.equals("-")) {
            out.print(text);
            out.flush();
            return;
        }
        ConfigFiles.writeAtomically(target, text);
    }
}
