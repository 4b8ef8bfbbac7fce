package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.config.ParsedCommandLine;
import dev.machina.config.ReadMode;
import dev.machina.hw.nvram.FwCfg;
import dev.machina.vm.BuiltMachine;
import dev.machina.vm.Vm;
import dev.machina.vm.VmBuilder;
import dev.machina.vm.VmSpec;
import dev.machina.vm.boot.LinuxBoot;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -kernel/-initrd/-append} with a bzImage of our own ({@code tests/linux/minikernel.asm}: a
 * real setup header, a 16-bit setup that enters protected mode, a 32-bit kernel that prints the
 * command line, the initrd and the e820 count it was given, then powers off through ACPI S5):
 * <ul>
 *   <li>through SeaBIOS and QEMU's linuxboot_dma.bin, the fw_cfg kernel keys and the console output
 *       are QEMU 7.2's (recorded by {@code tools/guest-kit/record-minikernel} under tests/linux/qemu72);</li>
 *   <li>with {@code -bios none}, Machina's own 32-bit entry gives the kernel the same command line and
 *       initrd, an e820 map, and a chipset whose ACPI power-off works;</li>
 *   <li>what cannot boot is refused in one line with exit 1.</li>
 * </ul>
 * The Debian kernel itself boots in LinuxBootIT.
 */
class LinuxBootTest {
    private static final Path LINUX = Path.of("tests/linux");
    private static final Path KERNEL = LINUX.resolve("minikernel.bin");
    private static final Path INITRD = LINUX.resolve("minikernel-initrd.txt");
    private static final String APPEND = "console=ttyS0 machina";
    /** SeaBIOS to its option ROMs and the minikernel: about 20 million instructions. */
    private static final long BUDGET = 400_000_000L;
    private static final Context SHARED = new Context();

    record Run(Vm.Outcome outcome, String serial) {}

    private static List<String> args(String machine, Path serial, String... extra) {
        List<String> a = new ArrayList<>(List.of("-M", machine, "-m", "256", "-nodefaults", "-display", "none", "-no-reboot",
                "-serial", "file:" + serial, "-kernel", KERNEL.toString(), "-initrd", INITRD.toString(), "-append", APPEND));
        a.addAll(List.of(extra));
        return a;
    }

    private static Run run(Path dir, String machine, String... extra) throws Exception {
        Path serial = dir.resolve("serial.txt");
        Context context = new Context();
        ParsedCommandLine p = ConfigSupport.configs(context).fromCommandLine(args(machine, serial, extra), ReadMode.STRICT);
        Vm vm = Vm.create(p.config(), context.catalog(), new Vm.Console(InputStream.nullInputStream(), new ByteArrayOutputStream()));
        Vm.Outcome o = vm.run(BUDGET);
        return new Run(o, Files.readString(serial, StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pc", "q35"})
    void throughSeabiosTheKernelPrintsWhatItPrintsOnQemu(String machine, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "needs Debian's seabios (/usr/share/seabios/bios-256k.bin)");
        Assumptions.assumeTrue(Files.isRegularFile(LinuxBoot.QEMU_DATA.resolve("linuxboot_dma.bin")),
                "needs Debian's qemu-system-data (/usr/share/qemu/linuxboot_dma.bin)");
        Run r = run(dir, machine);
        String qemu = Files.readString(LINUX.resolve("qemu72/minikernel-" + machine + ".serial.txt"), StandardCharsets.ISO_8859_1);
        assertEquals(qemu, r.serial(), "the 16-bit setup ran (setup16), then the 32-bit kernel, with QEMU's command line and initrd");
        assertEquals(Vm.End.SHUTDOWN, r.outcome().end(), "the kernel's ACPI S5 ends the run");
        assertEquals(0, r.outcome().status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pc", "q35"})
    void withoutFirmwareTheKernelGetsItsCommandLineInitrdAndMemoryMap(String machine, @TempDir Path dir) throws Exception {
        Run r = run(dir, machine, "-bios", "none");
        Matcher m = Pattern.compile("kernel32 (.*)\\|(.*)\\|(.)\n").matcher(r.serial());
        assertTrue(m.matches(), "no 16-bit setup, the 32-bit entry only: " + r.serial());
        assertEquals(APPEND, m.group(1), "cmd_line_ptr points at -append");
        assertEquals("minikernel initrd", m.group(2), "ramdisk_image points at the -initrd file's bytes");
        int e820 = m.group(3).charAt(0) - '0';
        assertTrue(e820 >= 5 && e820 <= 7, "e820_entries: low RAM, the EBDA KiB, the BIOS area, RAM, [ACPI,] the firmware: " + e820);
        assertEquals(Vm.End.SHUTDOWN, r.outcome().end(), "the PM I/O block the loader enabled at 0x600 takes the S5 write");
        assertEquals(0, r.outcome().status());
    }

    /** The i32 fw_cfg items QEMU's trace shows ({@code fw_cfg_add_i32 key 0x0013 'cmdline_addr', value 0x20000}). */
    private static Map<Integer, Long> recordedKeys(String machine) throws Exception {
        Map<Integer, Long> keys = new LinkedHashMap<>();
        Pattern p = Pattern.compile("fw_cfg_add_i32 key 0x([0-9a-f]{4}) '[a-z_]+', value 0x([0-9a-f]+)");
        for (String line : Files.readAllLines(LINUX.resolve("qemu72/minikernel-" + machine + ".fwcfg.txt"))) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                int key = Integer.parseInt(m.group(1), 16);
                if (key >= 0x07 && key <= 0x18) {
                    keys.put(key, Long.parseLong(m.group(2), 16));
                }
            }
        }
        return keys;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pc", "q35"})
    void theFwCfgKernelKeysAreQemus(String machine, @TempDir Path dir) throws Exception {
        ParsedCommandLine p = ConfigSupport.configs(SHARED).fromCommandLine(args(machine, dir.resolve("s")), ReadMode.STRICT);
        VmSpec spec = VmSpec.of(p.config(), SHARED.catalog());
        BuiltMachine built = VmBuilder.dryRun(spec);
        FwCfg f = new FwCfg(32, true, false, null);
        LinuxBoot.of(spec).orElseThrow().installFwCfg(f, built);
        Map<Integer, Long> qemu = recordedKeys(machine);
        assertEquals(8, qemu.size(), "kernel, initrd, command line and setup: address and size each");
        for (Map.Entry<Integer, Long> e : qemu.entrySet()) {
            byte[] v = f.item(e.getKey()).orElseThrow();
            long got = (v[0] & 0xFFL) | (v[1] & 0xFFL) << 8 | (v[2] & 0xFFL) << 16 | (v[3] & 0xFFL) << 24;
            assertEquals(e.getValue(), got, String.format("fw_cfg key 0x%02x", e.getKey()));
        }
        assertEquals(APPEND + "\0", new String(f.item(0x15).orElseThrow(), StandardCharsets.US_ASCII), "cmdline_data");
        assertEquals("/rom@genroms/linuxboot_dma.bin\0", new String(f.file("bootorder").orElseThrow(), StandardCharsets.US_ASCII),
                "the option ROM boots first, as QEMU's bootindex 0");
        byte[] setup = f.item(0x18).orElseThrow();
        assertEquals(0x20000, le32(setup, 0x228), "cmd_line_ptr patched into the setup header");
        assertEquals(0xB0, setup[0x210] & 0xFF, "type_of_loader: QEMU");
        assertEquals(qemu.get(0x0A), (long) le32(setup, 0x218), "ramdisk_image in the header = initrd_addr");
    }

    private static int le32(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
    }

    // -- what cannot boot -----------------------------------------------------------------------

    private static CliRunner refuse(String... options) {
        CliRunner r = CliRunner.run(SHARED, java.util.stream.Stream.concat(java.util.stream.Stream.of("run", "-M", "pc",
                "-nodefaults", "-display", "none"), java.util.Arrays.stream(options)).toArray(String[]::new));
        assertEquals(1, r.code(), String.join(" ", options) + ": " + r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no Java trace: " + r.err());
        return r;
    }

    @Test
    void aFileWithoutASetupHeaderIsNotABzImage(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("vmlinuz");
        byte[] b = Files.readAllBytes(KERNEL);
        b[0x202] = 'X'; // "HdrS" broken
        Files.write(junk, b);
        CliRunner r = refuse("-kernel", junk.toString());
        assertTrue(r.err().contains("-kernel") && r.err().contains("not a Linux bzImage: no 'HdrS'"), r.err());
    }

    @Test
    void aTruncatedBzImageIsRefused(@TempDir Path dir) throws Exception {
        Path cut = dir.resolve("vmlinuz");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(KERNEL), 0x300));
        CliRunner r = refuse("-kernel", cut.toString(), "-bios", "none");
        assertTrue(r.err().contains("truncated or corrupt bzImage"), r.err());
    }

    /**
     * Cut inside the protected-mode kernel (the setup is whole): its header's syssize says how long the kernel is,
     * so the run refuses it on both paths, where QEMU 7.2 loads it and the guest resets (status 0 with -no-reboot,
     * no output), as Debian's kernel cut to 100,000 bytes did on Machina before.
     */
    @ParameterizedTest
    @ValueSource(strings = {"none", "default"})
    void aBzImageCutInsideItsKernelIsRefused(String bios, @TempDir Path dir) throws Exception {
        byte[] whole = Files.readAllBytes(KERNEL);
        int setup = ((whole[0x1F1] & 0xFF) + 1) * 512;
        Path cut = dir.resolve("vmlinuz");
        Files.write(cut, java.util.Arrays.copyOf(whole, setup + 32));
        CliRunner r = bios.equals("none") ? refuse("-kernel", cut.toString(), "-bios", "none") : refuse("-kernel", cut.toString());
        assertTrue(r.err().contains("truncated or corrupt bzImage: its header says ") && r.err().contains("(syssize at 0x1F4)")
                && r.err().contains("but the file has only 32 bytes after the setup"), r.err());
    }

    @Test
    void anInitrdLargerThanRamIsRefused(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("initrd.img");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), (40L << 20) - 1); // 40 MiB, sparse
        }
        CliRunner r = refuse("-m", "32", "-kernel", KERNEL.toString(), "-initrd", big.toString());
        assertTrue(r.err().contains("-initrd") && r.err().contains("does not fit in RAM"), r.err());
    }

    @Test
    void ramTooSmallForTheKernelIsRefused() {
        // the minikernel needs only init_size 64 KiB from 1 MiB: 1 MiB of RAM cannot hold it
        CliRunner r = refuse("-m", "1", "-bios", "none", "-kernel", KERNEL.toString());
        assertTrue(r.err().contains("too small for this kernel"), r.err());
    }

    @Test
    void initrdAndAppendNeedAKernelAsInQemu() {
        assertTrue(refuse("-initrd", INITRD.toString()).err().contains("-initrd is only allowed with -kernel"));
        assertTrue(refuse("-append", "quiet").err().contains("-append is only allowed with -kernel"));
        assertTrue(refuse("-bios", "none").err().contains("-bios none"));
    }
}
