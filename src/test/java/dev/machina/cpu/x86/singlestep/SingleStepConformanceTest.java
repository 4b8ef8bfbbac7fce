package dev.machina.cpu.x86.singlestep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared SingleStepTests 80286 real-mode subset (32,500 instructions captured on a real CPU)
 * runs on the core: at least 99% pass, and every skipped or failed test is the one listed, with
 * its reason, in tests/singlestep/sst286-real-100.known.txt. Regenerate that list (after checking
 * each change) with:
 * {@code tools/machina cpu singlestep ../shared/x86/singlestep/sst286-real-100.jsonl.gz --list > tests/singlestep/sst286-real-100.known.txt}
 */
class SingleStepConformanceTest {
    private static final Path DIR = Path.of("../shared/x86/singlestep");
    private static final Path KNOWN = Path.of("tests/singlestep/sst286-real-100.known.txt");

    @Test
    void realModeSubsetPassesAndEveryDifferenceIsTheListedOne() throws IOException {
        SingleStepRunner.Summary s = new SingleStepRunner(DIR.resolve("metadata.json"))
                .run(DIR.resolve("sst286-real-100.jsonl.gz"));
        int total = s.passed() + s.failed() + s.skipped();
        assertEquals(32_500, total, "the subset has 32,500 tests");
        assertTrue(s.passed() >= 0.99 * total, "at least 99% must pass: " + s.line());
        List<String> actual = SingleStepRunner.report(s);
        List<String> known = Files.readAllLines(KNOWN);
        if (!actual.equals(known)) {
            Path got = Path.of("target/sst286-real-100.actual.txt");
            Files.write(got, actual);
            for (int i = 0; i < Math.max(actual.size(), known.size()); i++) {
                String a = i < actual.size() ? actual.get(i) : "(none)";
                String k = i < known.size() ? known.get(i) : "(none)";
                if (!a.equals(k)) {
                    throw new AssertionError("skips/failures differ from " + KNOWN + " at line " + (i + 1) + ":\n  listed: " + k
                            + "\n  now:    " + a + "\n(full report written to " + got + ")");
                }
            }
        }
    }
}
