package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The broken-file corpus: each {@code tests/machine-validate/NAME.yaml} makes
 * {@code machina machine validate NAME.yaml} exit 1 and print exactly {@code NAME.expected} on stderr
 * (file:line:col, object path, message, rule). Regenerate the goldens with
 * {@code tools/regen-goldens.sh} and read the diff.
 */
class MachineValidateGoldenTest {
    private static final Path CORPUS = Path.of("tests/machine-validate");
    /** One context for the corpus, as one process would have: the packaged data is read and checked once. */
    private final Context context = new Context();

    @TestFactory
    Stream<DynamicTest> eachBrokenFileGivesExitOneAndItsExpectedDiagnostics() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 20, "the corpus needs at least 20 broken files, has " + files.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String name = f.toString();
            Path expected = Path.of(name.substring(0, name.length() - ".yaml".length()) + ".expected");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int code = Main.run(new String[] {"machine", "validate", name}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), context);

            assertEquals(1, code, name + " should be rejected");
            assertEquals(Files.readString(expected, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), name);
            assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing on stdout for " + name);
        }));
    }
}
