package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code machina run} without {@code -nodefaults}: the machine type's default devices (its data, as QEMU 7.2
 * adds them: vl.c's default_vga, default_net, default_serial, default_parallel, default_monitor,
 * default_cdrom, default_floppy) that have no model in Machina are named, each with the option that
 * removes it alone, in one warning line, and the machine runs without them (the user did not ask for
 * them by name; QEMU's own command lines, as the Linux quick start's, leave out -nodefaults). A device
 * the user removed with its own option is no longer named. The guest here resets the machine through
 * the keyboard controller at once, which {@code -no-reboot} turns into a clean exit.
 */
class RunDefaultDevicesTest {
    private static final Context SHARED = new Context();
    private static final Pattern NAMED = Pattern.compile("its default devices (.*) have no model in Machina yet, so the guest runs without them");

    /** mov al, 0FEh; out 64h, al (the i8042's pulse of the reset line); cli; hlt. */
    private static final int[] RESETS = {0xB0, 0xFE, 0xE6, 0x64, 0xFA, 0xF4};

    @TempDir
    static Path dir;

    private static CliRunner runQuickGuest(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("run"));
        for (String o : options) {
            args.add(o.replace("@DIR@", dir.toString()));
        }
        args.addAll(List.of("-no-reboot", "-bios", GuestRom.write(dir, "resets.bin", RESETS).toString()));
        return CliRunner.run(SHARED, args.toArray(String[]::new));
    }

    /** The default devices Machina models: isa-serial (its serial core is part of it). */
    private static final Set<String> MODELLED = Set.of("isa-serial", "serial");

    /**
     * The devices named are the ones QEMU 7.2 adds to the machine type without -nodefaults (its qom walk in
     * tools/qemu72/graphs-defaults/ less the -nodefaults walk in tools/qemu72/graphs/), less the ones
     * Machina models, type for type and count for count: cirrus-vga on pc-i440fx-1.4, isa-cirrus-vga and
     * ne2k_isa on isapc, e1000e on pc-q35-7.2, the floppy on i440fx and isapc and not on q35, the two
     * ports' vc consoles. The walk's chardev-stdio is its own -qmp stdio monitor: this run has none, so
     * QEMU's default monitor, a vc chardev, is named in its place.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pc-i440fx-7.2", "pc-q35-7.2", "pc-i440fx-1.4", "pc-q35-2.4", "isapc"})
    void namesWhatQemuAddsWithoutNodefaultsThatHasNoModel(String machine) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> expected = new TreeMap<>();
        for (Iterator<JsonNode> it = json.readTree(Path.of("tools/qemu72/graphs-defaults", machine + ".json").toFile())
                .get("objects").elements(); it.hasNext(); ) {
            expected.merge(it.next().get("type").asText(), 1, Integer::sum);
        }
        for (Iterator<JsonNode> it = json.readTree(Path.of("tools/qemu72/graphs", machine + ".json").toFile())
                .get("objects").elements(); it.hasNext(); ) {
            expected.merge(it.next().get("type").asText(), -1, Integer::sum);
        }
        expected.merge("chardev-stdio", -1, Integer::sum); // the walk's -qmp stdio
        expected.merge("chardev-vc", 1, Integer::sum); // the default monitor this run would have
        MODELLED.forEach(expected::remove);
        expected.remove("container"); // QEMU's containers (/chardevs, ...), not devices
        expected.values().removeIf(n -> n == 0);

        CliRunner r = runQuickGuest("-M", machine, "-display", "none");
        assertEquals(0, r.code(), "the machine runs without them: " + r.err());
        Map<String, Integer> named = new TreeMap<>();
        for (String d : named(r.err())) {
            named.merge(d.split(" ")[0], 1, Integer::sum);
        }
        assertEquals(expected, named, r.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-M pc -nographic|VGA (display; -vga none), isa-parallel (parallel port; -parallel none), floppy (floppy drive; only -nodefaults), "
            + "e1000 (NIC; -nic none), ide-cd (CD-ROM; only -nodefaults), the human monitor (on the -nographic console, Ctrl-A c; -monitor none)",
        "-M q35 -nographic -monitor none|isa-parallel (parallel port; -parallel none), ide-cd (CD-ROM; only -nodefaults), VGA (display; -vga none), "
            + "e1000e (NIC; -nic none)",
        "-M pc -nographic -vga none -nic none -monitor none|isa-parallel (parallel port; -parallel none), floppy (floppy drive; only -nodefaults), "
            + "ide-cd (CD-ROM; only -nodefaults)",
        "-M pc-i440fx-1.4 -display none -monitor none|cirrus-vga (display; -vga none), isa-parallel (parallel port; -parallel none), "
            + "floppy (floppy drive; only -nodefaults), e1000 (NIC; -nic none), ide-cd (CD-ROM; only -nodefaults), chardev-vc parallel0 "
            + "(the parallel port's console window; -parallel none), chardev-vc serial0 (the serial port's console window; -serial none, "
            + "or -serial stdio or -nographic)"})
    void namesEachDefaultDeviceWithoutModelAndWhatRemovesIt(String options, String named) throws Exception {
        CliRunner r = runQuickGuest(options.split(" "));
        assertEquals(0, r.code(), "the machine runs without them: " + r.err());
        List<String> lines = r.err().lines().filter(l -> l.contains("its default devices")).toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        assertTrue(lines.get(0).startsWith("machina: warning: "), r.err());
        assertTrue(lines.get(0).contains("its default devices " + named + " have no model in Machina yet, so the guest runs without them"),
                r.err());
        assertTrue(lines.get(0).contains("-nodefaults"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    /**
     * A device the user names that has no model is still refused, defaults or not: one line naming it and
     * its option, exit 1, nothing started (the guest would not see what was asked for).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-M pc -vga none -net none -parallel none -serial stdio -monitor none -device isa-fdc|isa-fdc",
        "-M pc -device cirrus-vga -netdev user,id=n -parallel none -serial none -qmp unix:@DIR@/q,server=on,wait=off|cirrus-vga"})
    void aDeviceTheUserNamesWithoutModelIsStillRefused(String options, String type) throws Exception {
        CliRunner r = runQuickGuest(options.split(" "));
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("device '" + type + "' (/machine/peripheral-anon/device[0]) has no model in Machina yet; remove it (-device "
                + type + ")"), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertEquals("", r.out(), "nothing started");
    }

    /** With -nodefaults (and with each default removed by its own option) nothing is named. */
    @ParameterizedTest
    @ValueSource(strings = {"-M pc -nodefaults", "-M q35 -nodefaults -serial stdio",
        "-M q35 -vga none -nic none -parallel none -serial none -monitor none -nodefaults"})
    void withoutDefaultsNothingIsNamed(String options) throws Exception {
        CliRunner r = runQuickGuest((options + " -display none").split(" "));
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("its default devices"), r.err());
    }

    /** The named devices of the one-line refusal, split at the commas between them (not those inside parentheses). */
    private static List<String> named(String err) {
        Matcher m = NAMED.matcher(err);
        assertTrue(m.find(), err);
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : m.group(1).toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().strip());
        return out;
    }
}
