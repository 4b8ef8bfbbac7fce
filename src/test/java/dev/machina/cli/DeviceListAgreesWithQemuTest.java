package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code -device help} against QEMU 7.2's own (tests/qemu72/device-help.txt, recorded by
 * tools/qemu72/record-device-help.sh), byte for byte. Categories, descriptions and which types are
 * user-creatable are data made from that recording (tools/qemu72/device-classes.json); what this compares
 * is Machina's: that the registry declares every type, the bus derived from each type's ancestry, the
 * aliases, the order and the layout. Every CPU type is declared (machines/types/cpu.yaml, tools/gen_machines.py
 * from QEMU 7.2's qom-list-types and builtin_x86_defs), so the whole text is compared.
 */
class DeviceListAgreesWithQemuTest {
    @Test
    void deviceHelpIsQemus() throws Exception {
        Context context = new Context().withQemuRelease("7.2");
        CliRunner r = CliRunner.run(context, "run", "-device", "help");
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(Path.of("tests/qemu72/device-help.txt")), r.out());
    }

    /**
     * Issue 14 item 5: -device help lists the presented release's types. igb (QEMU 8.0, hw/net/igb.c:617 dc->desc,
     * :621 DEVICE_CATEGORY_NETWORK in 10.2.0) is listed under Network from 8.0 on; sga (removed in 8.0) and pvrdma
     * (removed in 9.1; 10.2.0 docs/about/removed-features.rst:1217, :1226) leave the list from the release that
     * removed them; presenting 10.2 the CPU types are 10.2's CPU models (-cpu help's); every other line is QEMU
     * 7.2's recorded one (machines/qom/device-list-after-qemu72.json).
     */
    @Test
    void deviceHelpIsThePresentedReleasesList() throws Exception {
        String igb = "name \"igb\", bus PCI, desc \"Intel 82576 Gigabit Ethernet Controller\"";
        String sga = "name \"sga\", bus ISA, desc \"Serial Graphics Adapter\"";
        String pvrdma = "name \"pvrdma\", bus PCI, desc \"RDMA Device\"";
        List<String> recorded = Files.readAllLines(Path.of("tests/qemu72/device-help.txt"));
        assertTrue(recorded.contains(sga) && recorded.contains(pvrdma) && !recorded.contains(igb));
        for (String release : new String[] {"10.2", "9.0", "8.0"}) {
            CliRunner r = CliRunner.run(new Context().withQemuRelease(release), "run", "-device", "help");
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            List<String> network = lines.subList(lines.indexOf("Network devices:"), lines.indexOf("Input devices:"));
            assertTrue(network.contains(igb), release + ": " + network);
            assertFalse(lines.contains(sga), release);
            assertEquals(!release.equals("10.2"), lines.contains(pvrdma), release);
            List<String> expected = new java.util.ArrayList<>(recorded);
            expected.remove(sga);
            List<String> without = new java.util.ArrayList<>(lines);
            without.remove(igb);
            // the other types QEMU added after 7.2 that the release has (tools/gen_added_device_types.py)
            java.util.Set<String> added = addedBy(release);
            without.removeIf(l -> added.contains(l.replaceFirst("^name \"([^\"]+)\".*$", "$1")));
            if (release.equals("10.2")) {
                expected.remove(pvrdma);
            }
            if (!dev.machina.util.CpuModelReleases.of(release).equals("7.2")) {
                // the CPU types are the release's CPU models, as -cpu help lists them (GraniteRapids-x86_64-cpu, ...)
                java.util.Set<String> cpus = new java.util.TreeSet<>();
                without.stream().filter(l -> l.endsWith("-x86_64-cpu\"")).forEach(cpus::add);
                java.util.Set<String> models = new java.util.TreeSet<>();
                dev.machina.cpu.x86.CpuModel.listedModels(release).forEach(m -> models.add("name \"" + m + "-x86_64-cpu\""));
                assertEquals(models, cpus);
                // GraniteRapids is 8.1's (8.2.2's tree has it, 8.0.5's not); SapphireRapids 8.0's
                assertEquals(!release.equals("8.0"), cpus.contains("name \"GraniteRapids-x86_64-cpu\""), release + ": " + cpus);
                assertTrue(cpus.contains("name \"SapphireRapids-x86_64-cpu\""), cpus.toString());
                expected.removeIf(l -> l.endsWith("-x86_64-cpu\""));
                without.removeIf(l -> l.endsWith("-x86_64-cpu\""));
            }
            assertEquals(expected, without, release + ": the other lines are QEMU 7.2's");
        }
    }

    /** The device types machines/qom/device-list-after-qemu72.json says QEMU added after 7.2, by {@code release}. */
    static java.util.Set<String> addedBy(String release) throws Exception {
        java.util.Set<String> out = new java.util.TreeSet<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(Path.of("machines/qom/device-list-after-qemu72.json").toFile())
                .get("added").fields().forEachRemaining(e -> {
                    if (dev.machina.machine.QemuRelease.compare(e.getValue().get("release").asText(), release) <= 0) {
                        out.add(e.getKey());
                    }
                });
        return out;
    }

    /**
     * Issue 14 item 5: a device type QEMU added after 7.2 that Machina has no model for is in the presented release's
     * lists from the release that has it (machines/types/devices-after-qemu72.yaml, generated from QEMU 10.2.0's source by
     * tools/gen_added_device_types.py). virtio-sound-pci: 10.2.0 hw/audio/virtio-snd-pci.c:52 {@code dc->desc = "Virtio
     * Sound"}, :53 DEVICE_CATEGORY_SOUND; its "streams" is virtio-sound-device's, hw/audio/virtio-snd.c:84
     * {@code DEFINE_PROP_UINT32("streams", ..., VIRTIO_SOUND_STREAM_DEFAULT)}, 2; in 8.2.2's tree (tools/qemu-source/defaults-8.2.2.json),
     * not in 7.2's.
     * vmclock (hw/acpi/vmclock.c:167) is in 10.2.0's tree only, so 9.0's list lacks it.
     */
    @Test
    void aTypeAddedAfter72IsInTheListsOfTheReleasesThatHaveIt() throws Exception {
        String snd = "name \"virtio-sound-pci\", bus PCI, desc \"Virtio Sound\"";
        for (String release : new String[] {"10.2", "9.0", "8.2"}) {
            List<String> lines = CliRunner.run(new Context().withQemuRelease(release), "run", "-device", "help").out().lines().toList();
            List<String> sound = lines.subList(lines.indexOf("Sound devices:"), lines.indexOf("Misc devices:"));
            assertTrue(sound.contains(snd), release + ": " + sound);
            assertEquals(release.equals("10.2"), lines.contains("name \"vmclock\""), release);
        }
        CliRunner show = CliRunner.run(new Context().withQemuRelease("10.2"), "device", "show", "virtio-sound-pci");
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().contains("\n  Virtio Sound\n"), show.out());
        assertTrue(show.out().lines().anyMatch(l -> l.matches("streams\\s+uint32\\s+2\\s*")), show.out());
        // QEMU 7.2 has no such type: not in its list (the whole list is QEMU 7.2's, deviceHelpIsQemus), one line from device show
        CliRunner old = CliRunner.run(new Context().withQemuRelease("7.2"), "run", "-device", "help");
        assertFalse(old.out().contains("virtio-sound-pci"));
        CliRunner show72 = CliRunner.run(new Context().withQemuRelease("7.2"), "device", "show", "virtio-sound-pci");
        assertEquals(1, show72.code());
        assertEquals("", show72.out());
        assertEquals(1, show72.err().lines().count(), show72.err());
        assertTrue(show72.err().contains("'virtio-sound-pci' is QEMU 8.2's"), show72.err());
        CliRunner help72 = CliRunner.run(new Context().withQemuRelease("7.2"), "-device", "virtio-sound-pci,help");
        assertEquals(1, help72.code());
        assertEquals("", help72.out());
        assertEquals(1, help72.err().lines().count(), help72.err());
        assertTrue(help72.err().contains("'virtio-sound-pci' is QEMU 8.2's"), help72.err());
        CliRunner help102 = CliRunner.run(new Context().withQemuRelease("10.2"), "-device", "virtio-sound-pci,help");
        assertTrue(help102.out().lines().anyMatch(l -> l.startsWith("  streams=<uint32>") && l.endsWith("(default: 2)")), help102.out());
    }

    /**
     * A command line or config file that creates a type the presented release does not have yet is refused before
     * anything runs, in one line, as QEMU 7.2 refuses {@code -device virtio-sound-pci} ("'virtio-sound-pci' is not a
     * valid device model name"); presenting 10.2 the type is known and refused only for having no model.
     */
    @Test
    void aTypeAddedAfterThePresentedReleaseCannotBeCreated() throws Exception {
        for (String[] cmd : new String[][] {{"run", "-M", "pc", "-nodefaults", "-device", "virtio-sound-pci"},
                {"config", "write", "-M", "pc", "-device", "virtio-sound-pci"}}) {
            CliRunner r = CliRunner.run(new Context().withQemuRelease("8.0"), cmd);
            assertEquals(1, r.code(), String.join(" ", cmd) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("'virtio-sound-pci' is not a valid device model name"), r.err());
            assertTrue(r.err().contains("QEMU 8.2's"), r.err());
        }
        CliRunner newest = CliRunner.run(new Context().withQemuRelease("10.2"), "config", "write", "-M", "pc", "-device", "virtio-sound-pci");
        assertEquals(0, newest.code(), newest.err());
        assertTrue(newest.out().contains("driver = \"virtio-sound-pci\""), newest.out());
    }

    /**
     * {@code machina device list} answers as the presented release too: no type a later QEMU added, and the types QEMU
     * removed by then marked with the release that removed them (sga 8.0, pvrdma 9.1, ide-drive 6.0:
     * machines/qom/device-list-after-qemu72.json "removed").
     */
    @Test
    void deviceListIsThePresentedReleases() {
        java.util.function.BiFunction<String, String, String> row = (release, type) ->
                CliRunner.run(new Context().withQemuRelease(release), "device", "list").out().lines()
                        .filter(l -> l.startsWith(type + " ")).findFirst().orElse("");
        assertTrue(row.apply("10.2", "sga").endsWith("removed in 8.0"), row.apply("10.2", "sga"));
        assertTrue(row.apply("10.2", "pvrdma").endsWith("removed in 9.1"), row.apply("10.2", "pvrdma"));
        assertTrue(row.apply("10.2", "virtio-sound-pci").contains("Virtio Sound"), row.apply("10.2", "virtio-sound-pci"));
        assertEquals("", row.apply("7.2", "virtio-sound-pci"));
        assertFalse(row.apply("7.2", "sga").contains("removed"), row.apply("7.2", "sga"));
        assertTrue(row.apply("7.2", "ide-drive").endsWith("removed in 6.0"), row.apply("7.2", "ide-drive"));
        assertFalse(row.apply("9.0", "pvrdma").contains("removed"), row.apply("9.0", "pvrdma"));
    }

    /** Declared is not emulated: running with a type added after 7.2 refuses in one line, as for any type without a model. */
    @Test
    void runningATypeAddedAfter72RefusesInOneLine() throws Exception {
        for (String type : new String[] {"virtio-sound-pci", "ati-vga"}) {
            CliRunner r = CliRunner.run(new Context(), "run", "-M", "pc", "-display", "none", "-device", type);
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("device '" + type + "'") && r.err().contains("has no model in Machina yet"), r.err());
        }
    }

    /** Every CPU type QEMU 7.2 lists (the models, each version NAME-vN, the aliases, base/max/host) is declared. */
    @Test
    void everyCpuTypeOfQemuIsDeclared() throws Exception {
        Context context = new Context();
        List<String> left = new ArrayList<>();
        Matcher cpu = Pattern.compile("^name \"([^\"]+-x86_64-cpu)\"$").matcher("");
        int seen = 0;
        for (String line : Files.readAllLines(Path.of("tests/qemu72/device-help.txt"))) {
            if (cpu.reset(line).matches()) {
                seen++;
                if (context.registry().find(cpu.group(1)).isEmpty()) {
                    left.add(cpu.group(1));
                }
            }
        }
        assertEquals(132, seen, "QEMU 7.2's -device help lists 132 CPU types");
        assertEquals(List.of(), left, "CPU types QEMU 7.2 lists that the registry lacks");
    }
}
