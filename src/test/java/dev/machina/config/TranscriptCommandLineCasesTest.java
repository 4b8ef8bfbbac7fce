package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Every plain command line QEMU 7.2 was run with in transcripts 05 (files, ordering, -set) and 06
 * (QemuOpts, keyval, JSON, booleans, sizes, merging, -global, -set), through Machina's parser:
 * accepted, rejected or answered with help exactly as QEMU did in {@code --compat=qemu}, with the same
 * values where QMP reported them; strict mode does the same except where the table below says why
 * it is stricter.
 */
class TranscriptCommandLineCasesTest {
    @TempDir
    static Path exp;

    enum Outcome { ACCEPTED, REJECTED, HELP }

    /** Cases strict mode rejects although QEMU 7.2 accepts them, by description, with the reason. */
    private static final Map<String, String> STRICTER = Map.of(
            "-m 0x200", "a hex -m value means MiB and is an error from QEMU 8.0 (7.2 warns)",
            "hex with a size suffix: only a deprecation warning in 7.2 (parsed at option time; -version then exits)",
            "hex with a size suffix is an error from QEMU 8.0 (7.2 warns)");

    private static List<Transcripts.Case> cases() throws IOException {
        // the files transcript 05 reads (its "files used" listing)
        Files.writeString(exp.resolve("o1.cfg"), "[name]\n  guest = \"fromfile\"\n");
        Files.writeString(exp.resolve("o2.cfg"), "[memory]\n  size = \"512\"\n");
        Files.writeString(exp.resolve("o3.cfg"), "[device \"s0\"]\n  driver = \"isa-serial\"\n");
        Files.writeString(exp.resolve("o4.cfg"), "[machine]\n  type = \"q35\"\n");
        List<Transcripts.Case> all = new ArrayList<>(Transcripts.commandLineCases("05"));
        all.addAll(Transcripts.commandLineCases("06"));
        return all;
    }

    private static List<String> args(Transcripts.Case c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < c.args().size(); i++) {
            String a = c.args().get(i).replace("$EXP", exp.toString());
            if (i > 0 && c.args().get(i - 1).equals("-readconfig") && a.matches("o\\d\\.cfg")) {
                a = exp.resolve(a).toString();
            }
            out.add(a);
        }
        return out;
    }

    /** What QEMU did: help listings are recognised by their first line. */
    private static Outcome qemu(Transcripts.Case c, String output) {
        if (output.matches("(?s).*\\n(\\S+ options:|Available \\S+ backend types:|Accelerators supported in QEMU binary:|"
                + "List of user creatable objects:|Supported machines are:) *\\n.*")) {
            return Outcome.HELP;
        }
        return c.accepted() ? Outcome.ACCEPTED : Outcome.REJECTED;
    }

    private Outcome ours(List<String> args, ReadMode mode, List<Transcripts.Case> sink, Transcripts.Case c) {
        try {
            ParsedCommandLine p = new Configs(Qemu72.env()).fromCommandLine(args, mode);
            if (p.help().isPresent() && p.help().get().kind() != HelpRequest.Kind.VERSION) {
                return Outcome.HELP;
            }
            if (mode == ReadMode.QEMU) {
                for (Effective.Check check : Effective.compare(c.qmp(), p.config(), Qemu72.env())) {
                    assertEquals(check.qemu(), check.ours(), check.what());
                }
            }
            return Outcome.ACCEPTED;
        } catch (ConfigException e) {
            return Outcome.REJECTED;
        }
    }

    @TestFactory
    Stream<DynamicTest> eachCommandLineEndsAsItDidInQemu() throws IOException {
        String t05 = Qemu72.read(Qemu72.transcript("05"));
        String t06 = Qemu72.read(Qemu72.transcript("06"));
        return cases().stream().map(c -> DynamicTest.dynamicTest(c + " " + c.args(), () -> {
            Outcome expected = qemu(c, block(c.transcript().equals("05") ? t05 : t06, c));
            List<String> args = args(c);
            assertEquals(expected, ours(args, ReadMode.QEMU, null, c), "--compat=qemu: " + c + " " + args);
            String stricter = STRICTER.entrySet().stream().filter(e -> c.description().contains(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            assertEquals(stricter == null ? expected : Outcome.REJECTED, ours(args, ReadMode.STRICT, null, c),
                    stricter == null ? "strict" : "strict (" + stricter + ")");
        }));
    }

    /** The transcript text of one run: from its "$ " line to the next "### ". */
    private static String block(String transcript, Transcripts.Case c) {
        int at = transcript.indexOf("### " + c.description());
        int end = transcript.indexOf("\n### ", at + 4);
        return transcript.substring(at, end < 0 ? transcript.length() : end);
    }

    @Test
    void theTranscriptsHaveTheCasesThisTestClaims() throws IOException {
        List<Transcripts.Case> all = cases();
        assertTrue(all.size() >= 95, "command lines found: " + all.size());
    }
}
