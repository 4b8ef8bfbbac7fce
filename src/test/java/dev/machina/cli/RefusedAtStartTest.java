package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What QEMU 7.2 refuses before it starts (more CPUs than the machine type's max-cpus, an unknown -cpu
 * model, a missing -kernel, -bios or -drive file): run, config write and config check refuse it too,
 * with one line naming the option and exit 1.
 */
class RefusedAtStartTest {
    private static final Context SHARED = new Context();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-smp 100000|supports at most 255 CPUs, not 100000",
        "-cpu nonsense|unknown CPU model 'nonsense'",
        "-cpu host|CPU model 'host' requires KVM or HVF",
        "-cpu Skylake-Client-x86_64-cpu|unknown CPU model 'Skylake-Client-x86_64-cpu'",
        // removed in QEMU 7.1 (its type is still in Machina's data): QEMU 7.2 "unable to find CPU model 'Icelake-Client'"
        "-cpu Icelake-Client|unknown CPU model 'Icelake-Client'",
        "-kernel /nonexistent/vmlinuz|no such file",
        "-bios /nonexistent/bios.bin|no such file",
        "-drive file=/nonexistent/disk.img,format=raw|no such file"})
    void runAndConfigWriteRefuseIt(String options, String message, @TempDir Path dir) throws Exception {
        String[] opts = ("-M pc " + options).split(" ");
        for (String[] cmd : new String[][] {{"run"}, {"config", "write", "-o", dir.resolve("x.cfg").toString()}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(cmd), java.util.Arrays.stream(opts))
                    .toArray(String[]::new);
            CliRunner r = CliRunner.run(SHARED, args);
            assertEquals(1, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains(message) && r.err().contains(options.split(" ")[0]), r.err());
        }
        assertTrue(!Files.exists(dir.resolve("x.cfg")), "config write writes nothing QEMU would refuse");
    }

    /**
     * The CPU models QEMU 7.2 has besides the unversioned ones (its -cpu help): each version NAME-vN and
     * the aliases of versions; QEMU 7.2 takes each (tests/qemu72/cpu-help.txt lists them), and so do config
     * write and config check.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Skylake-Client-v2", "Skylake-Client-IBRS", "EPYC-Rome", "EPYC-Rome-v2", "Cooperlake", "qemu64-v1",
        "pentium2", "base", "Icelake-Server-v6", "Snowridge-v4,-mpx"})
    void everyQemuModelIsTaken(String model, @TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("x.cfg");
        CliRunner w = CliRunner.run(SHARED, "config", "write", "-M", "pc", "-cpu", model, "-o", cfg.toString());
        assertEquals(0, w.code(), w.err());
        assertTrue(Files.readString(cfg).contains("model = \"" + model.split(",")[0] + "\""), Files.readString(cfg));
        CliRunner c = CliRunner.run(SHARED, "config", "check", cfg.toString());
        assertEquals(0, c.code(), c.err());
    }

    /** -cpu host with an accelerator that uses the host's CPUID is QEMU's to run: not refused. */
    @org.junit.jupiter.api.Test
    void hostIsTakenWithKvm(@TempDir Path dir) throws Exception {
        for (String accel : new String[] {"-accel kvm", "-machine accel=kvm:tcg"}) {
            String[] args = ("config write -M pc " + accel + " -cpu host -o " + dir.resolve("h.cfg")).split(" ");
            CliRunner r = CliRunner.run(SHARED, args);
            assertEquals(0, r.code(), accel + ": " + r.err());
        }
        CliRunner r = CliRunner.run(SHARED, ("config write -M pc -accel tcg -accel kvm -cpu host -o " + dir.resolve("t.cfg")).split(" "));
        assertEquals(1, r.code(), "the first -accel is tried first: " + r.err());
    }

    @org.junit.jupiter.api.Test
    void configCheckRefusesTooManyCpus(@TempDir Path dir) throws Exception {
        CliRunner r = check(dir, "[smp-opts]\n  cpus = \"100000\"\n");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("vm.cfg:4:3: machine type 'pc-i440fx-10.2' supports at most 255 CPUs"), r.err());
    }

    @org.junit.jupiter.api.Test
    void configCheckRefusesAMissingKernel(@TempDir Path dir) throws Exception {
        CliRunner r = check(dir, "[machine]\n  kernel = \"/nonexistent/vmlinuz\"\n");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("vm.cfg:") && r.err().contains("/nonexistent/vmlinuz: no such file"), r.err());
    }

    private static CliRunner check(Path dir, String section) throws Exception {
        Path f = dir.resolve("vm.cfg");
        Files.writeString(f, "[machine]\n  type = \"pc\"\n" + section);
        return CliRunner.run(SHARED, "config", "check", f.toString());
    }
}
