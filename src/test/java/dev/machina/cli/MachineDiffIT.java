package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run from a directory without the repository's data, as a user runs it. */
class MachineDiffIT {
    record Run(int code, String out, String err) {}

    private static Run jar(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-jar", Path.of("target/machina.jar").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.waitFor(); // no time limit: a busy machine is slow, not wrong
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theJarDiffsItsPackagedDataAsTheTestsDo(@TempDir Path dir) throws Exception {
        Run r = jar(dir, "machine", "diff", "pc-i440fx-7.1", "pc-i440fx-7.2", "--format", "json");

        assertEquals(0, r.code(), r.err());
        assertEquals(CliRunner.run("machine", "diff", "pc-i440fx-7.1", "pc-i440fx-7.2", "--format", "json").out(), r.out());
    }

    @Test
    void theJarsSnapshotIsTheCommittedBaseline(@TempDir Path dir) throws Exception {
        Run r = jar(dir, "machine", "snapshot", "-o", "s.json");

        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(CheckStableTest.BASELINE), Files.readString(dir.resolve("s.json")));
    }

    @Test
    void anUnknownMachineIsOneLineOnStderrAndExitOne(@TempDir Path dir) throws Exception {
        Run r = jar(dir, "machine", "diff", "pc-q35-7.2", "pc-q53-7.1");

        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("did you mean 'pc-q35-7.1'"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
