package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11 item 1, as a differential test: every option of qemu-system-x86_64 7.2's -help in the 5 cases of
 * tools/option-sweep/sweep.sh (valid, with an unknown key, empty, on microvm, on isapc), whose verdicts QEMU 7.2 gave
 * are recorded in tests/qemu72/option-sweep/qemu72.tsv. {@code config write} takes each line QEMU takes and refuses
 * each line QEMU refuses, except the cases in disagreements.tsv, each with its reason; a listed case that agrees
 * fails too, so the list holds only what is still true.
 */
class OptionSweepAgreesWithQemuTest {
    private static final Path DIR = Path.of("tests/qemu72/option-sweep");
    private static final Map<String, String> QEMU = new LinkedHashMap<>();
    private static final Map<String, String> WORDS = new LinkedHashMap<>();
    private static final Map<String, String> KNOWN = new LinkedHashMap<>();

    @TempDir
    static Path tmp;

    private static Context context;

    @BeforeAll
    static void load() throws IOException {
        for (String l : Files.readAllLines(DIR.resolve("qemu72.tsv"))) {
            if (l.startsWith("#") || l.isBlank()) {
                continue;
            }
            String[] f = l.split("\t", -1);
            QEMU.put(f[0], f[1]);
            WORDS.put(f[0], f.length > 2 ? f[2] : "");
        }
        for (String l : Files.readAllLines(DIR.resolve("disagreements.tsv"))) {
            if (l.startsWith("#") || l.isBlank()) {
                continue;
            }
            String[] f = l.split("\t", -1);
            KNOWN.put(f[0], f[1]);
        }
        try (RandomAccessFile big = new RandomAccessFile(tmp.resolve("big.img").toFile(), "rw")) {
            big.setLength(10 << 20);
        }
        Files.createDirectories(tmp.resolve("dir"));
        Files.writeString(tmp.resolve("r.cfg"), "[device \"s1\"]\n  driver = \"isa-serial\"\n");
        context = new Context();
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String l : Files.readAllLines(DIR.resolve("qemu72.tsv"))) {
            if (!l.startsWith("#") && !l.isBlank()) {
                out.add(Arguments.of(l.split("\t", -1)[0]));
            }
        }
        return out.stream();
    }

    private static boolean accepted(String line) {
        List<String> args = new ArrayList<>(List.of("config", "write"));
        for (String a : line.split(" ")) {
            a = a.replace("@BIG", tmp.resolve("big.img").toString()).replace("@CFG", tmp.resolve("r.cfg").toString())
                    .replace("@DIR", tmp.resolve("dir").toString());
            args.add(a.equals("''") ? "" : a);
        }
        args.add("-o");
        args.add(tmp.resolve("out.cfg").toString());
        CliRunner r = CliRunner.run(context, args.toArray(String[]::new));
        assertTrue(r.code() == 0 || r.code() == 1, line + ": exit " + r.code() + "\n" + r.err());
        return r.code() == 0;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void configWriteTakesWhatQemuTakesAndRefusesWhatItRefuses(String line) {
        boolean qemu = QEMU.get(line).equals("accept");
        boolean machina = accepted(line);
        if (KNOWN.containsKey(line)) {
            assertFalse(qemu == machina, line + " is listed in disagreements.tsv (" + KNOWN.get(line) + ") but now agrees with QEMU 7.2: "
                    + "take it off the list");
        } else {
            assertEquals(qemu, machina, line + ": QEMU 7.2 " + (qemu ? "takes it" : "refuses it (" + WORDS.get(line) + ")")
                    + ", config write " + (machina ? "takes it" : "refuses it"));
        }
    }

    @Test
    void theRecordCoversEveryOptionOfQemusHelpAndTheListOnlyItsCases() throws IOException {
        long options = Files.readAllLines(Path.of("tools/option-sweep/options.tsv")).stream().filter(l -> !l.isBlank()).count();
        long withArgument = Files.readAllLines(Path.of("tools/option-sweep/options.tsv")).stream()
                .filter(l -> !l.isBlank() && !l.endsWith("\t") && l.contains("\t")).count();
        assertEquals(withArgument * 5 + (options - withArgument) * 3, QEMU.size(), "one recorded verdict per case of sweep.sh");
        for (String k : KNOWN.keySet()) {
            assertTrue(QEMU.containsKey(k), "disagreements.tsv lists a case the record does not have: " + k);
            assertFalse(KNOWN.get(k).isBlank(), "no reason given for " + k);
        }
    }
}
