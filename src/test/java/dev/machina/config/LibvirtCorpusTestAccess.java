package dev.machina.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The libvirt corpus reader of {@link LibvirtCorpusTest}, for the CLI-level corpus test in another package. */
public final class LibvirtCorpusTestAccess {
    private LibvirtCorpusTestAccess() {}

    public static List<Path> corpus() throws IOException {
        return LibvirtCorpusTest.corpus();
    }

    public static String name(Path p) {
        return LibvirtCorpusTest.name(p);
    }

    public static List<String> args(Path p) throws IOException {
        return LibvirtCorpusTest.args(p);
    }

    public static Set<String> knownFailures() throws IOException {
        return LibvirtCorpusTest.knownFailures().keySet();
    }
}
