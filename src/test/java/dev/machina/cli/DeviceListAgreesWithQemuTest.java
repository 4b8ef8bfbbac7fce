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
            if (release.equals("10.2")) {
                expected.remove(pvrdma);
                // the CPU types are 10.2's CPU models, as -cpu help lists them (GraniteRapids-x86_64-cpu, ...)
                java.util.Set<String> cpus = new java.util.TreeSet<>();
                without.stream().filter(l -> l.endsWith("-x86_64-cpu\"")).forEach(cpus::add);
                java.util.Set<String> models = new java.util.TreeSet<>();
                dev.machina.cpu.x86.CpuModel.listedModels("10.2").forEach(m -> models.add("name \"" + m + "-x86_64-cpu\""));
                assertEquals(models, cpus);
                assertTrue(cpus.contains("name \"GraniteRapids-x86_64-cpu\""), cpus.toString());
                expected.removeIf(l -> l.endsWith("-x86_64-cpu\""));
                without.removeIf(l -> l.endsWith("-x86_64-cpu\""));
            }
            assertEquals(expected, without, release + ": the other lines are QEMU 7.2's");
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
