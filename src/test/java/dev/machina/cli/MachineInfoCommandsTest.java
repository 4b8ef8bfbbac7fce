package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The monitor's views of a machine as dry-run commands, against QEMU 7.2's answers for the same
 * machine type with -nodefaults, recorded in tests/runtime/qemu72 (see its README).
 */
class MachineInfoCommandsTest {
    private static final Context SHARED = new Context();
    private static final Path RECORDED = Path.of("tests/runtime/qemu72");

    /**
     * {@code machine qom-tree} prints every object of QEMU's {@code info qom-tree}, at the same path, of
     * the same type, in the same order and format; what QEMU lists beside them and the dry run does not
     * have is left out of the comparison by kind: children of type {@code memory-region} (a device's
     * MMIO/PIO regions) and {@code irq} (its GPIO input pins).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pc-i440fx-7.2", "pc-q35-7.2", "isapc"})
    void qomTreeIsQemus(String machine) throws Exception {
        String qemu = Files.readAllLines(RECORDED.resolve("qom-tree-" + machine + ".txt")).stream()
                .filter(l -> !l.endsWith(" (memory-region)") && !l.endsWith(" (irq)")).map(l -> l + "\n").collect(Collectors.joining());
        CliRunner r = CliRunner.run(SHARED, "machine", "qom-tree", machine);
        assertEquals(0, r.code(), r.err());
        assertEquals(qemu, r.out());
    }

    /**
     * {@code machine qtree} prints QEMU's {@code info qtree}: the same buses and devices in the same
     * order, each device's qdev properties in QEMU's order with QEMU's values and formatting. The kinds
     * of difference, each named: (1) the lines realize adds and a dry run has not got, left out of
     * QEMU's text: {@code gpio-in}/{@code gpio-out} counts, a sysbus device's {@code mmio} windows, a
     * PCI function's {@code class ..., addr ..., pci id ...} and {@code bar N:} lines; (2) a value the
     * machine's reset changes after realize: q35-pcihost's {@code MCFG}, which the MCH's reset sets to
     * PCIE_BASE_ADDR_UNMAPPED (-1) while PCIEXBAR is disabled, where the dry run shows the value the
     * property has (MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT, 0xb0000000).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pc-i440fx-7.2", "pc-q35-7.2", "isapc"})
    void qtreeIsQemus(String machine) throws Exception {
        String qemu = Files.readAllLines(RECORDED.resolve("qtree-" + machine + ".txt")).stream()
                .filter(l -> !REALIZE_LINES.matcher(l).find())
                .map(l -> l.equals("    MCFG = -1 (0xffffffffffffffff)") ? "    MCFG = 2952790016 (0xb0000000)" : l)
                .map(l -> l + "\n").collect(Collectors.joining());
        CliRunner r = CliRunner.run(SHARED, "machine", "qtree", machine);
        assertEquals(0, r.code(), r.err());
        assertEquals(qemu, r.out());
    }

    /**
     * The monitor's {@code info qtree} ({@code machina run -M TYPE -nodefaults -S -monitor stdio}, here
     * the same {@code Vm.qtree()} in-process): the machine as run builds it, with the lines realize
     * adds that the models know: each PCI function's class, address, IDs and BARs, each sysbus device's
     * MMIO windows, and q35-pcihost's MCFG as the MCH's reset left it. The one kind of difference: the
     * {@code gpio-in}/{@code gpio-out} lines, which are not printed (Machina's models name their pins
     * for its own wiring, not as QEMU's NamedGPIOLists).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pc-i440fx-7.2", "pc-q35-7.2"})
    void monitorQtreeIsQemus(String machine) throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        String qemu = Files.readAllLines(RECORDED.resolve("qtree-" + machine + ".txt")).stream()
                .filter(l -> !l.matches(" *gpio-(in|out) \".*\" \\d+")).map(l -> l + "\n").collect(Collectors.joining());
        dev.machina.config.ParsedCommandLine p = ConfigSupport.configs(SHARED).fromCommandLine(
                java.util.List.of("-M", machine, "-nodefaults", "-display", "none"), dev.machina.config.ReadMode.STRICT);
        dev.machina.vm.Vm vm = dev.machina.vm.Vm.create(p.config(), SHARED.catalog(),
                new dev.machina.vm.Vm.Console(java.io.InputStream.nullInputStream(), java.io.OutputStream.nullOutputStream()));
        assertEquals(qemu, vm.qtree());
    }

    private static final java.util.regex.Pattern REALIZE_LINES = java.util.regex.Pattern.compile(
            "^ *(gpio-in \"|gpio-out \"|mmio [0-9a-f]{16}/|class .*, addr [0-9a-f]{2}:[0-9a-f]{2}\\.[0-7], pci id |bar [0-5]: )");

    @Test
    void qtreeWithDefaultsPutsTheDefaultDevicesOnTheirBuses() throws Exception {
        CliRunner r = CliRunner.run(SHARED, "machine", "qtree", "pc-i440fx-7.2", "--with-defaults");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\n          dev: isa-serial, id \"\"\n") && r.out().contains("\n      dev: VGA, id \"\"\n"), r.out());
    }

    @Test
    void qomTreeWithDefaultsHasTheDefaultDevices() throws Exception {
        CliRunner r = CliRunner.run(SHARED, "machine", "qom-tree", "pc-i440fx-7.2", "--with-defaults");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(" (isa-serial)\n") && r.out().contains(" (VGA)\n") && r.out().contains(" (e1000)\n"), r.out());
    }

    @Test
    void anUnknownMachineTypeIsOneLine() throws Exception {
        CliRunner r = CliRunner.run(SHARED, "machine", "qom-tree", "pc-nonsense");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("pc-nonsense"), r.err());
    }

    /**
     * {@code machine mtree} (and {@code -f}) of pc, q35 and isapc is QEMU's {@code info mtree}, section for
     * section (the order of QEMU's sections comes from a hash table, so they are compared as a set, and
     * flat views without their hash-ordered numbers). The kinds of difference, taken out of QEMU's text
     * before comparing: (1) the regions of devices Machina has no model of yet: isa-fdc's {@code fdc}
     * ports, {@code vmport}; (2) the ACPI hotplug register blocks, not modelled: {@code acpi-pci-hotplug},
     * {@code acpi-cpu-hotplug}; in the flat I/O view the unassigned {@code io} ranges on both sides of
     * those join up, as they do in Machina's; (3) no SMM: QEMU's TCG CPU has a {@code cpu-smm-0} address
     * space and the i440FX/MCH an {@code smram} region it aliases, with the {@code memory-region: system}
     * section an alias of it brings where nothing else aliases system memory (isapc).
     */
    @ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({"pc-i440fx-7.2,tree", "pc-q35-7.2,tree", "isapc,tree", "pc-i440fx-7.2,flat",
            "pc-q35-7.2,flat", "isapc,flat"})
    void mtreeIsQemus(String machine, String view) throws Exception {
        boolean flat = view.equals("flat");
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        String qemu = Files.readString(RECORDED.resolve((flat ? "mtree-f-" : "mtree-") + machine + ".txt")).replace("\r\n", "\n");
        CliRunner r = flat ? CliRunner.run(SHARED, "machine", "mtree", machine, "-f") : CliRunner.run(SHARED, "machine", "mtree", machine);
        assertEquals(0, r.code(), r.err());
        String expected = String.join("\n\n", mtreeSections(withoutKnownDifferences(qemu, flat)));
        String actual = String.join("\n\n", mtreeSections(r.out()));
        assertEquals(expected, actual);
    }

    private static final java.util.regex.Pattern UNMODELLED = java.util.regex.Pattern.compile(
            "\\): (fdc|vmport|acpi-pci-hotplug|acpi-cpu-hotplug)$");
    private static final java.util.regex.Pattern IO_GAP = java.util.regex.Pattern.compile(
            "^  ([0-9a-f]{16})-([0-9a-f]{16}) \\(prio 0, i/o\\): io @([0-9a-f]{16})$");

    private static String withoutKnownDifferences(String qemu, boolean flat) {
        java.util.List<String> kept = new java.util.ArrayList<>();
        for (String sec : qemu.strip().split("\n\n")) {
            if (sec.startsWith("address-space: cpu-smm-0\n") || sec.startsWith("memory-region: smram\n")) {
                continue;
            }
            java.util.List<String> lines = new java.util.ArrayList<>();
            for (String l : sec.split("\n")) {
                if (l.equals(" AS \"cpu-smm-0\", root: memory") || !flat && UNMODELLED.matcher(l).find()) {
                    continue;
                }
                if (UNMODELLED.matcher(l).find()) {
                    l = "  " + l.substring(2, 35) + " (prio 0, i/o): io @" + l.substring(2, 18); // the io root shows through
                }
                java.util.regex.Matcher gap = IO_GAP.matcher(l);
                java.util.regex.Matcher prev = lines.isEmpty() ? null : IO_GAP.matcher(lines.get(lines.size() - 1));
                if (flat && gap.matches() && prev != null && prev.matches()
                        && Long.parseUnsignedLong(prev.group(2), 16) + 1 == Long.parseUnsignedLong(gap.group(1), 16)) {
                    lines.set(lines.size() - 1, "  " + prev.group(1) + "-" + gap.group(2) + " (prio 0, i/o): io @" + prev.group(3));
                    continue;
                }
                lines.add(l);
            }
            if (flat && lines.stream().noneMatch(l -> l.startsWith(" AS "))) {
                continue; // the flat view of cpu-smm-0 alone
            }
            kept.add(String.join("\n", lines));
        }
        // a PCI function's (disabled) bus master alias of system memory also brings the section; isapc has none
        if (!flat && kept.stream().noneMatch(sec -> sec.contains("): bus master container"))) {
            kept.removeIf(sec -> sec.startsWith("memory-region: system\n"));
        }
        return String.join("\n\n", kept) + "\n";
    }

    /** The sections of an info mtree text, sorted; a flat view without its "FlatView #N" line. */
    private static java.util.List<String> mtreeSections(String text) {
        return java.util.Arrays.stream(text.strip().split("\n\n")).map(sec -> sec.replaceFirst("^FlatView #\\d+\n", ""))
                .sorted().toList();
    }

    private static String section(String text, String header) {
        int i = text.indexOf(header + "\n");
        assertTrue(i >= 0, "no '" + header + "' in\n" + text);
        int end = text.indexOf("\n\n", i);
        return text.substring(i, end < 0 ? text.length() : end);
    }
}
