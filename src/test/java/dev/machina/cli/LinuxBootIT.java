package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian 12's i386 kernel ({@code linux-image-6.1.*-686}, fetched with the guest kit's
 * {@code tools/guest-kit/build}: Debian's packages through {@code apt-get download}) boots to the
 * kit's busybox {@code /init}, run as a user runs it ({@code java -jar target/machina.jar run ...}):
 * the console shows the kernel log and the MACHINA-INIT-OK marker, {@code /proc/cpuinfo} between
 * the kit's markers is QEMU 7.2's for the same {@code -cpu} (tests/linux/cpuinfo-MODEL.txt, recorded by
 * {@code tools/guest-kit/record-cpuinfo}), and {@code poweroff -f} (ACPI S5 through the PM1 control
 * register) ends the process with status 0. Each run ends by itself; no wall-clock time is involved.
 *
 * <p>Four boots (a boot is about a minute of CPU): pc through SeaBIOS and QEMU's linuxboot_dma.bin
 * with the default CPU (qemu64), q35 without firmware ({@code -bios none}, Machina's 32-bit boot
 * protocol entry) with pentium3, pc without firmware with max and the kit's interactive initramfs (commands
 * typed into its shell), pc through SeaBIOS with qemu32 on the compiled tier. Every other model's CPUID is compared with QEMU 7.2's, leaf by leaf, without booting
 * (CpuModelTest).
 *
 * <p>The kit needs Debian's archive: in CI ({@code CI} set; {@code .ci/run} installs what the kit
 * needs) a kit that cannot be built is a failure; elsewhere the tests are skipped, saying so, only
 * when apt cannot reach the archive.
 */
class LinuxBootIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path KIT = ROOT.resolve("target/guest-kit");
    private static final Path RECORDED = ROOT.resolve("tests/linux");
    /** What /proc/cpuinfo is compared on (the other lines are clock speeds, cache sizes, bug lists). */
    private static final List<String> FIELDS = List.of("vendor_id", "cpu family", "model", "model name", "stepping", "flags");

    /**
     * Flags QEMU 7.2 shows that Machina's CPU core does not offer, because it does not implement
     * them: long mode ({@code lm}; {@code 3dnowprefetch} is Linux's own inference from lm on an
     * AMD CPU, arch/x86/kernel/cpu/amd.c) and SVM (with its npt and vgif); on max also the
     * instruction-set extensions AVX, AVX2, FMA, F16C, BMI1/2, MPX, PKU and VAES. No other difference is allowed.
     */
    private static final Set<String> QEMU64_MISSING = Set.of("lm", "3dnowprefetch", "svm");
    /** On max, 3dnowprefetch is there: Linux infers it from 3dnow as well as from lm (arch/x86/kernel/cpu/amd.c). */
    private static final Set<String> MAX_MISSING = Set.of("lm", "svm",
            "fma", "avx",
            "f16c", "bmi1", "avx2", "bmi2", "mpx",
            "npt", "vgif", "pku", "vaes");

    private static Map<String, Path> kit;

    record Result(int code, String out, String err) {}

    @BeforeAll
    static void buildKit() throws IOException, InterruptedException {
        Path log = Files.createTempFile("guest-kit", ".log");
        Process p = new ProcessBuilder(ROOT.resolve("tools/guest-kit/build").toString(), "--print")
                .redirectErrorStream(false).redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        String err = Files.readString(log).trim();
        Files.delete(log);
        if (rc != 0) {
            String why = "tools/guest-kit/build failed (exit " + rc + "): " + err;
            if (System.getenv("CI") != null) {
                fail(why + " -- CI must fetch Debian's i386 kernel and busybox-static (.ci/run installs apt's tools)");
            }
            boolean unreachable = err.contains("apt-get update") || err.contains("apt-get download") || err.contains("apt-get is needed");
            if (!unreachable) {
                fail(why);
            }
            assumeTrue(false, "skipped: Debian's archive is unreachable, so the guest kit cannot be built: " + why);
        }
        kit = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("package=")) {
                kit.put(line.substring(0, eq), Path.of(line.substring(eq + 1)));
            }
        }
        for (String f : List.of("vmlinuz-686", "initrd.cpio.gz")) {
            assertTrue(kit.containsKey(f) && Files.isRegularFile(kit.get(f)), "the kit has " + f + ": " + out);
        }
    }

    private static Result machina(Path dir, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", ROOT.resolve("target/machina.jar").toString(), "run"));
        cmd.addAll(args);
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        p.waitFor(); // no time limit: a busy machine is slow, not wrong
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The compared /proc/cpuinfo fields, in FIELDS order, from the lines between the kit's markers (or a recording). */
    static Map<String, String> cpuinfo(List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : lines) {
            int colon = l.indexOf(':');
            if (colon < 0 || l.startsWith("#")) {
                continue;
            }
            String key = l.substring(0, colon).trim();
            if (FIELDS.contains(key) && !m.containsKey(key)) {
                m.put(key, l.substring(colon + 1).trim());
            }
        }
        return m;
    }

    private static List<String> between(String console, String begin, String end) {
        List<String> lines = Arrays.asList(console.replace("\r", "").split("\n"));
        int b = lines.indexOf(begin), e = lines.indexOf(end);
        assertTrue(b >= 0 && e > b, "the console has " + begin + " ... " + end + ":\n" + tail(console));
        return lines.subList(b + 1, e);
    }

    private static String tail(String s) {
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }

    /** SeaBIOS's 256 KiB image and QEMU's linuxboot option ROM, which the boots through SeaBIOS need. */
    private static void assumeSeabiosAndLinuxboot() {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/qemu/linuxboot_dma.bin")),
                "skipped: /usr/share/qemu/linuxboot_dma.bin is missing; install Debian's qemu-system-data");
    }

    /** Boots the kit with these machine options and checks the console, /proc/cpuinfo and the exit status. */
    private void boot(Path dir, String recording, Set<String> missing, String... machine) throws Exception {
        boot(dir, recording, missing, NODEFAULTS_CONSOLE, machine);
    }

    /** {@link #boot(Path, String, Set, String...)} with these console options in place of -nodefaults' own. */
    private void boot(Path dir, String recording, Set<String> missing, List<String> consoleOptions, String... machine) throws Exception {
        check(machina(dir, kitArgs("initrd.cpio.gz", consoleOptions, machine)), recording, missing);
    }

    private static final List<String> NODEFAULTS_CONSOLE = List.of("-nodefaults", "-display", "none", "-serial", "stdio");

    private static List<String> kitArgs(String initrd, String... machine) {
        return kitArgs(initrd, NODEFAULTS_CONSOLE, machine);
    }

    private static List<String> kitArgs(String initrd, List<String> consoleOptions, String... machine) {
        List<String> args = new ArrayList<>(List.of(machine));
        args.addAll(List.of("-m", "256"));
        args.addAll(consoleOptions);
        args.addAll(List.of("-no-reboot",
                "-kernel", kit.get("vmlinuz-686").toString(), "-initrd", kit.get(initrd).toString(), "-append", "console=ttyS0"));
        return args;
    }

    /** The console, /proc/cpuinfo between the kit's markers and the exit status of a boot of the kit. */
    private static void check(Result r, String recording, Set<String> missing) throws IOException {
        String console = r.out();
        assertTrue(console.contains("Linux version 6."), "the kernel log is on the console:\n" + tail(console) + "\n" + r.err());
        assertTrue(console.contains("\nMACHINA-INIT-OK"), "the kit's /init ran:\n" + tail(console) + "\n" + r.err());
        assertTrue(console.contains("\nMACHINA-DONE"), "/init ran to its end:\n" + tail(console));
        assertEquals(0, r.code(), "poweroff -f ends the process with status 0; stderr:\n" + r.err() + "\n" + tail(console));

        Map<String, String> qemu = cpuinfo(Files.readAllLines(RECORDED.resolve(recording)));
        Map<String, String> ours = cpuinfo(between(console, "MACHINA-CPUINFO-BEGIN", "MACHINA-CPUINFO-END"));
        assertEquals(FIELDS, List.copyOf(qemu.keySet()), "the recording " + recording + " has every compared field");
        for (String f : FIELDS) {
            String expected = qemu.get(f);
            if (f.equals("flags")) {
                expected = Arrays.stream(expected.split(" ")).filter(x -> !missing.contains(x)).collect(Collectors.joining(" "));
                Set<String> recorded = Set.of(qemu.get(f).split(" "));
                for (String m : missing) {
                    assertTrue(recorded.contains(m), "a flag listed as missing is in QEMU's recording: " + m);
                }
            }
            assertEquals(expected, ours.get(f), "/proc/cpuinfo '" + f + "' differs from QEMU 7.2's (" + recording + ")");
        }
    }

    /**
     * The command line as issue 15's quick start writes it: no -nodefaults, -nographic putting the serial
     * port on stdio; the default devices without a model are named in a warning and left out.
     */
    @Test
    void pcThroughSeabiosWithTheDefaultCpu(@TempDir Path dir) throws Exception {
        assumeSeabiosAndLinuxboot();
        boot(dir, "cpuinfo-default.txt", QEMU64_MISSING, List.of("-nographic"), "-M", "pc");
    }

    /**
     * Debian's 686 kernel refuses a 486 in its 16-bit setup code, through SeaBIOS's serial console: the console
     * equals QEMU 7.2's byte for byte (tests/linux/qemu72/kit-486-pc.serial.txt, recorded with `timeout 20
     * qemu-system-x86_64 -M pc -m 256 -nodefaults -nographic -serial mon:stdio -no-reboot -cpu 486 -kernel
     * vmlinuz-686 -initrd initrd.cpio.gz -append console=ttyS0`, QEMU 7.2.22, stdout only). QEMU then waits
     * for ever; Machina ends the run after 5 s of guest time in the setup code's halt loop, exit 1, saying so.
     */
    @Test
    void pcThroughSeabiosWith486PrintsTheKernelsRefusalAsQemu(@TempDir Path dir) throws Exception {
        assumeSeabiosAndLinuxboot();
        Result r = machina(dir, List.of("-M", "pc", "-m", "256", "-nodefaults", "-nographic", "-serial", "mon:stdio", "-no-reboot",
                "-cpu", "486", "-kernel", kit.get("vmlinuz-686").toString(), "-initrd", kit.get("initrd.cpio.gz").toString(),
                "-append", "console=ttyS0"));
        String qemu = Files.readString(RECORDED.resolve("qemu72/kit-486-pc.serial.txt"), StandardCharsets.ISO_8859_1);
        assertTrue(qemu.contains("This kernel requires an i586 CPU, but only detected an i486 CPU."), "the recording has the refusal");
        assertEquals(qemu, r.out(), "the console is QEMU 7.2's; stderr:\n" + r.err());
        assertEquals(1, r.code(), "a guest that can only halt ends the run with status 1; stderr:\n" + r.err());
        assertTrue(r.err().contains("the guest stopped: its CPU has sat for 5 s of guest time in a loop of HLT"), r.err());
    }

    /**
     * Without firmware ({@code -bios none}) the 32-bit boot protocol entry skips the 16-bit setup code and
     * its CPU check, so Debian's 686 kernel cannot refuse a 486 in words: it decompresses itself, takes #UD
     * on its first CMOV, before it has a console, and halts with interrupts disabled. The run ends with
     * status 1 and says which instruction, where and which CPUID flag the kernel needs (QEMU 7.2 refuses
     * {@code -bios none} on pc outright, so there is no recording). The compiled tier keeps this case's
     * 2.3 billion instructions to about 10 s.
     */
    @Test
    void pcWithoutFirmwareWith486SaysTheKernelNeedsCmov(@TempDir Path dir) throws Exception {
        Result r = machina(dir, List.of("-M", "pc", "-m", "256", "-nodefaults", "-display", "none", "-serial", "stdio", "-no-reboot",
                "-accel", "tcg,tier=compiled", "-bios", "none", "-cpu", "486", "-kernel", kit.get("vmlinuz-686").toString(),
                "-initrd", kit.get("initrd.cpio.gz").toString(), "-append", "console=ttyS0"));
        assertEquals("", r.out(), "the kernel dies before it has a console; stderr:\n" + r.err());
        assertEquals(1, r.code(), "a guest that halted for good ends the run with status 1; stderr:\n" + r.err());
        assertTrue(r.err().contains("machina: run: the guest stopped: its CPU halted with interrupts disabled at 0060:"), r.err());
        assertTrue(r.err().contains("; before that it ran CMOVcc at 0060:"), r.err());
        assertTrue(r.err().contains(", which -cpu 486 does not have (CPUID flag cmov), and took an invalid-opcode exception:"
                + " the guest needs a CPU with cmov\n"), r.err());
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception")), "no JVM trace:\n" + r.err());
    }

    @Test
    void q35WithoutFirmwareWithPentium3(@TempDir Path dir) throws Exception {
        boot(dir, "cpuinfo-pentium3.txt", Set.of(), "-M", "q35", "-bios", "none", "-cpu", "pentium3");
    }

    /**
     * max, and the kit's interactive initramfs: a person types into the busybox shell on {@code -serial stdio}. Each
     * command is written on the process's standard input once the shell's prompt after the previous one is on
     * the console (the console is read as it comes; nothing waits on a clock): {@code echo}, {@code ls /proc},
     * {@code cat /proc/cpuinfo} (the chosen model's name), then {@code exit}, after which /init powers off.
     */
    @Test
    void pcWithoutFirmwareWithMaxGivesAShellToTypeInto(@TempDir Path dir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", ROOT.resolve("target/machina.jar").toString(), "run"));
        cmd.addAll(kitArgs("initrd-shell.cpio.gz", "-M", "pc", "-bios", "none", "-cpu", "max"));
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile()).start();
        java.io.InputStream in = p.getInputStream();
        java.io.OutputStream keys = p.getOutputStream();
        StringBuilder console = new StringBuilder();
        String prompt = "\n/ # ";
        awaitConsole(in, console, "MACHINA-SHELL", 0);
        int at = awaitConsole(in, console, prompt, 0);
        String[][] typed = {
            {"echo hi from the shell", "hi from the shell\r\n"},
            {"ls /proc", "cpuinfo"},
            {"cat /proc/cpuinfo", "model name\t: QEMU TCG CPU version 2.5+"}};
        for (String[] t : typed) {
            keys.write((t[0] + "\n").getBytes(StandardCharsets.ISO_8859_1));
            keys.flush();
            int echoed = awaitConsole(in, console, t[0] + "\r\n", at);
            int shown = awaitConsole(in, console, t[1], echoed);
            at = awaitConsole(in, console, prompt, shown - 1); // the output's last newline may be the prompt's
        }
        keys.write("exit\n".getBytes(StandardCharsets.ISO_8859_1));
        keys.flush();
        console.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        p.waitFor(); // no time limit: a busy machine is slow, not wrong
        String out = console.toString();
        assertTrue(out.contains("\nMACHINA-DONE"), "exit ends the shell and /init runs on:\n" + tail(out));
        check(new Result(p.exitValue(), out, Files.readString(err, StandardCharsets.UTF_8)), "cpuinfo-max.txt", MAX_MISSING);
    }

    /**
     * Reads the console into {@code console} until {@code text} appears at or after {@code from}; returns the index just
     * after it. The end of the console before that is a failure that shows it.
     */
    private static int awaitConsole(java.io.InputStream in, StringBuilder console, String text, int from) throws IOException {
        byte[] buf = new byte[4096];
        while (true) {
            int i = console.indexOf(text, from);
            if (i >= 0) {
                return i + text.length();
            }
            int n = in.read(buf);
            if (n < 0) {
                fail("the console ended before " + text.replace("\r", "\\r").replace("\n", "\\n") + ":\n" + tail(console.toString()));
            }
            console.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
    }

    /** qemu32, the acceptance's fourth model, through SeaBIOS on the compiled tier (the other boots run the default tier). */
    @Test
    void pcThroughSeabiosWithQemu32OnTheCompiledTier(@TempDir Path dir) throws Exception {
        assumeSeabiosAndLinuxboot();
        boot(dir, "cpuinfo-qemu32.txt", Set.of(), "-M", "pc", "-cpu", "qemu32", "-accel", "tcg,tier=compiled");
    }
}
