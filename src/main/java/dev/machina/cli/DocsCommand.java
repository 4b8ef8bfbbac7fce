package dev.machina.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code machina docs [-o DIR]}: the static HTML reference of every machine type, device type and compat set. */
@Command(name = "docs", description = {"Write a static HTML reference generated from the data: a page per machine type "
        + "(options with where they come from, compat sets and the values they give, every device's effective properties, "
        + "the device graph, what changed since the previous version), a page per change, per device type and per compat "
        + "set, and an index with search. It needs no server or network: open DIR/index.html in a browser.",
        "The graphs are drawn by Graphviz's dot (Debian: apt-get install graphviz); without it the pages say so."})
final class DocsCommand implements Callable<Integer> {
    /** The file that marks a directory as written by this command, so that a second run may replace it. */
    static final String MARKER = ".machina-docs";
    private static final List<String> DIRS = List.of("machines", "diffs", "types", "compat");

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "machina-docs",
            description = "the directory to write (default: ${DEFAULT-VALUE}); an existing one must be empty or written by "
                    + "an earlier 'machina docs'")
    String output;

    @Option(names = "--jobs", paramLabel = "N", description = "how many dot processes draw the graphs at once (default: the "
            + "number of processors)")
    Integer jobs;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        Context context = main.context();
        Path dir = Path.of(output);
        checkDirectory(dir);
        int processes = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        if (processes < 1) {
            throw new UserError("--jobs " + processes + ": give 1 or more");
        }
        DocsSite site;
        try (Progress p = Progress.start(context.terminal(), spec.commandLine().getErr(), "docs: machine types", 0)) {
            site = DocsSite.build(context.catalog(), MachineGraphCommand.modelled(), Main.Version.lines()[0], p, processes);
            p.restart("docs: writing files", site.files().size());
            write(dir, site.files(), p);
        }
        DocsSite.Stats s = site.stats();
        double seconds = (System.nanoTime() - start) / 1e9;
        java.io.PrintWriter err = spec.commandLine().getErr();
        if (s.graphsMissing() != null) {
            err.println("machina: docs: the device graphs are not drawn: " + s.graphsMissing());
        }
        err.printf(java.util.Locale.ROOT, "machina: wrote %d files to %s: %d machine types, %d changes, %d device types, %d compat"
                + " sets, %d graphs, in %.1f s (dry runs and diffs %.1f s, graphs %.1f s, pages %.1f s); open %s%n", s.files(),
                output, s.machines(), s.diffs(), s.types(), s.compatSets(), s.graphs(), seconds, s.loadSeconds(), s.drawSeconds(),
                s.pageSeconds(), dir.resolve("index.html"));
        return Main.EXIT_OK;
    }

    /** DIR may be missing, empty, or an earlier output (it has the marker); anything else is not ours to overwrite. */
    private static void checkDirectory(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError("-o " + dir + ": is a file, not a directory; name a new or empty directory");
        }
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER))) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new UserError("-o " + dir + ": the directory is not empty and was not written by 'machina docs' (it has"
                            + " no " + MARKER + "); name a new or empty directory");
                }
            } catch (IOException e) {
                throw new UserError("-o " + dir + ": cannot read the directory: " + e.getMessage());
            }
        }
    }

    /** Every file written; files an earlier run left in the page directories and this one does not write are removed. */
    private static void write(Path dir, Map<String, String> files, Progress p) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(MARKER), "written by machina docs; 'machina docs -o' may replace this directory\n",
                    StandardCharsets.UTF_8);
            for (String d : DIRS) {
                Path sub = dir.resolve(d);
                Files.createDirectories(sub);
                try (Stream<Path> s = Files.list(sub)) {
                    for (Path f : (Iterable<Path>) s::iterator) {
                        if (Files.isRegularFile(f) && !files.containsKey(d + "/" + f.getFileName())) {
                            Files.delete(f);
                        }
                    }
                }
            }
            for (Map.Entry<String, String> e : files.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
                p.step(null);
            }
        } catch (IOException e) {
            throw new UserError("cannot write the reference to " + dir + ": " + e.getMessage());
        }
    }
}
