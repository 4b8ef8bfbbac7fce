package dev.machina.cli;

import dev.machina.config.ConfigEnv;
import dev.machina.config.ConfigError;
import dev.machina.config.ConfigException;
import dev.machina.config.ConfigFiles;
import dev.machina.config.Configs;
import dev.machina.config.ReadMode;
import java.io.PrintWriter;
import java.util.List;

/** What the config and run commands share: building {@link Configs} from the context, reporting diagnostics, writing output. */
final class ConfigSupport {
    private ConfigSupport() {}

    static Configs configs(Context context) {
        return new Configs(new ConfigEnv(context.registry(), new CatalogMachineTypes(context.catalog())));
    }

    /** {@code --compat=qemu} → QEMU's reader; absent → strict. */
    static ReadMode mode(String compat) {
        if (compat == null) {
            return ReadMode.STRICT;
        }
        if (compat.equals("qemu")) {
            return ReadMode.QEMU;
        }
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Object()),
                "--compat takes 'qemu' (QEMU 7.2's lenient reader), not '" + compat + "'");
    }

    /** One line per diagnostic on stderr: {@code place: message}, warnings marked. */
    static void print(PrintWriter err, List<ConfigError> diagnostics) {
        for (ConfigError d : diagnostics) {
            err.println(d.render());
        }
        err.flush();
    }

    /** Prints a failed configuration's diagnostics and ends the command with status 1. */
    static Main.ExitException fail(PrintWriter err, ConfigException e) {
        print(err, e.diagnostics());
        return new Main.ExitException(Main.EXIT_USER);
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
