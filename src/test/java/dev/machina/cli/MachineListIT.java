package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar lists machines from the index the build packs into it; what it prints must be
 * what reading the machine families gives (the in-process run reads them, since tests run from the
 * classes directory).
 */
class MachineListIT {
    @Test
    void theJarListsWhatTheFamiliesSay(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder("java", "-jar", Path.of("target/machina.jar").toAbsolutePath().toString(),
                "machine", "list", "--all", "--format", "json").redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(); // no time limit: a busy machine is slow, not wrong
        assertEquals(0, p.exitValue());

        String inProcess = MachineCommandTest.run("machine", "list", "--all", "--format", "json").out();

        assertEquals(inProcess, Files.readString(out, StandardCharsets.UTF_8));
    }
}
