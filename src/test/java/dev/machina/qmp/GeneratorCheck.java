package dev.machina.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

/** Runs a generator of tools/ with {@code --check}: the committed data must be what it writes now. */
final class GeneratorCheck {
    private GeneratorCheck() {}

    static void upToDate(String script) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", script, "--check").redirectErrorStream(true).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "python3 is not installed, so the generator cannot run: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(); // no time limit: a busy machine is slow, not wrong
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("is up to date"), out);
    }
}
