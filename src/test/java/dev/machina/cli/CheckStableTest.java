package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.machine.MachineCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code machina machine snapshot} and {@code machina machine check-stable}, run on edited copies of
 * the repository's data tree, as a maintainer would before committing a data change.
 */
class CheckStableTest {
    /** The committed baseline of the released machine types (regenerate: see the README, "Machine diff"). */
    static final Path BASELINE = Path.of("tests/machine-snapshot.json");

    private static Context context;

    @BeforeAll
    static void shareOneContext() {
        context = new Context();
    }

    static CliRunner run(String... args) {
        return CliRunner.run(context, args);
    }

    /** Copies the repository's machines/ (with machines/types/) and compat/ into {@code dir}. */
    static void copyDataTree(Path dir) throws IOException {
        for (String d : List.of("machines", "machines/types", "compat")) {
            Files.createDirectories(dir.resolve(d));
            try (Stream<Path> s = Files.list(Path.of(d))) {
                for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    Files.copy(f, dir.resolve(d).resolve(f.getFileName()));
                }
            }
        }
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), file + " has no '" + from + "'");
        Files.writeString(file, text.replace(from, to));
    }

    @Test
    void thePackagedDataKeepsTheCommittedBaseline() {
        CliRunner r = run("machine", "check-stable", "--baseline", BASELINE.toString());

        assertEquals(0, r.code(), "released machine types changed; if that is meant, regenerate " + BASELINE
                + " (README, Machine diff):\n" + r.out() + r.err());
    }

    @Nested
    class OnACopyOfTheData {
        @TempDir
        static Path tree;
        static Path baseline;

        @BeforeAll
        static void snapshotTheCopy() throws IOException {
            copyDataTree(tree);
            baseline = tree.resolve("baseline.json");
            CliRunner r = run("machine", "snapshot", "--data", tree.toString(), "-o", baseline.toString());
            assertEquals(0, r.code(), r.err());
        }

        /** A fresh copy of the tree to edit (the snapshotted one stays as it is). */
        private Path copy(Path dir) throws IOException {
            copyDataTree(dir);
            return dir;
        }

        @Test
        void anUneditedCopyIsStable() {
            CliRunner r = run("machine", "check-stable", "--baseline", baseline.toString(), "--data", tree.toString());

            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().startsWith("ok: the "), r.out());
        }

        @Test
        void aValueChangedInAReleasedSetFailsNamingEveryMachineThatAppliesItAndTheProperty(@TempDir Path dir) throws IOException {
            Path edited = copy(dir);
            edit(edited.resolve("compat/hw.yaml"), "{driver: virtio-device, property: queue_reset, value: \"false\"}",
                    "{driver: virtio-device, property: queue_reset, value: \"true\"}");
            // the machines that apply hw-7.1: read from the catalog's chains, not from the check
            MachineCatalog c = context.catalog(tree.toString());
            Set<String> applying = new TreeSet<>();
            for (String m : c.table().names()) {
                if (c.resolve(m).compatSets().contains("hw-7.1")) {
                    applying.add(m);
                }
            }

            CliRunner r = run("machine", "check-stable", "--baseline", baseline.toString(), "--data", edited.toString());

            assertEquals(1, r.code(), r.out());
            Set<String> named = new TreeSet<>();
            for (String line : r.out().split("\n")) {
                assertTrue(line.startsWith(line.substring(0, line.indexOf(':')) + ": property virtio-device.queue_reset: false -> true "
                        + "[compat hw-7.1 (" + edited.resolve("compat/hw.yaml")), line);
                assertTrue(line.matches(".*compat/hw\\.yaml:\\d+\\)\\]"), "names the file and line: " + line);
                named.add(line.substring(0, line.indexOf(':')));
            }
            assertTrue(applying.size() > 40 && applying.contains("pc-i440fx-7.1") && applying.contains("pc-q35-2.4"), applying.toString());
            assertEquals(applying, named);
            assertTrue(r.err().contains(applying.size() + " released machine types of " + baseline), r.err());
        }

        /** Item 18 of issue 14: the effective value, not "(absent)", and the data that gives it. */
        @Test
        void aCompatEntryThatGoesShowsTheDefaultNowInEffectAndWhereTheMachineIs(@TempDir Path dir) throws IOException {
            Path edited = copy(dir);
            edit(edited.resolve("compat/hw.yaml"), "      - {driver: virtio-device, property: queue_reset, value: \"false\"}\n", "");

            CliRunner r = run("machine", "check-stable", "--baseline", baseline.toString(), "--data", edited.toString());

            assertEquals(1, r.code(), r.out());
            String line = r.out().lines().filter(l -> l.startsWith("pc-i440fx-7.1: property virtio-device.queue_reset:")).findFirst()
                    .orElseThrow(() -> new AssertionError(r.out()));
            assertTrue(line.startsWith("pc-i440fx-7.1: property virtio-device.queue_reset: false -> true (no compat entry sets it now: "), line);
            assertTrue(line.endsWith("[" + edited.resolve("machines/pc-i440fx.yaml") + ":" + versionLine(edited, "pc-i440fx-7.1") + ":5]"), line);
            assertTrue(!r.out().contains("(absent)"), r.out());
        }

        @Test
        void removingAnEntryThatSetTheDefaultAnywayIsNoChange(@TempDir Path dir) throws IOException {
            // a baseline where hw-7.1 sets queue_reset to true, virtio-device's own default
            Path redundant = Files.createDirectories(dir.resolve("redundant"));
            copyDataTree(redundant);
            String entry = "      - {driver: virtio-device, property: queue_reset, value: \"false\"}\n";
            edit(redundant.resolve("compat/hw.yaml"), entry, entry.replace("\"false\"", "\"true\""));
            Path base = dir.resolve("redundant.json");
            assertEquals(0, run("machine", "snapshot", "--data", redundant.toString(), "-o", base.toString()).code());
            Path removed = Files.createDirectories(dir.resolve("removed"));
            copyDataTree(removed);
            edit(removed.resolve("compat/hw.yaml"), entry, "");

            CliRunner r = run("machine", "check-stable", "--baseline", base.toString(), "--data", removed.toString());

            assertEquals(0, r.code(), r.out());
        }

        @Test
        void anAliasMovedToAnOlderTypeIsAChange(@TempDir Path dir) throws IOException {
            Path edited = copy(dir);
            edit(edited.resolve("machines/pc-q35.yaml"), "aliases: {q35: pc-q35-10.2}", "aliases: {q35: pc-q35-10.1}");

            CliRunner r = run("machine", "check-stable", "--baseline", baseline.toString(), "--data", edited.toString());

            assertEquals(1, r.code(), r.out());
            assertTrue(r.out().contains("pc-q35-10.2: aliases: [\"q35\"] -> (absent) ["), r.out());
            assertTrue(r.out().contains("pc-q35-10.1: aliases: (absent) -> [\"q35\"] ["), r.out());
        }

        private static int versionLine(Path tree, String machine) throws IOException {
            List<String> lines = Files.readAllLines(tree.resolve("machines/pc-i440fx.yaml"));
            return lines.indexOf("  - name: " + machine) + 1;
        }

        @Test
        void aNewerMachineTypeIsNotAChange(@TempDir Path dir) throws IOException {
            Path edited = copy(dir);
            // as QEMU adds a release: a new newest version, the alias and default move to it, and the
            // version before it gets its (here empty) compat set
            Path family = edited.resolve("machines/pc-i440fx.yaml");
            edit(family, "aliases: {pc: pc-i440fx-10.2}\ndefault: pc-i440fx-10.2\n", "aliases: {pc: pc-i440fx-11.0}\ndefault: pc-i440fx-11.0\n");
            edit(family, "versions:\n  - name: pc-i440fx-10.2\n", "versions:\n  - name: pc-i440fx-11.0\n  - name: pc-i440fx-10.2\n    compat: [hw-10.2]\n");
            edit(edited.resolve("compat/hw.yaml"), "sets:\n", "sets:\n  - name: hw-10.2\n    entries: []\n");

            CliRunner r = run("machine", "check-stable", "--baseline", baseline.toString(), "--data", edited.toString());

            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().trim().endsWith("are unchanged; new since: pc-i440fx-11.0"), r.out());
        }

        @Test
        void aRemovedMachineTypeIsAChange(@TempDir Path dir) throws IOException {
            Path edited = copy(dir);
            edit(edited.resolve("machines/pc-q35.yaml"), "  - name: pc-q35-4.0.1\n", "  - name: pc-q35-4.0.1-gone\n");

            CliRunner r = run("machine", "check-stable", "--baseline", baseline.toString(), "--data", edited.toString());

            assertEquals(1, r.code());
            assertEquals("pc-q35-4.0.1: machine type removed (the baseline has it)\n", r.out());
        }

        @Test
        void theSnapshotIsTheSameBytesEachTimeAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
            Path again = dir.resolve("again.json");

            CliRunner r = run("machine", "snapshot", "--data", tree.toString(), "-o", again.toString());

            assertEquals(0, r.code(), r.err());
            assertEquals(Files.readString(baseline), Files.readString(again));
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of(again), s.toList());
            }
        }
    }

    @Nested
    class BadBaselines {
        @Test
        void aMissingBaselineIsExitOneNamingTheFile() {
            CliRunner r = run("machine", "check-stable", "--baseline", "no/such/baseline.json");

            assertEquals(1, r.code());
            assertEquals("machina: cannot read baseline 'no/such/baseline.json': no such file\n", r.err());
        }

        @Test
        void aDirectoryIsNotABaseline(@TempDir Path dir) {
            CliRunner r = run("machine", "check-stable", "--baseline", dir.toString());

            assertEquals(1, r.code());
            assertEquals("machina: cannot read baseline '" + dir + "': it is a directory\n", r.err());
        }

        @Test
        void aTruncatedBaselineNamesTheFileAndWhereTheJsonBreaks(@TempDir Path dir) throws IOException {
            Path cut = dir.resolve("cut.json");
            List<String> lines = Files.readAllLines(BASELINE);
            Files.writeString(cut, String.join("\n", lines.subList(0, 40)) + "\n");

            CliRunner r = run("machine", "check-stable", "--baseline", cut.toString());

            assertEquals(1, r.code());
            Matcher m = Pattern.compile("machina: baseline '" + Pattern.quote(cut.toString())
                    + "' is not valid JSON: line (\\d+), column \\d+: Unexpected end-of-input.*\n").matcher(r.err());
            assertTrue(m.matches(), r.err());
            assertEquals(41, Integer.parseInt(m.group(1)));
            assertFalse(r.err().contains("Source:"), "Jackson's internals leak into the message: " + r.err());
        }

        @Test
        void aBaselineThatIsNotUtf8SaysSo(@TempDir Path dir) throws IOException {
            Path bin = dir.resolve("bin.json");
            Files.write(bin, new byte[] {(byte) 0xff, (byte) 0xfe, 0});

            CliRunner r = run("machine", "check-stable", "--baseline", bin.toString());

            assertEquals(1, r.code());
            assertEquals("machina: baseline '" + bin + "' is not UTF-8 text (line 1, column 1), so it is not a snapshot;"
                    + " make one with 'machina machine snapshot -o FILE'\n", r.err());
        }

        @Test
        void jsonThatIsNotASnapshotSaysWhatASnapshotIs(@TempDir Path dir) throws IOException {
            Path other = dir.resolve("other.json");
            Files.writeString(other, "{\"machines\": []}\n");

            CliRunner r = run("machine", "check-stable", "--baseline", other.toString());

            assertEquals(1, r.code());
            assertEquals("machina: baseline '" + other + "' is not a machine snapshot: expected a JSON object with \"format\": "
                    + "\"machina-machine-snapshot\"; make one with 'machina machine snapshot -o FILE'\n", r.err());
        }

        @Test
        void aSnapshotToADirectoryThatDoesNotExistWritesNothing(@TempDir Path dir) {
            CliRunner r = run("machine", "snapshot", "-o", dir.resolve("missing/s.json").toString());

            assertEquals(1, r.code());
            assertEquals("machina: " + dir.resolve("missing/s.json") + ": cannot write: the directory does not exist\n", r.err());
            assertFalse(Files.exists(dir.resolve("missing")));
        }

        /** As {@code -o /dev/stdout} is a link: the snapshot goes where it points, and the link stays a link. */
        @Test
        void aSnapshotThroughASymlinkWritesItsTargetAndKeepsTheLink(@TempDir Path dir) throws IOException {
            Path target = dir.resolve("real.json");
            Files.writeString(target, "old\n");
            Path link = Files.createSymbolicLink(dir.resolve("link.json"), target);

            CliRunner r = run("machine", "snapshot", "-o", link.toString());

            assertEquals(0, r.code(), r.err());
            assertTrue(Files.isSymbolicLink(link), "the link was replaced by a file");
            assertTrue(Files.readString(target).startsWith("{\n  \"format\": \"machina-machine-snapshot\""));
        }
    }
}
