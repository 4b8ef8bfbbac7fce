package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machina.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential: each -blockdev/-netdev/-object case QEMU 7.2 was run with
 * (tests/qemu72/qapi-errors/recorded.json, by tools/qemu72/record_qapi_errors.py) read as Machina reads
 * a command line, in strict and compat mode. Where QEMU accepted it, Machina accepts it; where QEMU's
 * QAPI visit refused it, Machina refuses it and its first error says what QEMU said, at the same
 * option; {@code machina config write} then exits 1 as QEMU did (checked through the CLI for one
 * refusal and one acceptance of each option). QEMU's other refusals come after the visit, when the
 * backend is opened or created (a qcow2 that is not one, a range a backend checks): those are in
 * {@link #LATER}; refusals whose message differs are in {@link #WORDED}.
 */
class QapiErrorsAgreeWithQemuTest {
    static final Path RECORDED = Path.of("tests/qemu72/qapi-errors/recorded.json");

    @TempDir
    static Path tmp;

    /** QEMU refusals Machina does not reproduce, by a piece of the case, with why. */
    static final Map<String, String> LATER = Map.of(
            "\"latency-ns\":-1", "null-co's open checks latency-ns >= 0 (block/null.c), after the QAPI visit",
            "\"backing\":null}", "qcow2's open reads the image (a null-co file is not a qcow2 image)",
            "\"poll-grow\":-1", "iothread's property setter checks the range (iothread.c), after the visit");

    /** QEMU refusals Machina refuses too, in other words, with why. */
    static final Map<String, String> WORDED = Map.of();

    record Case(List<String> args, String cfg, int status, String message) {
        String what() {
            return cfg == null ? String.join(" ", args) : cfg.replace("\n", "\\n");
        }
    }

    static List<Case> cases() throws IOException {
        JsonNode root = new ObjectMapper().readTree(RECORDED.toFile());
        List<Case> out = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            List<String> args = new ArrayList<>();
            c.path("args").forEach(a -> args.add(a.asText()));
            String err = c.get("stderr").asText();
            // "qemu-system-x86_64: -opt VALUE: message" or "qemu-system-x86_64:FILE:LINE: message"
            String message = err.isEmpty() ? "" : err.substring(err.indexOf(": ", err.startsWith("qemu-system-x86_64: -")
                    ? "qemu-system-x86_64: -".length() + String.join(" ", args).length() - 1 : 0) + 2);
            out.add(new Case(args, c.has("cfg") ? c.get("cfg").asText() : null, c.get("status").asInt(), message));
        }
        return out;
    }

    private static List<String> args(Case c) throws IOException {
        if (c.cfg() == null) {
            return c.args();
        }
        Path f = Files.createTempFile(tmp, "case", ".cfg");
        Files.writeString(f, c.cfg());
        return List.of("-readconfig", f.toString());
    }

    /** Empty when Machina accepts the case, else its first error as the command line prints it. */
    private static String ours(List<String> args, ReadMode mode) {
        try {
            new Configs(Qemu72.env()).fromCommandLine(args, mode);
            return "";
        } catch (ConfigException e) {
            return e.errors().get(0).render();
        }
    }

    private static String note(Map<String, String> table, Case c) {
        return table.entrySet().stream().filter(e -> c.what().contains(e.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    @TestFactory
    Stream<DynamicTest> machinaAcceptsAndRefusesAsQemuDid() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.what(), () -> {
            String later = note(LATER, c);
            String worded = note(WORDED, c);
            List<String> args = args(c);
            for (ReadMode mode : ReadMode.values()) {
                String first = ours(args, mode);
                if (c.status() == 0 || later != null) {
                    assertEquals("", first, mode + ": QEMU 7.2's visit accepted it" + (later == null ? "" : " (" + later + ")"));
                    continue;
                }
                assertTrue(!first.isEmpty(), mode + ": QEMU 7.2 refused it: " + c.message());
                if (worded != null) {
                    assertTrue(!first.contains(c.message()), mode + ": now worded as QEMU's; remove it from WORDED: " + first);
                } else if (c.cfg() == null) {
                    // an empty argument (-numa ''): QEMU's location is "-numa : ", Machina's the option alone
                    String at = c.args().get(0) + (c.args().get(1).isEmpty() ? "" : " " + c.args().get(1)) + ": ";
                    assertTrue(first.startsWith(at + c.message()), mode + ": QEMU 7.2 said\n  " + at + c.message() + "\nMachina:\n  " + first);
                } else {
                    assertTrue(first.contains(": " + c.message()), mode + ": QEMU 7.2 said\n  " + c.message() + "\nMachina:\n  " + first);
                }
            }
        }));
    }

    /** The exit status, through the CLI: a refusal of each option exits 1 as QEMU 7.2 did, an acceptance 0. */
    @TestFactory
    Stream<DynamicTest> configWriteExitsAsQemuDid() throws IOException {
        List<Case> picked = new ArrayList<>();
        for (String option : List.of("-blockdev", "-netdev", "-object")) {
            for (boolean refused : new boolean[] {true, false}) {
                cases().stream().filter(c -> c.cfg() == null && c.args().get(0).equals(option) && (c.status() != 0) == refused
                        && note(LATER, c) == null).findFirst().ifPresent(picked::add);
            }
        }
        assertEquals(6, picked.size());
        return picked.stream().map(c -> DynamicTest.dynamicTest(c.what(), () -> {
            List<String> argv = new ArrayList<>(List.of("config", "write", "--"));
            argv.addAll(c.args());
            CliRunner r = CliRunner.run(argv.toArray(String[]::new));
            assertEquals(c.status(), r.code(), r.err());
        }));
    }

    @Test
    void theRecordingHasTheCasesThisTestClaims() throws IOException {
        List<Case> all = cases();
        assertTrue(all.size() >= 70, "cases: " + all.size());
        assertTrue(all.stream().filter(c -> c.status() != 0).count() >= 60, "refusals");
        for (String key : concat(LATER.keySet(), WORDED.keySet())) {
            assertTrue(all.stream().anyMatch(c -> c.what().contains(key) && c.status() != 0), "names a case QEMU refused: " + key);
        }
    }

    private static List<String> concat(java.util.Set<String> a, java.util.Set<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
