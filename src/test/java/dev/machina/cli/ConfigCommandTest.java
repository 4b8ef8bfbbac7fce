package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
    @TempDir
    Path dir;

    private String p(String name) {
        return dir.resolve(name).toString();
    }

    private static final String[] ACCEPTANCE = {"-M", "pc", "-m", "2G", "-smp", "2", "-cpu", "qemu64", "-name", "vm1", "-nodefaults", "-S",
        "-global", "isa-fdc.fallback=144", "-chardev", "file,id=c0,path=out.txt", "-device", "isa-serial,id=s0,chardev=c0"};

    private CliRunner write(String out, String... qemu) {
        List<String> a = new ArrayList<>(List.of("config", "write"));
        a.addAll(List.of(qemu));
        a.addAll(List.of("-o", out));
        return CliRunner.run(a.toArray(String[]::new));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theIssuesScenarioWritesConvertsToTheSameBytesAndChecksClean() throws IOException {
        CliRunner w = write(p("vm.cfg"), ACCEPTANCE);
        assertEquals(0, w.code(), w.err());
        String written = Files.readString(dir.resolve("vm.cfg"));
        assertTrue(written.startsWith("[machine]\n  type = \"pc\"\n\n[memory]\n  size = \"2G\"\n"), written);
        CliRunner c = CliRunner.run("config", "convert", p("vm.cfg"), "--to", "cfg");
        assertEquals(0, c.code(), c.err());
        assertEquals(written, c.out());
        CliRunner k = CliRunner.run("config", "check", p("vm.cfg"));
        assertEquals(0, k.code(), k.err());
        assertEquals(p("vm.cfg") + ": ok (10 sections)\n", k.out());
        assertEquals(List.of("vm.cfg"), files(), "no temporary file is left behind");
    }

    /**
     * Issue 11 item 6: a -readconfig file after command-line options is written as the same options on the
     * command line are, its first section set off by a blank line (before, {@code [machine]} ran straight into
     * the file's {@code [name]}: a second rendering of one configuration); its comment stays with its section.
     */
    @Test
    void aReadconfigFileAfterOptionsIsWrittenAsTheSameOptionsOnTheCommandLine() throws IOException {
        Files.writeString(dir.resolve("n.cfg"), "[name]\n  guest = \"g1\"\n");
        Files.writeString(dir.resolve("c.cfg"), "# the guest's name\n[name]\n  guest = \"g1\"\n");
        CliRunner file = CliRunner.run("config", "write", "-M", "pc", "-readconfig", p("n.cfg"));
        CliRunner options = CliRunner.run("config", "write", "-M", "pc", "-name", "g1");
        assertEquals(0, file.code(), file.err());
        assertEquals(options.out(), file.out());
        CliRunner commented = CliRunner.run("config", "write", "-M", "pc", "-readconfig", p("c.cfg"));
        assertEquals("[machine]\n  type = \"pc\"\n\n# the guest's name\n[name]\n  guest = \"g1\"\n", commented.out());
        CliRunner alone = CliRunner.run("config", "write", "-readconfig", p("c.cfg"));
        assertEquals(Files.readString(dir.resolve("c.cfg")), alone.out(), "the file alone is written back byte for byte");
    }

    @Test
    void everyFormatConvertsBackToTheSameCfgBytes() {
        assertEquals(0, write(p("vm.cfg"), ACCEPTANCE).code());
        String from = p("vm.cfg");
        for (String[] step : new String[][] {{"yaml", "vm.yaml"}, {"json", "vm.json"}, {"hocon", "vm.conf"}, {"cfg", "back.cfg"}}) {
            CliRunner r = CliRunner.run("config", "convert", from, "--to", step[0], "-o", p(step[1]));
            assertEquals(0, r.code(), step[0] + ": " + r.err());
            from = p(step[1]);
        }
        assertEquals(CliRunner.run("config", "convert", p("vm.cfg")).out(), CliRunner.run("config", "convert", p("back.cfg")).out());
    }

    @Test
    void aMisspeltPropertyIsExit1WithTheMessageAndNoFile() {
        CliRunner r = write(p("vm.cfg"), "-device", "isa-serial,iobasee=0x3f8");
        assertEquals(1, r.code());
        assertEquals("-device isa-serial,iobasee=0x3f8: unknown property 'iobasee' of isa-serial; did you mean 'iobase'?\n", r.err());
        assertFalse(Files.exists(dir.resolve("vm.cfg")));
    }

    @Test
    void theYamlTwinGetsTheSameMessageWithItsPosition() throws IOException {
        Files.writeString(dir.resolve("vm.yaml"), "sections:\n  - device: {driver: isa-serial, iobasee: 0x3f8}\n");
        CliRunner r = CliRunner.run("config", "check", p("vm.yaml"));
        assertEquals(1, r.code());
        assertEquals(p("vm.yaml") + ":2:34: unknown property 'iobasee' of isa-serial; did you mean 'iobase'?\n", r.err());
    }

    @Test
    void anUnrepresentableValueLeavesTheExistingFileUntouched() throws IOException {
        Files.writeString(dir.resolve("vm.cfg"), "old\n");
        CliRunner r = write(p("vm.cfg"), "-name", "a\"b");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("-name a\"b: cannot write 'guest' of [name]: the value contains '\"'"), r.err());
        assertEquals("old\n", Files.readString(dir.resolve("vm.cfg")));
    }

    @Test
    void aMissingDirectoryIsAClearErrorAndLeavesNothing() throws IOException {
        CliRunner r = write(p("nodir/vm.cfg"), "-m", "1G");
        assertEquals(1, r.code());
        assertEquals(p("nodir/vm.cfg") + ": cannot write: the directory does not exist\n", r.err());
        assertEquals(List.of(), files());
    }

    @Test
    void checkReportsEveryFileAndFailsIfAnyIsBad() throws IOException {
        Files.writeString(dir.resolve("good.cfg"), "[name]\n  guest = \"vm1\"\n");
        Files.writeString(dir.resolve("bad.cfg"), "[name]\n  guest = vm1\n");
        CliRunner r = CliRunner.run("config", "check", p("good.cfg"), p("bad.cfg"));
        assertEquals(1, r.code());
        assertEquals(p("good.cfg") + ": ok (1 section)\n", r.out());
        assertTrue(r.err().startsWith(p("bad.cfg") + ":2:11: a value without double quotes; QEMU silently reads it as \"\""), r.err());
    }

    @Test
    void compatModeAcceptsWhatQemuAcceptsAndSaysWhatItDidInAWarning() throws IOException {
        Files.writeString(dir.resolve("q.cfg"), "[name]\n  guest = vm1\n");
        CliRunner r = CliRunner.run("config", "check", "--compat=qemu", p("q.cfg"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith(p("q.cfg") + ":2:11: warning: QEMU 7.2 accepts this silently, but: a value without double quotes"), r.err());
        CliRunner c = CliRunner.run("config", "convert", "--compat", "qemu", p("q.cfg"));
        assertEquals("[name]\n  guest = \"\"\n", c.out(), "the value QEMU reads");
    }

    @Test
    void resolvedWritesEveryEffectiveValueWithItsSource() {
        assertEquals(0, write(p("vm.cfg"), "-m", "256", "-m", "512", "-device", "isa-serial,id=s0").code());
        CliRunner r = CliRunner.run("config", "convert", p("vm.cfg"), "--resolved");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("[machine]\n  type = \"" + new Context().catalog().table().defaultMachine() + "\"  # the default machine type\n"),
                r.out());
        assertTrue(r.out().contains("[memory]\n  size = \"512\"\n"), r.out());
        assertTrue(r.out().contains("  baudbase = \"115200\"  # default of isa-serial\n"), r.out());
        assertTrue(r.out().contains("[machina-cpu]\n  model = \"qemu64\"  # default CPU of "), r.out());
    }

    @Test
    void resolvedIncludesTheMachineTypesCompatPropertiesAndChecksClean() {
        assertEquals(0, write(p("old.cfg"), "-M", "pc-i440fx-2.5", "-device", "isa-serial").code());
        CliRunner r = CliRunner.run("config", "convert", p("old.cfg"), "--resolved", "-o", p("resolved.cfg"));
        assertEquals(0, r.code(), r.err());
        CliRunner check = CliRunner.run("config", "check", p("resolved.cfg"));
        assertEquals(0, check.code(), check.err());
        String text = CliRunner.run("config", "convert", p("resolved.cfg")).out();
        assertTrue(text.contains("[global]  # compat pc-2.6: "), "pc-i440fx-2.5 applies the sets of every newer version, pc_compat_2_6 among them");
    }

    @Test
    void theOutputFormatMustBeOneWeKnow() {
        CliRunner r = CliRunner.run("config", "write", "--format", "xml", "-m", "1G");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--format takes cfg, yaml, json or hocon, not 'xml'"), r.err());
    }

    @Test
    void withoutAFormatTheOutputFilesExtensionChoosesItSoCheckReadsItBack() throws IOException {
        CliRunner w = write(p("vm.yaml"), "-M", "pc");
        assertEquals(0, w.code(), w.err());
        assertTrue(Files.readString(dir.resolve("vm.yaml")).startsWith("sections:\n"));
        CliRunner c = CliRunner.run("config", "convert", p("vm.yaml"), "-o", p("vm.json"));
        assertEquals(0, c.code(), c.err());
        assertTrue(Files.readString(dir.resolve("vm.json")).startsWith("{\n  \"sections\""));
        assertEquals(0, CliRunner.run("config", "check", p("vm.yaml"), p("vm.json")).code());
        assertEquals("[machine]\n  type = \"pc\"\n", CliRunner.run("config", "convert", p("vm.json")).out(), "stdout: cfg");
        assertEquals(0, write(p("vm.out"), "-M", "pc").code());
        assertEquals("[machine]\n  type = \"pc\"\n", Files.readString(dir.resolve("vm.out")), "an unknown extension: cfg");
    }

    /**
     * With the packaged type catalog (not a test registry): the memory backends as QEMU 7.2 takes them
     * (checked: each line below is accepted by qemu-system-x86_64 -machine none -object ...). QOM
     * reports size, align, hugetlbsize and host-nodes as "int"; they are a size and a list.
     */
    @Test
    void memoryBackendsAreCheckedWithTheirRealPropertyTypes() {
        CliRunner r = CliRunner.run("config", "write", "-object", "memory-backend-ram,id=m0,size=64M,host-nodes=0-1,policy=bind",
                "-object", "memory-backend-file,id=m1,size=64M,mem-path=/dev/shm/x,align=2M",
                "-object", "memory-backend-memfd,id=m2,size=1G,hugetlbsize=2M");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "memory-backend-ram is known: no 'properties not checked' warning");
        assertTrue(r.out().startsWith("[object \"m0\"]\n  qom-type = \"memory-backend-ram\"\n  size = \"64M\"\n"
                + "  host-nodes.0 = \"0\"\n  host-nodes.1 = \"1\"\n"), "a range is written as the list QEMU 7.2 reads from a file:\n" + r.out());
        CliRunner bad = CliRunner.run("config", "write", "-object", "memory-backend-ram,id=m0,size=64Q");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("-object memory-backend-ram,id=m0,size=64Q: Parameter 'size' expects a size value; write a size such as 64M"),
                bad.err());
    }

    @Test
    void aFileWithAnUnknownExtensionNeedsFrom() throws IOException {
        Files.writeString(dir.resolve("vm.txt"), "[name]\n  guest = \"a\"\n");
        assertEquals(1, CliRunner.run("config", "check", p("vm.txt")).code());
        assertEquals(0, CliRunner.run("config", "check", "--from", "cfg", p("vm.txt")).code());
    }

    @Nested
    class Run {
        @Test
        void writeconfigWritesTheWholeCommandLineThenStartsTheVm() throws IOException {
            // -S with no monitor to continue it: refused after the configuration was written
            CliRunner r = CliRunner.run(concat(ACCEPTANCE, "-writeconfig", p("w.cfg")));
            assertEquals(1, r.code());
            assertTrue(r.err().contains("-S: a machine started stopped needs a monitor"), r.err());
            assertEquals(CliRunner.run(concat(new String[] {"config", "write"}, ACCEPTANCE)).out(), Files.readString(dir.resolve("w.cfg")));
        }

        @Test
        void aWriteconfigThatCannotBeWrittenNamesTheOption() {
            CliRunner r = CliRunner.run("-m", "1G", "-writeconfig", dir.toString());
            assertEquals(1, r.code());
            assertEquals("-writeconfig " + dir + ": " + dir + ": cannot write: is a directory\n", r.err());
        }

        @Test
        void aConfFileWrittenByWriteconfigIsCfgAndCheckSaysHowToReadIt() throws IOException {
            // the VM is started after the file is written: options that end it (SeaBIOS finds nothing to boot and
            // reboots at once, -no-reboot makes that an exit), so the test does not hang once pc starts
            CliRunner.run("-m", "1G", "-nodefaults", "-nographic", "-no-reboot", "-boot", "reboot-timeout=0", "-writeconfig", p("vm.conf"));
            assertTrue(Files.readString(dir.resolve("vm.conf")).startsWith("[memory]\n  size = \"1G\"\n\n[machina-nodefaults]\n"),
                    "cfg, as QEMU reads .conf: " + Files.readString(dir.resolve("vm.conf")));
            CliRunner k = CliRunner.run("config", "check", p("vm.conf"));
            assertEquals(1, k.code());
            assertTrue(k.err().contains("give --from cfg"), k.err());
            assertEquals(0, CliRunner.run("config", "check", "--from", "cfg", p("vm.conf")).code());
        }

        @Test
        void writeconfigDashIsStdout() {
            CliRunner r = CliRunner.run("-m", "1G", "-writeconfig", "-");
            assertEquals("[memory]\n  size = \"1G\"\n", r.out());
        }

        @Test
        void helpOptionsAreAnswered() {
            CliRunner d = CliRunner.run("-device", "isa-serial,help");
            assertEquals(0, d.code(), d.err());
            assertTrue(d.out().startsWith("isa-serial options:\n"), d.out());
            assertTrue(d.out().contains("  iobase=<uint32>"), d.out());
            CliRunner m = CliRunner.run("-m", "512,help");
            assertEquals("memory options:\n  maxmem=<size>\n  size=<size>\n  slots=<num>\n", m.out());
        }

        @Test
        void aBadOptionIsExit1WithItsPlace() {
            CliRunner r = CliRunner.run("-M", "pc", "-smp", "two");
            assertEquals(1, r.code());
            assertTrue(r.err().startsWith("-smp two: invalid value 'two' for [smp-opts] cpus"), r.err());
        }
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
