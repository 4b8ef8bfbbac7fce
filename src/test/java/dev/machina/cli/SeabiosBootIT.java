package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SeaBIOS boots on a machine built from the machine data, run as a user runs it
 * ({@code java -jar target/machina.jar run ...}), compared with QEMU 7.2 on the same command line
 * (recorded in {@code tests/seabios/qemu72/}, see its README). Each run ends by itself: SeaBIOS,
 * told {@code -boot reboot-timeout=0}, reboots after "No bootable device." and {@code -no-reboot}
 * turns that reset into an exit, as in QEMU; no wall-clock time is involved.
 *
 * <p>Skipped, saying why, only when Debian's {@code seabios} package is not installed
 * ({@code .ci/run} installs it).
 */
class SeabiosBootIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path SEABIOS = Path.of("/usr/share/seabios");
    private static final Path RECORDED = ROOT.resolve("tests/seabios/qemu72");

    /**
     * Debug-log lines that may differ from QEMU's without being wrong, by kind: addresses SeaBIOS
     * picks for what it relocates or allocates (they follow from the sizes of its heaps, which
     * depend on the option ROMs and tables a machine offers). Their hex numbers are masked.
     */
    private static final List<Pattern> ADDRESS_LINES = List.of(
            Pattern.compile("^Relocating init from .*"),
            Pattern.compile("^Copying (PIR|MPTABLE|SMBIOS|ACPI RSDP) from .*"),
            Pattern.compile("^Space available for UMB: .*"),
            Pattern.compile("^Returned \\d+ bytes of ZoneHigh$"));

    record Result(int code, String out, String err) {}

    private static Result machina(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", ROOT.resolve("target/machina.jar").toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        p.waitFor(); // no time limit: a busy machine is slow, not wrong
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void needSeabios() {
        assumeTrue(Files.isRegularFile(SEABIOS.resolve("bios.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
    }

    static String masked(String line) {
        for (Pattern p : ADDRESS_LINES) {
            if (p.matcher(line).matches()) {
                return line.replaceAll("0x[0-9a-f]+|\\b[0-9a-f]{5,}\\b|\\d+ bytes", "<address>");
            }
        }
        return line;
    }

    static void assertSameLog(Path expected, Path actual) throws IOException {
        List<String> e = Files.readAllLines(expected, StandardCharsets.ISO_8859_1);
        List<String> a = Files.readAllLines(actual, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
            assertEquals(masked(e.get(i)), masked(a.get(i)), "debug log line " + (i + 1) + " differs from " + ROOT.relativize(expected));
        }
        assertEquals(e.size(), a.size(), "debug log length differs from " + ROOT.relativize(expected) + "; got:\n" + String.join("\n", a));
    }

    private static String[] bootLine(Path log, String... machine) {
        List<String> a = new ArrayList<>(List.of("run"));
        a.addAll(List.of(machine));
        a.addAll(List.of("-nodefaults", "-nographic", "-serial", "stdio", "-no-reboot", "-boot", "reboot-timeout=0",
                "-chardev", "file,id=d,path=" + log, "-device", "isa-debugcon,iobase=0x402,chardev=d"));
        return a.toArray(String[]::new);
    }

    @Test
    void isapcWithBiosBinReachesNoBootableDeviceAsQemuDoes(@TempDir Path dir) throws Exception {
        needSeabios();
        Path log = dir.resolve("debugcon.log");
        Result r = machina(dir, bootLine(log, "-M", "isapc", "-bios", SEABIOS.resolve("bios.bin").toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("No bootable device."), r.out());
        // with -nographic SeaBIOS finds the serial port itself (QEMU 7.2 adds no etc/sercon-port): the same bytes as QEMU's
        assertEquals(Files.readString(RECORDED.resolve("isapc-biosbin-serial.out"), StandardCharsets.ISO_8859_1), r.out());
        assertSameLog(RECORDED.resolve("isapc-biosbin-debugcon.log"), log);
    }

    /**
     * pc-i440fx-7.2 with its default firmware (bios-256k.bin, which needs the i440FX's PAM shadow RAM):
     * SeaBIOS finds the chipset and reaches "No bootable device.". Its debug log is not compared line
     * by line yet: QEMU's has the ACPI tables of etc/table-loader and the kvmvapic ROM, which Machina
     * does not offer yet; the lines that must be there are checked in order. (Without the kvmvapic ROM,
     * which SeaBIOS runs as a BCV and so adds the hard disk entry first, SeaBIOS also tries the floppy
     * before the hard disk, as it does on isapc.)
     */
    @Test
    void pcReachesNoBootableDevice(@TempDir Path dir) throws Exception {
        needSeabios();
        Path log = dir.resolve("debugcon.log");
        Result r = machina(dir, bootLine(log, "-M", "pc"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("No bootable device."), r.out());
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        int at = 0;
        for (String want : List.of("Running on QEMU (i440fx)", "QEMU fw_cfg DMA interface supported",
                "Found 4 PCI devices (max PCI bus is 00)", "PCI: init bdf=00:00.0 id=8086:1237", "PCI: init bdf=00:01.0 id=8086:7000",
                "PIIX3/PIIX4 init: elcr=00 0c", "PCI: init bdf=00:01.3 id=8086:7113", "Found 1 serial ports",
                "  6: 000000fd00000000 - 0000010000000000 = 2 RESERVED", "No bootable device.  Retrying in 0 seconds.")) {
            int i = lines.subList(at, lines.size()).indexOf(want);
            assertTrue(i >= 0, "'" + want + "' missing after line " + at + " of:\n" + String.join("\n", lines));
            at += i + 1;
        }
    }

    /**
     * pc-q35-7.2 with bios-256k.bin: SeaBIOS finds the Q35 chipset (MCH, MMCONFIG at the PCIEXBAR
     * reset value, ICH9 LPC with its PIRQ routing and PM block, the AHCI controller without drives,
     * the SMBus controller's BAR) and reaches "No bootable device.". Compared with QEMU 7.2's log in
     * order, as for pc: QEMU's log also has what comes from its ACPI tables (pm_base moved to 0x600,
     * the DSDT), the local APIC (the CPU count) and the kvmvapic ROM, which Machina does not offer yet.
     */
    @Test
    void q35ReachesNoBootableDevice(@TempDir Path dir) throws Exception {
        needSeabios();
        Path log = dir.resolve("debugcon.log");
        Result r = machina(dir, bootLine(log, "-M", "q35"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("No bootable device."), r.out());
        assertFalse(r.err().contains("\tat "), r.err());
        List<String> recorded = Files.readAllLines(RECORDED.resolve("q35-debugcon.log"), StandardCharsets.ISO_8859_1);
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        int at = 0;
        for (String want : List.of("Running on QEMU (q35)", "QEMU fw_cfg DMA interface supported",
                "qemu/e820: addr 0x0000000000000000 len 0x0000000008000000 [RAM]",
                "Found 4 PCI devices (max PCI bus is 00)", "PCIe: using q35 mmconfig at 0xb0000000",
                "PCI: IO: c000 - c05f", "PCI: 32: 00000000c0000000 - 00000000fec00000",
                "PCI: map device bdf=00:1f.3  bar 4, addr 0000c000, size 00000040 [io]",
                "PCI: map device bdf=00:1f.2  bar 4, addr 0000c040, size 00000020 [io]",
                "PCI: map device bdf=00:1f.2  bar 5, addr febff000, size 00001000 [mem]",
                "PCI: init bdf=00:00.0 id=8086:29c0", "PCI: init bdf=00:1f.0 id=8086:2918", "Q35 LPC init: elcr=00 0c",
                "PCI: init bdf=00:1f.2 id=8086:2922", "PCI: init bdf=00:1f.3 id=8086:2930",
                "AHCI controller at 00:1f.2, iobase 0xfebff000, irq 10", "PS2 keyboard initialized", "Found 1 serial ports",
                "  5: 00000000b0000000 - 00000000c0000000 = 2 RESERVED", "  6: 00000000fed1c000 - 00000000fed20000 = 2 RESERVED",
                "  8: 000000fd00000000 - 0000010000000000 = 2 RESERVED", "No bootable device.  Retrying in 0 seconds.")) {
            assertTrue(recorded.contains(want), "'" + want + "' is not in QEMU's log");
            int i = lines.subList(at, lines.size()).indexOf(want);
            assertTrue(i >= 0, "'" + want + "' missing after line " + at + " of:\n" + String.join("\n", lines));
            at += i + 1;
        }
    }

    @Test
    void badInputIsOneLineAndExit1(@TempDir Path dir) throws Exception {
        needSeabios();
        Path small = dir.resolve("odd.bin");
        Files.write(small, new byte[1000]);
        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[17 << 20]);
        String[][] cases = {
            {"missing.bin", "run", "-M", "isapc", "-nodefaults", "-bios", dir.resolve("missing.bin").toString()},
            {"multiple of 64 KiB", "run", "-M", "isapc", "-nodefaults", "-bios", small.toString()},
            {"at most 16 MiB", "run", "-M", "isapc", "-nodefaults", "-bios", big.toString()},
            {"isa-cirrus-vga", "run", "-M", "isapc", "-nodefaults", "-device", "isa-cirrus-vga"},
            {"overlap 0x402-0x402", "run", "-M", "isapc", "-nodefaults", "-device", "isa-debugcon,iobase=0x402",
                "-device", "isa-debugcon,iobase=0x402"},
            {"-nodefaults", "run", "-M", "isapc"},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            Result r = machina(dir, args);
            assertEquals(1, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains(c[0]), c[0] + " not in: " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
    }
}
