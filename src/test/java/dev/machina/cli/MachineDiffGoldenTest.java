package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The text, markdown, CSV and explain outputs of small diffs, byte for byte: each line
 * {@code FILE ARGS...} of {@code tests/machine-diff/cases.txt} says that {@code machina machine diff
 * ARGS} prints exactly {@code tests/machine-diff/FILE}. Regenerate with {@code tools/regen-goldens.sh}
 * and read the diff.
 */
class MachineDiffGoldenTest {
    private static final Path DIR = Path.of("tests/machine-diff");
    private final Context context = new Context();

    @TestFactory
    Stream<DynamicTest> eachCasePrintsItsGolden() throws Exception {
        List<String[]> cases = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("cases.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                cases.add(line.trim().split("\\s+"));
            }
        }
        assertTrue(cases.size() >= 4, "expected goldens for text, markdown, csv and explain");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c[0], () -> {
            List<String> args = new ArrayList<>(List.of("machine", "diff"));
            args.addAll(Arrays.asList(c).subList(1, c.length));
            args.addAll(List.of("--color", "never"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), context);

            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            assertEquals(Files.readString(DIR.resolve(c[0]), StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8), c[0]);
        }));
    }
}
