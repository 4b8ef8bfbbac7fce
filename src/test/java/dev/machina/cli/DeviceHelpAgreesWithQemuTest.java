package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code -device help} and {@code -device T,help} against QEMU 7.2's own output for every device type it
 * lists (tests/qemu72/device-help.txt and device-type-help.txt, recorded by tools/qemu72/record-device-help.sh).
 * Machina prints -device T,help from QEMU 7.2's device-list-properties (tools/qemu72/device-properties.json,
 * a different recording: QMP, not the help text), so the byte comparison checks the layout, the order and
 * that the two recordings are of the same QEMU; the type registry Machina checks -device against is
 * compared with the help text property by property.
 */
class DeviceHelpAgreesWithQemuTest {
    static final Path LIST = Path.of("tests/qemu72/device-help.txt");
    static final Path TYPES = Path.of("tests/qemu72/device-type-help.txt");
    static final Pattern PROP = Pattern.compile("^  ([^=\\s]+)=<(\\S*)>.*$");

    /**
     * T -> the properties QEMU 7.2's -device T,help lists that a user can set: not its child&lt;&gt;
     * properties (the parts a device is built of: an isa-serial's "serial", an ich9-ahci's MMIO regions),
     * which the object model keeps as its composition, not as options.
     */
    static Map<String, TreeSet<String>> qemu() throws IOException {
        Map<String, TreeSet<String>> out = new LinkedHashMap<>();
        TreeSet<String> cur = null;
        for (String line : Files.readAllLines(TYPES)) {
            if (line.startsWith("=== ")) {
                cur = new TreeSet<>();
                out.put(line.substring(4), cur);
                continue;
            }
            Matcher m = PROP.matcher(line);
            if (cur != null && m.matches() && !m.group(2).startsWith("child<")) {
                cur.add(m.group(1));
            }
        }
        return out;
    }

    /** The properties of a type a -device can set, as the type registry declares them. */
    static TreeSet<String> machina(Context context, String type) {
        TreeSet<String> out = new TreeSet<>();
        context.registry().type(type).properties().forEach(p -> out.add(p.name()));
        return out;
    }

    /** T -> QEMU 7.2's -device T,help output, unchanged. */
    static Map<String, String> qemuText() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String cur = null;
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(TYPES)) {
            if (line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("=== ")) {
                if (cur != null) {
                    out.put(cur, sb.toString());
                }
                cur = line.substring(4);
                sb.setLength(0);
                continue;
            }
            sb.append(line).append('\n');
        }
        out.put(cur, sb.toString());
        return out;
    }

    /** Types whose -device T,help still differs from QEMU 7.2's, by kind, with the reason (none today). */
    static final Map<String, String> HELP_DIFFERS = Map.of();

    @Test
    void everyDeviceTypesHelpIsByteForByteQemus() throws IOException {
        Context context = new Context().withQemuRelease("7.2"); // the recorded text is 7.2's; presenting another release answers from its data
        Map<String, String> qemu = qemuText();
        assertTrue(qemu.size() >= 389, qemu.size() + " types in " + TYPES);
        List<String> differ = new ArrayList<>();
        String firstDiff = null;
        for (Map.Entry<String, String> e : qemu.entrySet()) {
            CliRunner r = CliRunner.run(context, "run", "-device", e.getKey() + ",help");
            boolean same = r.code() == 0 && r.out().equals(e.getValue());
            if (same == HELP_DIFFERS.containsKey(e.getKey())) {
                differ.add(e.getKey());
                if (firstDiff == null && !same) {
                    firstDiff = e.getKey() + " (exit " + r.code() + "):\n--- QEMU 7.2\n" + e.getValue() + "--- Machina\n" + r.out() + r.err();
                }
            }
        }
        assertEquals(List.of(), differ, "types whose -device T,help is not QEMU 7.2's byte for byte, or is and is still listed in HELP_DIFFERS"
                + (firstDiff == null ? "" : "; first:\n" + firstDiff));
    }

    /**
     * Issue 14 item 5 (one release per output): -device T,help answers from the presented release, as
     * device show does. e1000e's migrate-timadj is new in QEMU 8.0 (machines/types/devices.yaml: QEMU 9.0.0
     * hw/net/e1000e.c:675 DEFINE_PROP_BOOL, hw_compat_7_2 turns it off for older types): presenting 10.2 (the
     * default) and 8.0 it is listed with its default, presenting 7.2 it is not (QEMU 7.2's text, recorded).
     */
    @Test
    void deviceHelpIsThePresentedReleasesAsDeviceShowIs() {
        for (String release : new String[] {"10.2", "8.0"}) {
            Context context = new Context().withQemuRelease(release);
            CliRunner help = CliRunner.run(context, "run", "-device", "e1000e,help");
            assertEquals(0, help.code(), help.err());
            assertTrue(help.out().lines().anyMatch(l -> l.startsWith("  migrate-timadj=<bool>") && l.endsWith("(default: on)")), release + ":\n" + help.out());
            TreeSet<String> listed = new TreeSet<>(), shown = new TreeSet<>();
            help.out().lines().map(PROP::matcher).filter(Matcher::matches).forEach(m -> listed.add(m.group(1)));
            CliRunner show = CliRunner.run(context, "device", "show", "e1000e", "--format", "json");
            assertEquals(0, show.code(), show.err());
            Matcher m = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"").matcher(show.out());
            while (m.find()) {
                shown.add(m.group(1));
            }
            shown.remove("e1000e");
            assertEquals(shown, listed, release + ": -device e1000e,help and device show e1000e list other properties");
        }
        // an alias QEMU's -device help lists names its type's help in every view
        CliRunner alias = CliRunner.run(new Context(), "run", "-device", "virtio-net,help");
        assertEquals(0, alias.code(), alias.err());
        assertTrue(alias.out().startsWith("virtio-net-pci options:\n"), alias.out());
        CliRunner as72 = CliRunner.run(new Context().withQemuRelease("7.2"), "run", "-device", "e1000e,help");
        assertTrue(!as72.out().contains("migrate-timadj") && as72.out().contains("  init-vet=<bool>        -  (default: true)"), as72.out());
    }

    /**
     * CPU model types are the CPU data's (machines/types/cpu.yaml): the versioned ones QEMU 7.2 lists
     * (Broadwell-v1-x86_64-cpu, ...) and the feature-word properties of x86 CPUs are not declared yet.
     */
    static boolean cpu(String type) {
        return type.endsWith("-x86_64-cpu");
    }

    @Test
    void everyDeviceTypeQemuListsIsListedButVersionedCpuModels() throws IOException {
        Context context = new Context().withQemuRelease("7.2"); // presenting 10.2, sga and pvrdma are gone (DeviceListAgreesWithQemuTest)
        String ours = CliRunner.run(context, "run", "-device", "help").out();
        List<String> missing = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^name \"([^\"]+)\"").matcher(Files.readString(LIST));
        int listed = 0;
        while (m.find()) {
            listed++;
            if (!ours.contains("name \"" + m.group(1) + "\"") && !cpu(m.group(1))) {
                missing.add(m.group(1));
            }
        }
        assertTrue(listed >= 389, listed + " types in " + LIST);
        assertEquals(List.of(), missing, "device types QEMU 7.2's -device help lists that Machina's does not");
    }

    @Test
    void everyDeviceTypesHelpHasEveryPropertyQemusHas() throws IOException {
        Context context = new Context();
        Map<String, TreeSet<String>> lacking = new TreeMap<>();
        int checked = 0;
        for (Map.Entry<String, TreeSet<String>> e : qemu().entrySet()) {
            if (cpu(e.getKey())) {
                continue;
            }
            checked++;
            TreeSet<String> lack = new TreeSet<>(e.getValue());
            lack.removeAll(machina(context, e.getKey()));
            if (!lack.isEmpty()) {
                lacking.put(e.getKey(), lack);
            }
        }
        assertTrue(checked >= 257, checked + " types checked");
        assertEquals(Map.of(), lacking, "properties QEMU 7.2's -device T,help lists that Machina's does not");
    }

    /**
     * The registry types as macaddr exactly the properties QEMU 7.2's -device T,help describes as "Ethernet 6-byte MAC
     * Address" (introspection calls them str, so the registry picks them by name: MachineCatalog.MAC_PROPERTIES).
     */
    @Test
    void theMacAddressPropertiesAreTheOnesQemuDescribesAsMacAddresses() throws IOException {
        Context context = new Context();
        TreeSet<String> qemu = new TreeSet<>();
        String cur = null;
        for (String line : Files.readAllLines(TYPES)) {
            if (line.startsWith("=== ")) {
                cur = line.substring(4);
            } else if (line.contains("- Ethernet 6-byte MAC Address")) {
                qemu.add(cur + "." + line.strip().substring(0, line.strip().indexOf('=')));
            }
        }
        TreeSet<String> ours = new TreeSet<>();
        for (String type : qemu().keySet()) {
            context.registry().type(type).properties().stream().filter(p -> p.type().name().equals("macaddr"))
                    .forEach(p -> ours.add(type + "." + p.name()));
        }
        assertEquals(29, qemu.size(), qemu.toString());
        assertEquals(qemu, ours);
    }
}
