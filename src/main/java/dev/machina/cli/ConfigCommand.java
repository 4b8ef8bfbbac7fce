package dev.machina.cli;

import dev.machina.config.ConfigError;
import dev.machina.config.ConfigException;
import dev.machina.config.ConfigFiles;
import dev.machina.config.ConfigFormat;
import dev.machina.config.Configs;
import dev.machina.config.ParsedCommandLine;
import dev.machina.config.ReadMode;
import dev.machina.config.ReadResult;
import dev.machina.config.VmConfig;
import dev.machina.config.VmConfigSchema;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code machina config ...}: VM configuration files (write, convert, check, schema). */
@Command(name = "config", description = "VM configuration files: write, convert, check.",
        subcommands = {ConfigCommand.Write.class, ConfigCommand.Convert.class, ConfigCommand.Check.class, ConfigCommand.Schema.class})
final class ConfigCommand implements Runnable {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The format to write: the one asked for, else the one the output file's extension names (so
     * that {@code config check} reads the file back as it was written), else cfg.
     */
    static ConfigFormat outputFormat(String id, String option, String output) {
        if (id != null) {
            return format(id, option);
        }
        return output == null ? ConfigFormat.CFG : ConfigFormat.byExtension(output).orElse(ConfigFormat.CFG);
    }

    static ConfigFormat format(String id, String option) {
        return ConfigFormat.byId(id).orElseThrow(() -> new ConfigException(new ConfigError.Syntax(dev.machina.config.Origin.NONE,
                option + " takes cfg, yaml, json or hocon, not '" + id + "'", "")));
    }

    /**
     * {@code config write [QEMU options] [-o FILE] [--format F] [--compat=qemu]}. The QEMU options are
     * taken verbatim (they are not picocli options: {@code -object} must not read as {@code -o bject}).
     */
    @Command(name = "write", customSynopsis = "machina config write [QEMU options...] [-o FILE] [--format cfg|yaml|json|hocon] [--compat=qemu]",
            description = {"Turn a QEMU command line into a config file without starting anything.", "",
                "  -o FILE        write to FILE atomically (default: stdout)",
                "  --format F     cfg (QEMU's -readconfig format), yaml, json or hocon;",
                "                 default: what FILE's extension says (.cfg, .yaml/.yml,",
                "                 .json, .conf/.hocon), else cfg",
                "  --compat=qemu  read -readconfig files as QEMU 7.2 does",
                "  --help         show this help and exit",
                "",
                "QEMU options are spelled as for qemu-system-x86_64; 'machina run --help' lists them."})
    static final class Write implements Callable<Integer> {
        @ParentCommand
        ConfigCommand parent;

        @Spec
        CommandSpec spec;

        @Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<String> qemu = new ArrayList<>();
            String output = null;
            String formatId = null;
            String compat = null;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if ((a.equals("-o") || a.equals("--output") || a.equals("--format") || a.equals("--compat")) && i + 1 >= args.size()) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "option " + a + " needs a value");
                }
                switch (a) {
                    case "-o", "--output" -> output = args.get(++i);
                    case "--format" -> formatId = args.get(++i);
                    case "--compat" -> compat = args.get(++i);
                    case "--help", "-h", "-help" -> {
                        if (!valueOfPrevious(qemu)) {
                            spec.commandLine().usage(out);
                            return Main.EXIT_OK;
                        }
                        qemu.add(a); // the value of the QEMU option before it, as in -append --help
                    }
                    default -> {
                        if (a.startsWith("--format=")) {
                            formatId = a.substring("--format=".length());
                        } else if (a.startsWith("--compat=")) {
                            compat = a.substring("--compat=".length());
                        } else if (a.startsWith("--output=")) {
                            output = a.substring("--output=".length());
                        } else {
                            qemu.add(a);
                        }
                    }
                }
            }
            ReadMode mode = ConfigSupport.mode(compat);
            ConfigFormat format = outputFormat(formatId, "--format", output);
            Configs configs = ConfigSupport.configs(parent.main.context());
            try {
                ParsedCommandLine p = configs.fromCommandLine(qemu, mode);
                if (p.help().isPresent()) {
                    new HelpPrinter(parent.main.context(), configs.env()).print(p.help().get(), out);
                    return p.help().get().exitStatus(); // QEMU 7.2 exits 1 after a QemuOpts group\'s key list
                }
                ConfigSupport.print(err, p.warnings());
                dev.machina.vm.VmSpec.check(p.config(), parent.main.context().catalog()); // what QEMU would refuse to start
                String text = ConfigFiles.render(p.config(), format);
                ConfigSupport.output(output, text, out);
                ConfigSupport.writeConfig(p, out);
                return Main.EXIT_OK;
            } catch (ConfigException e) {
                throw ConfigSupport.fail(err, e);
            }
        }
    }

    /** Whether the next argument is the value of the last QEMU option in {@code qemu} (which takes one and has none yet). */
    static boolean valueOfPrevious(List<String> qemu) {
        boolean pending = false;
        for (String a : qemu) {
            pending = !pending && a.startsWith("-")
                    && dev.machina.config.CliOptions.find(a).map(o -> o.syntax().takesArgument()).orElse(false);
        }
        return pending;
    }

    @Command(name = "convert", description = "Convert a config file between formats; the input format comes from the extension.")
    static final class Convert implements Callable<Integer> {
        @ParentCommand
        ConfigCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "a .cfg, .yaml/.yml, .json or .conf/.hocon file")
        String file;

        @Option(names = "--to", paramLabel = "FORMAT",
                description = "cfg, yaml, json or hocon (default: what the extension of OUT says, else cfg)")
        String to;

        @Option(names = "--from", paramLabel = "FORMAT", description = "the input format, when the extension does not say it")
        String from;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write to OUT atomically (default: stdout)")
        String output;

        @Option(names = "--resolved", description = "write every effective value: repeated options merged, defaults of the machine and device types filled in")
        boolean resolved;

        @Option(names = "--compat", paramLabel = "qemu", description = "read cfg files as QEMU 7.2 does (its quirks become warnings)")
        String compat;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            ReadMode mode = ConfigSupport.mode(compat);
            ConfigFormat target = outputFormat(to, "--to", output);
            Optional<ConfigFormat> source = Optional.ofNullable(from).map(f -> format(f, "--from"));
            Configs configs = ConfigSupport.configs(parent.main.context());
            try {
                ReadResult r = configs.load(file, source, mode);
                ConfigSupport.print(err, r.diagnostics().stream().filter(ConfigError::isWarning).toList());
                VmConfig config = r.orThrow();
                if (resolved) {
                    config = dev.machina.vm.ResolvedConfig.resolve(config, parent.main.context().catalog());
                }
                int comments = dev.machina.config.ConfigComments.count(config);
                if (target == ConfigFormat.JSON && comments > 0) {
                    err.println("machina: warning: " + file + ": " + comments + " comment" + (comments == 1 ? " is" : "s are")
                            + " left out: JSON has no comments (YAML and HOCON keep them)");
                    err.flush();
                }
                ConfigSupport.output(output, ConfigFiles.render(config, target), spec.commandLine().getOut());
                return Main.EXIT_OK;
            } catch (ConfigException e) {
                throw ConfigSupport.fail(err, new ConfigException(e.errors()));
            }
        }
    }

    @Command(name = "check", description = "Check config files: syntax, groups, keys, values, device and machine properties. "
            + "Exit 1 with file:line:col diagnostics when anything is wrong.")
    static final class Check implements Callable<Integer> {
        @ParentCommand
        ConfigCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "config files (.cfg, .yaml/.yml, .json, .conf/.hocon)")
        List<String> files;

        @Option(names = "--from", paramLabel = "FORMAT", description = "the input format, when the extension does not say it")
        String from;

        @Option(names = "--compat", paramLabel = "qemu", description = "check cfg files as QEMU 7.2 reads them")
        String compat;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ReadMode mode = ConfigSupport.mode(compat);
            Optional<ConfigFormat> source = Optional.ofNullable(from).map(f -> format(f, "--from"));
            Configs configs = ConfigSupport.configs(parent.main.context());
            boolean failed = false;
            for (String f : files) {
                try {
                    ReadResult r = configs.load(f, source, mode);
                    ConfigSupport.print(err, r.diagnostics());
                    if (r.ok()) {
                        try {
                            dev.machina.vm.VmSpec.check(r.config(), parent.main.context().catalog());
                        } catch (dev.machina.util.UserException e) {
                            err.println(e.getMessage()); // what QEMU would refuse to start (it names the file position)
                            failed = true;
                            continue;
                        }
                        int n = r.config().sections().size();
                        out.println(f + ": ok (" + n + (n == 1 ? " section)" : " sections)"));
                    } else {
                        failed = true;
                    }
                } catch (ConfigException e) {
                    ConfigSupport.print(err, e.diagnostics());
                    failed = true;
                }
            }
            out.flush();
            return failed ? Main.EXIT_USER : Main.EXIT_OK;
        }
    }

    @Command(name = "schema", description = "Print the JSON Schema of the YAML/JSON/HOCON forms, with every known device type's properties.")
    static final class Schema implements Callable<Integer> {
        @ParentCommand
        ConfigCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write to OUT atomically (default: stdout)")
        String output;

        @Override
        public Integer call() {
            String text = VmConfigSchema.text(parent.main.context().registry());
            ConfigSupport.output(output, text, spec.commandLine().getOut());
            return Main.EXIT_OK;
        }
    }
}
