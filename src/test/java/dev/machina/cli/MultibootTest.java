package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.config.ParsedCommandLine;
import dev.machina.config.ReadMode;
import dev.machina.vm.Vm;
import dev.machina.vm.boot.LinuxBoot;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * {@code -kernel} of a multiboot kernel, with two kernels of our own ({@code tests/multiboot/}: mbaout,
 * whose header gives the load addresses, and mbelf, an ELF file) that print on COM1 the machine state
 * and the boot information they were handed, then power off through ACPI S5:
 * <ul>
 *   <li>through SeaBIOS and QEMU's multiboot_dma.bin the output is QEMU 7.2's, line for line (recorded
 *       by {@code tools/guest-kit/record-multiboot} under tests/multiboot/qemu72): magic, registers,
 *       flags, memory sizes, boot device, command line, modules with their bytes, memory map, loader name;</li>
 *   <li>with {@code -bios none} (Machina's own entry; QEMU has no such path) the kernel gets the same,
 *       except the memory sizes and map, which are the machine's own e820 map;</li>
 *   <li>a header QEMU refuses is refused with QEMU's words, one line, exit 1.</li>
 * </ul>
 */
class MultibootTest {
    private static final Path MB = Path.of("tests/multiboot");
    private static final String INITRD = MB.resolve("mod-a.txt") + " alpha beta," + MB.resolve("mod-b.txt");
    private static final String APPEND = "hello multiboot";
    /** SeaBIOS to its option ROMs and the kernel: some 20 million instructions. */
    private static final long BUDGET = 400_000_000L;
    private static final Context SHARED = new Context();

    record Run(Vm.Outcome outcome, String serial) {}

    private static Run run(Path dir, String machine, String kernel, String... extra) throws Exception {
        Path serial = dir.resolve("serial.txt");
        List<String> a = new ArrayList<>(List.of("-M", machine, "-m", "128", "-nodefaults", "-display", "none", "-no-reboot",
                "-serial", "file:" + serial, "-kernel", MB.resolve(kernel + ".bin").toString(), "-initrd", INITRD, "-append", APPEND));
        a.addAll(List.of(extra));
        Context context = new Context();
        ParsedCommandLine p = ConfigSupport.configs(context).fromCommandLine(a, ReadMode.STRICT);
        Vm vm = Vm.create(p.config(), context.catalog(), new Vm.Console(InputStream.nullInputStream(), new ByteArrayOutputStream()));
        Vm.Outcome o = vm.run(BUDGET);
        return new Run(o, Files.readString(serial, StandardCharsets.ISO_8859_1));
    }

    private static String qemu(String kernel, String machine) throws Exception {
        return Files.readString(MB.resolve("qemu72/" + kernel + "-" + machine + ".serial.txt"), StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mbaout pc", "mbaout q35", "mbelf pc", "mbelf q35"})
    void throughSeabiosTheKernelIsHandedWhatQemuHandsIt(String kernelAndMachine, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "needs Debian's seabios (/usr/share/seabios/bios-256k.bin)");
        Assumptions.assumeTrue(Files.isRegularFile(LinuxBoot.QEMU_DATA.resolve("multiboot_dma.bin")),
                "needs Debian's qemu-system-data (/usr/share/qemu/multiboot_dma.bin)");
        String[] km = kernelAndMachine.split(" ");
        Run r = run(dir, km[1], km[0]);
        assertEquals(qemu(km[0], km[1]), r.serial(), "SeaBIOS, multiboot_dma.bin and the kernel on Machina, as on QEMU 7.2");
        assertEquals(Vm.End.SHUTDOWN, r.outcome().end(), "the kernel's ACPI S5 ends the run");
        assertEquals(0, r.outcome().status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mbaout", "mbelf"})
    void withoutFirmwareTheKernelGetsTheSameInformationAndTheMachinesMemoryMap(String kernel, @TempDir Path dir) throws Exception {
        Run r = run(dir, "pc", kernel, "-bios", "none");
        assertEquals(Vm.End.SHUTDOWN, r.outcome().end(), "the kernel's ACPI S5 ends the run: " + r.serial());
        List<String> got = r.serial().lines().toList();
        List<String> want = qemu(kernel, "pc").lines().toList();
        assertEquals(without(want), without(got), "all but the memory lines as QEMU's loader gives them");
        // the memory map: the e820 map of LinuxBoot.e820 for -m 128 (ACPI tables at the top of RAM)
        List<String> map = got.stream().filter(l -> l.startsWith("mmap size=")).toList();
        assertEquals(List.of(
                "mmap size=20 base=0000000000000000 length=000000000009FC00 type=1",
                "mmap size=20 base=000000000009FC00 length=0000000000000400 type=2",
                "mmap size=20 base=00000000000F0000 length=0000000000010000 type=2",
                "mmap size=20 base=0000000000100000 length=0000000007ED8000 type=1",
                "mmap size=20 base=0000000007FD8000 length=0000000000028000 type=3",
                "mmap size=20 base=00000000FFFF0000 length=0000000000010000 type=2"), map);
        assertTrue(got.contains("mmap_length=" + 24 * map.size() + " mmap_addr=00009000"), r.serial());
        // mem_lower/mem_upper: KiB of RAM at 0 and at 1 MiB, as the map says (0x9FC00 and 0x7ED8000 bytes)
        assertTrue(got.contains("mem_lower=639 mem_upper=" + (0x7ED8000 >> 10)), r.serial());
    }

    private static List<String> without(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("mmap") && !l.startsWith("mem_lower=")).toList();
    }

    // -- what QEMU refuses -------------------------------------------------------------------------

    /** tests/multiboot/bad-kernels.py's cases: header words of mbaout.bin replaced (the checksum made valid again). */
    private static final Map<String, Map<Integer, Integer>> AOUT = new LinkedHashMap<>();
    /** ... and e_machine of mbelf.bin. */
    private static final Map<String, Integer> ELF = new LinkedHashMap<>();

    static {
        AOUT.put("load-above-header", Map.of(4, 0x100004));
        AOUT.put("header-before-file", Map.of(4, 0x0FF000));
        AOUT.put("load-end-below-load", Map.of(5, 0x1000));
        AOUT.put("bss-below-load-end", Map.of(6, 0x100004));
        AOUT.put("load-end-past-file", Map.of(5, 0x200000));
        AOUT.put("load-end-past-file-no-bss", Map.of(5, 0x200000, 6, 0));
        AOUT.put("no-addresses-not-elf", Map.of(1, 0x00000003));
        ELF.put("elf-x86-64", 62);
        ELF.put("elf-arm", 40);
    }

    private static byte[] badKernel(String name) throws Exception {
        if (ELF.containsKey(name)) {
            byte[] b = Files.readAllBytes(MB.resolve("mbelf.bin"));
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(18, (short) (int) ELF.get(name));
            return b;
        }
        byte[] b = Files.readAllBytes(MB.resolve("mbaout.bin"));
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        AOUT.get(name).forEach((k, v) -> w.putInt(4 * k, v));
        w.putInt(8, -(w.getInt(0) + w.getInt(4)));
        return b;
    }

    @Test
    void aHeaderQemuRefusesIsRefusedWithQemusWords(@TempDir Path dir) throws Exception {
        Pattern line = Pattern.compile("([a-z0-9-]+): (.*)");
        int cases = 0;
        for (String l : Files.readAllLines(MB.resolve("qemu72/bad.txt"))) {
            Matcher m = line.matcher(l);
            if (l.startsWith("#") || !m.matches()) {
                continue;
            }
            Path f = dir.resolve(m.group(1) + ".bin");
            Files.write(f, badKernel(m.group(1)));
            for (String fw : List.of("default", "none")) {
                List<String> args = new ArrayList<>(List.of("run", "-M", "pc", "-m", "128", "-nodefaults", "-display", "none",
                        "-kernel", f.toString()));
                if (fw.equals("none")) {
                    args.addAll(List.of("-bios", "none"));
                }
                CliRunner r = CliRunner.run(SHARED, args.toArray(String[]::new));
                assertEquals(1, r.code(), m.group(1) + ": " + r.err());
                assertEquals(1, r.err().lines().count(), "one line: " + r.err());
                assertTrue(r.err().startsWith("machina: run: -kernel " + f + ": multiboot kernel: " + m.group(2)),
                        m.group(1) + ": QEMU says '" + m.group(2) + "': " + r.err());
                assertFalse(r.err().contains("Exception"), r.err());
            }
            cases++;
        }
        assertEquals(AOUT.size() + ELF.size(), cases, "every case of bad-kernels.py was recorded");
    }

    @Test
    void aMissingModuleIsNamed(@TempDir Path dir) {
        String initrd = MB.resolve("mod-a.txt") + " x," + dir.resolve("nosuch.txt");
        CliRunner r = CliRunner.run(SHARED, "run", "-M", "pc", "-nodefaults", "-display", "none", "-kernel",
                MB.resolve("mbaout.bin").toString(), "-initrd", initrd);
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(dir.resolve("nosuch.txt") + ": no such file"), r.err());
    }

    @Test
    void ramTooSmallForTheModulesIsRefused(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.img");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), (40L << 20) - 1); // 40 MiB, sparse
        }
        CliRunner r = CliRunner.run(SHARED, "run", "-M", "pc", "-m", "32", "-nodefaults", "-display", "none", "-bios", "none",
                "-kernel", MB.resolve("mbaout.bin").toString(), "-initrd", big + " arg");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains("too small for this multiboot kernel and its modules"), r.err());
    }
}
