package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file a command reads is bounded before it is parsed: /dev/zero, a file past the limit and a
 * single enormous word each end in one positioned line with exit 1, never an OutOfMemoryError
 * (exit 70) or minutes of parsing. The limits are in the messages.
 */
class InputLimitsTest {
    private static final Context CONTEXT = new Context();

    @TempDir
    Path dir;

    private static CliRunner run(String... args) {
        return CliRunner.run(CONTEXT, args);
    }

    @Test
    void machineValidateOfDevZeroStopsAtTheLimit() {
        CliRunner r = run("machine", "validate", "/dev/zero");
        assertEquals(1, r.code(), r.err());
        assertEquals("/dev/zero:1:33554433: the file is larger than 32 MiB (the limit for a data file) and was not read past here"
                + " [size-limit]\nmachina: 1 problem found\n", r.err());
    }

    @Test
    void aDataFileLargerThanTheLimitNamesTheLineWhereTheLimitFalls() throws IOException {
        Path big = dir.resolve("big.yaml");
        byte[] line = ("# " + "x".repeat(1021) + "\n").getBytes(StandardCharsets.US_ASCII); // 1 KiB a line
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 33 * 1024; i++) {
                out.write(line);
            }
        }
        CliRunner r = run("machine", "validate", big.toString());
        assertEquals(1, r.code());
        assertEquals(big + ":32769:1: the file is larger than 32 MiB (the limit for a data file) and was not read past here"
                + " [size-limit]\nmachina: 1 problem found\n", r.err());
    }

    @Test
    void aSingleWordOfEightMebibytesIsRefusedBeforeSnakeYamlReadsIt() throws IOException {
        Path f = dir.resolve("word.yaml");
        Files.writeString(f, "kind: machine-family\nfamily: \"" + "x".repeat(8 << 20) + "\"\n");
        CliRunner r = run("machine", "validate", f.toString());
        assertEquals(1, r.code());
        assertEquals(f + ":2:9: more than 64 KiB of characters without a space or line break (the limit for one word of a"
                + " data file); break the value into lines or shorten it [size-limit]\nmachina: 1 problem found\n", r.err());
    }

    @Test
    void aValidFileOfTwentyTwoMegabytesIsReadNotCalledASyntaxError() throws IOException {
        Path f = dir.resolve("compat-big.yaml");
        StringBuilder b = new StringBuilder("kind: compat-sets\n# ");
        String comment = "padding ".repeat(127) + "\n# ";
        while (b.length() < 22_000_000) {
            b.append(comment);
        }
        b.append("\nsets:\n  - name: big-1\n    source: {release: \"7.2.0\", file: hw/core/machine.c, line: 40}\n"
                + "    entries:\n      - {driver: virtio-net-pci, property: vectors, value: \"3\"}\n");
        Files.writeString(f, b);
        CliRunner r = run("machine", "validate", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("ok: "), r.out());
    }

    @Test
    void checkStableWithABaselineOfDevZeroStopsAtTheLimit() {
        CliRunner r = run("machine", "check-stable", "--baseline", "/dev/zero");
        assertEquals(1, r.code());
        assertEquals("machina: baseline '/dev/zero' is larger than 64 MiB (the limit for a baseline; line 1 is where it falls),"
                + " so it is not a snapshot; make one with 'machina machine snapshot -o FILE'\n", r.err());
    }

    @Test
    void singlestepOfDevZeroStopsAtTheLineLimit() {
        CliRunner r = run("cpu", "singlestep", "/dev/zero");
        assertEquals(1, r.code());
        assertEquals("machina: /dev/zero:1: a line longer than 1048576 characters (the limit for one test record), so not a"
                + " SingleStepTests file\n", r.err());
    }

    @Test
    void singlestepMetadataOfDevZeroStopsAtTheLimit() throws IOException {
        Path tests = dir.resolve("t.jsonl");
        Files.writeString(tests, "{}\n");
        CliRunner r = run("cpu", "singlestep", tests.toString(), "--metadata", "/dev/zero");
        assertEquals(1, r.code());
        assertEquals("machina: /dev/zero: larger than 16 MiB (the limit for a metadata file; SingleStepTests' is about 200 KB),"
                + " not read past line 1\n", r.err());
    }

    /**
     * A 100,000-character name, file name or option value (issue 14 item 9's input) is echoed cut, saying
     * its length: each error line stays short whichever command reports it.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"device show", "machine show", "machine diff pc", "config check",
        "config convert", "machine validate", "machine check-stable --baseline", "cpu singlestep", "machine list --format",
        "device show isa-serial --format", "run -M", "config write -M", "machine --"})
    void aHugeArgumentIsEchoedCutInEveryCommandsError(String command) {
        String huge = "y".repeat(100_000);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command.split(" ")));
        if (command.endsWith("--")) {
            args.set(args.size() - 1, "--" + huge); // an unknown option of that length
        } else {
            args.add(huge);
        }
        CliRunner r = run(args.toArray(String[]::new));
        assertTrue(r.code() == 1 || r.code() == 2, command + ": exit " + r.code());
        assertTrue(r.err().contains("...(cut: 10000"), command + ": " + r.err().substring(0, Math.min(300, r.err().length())));
        for (String line : r.err().split("\n")) {
            assertTrue(line.length() < 400, () -> command + ": a line of " + line.length() + " characters: " + line.substring(0, 200));
        }
    }
}
