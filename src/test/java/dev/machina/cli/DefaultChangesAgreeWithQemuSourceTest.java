package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.hw.BuiltinTypes;
import dev.machina.machine.DataFiles;
import dev.machina.machine.DataReading;
import dev.machina.machine.MachineCatalog;
import dev.machina.qom.PropertyDefault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code machine diff pc-q35-7.2 pc-q35-10.2} (and the i440fx pair) against property defaults read in
 * QEMU's own source: each line of {@code tests/qemu-source/default-changes.txt} names the 10.2 default's
 * DEFINE_PROP_* line and the compat array that keeps the old value, and the diff must show exactly
 * those two values.
 */
class DefaultChangesAgreeWithQemuSourceTest {
    private static final Path FACTS = Path.of("tests/qemu-source/default-changes.txt");

    record Fact(String oldMachine, String newMachine, String driver, String property, String oldValue, String newValue,
                String newFrom, String oldFrom) {}

    static List<Fact> facts() throws Exception {
        List<Fact> out = new ArrayList<>();
        for (String line : Files.readAllLines(FACTS)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            assertEquals(8, f.length, "8 columns: " + line);
            out.add(new Fact(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]));
        }
        return out;
    }

    @Test
    void theDiffShowsEveryDefaultChangeQemuSourceGives() throws Exception {
        List<Fact> facts = facts();
        assertTrue(facts.size() >= 30, "at least 30 facts, got " + facts.size());
        Map<String, Set<String>> rowsByPair = new LinkedHashMap<>();
        Context shared = new Context();
        List<String> missing = new ArrayList<>();
        for (Fact f : facts) {
            assertTrue(f.newFrom().matches("10\\.2\\.0:[a-z0-9/_.-]+\\.c:\\d+"), "a source file:line: " + f.newFrom());
            assertTrue(f.oldFrom().matches("(hw|pc)_compat_\\d+_\\d+@10\\.2\\.0:[a-z0-9/_.-]+\\.c:\\d+"), "a compat array: " + f.oldFrom());
            Set<String> rows = rowsByPair.computeIfAbsent(f.oldMachine() + " " + f.newMachine(), k -> {
                CliRunner r = CliRunner.run(shared, "machine", "diff", f.oldMachine(), f.newMachine(), "--format", "csv");
                assertEquals(0, r.code(), r.err());
                return new TreeSet<>(r.out().lines().toList());
            });
            String row = String.join(",", "property", f.driver(), f.property(), f.oldValue(), f.newValue());
            if (!rows.contains(row)) {
                missing.add(row + "   (" + f.newFrom() + ", " + f.oldFrom() + ")");
            }
        }
        assertTrue(missing.isEmpty(), "rows the diff does not have:\n" + String.join("\n", missing));
    }

    @Test
    void aCatalogOfAnotherReleaseHasThatReleasesDefaults() {
        var files = DataFiles.packaged();
        MachineCatalog r72 = MachineCatalog.load(files, false, BuiltinTypes.all(), new DataReading(), "7.2");
        MachineCatalog r80 = MachineCatalog.load(files, false, BuiltinTypes.all(), new DataReading(), "8.0");
        MachineCatalog r102 = MachineCatalog.load(files, false, BuiltinTypes.all(), new DataReading(), "10.2");
        // hw/isa/lpc_ich9.c: true in 7.2, false from 8.0 on (pc_compat_7_2 keeps true)
        assertEquals(true, known(r72, "ICH9-LPC", "noreboot").value());
        assertEquals(false, known(r80, "ICH9-LPC", "noreboot").value());
        assertTrue(known(r80, "ICH9-LPC", "noreboot").since().startsWith("QEMU 8.0+"));
        // hw/pci-host/q35.c:665 in 10.2.0: 64 (16 before; pc_compat_10_1 keeps 16)
        assertEquals(16L, ((Number) known(r72, "mch", "extended-tseg-mbytes").value()).longValue());
        assertEquals(64L, ((Number) known(r102, "mch", "extended-tseg-mbytes").value()).longValue());
        // a property QEMU 7.2 does not have has no known default there
        assertTrue(spec(r72, "e1000e", "migrate-timadj") instanceof PropertyDefault.Unknown);
        assertEquals(true, known(r102, "e1000e", "migrate-timadj").value());
    }

    @Test
    void machineShowSaysWhichReleaseAndTakesAnother() {
        CliRunner newest = CliRunner.run(new Context(), "machine", "show", "pc-q35-7.2");
        assertEquals(0, newest.code(), newest.err());
        assertTrue(newest.out().startsWith("qemu-release: '10.2'\n"), newest.out().lines().findFirst().orElse(""));
        // as QEMU 7.2 has it: pc-q35-7.2's ICH9-LPC x-pcie-err-unc-mask does not exist there (no compat
        // restores it), so the 7.2 view has no known default for what QEMU 10.2 reports as false
        CliRunner old = CliRunner.run(new Context().withQemuRelease("7.2"), "machine", "show", "pc-q35-7.2", "--provenance");
        assertEquals(0, old.code(), old.err());
        assertTrue(old.out().startsWith("qemu-release: '7.2'\n"));
        CliRunner now = CliRunner.run(new Context(), "machine", "show", "pc-q35-8.0", "--provenance");
        assertTrue(now.out().contains("default of ICH9-LPC (QEMU 8.0+"), "10.2 names the release of noreboot's default");
        assertTrue(!old.out().contains("(QEMU 8.0+"), "7.2 has no default of a later release");
    }

    @Test
    void anotherReleaseHasOnlyItsMachineTypes() {
        Context r72 = new Context().withQemuRelease("7.2");
        CliRunner pc = CliRunner.run(r72, "machine", "show", "pc");
        assertEquals(0, pc.code(), pc.err());
        assertTrue(pc.out().contains("\nname: pc-i440fx-7.2\n"), "QEMU 7.2's pc is pc-i440fx-7.2");
        CliRunner newer = CliRunner.run(r72, "machine", "show", "pc-q35-8.0");
        assertEquals(1, newer.code());
        assertEquals("machina: machine type 'pc-q35-8.0' is not in QEMU 7.2 (it is new in 8.0); MACHINA_QEMU_VERSION=7.2 chose that release\n",
                newer.err());
        CliRunner diff = CliRunner.run(new Context().withQemuRelease("8.0"), "machine", "diff", "pc-q35-7.2", "q35");
        assertEquals(0, diff.code(), diff.err());
        assertTrue(diff.out().contains("pc-q35-8.0"), diff.out());
    }

    @Test
    void releaseNamesAreChecked() {
        assertEquals("10.2", dev.machina.machine.QemuRelease.parse(null));
        assertEquals("7.2", dev.machina.machine.QemuRelease.parse("7.2.0"));
        assertEquals("9.1", dev.machina.machine.QemuRelease.parse("9.1"));
        assertEquals(null, dev.machina.machine.QemuRelease.parse("6.2"));
        assertEquals(null, dev.machina.machine.QemuRelease.parse("１０.2"));
        assertTrue(dev.machina.machine.QemuRelease.compare("8.0", "10.2") < 0);
    }

    private static PropertyDefault spec(MachineCatalog c, String type, String property) {
        return c.registry().find(type).orElseThrow().property(property).orElseThrow().defaultValue();
    }

    private static PropertyDefault.Known known(MachineCatalog c, String type, String property) {
        PropertyDefault d = spec(c, type, property);
        assertTrue(d instanceof PropertyDefault.Known, type + "." + property + ": " + d);
        return (PropertyDefault.Known) d;
    }
}
