package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -o /dev/stdout} with standard output appended to a file ({@code >> log}): the output is
 * added to the file. /dev/stdout leads through /proc/self/fd/1 to that regular file, and an
 * atomic write (temporary file renamed over the target) would have replaced it, losing its contents.
 */
class WriteToStdoutIT {
    private static final Path JAR = Path.of("target/machina.jar").toAbsolutePath();

    @Test
    void writingToDevStdoutAppendsToARedirectedFile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log.txt");
        Files.writeString(log, "previous line\n");
        Process p = new ProcessBuilder("java", "-jar", JAR.toString(), "config", "write", "-M", "pc", "-o", "/dev/stdout")
                .directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
        p.waitFor(); // no time limit: a busy machine is slow, not wrong
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("err.txt")));
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("previous line\n[machine]\n"), text);
        assertTrue(text.contains("type = \"pc\""), text);
    }
}
