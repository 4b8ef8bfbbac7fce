package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
 * Every {@code -readconfig} case QEMU 7.2 was run on (transcripts 03 and 04), run through Machina
 * with the same command line:
 * <ul>
 *   <li>with {@code --compat=qemu}: accepted exactly when QEMU accepted it, with the same values as QMP
 *       reported (name, chardevs, devices, machine type, RAM, CPUs); rejected when QEMU rejected it,
 *       and where QEMU rejected it while reading the file, with QEMU's message at QEMU's line;</li>
 *   <li>strict: each case is accepted or rejected as the table below says, a rejection's first error
 *       being at the line the table names (for every case QEMU accepts silently but misreads, too).</li>
 * </ul>
 */
class TranscriptFileCasesTest {
    @TempDir
    Path dir;

    /**
     * Strict mode: 0 = accepted; n = rejected with the first error at line n. Written from the
     * facts' table (§1.2) and the case files; the comment says why where QEMU is silent.
     */
    private static final Map<String, Integer> STRICT = Map.ofEntries(
            Map.entry("c01", 0), Map.entry("c02", 0), Map.entry("c03", 2), Map.entry("c04", 0), Map.entry("c05", 2),
            Map.entry("c06", 2),   // silent: unquoted value read as ""
            Map.entry("c07", 2),   // silent: single-quoted value read as ""
            Map.entry("c07b", 2),  // silent: bare key read as key = ""
            Map.entry("c08", 0), Map.entry("c09", 0),
            Map.entry("c10", 2),   // silent: value cut at the first quote
            Map.entry("c11", 2),   // silent: unterminated quote keeps the line end
            Map.entry("c12", 0), Map.entry("c13", 2), Map.entry("c14", 2),
            Map.entry("c15", 1),   // silent: CRLF line ends (an empty CRLF line would be a parse error)
            Map.entry("c16", 1), Map.entry("c17", 0), Map.entry("c18", 1), Map.entry("c19", 1), Map.entry("c20", 1),
            Map.entry("c21", 0), Map.entry("c22", 1), Map.entry("c23", 1),
            Map.entry("c24", 3),   // silent: duplicate key, last wins
            Map.entry("c25", 0), Map.entry("c26", 1), Map.entry("c27", 1), Map.entry("c28", 0),
            Map.entry("c28b", 1),  // silent: text after the id's quote (even a missing ']') ignored
            Map.entry("c29", 1), Map.entry("c30", 1),
            Map.entry("c31", 2),   // silent: an id key overrides the header id
            Map.entry("c32", 0),
            Map.entry("c33", 2),   // a line over 1023 bytes is split
            Map.entry("c34", 0), Map.entry("c35", 2), Map.entry("c36", 1),
            Map.entry("c37", 1),   // silent: id cut at 63 characters
            Map.entry("c38", 1), Map.entry("c39", 1), Map.entry("c40", 0), Map.entry("c41", 0),
            Map.entry("e01", 1), Map.entry("e02", 3), Map.entry("e03", 3), Map.entry("e04", 3), Map.entry("e05", 2),
            Map.entry("e06", 3), Map.entry("e07", 0), Map.entry("e07b", 3), Map.entry("e08", 2), Map.entry("e09", 4),
            Map.entry("e10", 4), Map.entry("e11", 4), Map.entry("e12", 1), Map.entry("e13", 0), Map.entry("e14", 3),
            Map.entry("e15", 0), Map.entry("e16", 4), Map.entry("e17", 0), Map.entry("e18", 1), Map.entry("e19", 1),
            Map.entry("e20", 0), Map.entry("e21", 0), Map.entry("e22", 0), Map.entry("e23", 1), Map.entry("e24", 2),
            Map.entry("e25", 1), Map.entry("e26", 5), Map.entry("e27", 3),
            Map.entry("e28", 1),   // silent: a [global] without value (QEMU aborts once a matching device exists)
            Map.entry("e29", 1), Map.entry("e30", 0), Map.entry("e31", 2),
            Map.entry("e32", 32),  // [msg], [overcommit] and [trace] are read and ignored by QEMU 7.2 (see docs/config.md)
            Map.entry("e33", 1), Map.entry("e34", 1), Map.entry("e35", 1));

    /** QEMU's messages from reading a file (qemu_config_foreach and the QemuOpts checks): the compat reader must say the same. */
    private static boolean readerStage(String qemuMessage) {
        return qemuMessage.equals("parse error") || qemuMessage.equals("no group defined")
                || qemuMessage.startsWith("There is no option group") || qemuMessage.startsWith("Invalid parameter '")
                || qemuMessage.equals("Parameter 'id' expects an identifier") || qemuMessage.startsWith("Duplicate ID")
                || qemuMessage.matches("Parameter '[^']+' expects (a number|'on' or 'off'|a non-negative number below 2\\^64)");
    }

    private static List<Transcripts.Case> cases() {
        List<Transcripts.Case> all = new ArrayList<>(Transcripts.fileCases("03"));
        all.addAll(Transcripts.fileCases("04"));
        return all;
    }

    @Test
    void theTranscriptsHoldEveryCaseTheTableNames() {
        List<String> names = cases().stream().map(Transcripts.Case::name).sorted().toList();
        assertEquals(STRICT.keySet().stream().sorted().toList(), names);
    }

    private List<String> args(Transcripts.Case c) throws IOException {
        Path f = dir.resolve(c.name() + ".cfg");
        Files.write(f, c.file());
        List<String> args = new ArrayList<>(c.args());
        args.set(args.indexOf(c.name() + ".cfg"), f.toString());
        return args;
    }

    @TestFactory
    Stream<DynamicTest> compatModeAcceptsAndRejectsAsQemuDidWithTheSameValues() {
        Configs configs = new Configs(Qemu72.env());
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            List<String> args = args(c);
            try {
                ParsedCommandLine p = configs.fromCommandLine(args, ReadMode.QEMU);
                assertTrue(c.accepted(), "QEMU rejected it (" + c.qemuError() + ") but compat mode accepted it");
                for (Effective.Check check : Effective.compare(c.qmp(), p.config(), Qemu72.env())) {
                    assertEquals(check.qemu(), check.ours(), check.what());
                }
            } catch (ConfigException e) {
                assertFalse(c.accepted(), "QEMU accepted it but compat mode said: " + e.getMessage());
                List<ConfigError.Qemu> ours = e.errors().stream().filter(x -> x instanceof ConfigError.Qemu)
                        .map(x -> (ConfigError.Qemu) x).toList();
                if (c.qemuError() != null && readerStage(c.qemuError())) {
                    assertEquals(1, ours.size(), "QEMU rejected it while reading the file; so must the compat reader: " + e.getMessage());
                }
                for (ConfigError.Qemu q : ours) {
                    assertEquals(c.qemuError(), q.qemuMessage());
                    int line = q.origin() instanceof Origin.InFile f ? f.line() : 0;
                    assertEquals(c.qemuErrorLine(), line, "QEMU's line (it counts 1023-byte chunks)");
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> strictModeFlagsEverySilentCaseAtItsLine() {
        Configs configs = new Configs(Qemu72.env());
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            int expected = STRICT.get(c.name());
            List<String> args = args(c);
            try {
                configs.fromCommandLine(args, ReadMode.STRICT);
                if (expected != 0) {
                    fail("strict mode accepted it; expected an error at line " + expected);
                }
            } catch (ConfigException e) {
                if (expected == 0) {
                    fail("strict mode rejected it: " + e.diagnostics());
                }
                int first = e.errors().stream().filter(x -> x.origin() instanceof Origin.InFile)
                        .mapToInt(x -> ((Origin.InFile) x.origin()).line()).findFirst().orElse(-1);
                assertEquals(expected, first, "line of the first error: " + e.errors());
            }
        }));
    }

    @Test
    void theBasicFileLoadsInBothModes() throws IOException {
        String t = Qemu72.read(Qemu72.transcript("02"));
        String body = t.substring(t.indexOf("----8<----\n") + 11, t.lastIndexOf("----8<----"));
        Path f = dir.resolve("basic.cfg");
        Files.writeString(f, body);
        Configs configs = new Configs(Qemu72.env());
        for (ReadMode m : ReadMode.values()) {
            ParsedCommandLine p = configs.fromCommandLine(List.of("-nodefaults", "-readconfig", f.toString()), m);
            assertEquals(10, p.config().sections().stream().filter(x -> !x.group().equals("machina-nodefaults")).count(), m.toString());
        }
    }

    @Test
    void theEquivalentFileAndCommandLineOfTranscript10GiveTheSameSections() throws IOException {
        String t = Qemu72.read(Qemu72.transcript("10"));
        String body = t.substring(t.indexOf("--- equiv.cfg\n") + 14, t.indexOf("\n---\n", t.indexOf("--- equiv.cfg")) + 1);
        Path f = dir.resolve("equiv.cfg");
        Files.writeString(f, body);
        Configs configs = new Configs(Qemu72.env());
        VmConfig file = configs.fromCommandLine(List.of("-readconfig", f.toString()), ReadMode.STRICT).config();
        VmConfig cmd = configs.fromCommandLine(List.of("-machine", "pc,accel=tcg", "-m", "512", "-smp", "2", "-device", "isa-serial,id=s0"),
                ReadMode.STRICT).config();
        assertEquals(cmd.content(), file.content());
    }
}
