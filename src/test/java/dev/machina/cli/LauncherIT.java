package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher and the packaged jar, run as separate processes the way a user runs them. Runs in
 * the integration-test phase, after {@code package} has made {@code target/machina.jar}.
 */
class LauncherIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    record Result(int code, String out, String err) {}

    private static Result exec(File dir, String... cmd) throws IOException, InterruptedException {
        return exec(dir, null, cmd);
    }

    /** @param stdin a file the command reads, or null for none (an empty stream) */
    private static Result exec(File dir, Path stdin, String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("machina-out", ".txt");
        Path err = Files.createTempFile("machina-err", ".txt");
        try {
            ProcessBuilder b = new ProcessBuilder(cmd).directory(dir).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin != null) {
                b.redirectInput(stdin.toFile());
            }
            Process p = b.start();
            p.waitFor(); // no time limit: a busy machine is slow, not wrong
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Result launcher(File dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("tools/machina").toString());
        cmd.addAll(List.of(args));
        return exec(dir, cmd.toArray(String[]::new));
    }

    @Test
    void theLauncherWorksFromAnyDirectory(@TempDir Path elsewhere) throws Exception {
        Result r = launcher(elsewhere.toFile(), "device", "list");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("isa-serial ")), r.out());
    }

    @Test
    void aProbeThroughTheLauncherHasItsOwnClassDataArchive(@TempDir Path elsewhere) throws Exception {
        Path archive = ROOT.resolve("target/machina-probe.jsa");
        Files.deleteIfExists(archive);
        Path in = elsewhere.resolve("qmp.in");
        Files.writeString(in, "{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-status\"}\n{\"execute\":\"quit\"}\n");
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("tools/machina").toString(), "-machine", "none", "-nodefaults",
                "-nographic", "-qmp", "stdio"));
        Result r = exec(elsewhere.toFile(), in, cmd.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"QMP\": {\"version\""), r.out());
        assertTrue(r.out().contains("{\"return\": {\"status\": \"running\""), r.out());
        // made by the launcher's training run (libvirt's probe), used by this and every later probe of this build
        assertTrue(Files.isRegularFile(archive) && Files.size(archive) > 0, "no " + archive);
        assertEquals("", r.err());
    }

    @Test
    void theLauncherPassesTheExitStatusThrough(@TempDir Path elsewhere) throws Exception {
        assertEquals(1, launcher(elsewhere.toFile(), "device", "show", "no-such-type").code());
        assertEquals(2, launcher(elsewhere.toFile(), "device", "frobnicate").code());
    }

    @Test
    void aUserErrorFromTheJarIsOneLineWithoutAStackTrace(@TempDir Path elsewhere) throws Exception {
        Result r = exec(elsewhere.toFile(), "java", "-jar", ROOT.resolve("target/machina.jar").toString(), "device", "show", "no-such-type");
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("no-such-type"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void theJarIsSelfContained(@TempDir Path elsewhere) throws Exception {
        Result r = exec(elsewhere.toFile(), "java", "-jar", ROOT.resolve("target/machina.jar").toString(), "--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("machina 0."), r.out());
    }
}
