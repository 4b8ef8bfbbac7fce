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
            Pattern.compile("^Returned \\d+ bytes of ZoneHigh$"),
            Pattern.compile("^ACPI DSDT=0x[0-9a-f]+$"));

    /**
     * Lines about the DSDT: Machina's DSDT is its own, smaller AML (hw/acpi/Dsdt), so its length and
     * the address of the FACP that follows it differ; every other table has QEMU 7.2's bytes.
     */
    private static final List<Pattern> DSDT_LINES = List.of(
            Pattern.compile("^table\\(50434146\\)=0x[0-9a-f]+ \\(via rsdt\\)$"),
            Pattern.compile("^ACPI: parse DSDT at 0x[0-9a-f]+ \\(len \\d+\\)$"));

    /** QEMU's VAPIC option ROM (Debian's qemu-system-data), which QEMU 7.2's pc offers SeaBIOS. */
    private static final Path KVMVAPIC = Path.of("/usr/share/qemu/kvmvapic.bin");

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
        for (Pattern p : DSDT_LINES) {
            if (p.matcher(line).matches()) {
                return line.replaceAll("0x[0-9a-f]+|\\d+\\)", "<dsdt>");
            }
        }
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
     * A -serial port is made with the board's devices, before any -device (QEMU's serial_hds_isa_init in
     * pc_basic_device_init), so -serial stdio is COM1 even after a -device isa-serial; QEMU 7.2 prints
     * the same recorded screen for this command line.
     */
    @Test
    void theSerialOptionIsCom1BeforeADeviceIsaSerial(@TempDir Path dir) throws Exception {
        needSeabios();
        Result r = machina(dir, "run", "-M", "isapc", "-bios", SEABIOS.resolve("bios.bin").toString(), "-nodefaults", "-nographic",
                "-device", "isa-serial", "-serial", "stdio", "-no-reboot", "-boot", "reboot-timeout=0");
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(RECORDED.resolve("isapc-biosbin-serial.out"), StandardCharsets.ISO_8859_1), r.out());
    }

    /**
     * pc-i440fx-7.2 with its default firmware (bios-256k.bin, which needs the i440FX's PAM shadow RAM):
     * SeaBIOS finds the chipset, the local APIC ("Found 1 cpu(s)"), the PM timer at the PMBASE that
     * QEMU's ACPI tables make it move ("Moving pm_base to 0x600"), loads the tables through
     * etc/table-loader, runs the kvmvapic option ROM and reaches "No bootable device."; the debug log
     * is QEMU 7.2's line by line except addresses and the DSDT lines (see {@link #masked}).
     */
    @Test
    void pcBootsAsQemuDoes(@TempDir Path dir) throws Exception {
        needSeabios();
        assumeTrue(Files.isRegularFile(KVMVAPIC), "skipped: " + KVMVAPIC + " is missing; install Debian's qemu-system-data");
        Path log = dir.resolve("debugcon.log");
        Result r = machina(dir, bootLine(log, "-M", "pc"));
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(RECORDED.resolve("pc-serial.out"), StandardCharsets.ISO_8859_1), r.out());
        assertSameLog(RECORDED.resolve("pc-debugcon.log"), log);
    }

    /**
     * pc-q35-7.2 with bios-256k.bin: SeaBIOS finds the Q35 chipset (MCH, MMCONFIG at the PCIEXBAR
     * reset value, ICH9 LPC with its PIRQ routing and PM block, the AHCI controller without drives,
     * the SMBus controller's BAR), the local APIC, loads QEMU's ACPI tables (FADT with the LPC's
     * PMBASE, MCFG from the MCH's PCIEXBAR: "Moving pm_base to 0x600", "Using pmtimer, ioport 0x608"),
     * runs the kvmvapic ROM and reaches "No bootable device."; serial output and debug log are QEMU
     * 7.2's line by line but addresses and the DSDT lines (see {@link #masked}).
     */
    @Test
    void q35BootsAsQemuDoes(@TempDir Path dir) throws Exception {
        needSeabios();
        assumeTrue(Files.isRegularFile(KVMVAPIC), "skipped: " + KVMVAPIC + " is missing; install Debian's qemu-system-data");
        Path log = dir.resolve("debugcon.log");
        Result r = machina(dir, bootLine(log, "-M", "q35"));
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(Files.readString(RECORDED.resolve("q35-serial.out"), StandardCharsets.ISO_8859_1), r.out());
        assertSameLog(RECORDED.resolve("q35-debugcon.log"), log);
    }

    /**
     * The versioned names and old versions, each against QEMU 7.2's recording of the same command
     * line, serial output and debug log line by line (masked as {@link #masked}):
     * <ul>
     *   <li>pc-i440fx-7.2 and pc-q35-7.2 by their own names: QEMU 7.2 logs the same as for pc and
     *       q35 (the aliases' recordings are compared), and Machina must too (a versioned name once
     *       printed nothing: isa-bios-alias, false up to 9.0, was taken as "no BIOS below 1 MiB", fixed in 47356a3; the
     *       aliases are the 10.2 types);</li>
     *   <li>pc-i440fx-1.4: bios.bin (128 KiB; bios-256k.bin is from 2.0 on), no fw_cfg DMA, no ACPI
     *       tables of QEMU's (SeaBIOS builds its own, and its DSDT address lines are masked);</li>
     *   <li>pc-q35-2.4: QEMU's ACPI tables and bios-256k.bin on an old q35.</li>
     * </ul>
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({"pc-i440fx-7.2, pc", "pc-q35-7.2, q35", "pc-i440fx-1.4, pc-i440fx-1.4",
        "pc-q35-2.4, pc-q35-2.4"})
    void versionedMachineBootsAsQemuDoes(String machine, String recording, @TempDir Path dir) throws Exception {
        needSeabios();
        assumeTrue(Files.isRegularFile(KVMVAPIC), "skipped: " + KVMVAPIC + " is missing; install Debian's qemu-system-data");
        Path log = dir.resolve("debugcon.log");
        Result r = machina(dir, bootLine(log, "-M", machine));
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(Files.readString(RECORDED.resolve(recording + "-serial.out"), StandardCharsets.ISO_8859_1), r.out());
        assertSameLog(RECORDED.resolve(recording + "-debugcon.log"), log);
        if (machine.equals("pc-i440fx-1.4")) {
            assertFalse(Files.readString(log, StandardCharsets.ISO_8859_1).contains("QEMU fw_cfg DMA interface supported"));
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
            // -serial's port is COM1 (made with the board, before any -device), so this -device claims its ports again
            {"-device isa-serial,iobase=0x3f8", "run", "-M", "isapc", "-nodefaults", "-serial", "null", "-device", "isa-serial,iobase=0x3f8"},
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
