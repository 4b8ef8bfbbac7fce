package dev.machina.cli;

import dev.machina.util.UserException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code machina} command. Subcommands parse their arguments into values and hand them to the
 * layers below; output formatting lives here, nothing else does.
 *
 * <p>Exit status: 0 success, 1 user error (one line on stderr, never a stack trace), 2 usage error,
 * 70 internal error (a bug: the stack trace is printed so it can be reported). A first argument that
 * starts with {@code -} and is not {@code --help}/{@code --version} means {@code run}, as
 * {@code machina -M pc ...}.
 */
@Command(name = "machina", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A PC emulator whose hardware is data: machine types, device types and VM configs as files.",
        subcommands = {DeviceCommand.class, MachineCommand.class, ConfigCommand.class, RunCommand.class, CpuCommand.class,
                DocsCommand.class,
                Help.Command0.class},
        synopsisSubcommandLabel = "COMMAND")
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_USER = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 70;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Context context;

    Main(Context context) {
        this.context = context;
    }

    Context context() {
        return context;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        dev.machina.util.Timing.start();
        PrintStream out = new StdStream(java.io.FileDescriptor.out);
        StdStream err = new StdStream(java.io.FileDescriptor.err);
        Daemon.streams(err);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        dev.machina.util.Timing.mark("exit");
        dev.machina.util.Timing.report();
        if (answeredQuickly) {
            // start-up: System.exit on JDK 21+ asks System.Logger whether to log the exit (JDK-8301627),
            // which loads ~110 logging and runtime-image classes, 6 ms of CPU of the ~50 a `machine list`
            // costs. A quick answer has no shutdown hooks, threads or open files: both streams are flushed
            // above, so halting is the same exit, status included.
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        }
        System.exit(code);
    }

    /** Set when {@link QuickCommands} answered the command line (main may then halt instead of exiting). */
    private static boolean answeredQuickly;

    /** Runs one command line with the given streams; returns the exit status. Used by tests too. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, new Context(out));
    }

    /** {@link #run(String[], PrintStream, PrintStream)} with a context several runs share (the data is loaded once). */
    public static int run(String[] args, PrintStream out, PrintStream err, Context context) {
        try {
            if (QuickCommands.run(args, out, context)) {
                answeredQuickly = true;
                return writeErrors(EXIT_OK, out, err);
            }
        } catch (dev.machina.util.UserException e) {
            // a bad MACHINA_QEMU_VERSION reaches the quick listings too: the same one line as elsewhere
            err.println("machina: " + cut(e.getMessage()));
            err.flush();
            return writeErrors(EXIT_USER, out, err);
        }
        if (args.length > 0 && args[0].startsWith("-") && !isTopLevelOption(args[0])) {
            String[] withRun = new String[args.length + 1];
            withRun[0] = "run";
            System.arraycopy(args, 0, withRun, 1, args.length);
            args = withRun;
        }
        PrintWriter outW = new PrintWriter(out, true);
        PrintWriter errW = new PrintWriter(err, true);
        int code;
        try {
            if (args.length > 0 && args[0].equals("run") && !Arrays.asList(args).contains("--")) {
                // picocli passes a run's arguments on verbatim: the same without building its tree
                try {
                    code = RunCommand.direct(context, Arrays.asList(args).subList(1, args.length), outW, errW);
                } catch (CommandLine.ParameterException e) {
                    code = parameterException(e, errW); // a bad --compat value: a usage error, as picocli reports it
                } catch (Exception e) {
                    code = executionException(e, errW);
                }
            } else {
                code = commandLine(context, outW, errW).execute(args);
            }
        } catch (StackOverflowError | OutOfMemoryError e) {
            // picocli hands Errors through; they are still a bug of ours (an input we did not bound), so
            // they get the internal-error status and words instead of the JVM's bare trace and status 1
            errW.println("machina: internal error (this is a bug in Machina; please report it with the command line): " + e);
            e.printStackTrace(errW);
            code = EXIT_INTERNAL;
        }
        outW.flush();
        errW.flush();
        return writeErrors(code, out, err);
    }

    /**
     * A write to stdout that failed ({@code > /dev/full}, a closed pipe, a full disk) makes the
     * command fail with one line on stderr, whatever it was: output that did not arrive is not a
     * success. A closed pipe ({@code | head}) ends it without a word, as it ends the tools that die
     * of SIGPIPE; one that fails on stderr has nowhere to say so and only exits 1.
     */
    static int writeErrors(int code, PrintStream out, PrintStream err) {
        boolean outFailed = out.checkError();
        if (!outFailed && !err.checkError()) {
            return code;
        }
        if (outFailed) {
            String reason = out instanceof StdStream s && s.failure() != null ? s.failure().getMessage() : null;
            if (reason == null || !reason.contains("Broken pipe")) {
                err.println("machina: cannot write to standard output" + (reason == null ? "" : ": " + reason)
                        + "; the output is incomplete");
                err.flush();
            }
        }
        return code == EXIT_OK ? EXIT_USER : code;
    }

    /** The command tree with machina's handlers of usage errors and exceptions, writing to the given writers. */
    static CommandLine commandLine(Context context, PrintWriter outW, PrintWriter errW) {
        CommandLine cl = new CommandLine(new Main(context));
        cl.setOut(outW);
        cl.setErr(errW);
        cl.setCaseInsensitiveEnumValuesAllowed(false);
        // QEMU options are passed through verbatim: '@file' is a value, not a picocli argument file,
        // and '-object' must not read as a clustered '-o bject'
        cl.setExpandAtFiles(false);
        cl.setPosixClusteredShortOptionsAllowed(false);
        Help.addHelpOptions(cl);
        if (context.terminal().colourRefused()) {
            cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF)); // usage help too
        }
        cl.setParameterExceptionHandler((ex, a) -> parameterException(ex, errW));
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> executionException(ex, errW));
        return cl;
    }

    /** A usage error: its one line, a did-you-mean where picocli has one, and where to read the usage. */
    static int parameterException(CommandLine.ParameterException ex, PrintWriter errW) {
        CommandLine c = ex.getCommandLine();
        errW.println("machina: " + cut(ex.getMessage()));
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            errW.println("Did you mean: " + String.join(", ", u.getSuggestions()) + "?");
        }
        errW.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
        return EXIT_USAGE;
    }

    /** What a command's exception means: a user error's one line, an {@link ExitException}'s status, else a bug's trace. */
    static int executionException(Exception ex, PrintWriter errW) {
        if (ex instanceof UserException) {
            errW.println("machina: " + cut(ex.getMessage()));
            return EXIT_USER;
        }
        if (ex instanceof ExitException ee) {
            return ee.code();
        }
        errW.println("machina: internal error (this is a bug in Machina; please report it with the command line): " + ex);
        ex.printStackTrace(errW);
        return EXIT_INTERNAL;
    }

    /**
     * A message with every run of more than {@link dev.machina.config.ConfigError#LONGEST_WORD} non-blank
     * characters cut to its start and its length: a 100 KB name the user typed is echoed as
     * {@code 'yyyy...(cut: 100000 characters in all)'}, not whole (issue 14 item 9).
     */
    static String cut(String message) {
        return message == null ? null : dev.machina.config.ConfigError.cut(message);
    }

    private static boolean isTopLevelOption(String a) {
        return Arrays.asList("-h", "--help", "-V", "--version").contains(a);
    }

    /** Ends a command with a given status after it has printed what it had to say. */
    static final class ExitException extends RuntimeException {
        private final int code;

        ExitException(int code) {
            super(null, null, false, false);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    /** {@code --version}: the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }

        /** The lines, without touching picocli (for {@link QuickCommands}). */
        /**
         * What answers as QEMU 7.2 whichever release is presented (issue 14 item 5: an output that is not the
         * presented release's says so): the QMP protocol is 7.2's recorded schema, so the greeting, query-version
         * and query-cpu-model-expansion are 7.2's with it.
         */
        static final String STILL_QEMU72 = "QEMU 7.2's in every release: QMP (greeting, query-version, query-qmp-schema, "
                + "query-cpu-model-expansion)";

        /** What -device help lists presenting {@code r}: that release's types among those Machina declares. */
        static String deviceListLine(String r) {
            return "device list (-device help) as QEMU " + r + " for the device types Machina has"
                    + (r.equals("7.2") ? "" : " (QEMU 7.2's categories and descriptions; types added since from their source)");
        }

        /**
         * Which release's CPU models -cpu help and query-cpu-definitions list when {@code r} is presented: its own
         * (10.2: read from its target/i386/cpu.c), or QEMU 7.2's where no source of {@code r} has been read; and
         * that Machina runs only 7.2's models.
         */
        static String cpuModelsLine(String r) {
            String m = dev.machina.util.CpuModelReleases.of(r);
            return "CPU models (-cpu help, query-cpu-definitions) as QEMU " + m
                    + (m.equals(r) ? "" : " (QEMU " + r + "'s CPU list is not in Machina's data)")
                    + (m.equals("7.2") ? "" : "; -cpu runs QEMU 7.2's models only");
        }

        static String[] lines() {
            String v = Main.class.getPackage().getImplementationVersion();
            String env = System.getenv(dev.machina.machine.QemuRelease.ENV);
            String r = dev.machina.machine.QemuRelease.parse(env);
            return new String[] {"machina " + (v == null ? "(development build)" : v),
                    "machine data and property defaults as QEMU " + (r == null ? dev.machina.machine.QemuRelease.NEWEST
                            + " (" + dev.machina.machine.QemuRelease.ENV + " names no known release)" : r)
                            + " (" + dev.machina.machine.QemuRelease.ENV + " picks another: "
                            + String.join(", ", dev.machina.machine.QemuRelease.KNOWN) + ")",
                    STILL_QEMU72,
                    cpuModelsLine(r == null ? dev.machina.machine.QemuRelease.NEWEST : r),
                    deviceListLine(r == null ? dev.machina.machine.QemuRelease.NEWEST : r),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
