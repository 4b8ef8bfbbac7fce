package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libvirt corpus (tests/libvirt, see dev.machina.config.LibvirtCorpusTest) as a user runs it: for every
 * line not in known-failures.txt, {@code machina config write ARGS -o F} exits 0, {@code machina config check F}
 * exits 0, and {@code machina run ARGS -writeconfig -} writes exactly what {@code config write ARGS} writes.
 * The lines both refuse to start from (what QEMU would refuse at start) are in tests/libvirt/refused-at-start.txt
 * with the error, which both must give.
 */
class LibvirtCorpusCliTest {
    @TempDir
    static Path tmp;

    @TestFactory
    Stream<DynamicTest> configWriteCheckAndRunWriteconfigAgree() throws IOException {
        Context context = new Context();
        Set<String> known = dev.machina.config.LibvirtCorpusTestAccess.knownFailures();
        java.util.Map<String, String> atStart = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("tests/libvirt/refused-at-start.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                atStart.put(line.substring(0, line.indexOf(": ")), line.substring(line.indexOf(": ") + 2));
            }
        }
        List<DynamicTest> out = new ArrayList<>();
        for (Path p : dev.machina.config.LibvirtCorpusTestAccess.corpus()) {
            String name = dev.machina.config.LibvirtCorpusTestAccess.name(p);
            if (known.contains(name)) {
                continue;
            }
            out.add(DynamicTest.dynamicTest(name, () -> {
                List<String> args = dev.machina.config.LibvirtCorpusTestAccess.args(p);
                Path file = tmp.resolve(name.replace('/', '-') + ".cfg");
                List<String> write = new ArrayList<>(List.of("config", "write"));
                write.addAll(args);
                write.addAll(List.of("-o", file.toString()));
                CliRunner w = CliRunner.run(context, write.toArray(String[]::new));
                String refused = atStart.get(name);
                if (refused != null) {
                    List<String> run = new ArrayList<>(List.of("run"));
                    run.addAll(args);
                    run.addAll(List.of("-writeconfig", "-"));
                    CliRunner r = CliRunner.run(context, run.toArray(String[]::new));
                    for (CliRunner x : List.of(w, r)) {
                        assertEquals(1, x.code(), name + " is in refused-at-start.txt but starts now: remove it there");
                        assertTrue(x.err().contains(refused), name + " is refused otherwise than refused-at-start.txt says: " + x.err());
                    }
                    assertTrue(!Files.exists(file), name + ": a refused config write leaves no file");
                    return;
                }
                assertEquals(0, w.code(), name + ": config write: " + w.err());
                CliRunner c = CliRunner.run(context, "config", "check", file.toString());
                assertEquals(0, c.code(), name + ": config check: " + c.err());
                List<String> run = new ArrayList<>(List.of("run"));
                run.addAll(args);
                run.addAll(List.of("-writeconfig", "-"));
                CliRunner r = CliRunner.run(context, run.toArray(String[]::new));
                assertEquals(0, r.code(), name + ": run -writeconfig -: " + r.err());
                assertEquals(Files.readString(file), r.out(), name + ": run ARGS -writeconfig - and config write ARGS");
            }));
        }
        assertTrue(out.size() - atStart.size() >= 300, out.size() - atStart.size() + " corpus lines start");
        for (String k : atStart.keySet()) {
            assertTrue(dev.machina.config.LibvirtCorpusTestAccess.corpus().stream().anyMatch(p -> dev.machina.config.LibvirtCorpusTestAccess.name(p).equals(k)),
                    "refused-at-start.txt names " + k + ", which is not in the corpus");
        }
        return out.stream();
    }
}
