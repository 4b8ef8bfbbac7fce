package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code machina cpu singlestep} and {@code machina cpu run} as a user runs them. */
class CpuCommandTest {
    @TempDir
    Path tmp;

    private record Run(int status, String out, String err) {}

    private static Run machina(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final Path SHARED = Path.of("../shared/x86/singlestep");

    /** The first n lines of the shared suite, as a plain JSON-lines file. */
    private Path firstTests(int n) throws IOException {
        Path f = tmp.resolve("some.jsonl");
        try (var in = new GZIPInputStream(Files.newInputStream(SHARED.resolve("sst286-real-100.jsonl.gz")))) {
            String all = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            Files.writeString(f, String.join("\n", all.lines().limit(n).toList()) + "\n");
        }
        return f;
    }

    @Test
    void singlestepEndsWithTheCountsLine() throws IOException {
        Run r = machina("cpu", "singlestep", firstTests(50).toString(), "--metadata", SHARED.resolve("metadata.json").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("50 passed, 0 failed, 0 skipped", r.out().strip().lines().reduce((a, b) -> b).orElse(""));
    }

    @Test
    void aWrongExpectationIsAFailureWithExitStatus1() throws IOException {
        Path f = firstTests(3);
        String text = Files.readString(f);
        // the first test's final IP becomes wrong
        Files.writeString(f, text.replaceFirst("\"final\":\\{\"regs\":\\{\"ip\":38076", "\"final\":{\"regs\":{\"ip\":1"));
        Run r = machina("cpu", "singlestep", f.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().contains("fail 00 #0"), r.out());
        assertTrue(r.out().strip().endsWith("2 passed, 1 failed, 0 skipped"), r.out());
    }

    @Test
    void missingOrCorruptTestFilesAreOneLineErrors() throws IOException {
        Run missing = machina("cpu", "singlestep", tmp.resolve("nope.jsonl.gz").toString());
        assertEquals(1, missing.status());
        assertEquals("machina: test file not found: " + tmp.resolve("nope.jsonl.gz") + "\n", missing.err());

        Path bad = tmp.resolve("bad.jsonl.gz");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5});
        Run corrupt = machina("cpu", "singlestep", bad.toString());
        assertEquals(1, corrupt.status());
        assertTrue(corrupt.err().startsWith("machina: " + bad + ": not a readable gzip file"), corrupt.err());
        assertEquals(1, corrupt.err().lines().count());

        Path notJson = tmp.resolve("x.jsonl");
        Files.writeString(notJson, "{\"bytes\": [1,2\n");
        Run json = machina("cpu", "singlestep", notJson.toString());
        assertEquals(1, json.status());
        assertTrue(json.err().startsWith("machina: " + notJson + ":1: not JSON"), json.err());
        assertEquals(1, json.err().lines().count());

        Run meta = machina("cpu", "singlestep", notJson.toString(), "--metadata", tmp.resolve("m.json").toString());
        assertEquals("machina: metadata file not found: " + tmp.resolve("m.json") + "\n", meta.err());
    }

    @Test
    void recordsOfTheWrongShapeAreOneLineErrorsNamingTheField() throws IOException {
        String[][] cases = {
            {"\"ram\":[[1]]", "initial.ram has [1]; expected [address, byte] pairs"},
            {"\"ram\":[5]", "initial.ram has 5; expected [address, byte] pairs"},
            {"\"ram\":{\"a\":1}", "initial.ram is not a list of [address, byte] pairs"},
            {"\"ram\":[[1,256]]", "initial.ram byte is 256; expected an integer 0..255"},
            {"\"ram\":[[\"1\",2]]", "initial.ram address (RAM is 16 MiB) is \"1\"; expected an integer 0..16777215"},
            {"\"regs\":{\"ax\":\"zz\"},\"ram\":[]", "initial.regs.ax is \"zz\"; expected an integer 0..4294967295"},
        };
        for (String[] c : cases) {
            Path f = tmp.resolve("shape.jsonl");
            String initial = c[0].startsWith("\"regs\"") ? c[0] : "\"regs\":{}," + c[0];
            Files.writeString(f, "{\"bytes\":[144,244],\"initial\":{" + initial + "},\"final\":{\"regs\":{},\"ram\":[]}}\n");
            Run r = machina("cpu", "singlestep", f.toString());
            assertEquals(1, r.status(), c[0] + ": " + r.err());
            assertEquals("machina: " + f + ":1: " + c[1] + "\n", r.err(), c[0]);
        }
        Path blank = tmp.resolve("blank.jsonl");
        Files.writeString(blank, "\n\n");
        Run r = machina("cpu", "singlestep", blank.toString());
        assertEquals(1, r.status());
        assertEquals("machina: " + blank + ": no tests in the file\n", r.err());
    }

    @Test
    void runPrintsTheGuestConsoleAndExitsWithItsStatus() {
        Run r = machina("cpu", "run", "tests/guests/pmode.bin");
        assertEquals(1, r.status(), r.err());
        assertEquals("protected mode: entered left and re-entered: PASS\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void badRomsAreOneLineErrors() throws IOException {
        Run missing = machina("cpu", "run", tmp.resolve("none.bin").toString());
        assertEquals(1, missing.status());
        assertEquals("machina: ROM image not found: " + tmp.resolve("none.bin") + "\n", missing.err());

        Path odd = tmp.resolve("odd.bin");
        Files.write(odd, new byte[1000]);
        Run wrong = machina("cpu", "run", odd.toString());
        assertEquals(1, wrong.status());
        assertEquals("machina: " + odd + ": a ROM image must be a multiple of 64 KiB and at most 16 MiB; this one has 1000 bytes\n",
                wrong.err());

        Path huge = tmp.resolve("huge.bin");
        try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: 3 GiB that must not be read into the heap
        }
        Run big = machina("cpu", "run", huge.toString());
        assertEquals(1, big.status(), big.err());
        assertEquals("machina: " + huge + ": a ROM image must be a multiple of 64 KiB and at most 16 MiB; this one is larger\n",
                big.err());

        Run budget = machina("cpu", "run", "tests/guests/pmode.bin", "--max-instructions", "0");
        assertEquals(1, budget.status());
        assertEquals("machina: --max-instructions: must be at least 1, not 0\n", budget.err());

        Run model = machina("cpu", "run", "tests/guests/pmode.bin", "--cpu", "z80");
        assertEquals(1, model.status());
        assertFalse(model.err().contains("Exception"), model.err());

        Run port = machina("cpu", "run", "tests/guests/pmode.bin", "--debug-port", "0x3F8");
        assertEquals(1, port.status());
        assertEquals("machina: --debug-port: the debug console is on port 0x402 or 0xE9, not 0x3F8\n", port.err());
    }

    /** A guest whose #UD handler is the LOCK DIV that raised it: --max-instructions still ends the run. */
    @Test
    void maxInstructionsEndsAGuestThatFaultsForEver() throws IOException {
        byte[] rom = new byte[65536];
        java.util.Arrays.fill(rom, (byte) 0xF4);
        int[] code = { // set IVT[6] to F000:0018, SS:SP to 1000:FFF0, then F000:0018 lock div cx (#UD on a 386+)
            0x31, 0xC0, 0x8E, 0xD8, 0xC7, 0x06, 0x18, 0x00, 0x18, 0x00, 0xC7, 0x06, 0x1A, 0x00, 0x00, 0xF0,
            0xB8, 0x00, 0x10, 0x8E, 0xD0, 0xBC, 0xF0, 0xFF, 0xF0, 0xF7, 0xF1};
        for (int i = 0; i < code.length; i++) {
            rom[i] = (byte) code[i];
        }
        byte[] jmp = {(byte) 0xEA, 0, 0, 0, (byte) 0xF0}; // jmp F000:0000 at the reset vector
        System.arraycopy(jmp, 0, rom, 0xFFF0, jmp.length);
        Path f = tmp.resolve("storm.bin");
        Files.write(f, rom);
        Run r = machina("cpu", "run", f.toString(), "--max-instructions", "5000");
        assertEquals(1, r.status(), r.err());
        assertEquals("machina: stopped after 8 instructions and 4992 faults (--max-instructions)\n", r.err());
    }

    @Test
    void statsReportInstructionsAndMips() {
        Run r = machina("cpu", "run", "tests/guests/pmode.bin", "--stats");
        assertEquals(1, r.status());
        // on the compiled tier (machina.tier=compiled) a line with the blocks compiled follows
        assertTrue(r.err().matches("(?s)machina: \\d+ instructions in [0-9.]+ s \\([0-9.]+ MIPS\\)\n"
                + "(machina: \\d+ blocks compiled to JVM bytecode\n)?"), r.err());
    }

    @Test
    void helpListsTheCpuSubcommands() {
        Run r = machina("cpu", "--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("singlestep") && r.out().contains("run"), r.out());
    }
}
