package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        return exec(dir, stdin, Map.of(), cmd);
    }

    private static Result exec(File dir, Path stdin, Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("machina-out", ".txt");
        Path err = Files.createTempFile("machina-err", ".txt");
        try {
            ProcessBuilder b = new ProcessBuilder(cmd).directory(dir).redirectOutput(out.toFile()).redirectError(err.toFile());
            b.environment().putAll(env);
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

    /**
     * A JDK 25 or later under /usr/lib/jvm, where the launcher looks for one (it then keeps ahead-of-time
     * caches, {@code .aot}, instead of JDK 17's class-data archives, {@code .jsa}); null when there is none.
     */
    private static Path installedJdk25() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (var homes = Files.list(jvms)) {
            for (Path home : (Iterable<Path>) homes.sorted()::iterator) {
                Path release = home.resolve("release");
                if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
                    continue;
                }
                for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
                    Matcher m = Pattern.compile("^JAVA_VERSION=\"(\\d+)").matcher(line);
                    if (m.find() && Integer.parseInt(m.group(1)) >= 25) {
                        return home;
                    }
                }
            }
        }
        return null;
    }

    @Test
    void theLauncherRunsOnAJdk25WhenOneIsInstalledAndOnMachinaJavaWhenSet(@TempDir Path elsewhere) throws Exception {
        String thisJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Result forced = exec(elsewhere.toFile(), null, Map.of("MACHINA_JAVA", thisJava), ROOT.resolve("tools/machina").toString(), "--version");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(forced.out().contains("Java " + System.getProperty("java.version") + " "), forced.out());
        Path jdk25 = installedJdk25();
        Result picked = launcher(elsewhere.toFile(), "--version");
        assertEquals(0, picked.code(), picked.err());
        if (jdk25 != null) {
            assertTrue(picked.out().lines().anyMatch(l -> l.matches("Java (2[5-9]|[3-9]\\d)[.+].*")), jdk25 + ": " + picked.out());
        }
        assertEquals("", picked.err());
    }

    @Test
    void aSeabiosRunThroughTheLauncherOnAJdk25KeepsAnAheadOfTimeCacheTrainedOnABoot(@TempDir Path elsewhere) throws Exception {
        assumeTrue(installedJdk25() != null, "skipped: no JDK 25 or later under /usr/lib/jvm (the launcher then keeps JDK 17's archives)");
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")), "skipped: Debian's seabios is not installed");
        Path cache = ROOT.resolve("target/machina-run.aot");
        Files.deleteIfExists(cache);
        Result r = launcher(elsewhere.toFile(), "run", "-M", "pc", "-nodefaults", "-nographic", "-serial", "stdio", "-no-reboot",
                "-boot", "reboot-timeout=0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("No bootable device."), r.out());
        assertTrue(Files.isRegularFile(cache) && Files.size(cache) > 0, "no " + cache);
        // the JVM's own cache messages never reach the user (they would go to stdout)
        assertFalse(r.out().contains("[aot]") || r.err().contains("[aot]") || r.out().contains("[cds]"), r.out() + r.err());
    }

    /**
     * A VM run's JVM gets the late optimizing JIT (C2 at ten times its usual counts: a SeaBIOS boot's CPU went
     * mostly to C2 compiling code that then hardly ran), its training run too; an answering command and a
     * management tool's probe (first-tier JIT only) do not. Read from the command lines the launcher gives a
     * stand-in JDK 25 that records them.
     */
    @Test
    void aVmRunThroughTheLauncherGetsTheLateOptimizingJitAndOtherCommandsDoNot(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("jdk");
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
        Path log = dir.resolve("java.log");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho \"$*\" >>" + log + "\n");
        assertTrue(java.toFile().setExecutable(true));
        List<String> late = List.of("-XX:Tier4InvocationThreshold=50000", "-XX:Tier4MinInvocationThreshold=6000",
                "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000");
        Map<String, String> env = Map.of("MACHINA_JAVA", java.toString());
        String launcher = ROOT.resolve("tools/machina").toString();
        for (List<String> args : List.of(
                List.of("run", "-M", "pc", "-nodefaults", "-nographic", "-serial", "stdio", "-no-reboot"),
                List.of("-M", "pc", "-nodefaults", "-nographic"),
                List.of("machine", "list"),
                List.of("-machine", "help"),
                List.of("--version"),
                List.of("-machine", "none", "-nodefaults", "-nographic", "-qmp", "stdio"))) {
            Files.deleteIfExists(log);
            List<String> cmd = new ArrayList<>(List.of(launcher));
            cmd.addAll(args);
            Result r = exec(dir.toFile(), null, env, cmd.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            List<String> calls = Files.readAllLines(log, StandardCharsets.UTF_8);
            String last = calls.get(calls.size() - 1); // the command itself; any before it are training runs
            assertTrue(last.endsWith("-jar " + ROOT.resolve("target/machina.jar") + " " + String.join(" ", args)), last);
            boolean vmRun = args.get(0).equals("run") || args.get(0).equals("-M");
            for (int i = 0; i < calls.size(); i++) {
                String call = calls.get(i);
                List<String> words = List.of(call.split(" "));
                boolean trainsTheRunCache = call.contains("machina-run.aot.") && call.contains("AOTCacheOutput");
                if (i == calls.size() - 1 ? vmRun : trainsTheRunCache) {
                    assertTrue(words.containsAll(late), args + ": " + call);
                } else {
                    assertTrue(late.stream().noneMatch(words::contains), args + ": " + call);
                }
            }
        }
    }

    @Test
    void aProbeThroughTheLauncherHasItsOwnClassDataArchive(@TempDir Path elsewhere) throws Exception {
        Files.deleteIfExists(ROOT.resolve("target/machina-probe.jsa"));
        Files.deleteIfExists(ROOT.resolve("target/machina-probe.aot"));
        Path archive = ROOT.resolve(installedJdk25() != null ? "target/machina-probe.aot" : "target/machina-probe.jsa");
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

    @Test
    void aQuickAnswerFromTheJarIsWholeWithItsExitStatus(@TempDir Path elsewhere) throws Exception {
        // the quick commands end the JVM with halt (no System.exit): the listing still arrives whole,
        // identical to the same command run in-process, and a quick command's error keeps status 1
        java.io.ByteArrayOutputStream want = new java.io.ByteArrayOutputStream();
        java.io.PrintStream o = new java.io.PrintStream(want, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"machine", "list", "--all", "--format", "json"}, o, o));
        String jar = ROOT.resolve("target/machina.jar").toString();
        Result r = exec(elsewhere.toFile(), "java", "-jar", jar, "machine", "list", "--all", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals(want.toString(StandardCharsets.UTF_8), r.out());
        assertEquals("", r.err());
        Result bad = exec(elsewhere.toFile(), null, Map.of("MACHINA_QEMU_VERSION", "6.9"), "java", "-jar", jar, "machine", "list");
        assertEquals(1, bad.code(), bad.err());
        assertEquals(1, bad.err().lines().count(), bad.err());
        assertEquals("", bad.out());
    }
}
