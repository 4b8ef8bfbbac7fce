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
     * {@code machine mtree isapc}: the machine as {@code run} builds it, not run; its system memory
     * (RAM, option ROM space, the BIOS and its alias below 1 MiB, as bios.bin sizes them) is QEMU's
     * {@code info mtree} section line for line.
     */
    @Test
    void mtreeOfIsapcsSystemMemoryIsQemus() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        CliRunner r = CliRunner.run(SHARED, "machine", "mtree", "isapc");
        assertEquals(0, r.code(), r.err());
        String qemu = Files.readString(RECORDED.resolve("mtree-isapc.txt"));
        assertEquals(section(qemu, "address-space: memory"), section(r.out(), "address-space: memory"));
    }

    private static String section(String text, String header) {
        int i = text.indexOf(header + "\n");
        assertTrue(i >= 0, "no '" + header + "' in\n" + text);
        int end = text.indexOf("\n\n", i);
        return text.substring(i, end < 0 ? text.length() : end);
    }
}
