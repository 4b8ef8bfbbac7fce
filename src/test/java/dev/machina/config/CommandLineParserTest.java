package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineParserTest {
    private static String cfg(String... args) {
        return CfgWriter.write(new Configs(Qemu72.env()).fromCommandLine(List.of(args), ReadMode.STRICT).config());
    }

    private static ParsedCommandLine parse(ReadMode mode, String... args) {
        return new Configs(Qemu72.env()).fromCommandLine(List.of(args), mode);
    }

    /** Each option's config-file form (docs/config.md has the whole table). */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "-M          | pc,accel=tcg               | [machine]\\n  type = \"pc\"\\n  accel = \"tcg\"\\n",
        "-m          | 512                        | [memory]\\n  size = \"512\"\\n",
        "-m          | size=1G,slots=2,maxmem=4G  | [memory]\\n  size = \"1G\"\\n  slots = \"2\"\\n  maxmem = \"4G\"\\n",
        "-smp        | 2,sockets=1                | [smp-opts]\\n  cpus = \"2\"\\n  sockets = \"1\"\\n",
        "-boot       | order=cd,menu=on           | [boot-opts]\\n  order = \"cd\"\\n  menu = \"on\"\\n",
        "-name       | a,,b                       | [name]\\n  guest = \"a,b\"\\n",
        "-cpu        | qemu64,+sse3,-x2apic,vmx=off,pdpe1gb | [machina-cpu]\\n  model = \"qemu64\"\\n  sse3 = \"on\"\\n  x2apic = \"off\"\\n  vmx = \"off\"\\n  pdpe1gb = \"on\"\\n",
        "-kernel     | bzImage                    | [machine]\\n  kernel = \"bzImage\"\\n",
        "-bios       | bios.bin                   | [machine]\\n  firmware = \"bios.bin\"\\n",
        "-serial     | file:out.txt               | [machina-serial]\\n  dev = \"file:out.txt\"\\n",
        "-monitor    | stdio                      | [machina-monitor]\\n  dev = \"stdio\"\\n",
        "-qmp        | unix:/tmp/q,server=on      | [machina-qmp]\\n  dev = \"unix:/tmp/q,server=on\"\\n",
        "-display    | none                       | [machina-display]\\n  type = \"none\"\\n",
        "-global     | isa-serial.iobase=0x2f8    | [global]\\n  driver = \"isa-serial\"\\n  property = \"iobase\"\\n  value = \"0x2f8\"\\n",
        "-global     | driver=isa-serial,property=iobase,value=0x2f8 | [global]\\n  driver = \"isa-serial\"\\n  property = \"iobase\"\\n  value = \"0x2f8\"\\n",
        "-device     | isa-serial,id=s0,iobase=0x3f8 | [device \"s0\"]\\n  driver = \"isa-serial\"\\n  iobase = \"0x3f8\"\\n",
        "-chardev    | null,id=c0                 | [chardev \"c0\"]\\n  backend = \"null\"\\n",
    })
    void eachOptionBecomesItsConfigFileForm(String option, String value, String expected) {
        assertEquals(CfgReaderTest.unescape(expected), cfg(option, value.strip()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-nodefaults  | [machina-nodefaults]\\n",
        "-S           | [machina-S]\\n",
        "-nographic   | [machina-nographic]\\n",
        "-no-reboot   | [action]\\n  reboot = \"shutdown\"\\n",
        "-no-shutdown | [action]\\n  shutdown = \"pause\"\\n",
        "-enable-kvm  | [machine]\\n  accel = \"kvm\"\\n",
    })
    void flagsBecomeTheirConfigFileForm(String flag, String expected) {
        assertEquals(CfgReaderTest.unescape(expected), cfg(flag));
    }

    @Test
    void aJsonDeviceIsTheSameAsItsQemuOptsForm() {
        assertEquals(cfg("-device", "isa-serial,id=s0,iobase=760,wakeup=on"),
                cfg("-device", "{\"driver\":\"isa-serial\",\"id\":\"s0\",\"iobase\":760,\"wakeup\":true}"));
    }

    @Test
    void setChangesAnOptionDefinedBeforeItInPlace() {
        VmConfig c = parse(ReadMode.STRICT, "-device", "isa-serial,id=s0,iobase=0x3f8", "-set", "device.s0.iobase=0x2f8").config();
        Entry e = c.sections().get(0).entry("iobase").orElseThrow();
        assertEquals("0x2f8", e.value());
        assertEquals("-set", ((Origin.Argument) e.origin()).option());
    }

    @Test
    void setBeforeTheDefinitionIsAnError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(ReadMode.STRICT, "-set", "device.s0.iobase=0x2f8", "-device", "isa-serial,id=s0"));
        assertTrue(e.getMessage().contains("there is no device \"s0\" defined"), e.getMessage());
    }

    /**
     * A key QEMU makes a list of keeps every value, in order, in every format (QEMU 7.2 on the command
     * line: both hostfwd forwardings apply, info usernet; -numa cpus=1-27,cpus=29 puts both in the node);
     * a key QEMU keeps the last of is still an error in strict mode.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-netdev | user,id=n0,hostfwd=tcp::2222-:22,hostfwd=tcp::8080-:80 | hostfwd | tcp::2222-:22 | tcp::8080-:80",
        "-numa   | node,nodeid=0,cpus=1-27,cpus=29,memdev=m0              | cpus    | 1-27          | 29",
        "-smbios | type=11,value=Hello,value=World                        | value   | Hello         | World",
        "-spice  | port=5900,tls-channel=main,tls-channel=inputs          | tls-channel | main      | inputs",
    })
    void aRepeatedListKeyKeepsEveryValueInEveryFormat(String option, String value, String key, String first, String second,
            @TempDir Path dir) throws IOException {
        for (ReadMode m : ReadMode.values()) {
            VmConfig c = parse(m, line(option, value)).config();
            Section s = c.sections().get(0);
            assertEquals(List.of(first, second), s.entries().stream().filter(e -> e.key().equals(key)).map(Entry::value).toList(), m.toString());
        }
        VmConfig c = parse(ReadMode.STRICT, line(option, value)).config();
        for (ConfigFormat f : ConfigFormat.values()) {
            Path file = dir.resolve("vm." + f.name().toLowerCase(java.util.Locale.ROOT));
            Files.writeString(file, ConfigFiles.render(c, f));
            ReadResult back = new Configs(Qemu72.env()).load(file.toString(), Optional.of(f), ReadMode.STRICT);
            assertEquals(c.content(), back.config().content(), f.toString());
            if (f == ConfigFormat.CFG) {
                // true of the file: QEMU 7.2's -readconfig keeps only the last of a repeated key
                assertTrue(back.diagnostics().stream().anyMatch(d -> d.message().contains("QEMU 7.2's -readconfig keeps only the last")),
                        back.diagnostics().toString());
            } else {
                assertEquals(List.of(), back.diagnostics(), f.toString());
            }
        }
        assertEquals(c.content(), parse(ReadMode.STRICT, CommandLineWriter.write(c, Optional.of(Qemu72.env())).toArray(String[]::new))
                .config().content(), "as a command line again");
    }

    /** A NUMA node needs its memory (QEMU 7.2: the nodes' memory must add up to -m), so -numa comes with the node's backend. */
    private static String[] line(String option, String value) {
        return option.equals("-numa") ? new String[] {option, value, "-object", "memory-backend-ram,id=m0,size=128M"} : new String[] {option, value};
    }

    @Test
    void aRepeatedScalarKeyIsStillAnError() {
        ConfigException scalar = assertThrows(ConfigException.class, () -> parse(ReadMode.STRICT, "-netdev", "user,id=n0,net=10.0.0.0/8,net=10.1.0.0/16"));
        assertTrue(scalar.getMessage().contains("QEMU would silently keep only the last value"), scalar.getMessage());
    }

    @Test
    void setOfAnIdIsAnErrorInStrictModeAsAFileCouldNotSayItEither() {
        // QEMU 7.2 (checked): -device isa-serial,id=s0 -set device.s0.id=s1 creates /machine/peripheral/s1,
        // yet a later -set still finds it as s0; written to a file this is [device "s0"] with id = "s1",
        // which the strict reader rejects
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(ReadMode.STRICT, "-device", "isa-serial,id=s0", "-set", "device.s0.id=s1"));
        assertEquals("-set device.s0.id=s1: -set cannot change an id (QEMU would create the device as 's1' but go on finding it"
                + " as 's0'); write id=s1 in the option itself", e.getMessage());
        VmConfig compat = parse(ReadMode.QEMU, "-device", "isa-serial,id=s0", "-set", "device.s0.id=s1").config();
        assertEquals(Optional.of("s1"), compat.sections().get(0).effectiveId(), "compat mode does what QEMU does");
    }

    @Test
    void readconfigPutsTheFilesSectionsInPlace(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("o1.cfg");
        Files.writeString(f, "[name]\n  guest = \"fromfile\"\n");
        VmConfig c = parse(ReadMode.STRICT, "-name", "cmdline", "-readconfig", f.toString(), "-m", "1G").config();
        assertEquals(List.of("name", "name", "memory"), c.sections().stream().map(Section::group).toList());
        assertEquals(Optional.of("fromfile"), c.sections().get(1).get("guest"));
    }

    @Test
    void writeconfigTargetsAreCollectedNotModelled() {
        ParsedCommandLine p = parse(ReadMode.STRICT, "-m", "1G", "-writeconfig", "-", "-writeconfig", "x.cfg");
        assertEquals(List.of("-", "x.cfg"), p.writeConfig());
        assertEquals(1, p.config().sections().size());
    }

    @Test
    void theSameKeyTwiceInOneOptionIsAnErrorInStrictModeAndTheLastWinsInCompatMode() {
        assertThrows(ConfigException.class, () -> parse(ReadMode.STRICT, "-name", "guest=a,guest=b"));
        ParsedCommandLine p = parse(ReadMode.QEMU, "-name", "guest=a,guest=b");
        assertEquals(Optional.of("b"), p.config().sections().get(0).get("guest"));
        assertTrue(p.warnings().get(0).message().contains("given twice"));
    }

    @Test
    void shortFormBooleansAreReadAsQemuDoesWithItsWarning() {
        ParsedCommandLine p = parse(ReadMode.STRICT, "-chardev", "socket,id=c,path=/tmp/s,server,nowait");
        assertEquals(Optional.of("on"), p.config().sections().get(0).get("server"));
        assertEquals(Optional.of("off"), p.config().sections().get(0).get("wait"));
        assertTrue(p.warnings().get(0).message().contains("short-form boolean option 'server' deprecated"));
    }

    @Test
    void objectListsOnTheCommandLineBecomeTheIndexedKeysFilesNeed() {
        VmConfig c = parse(ReadMode.STRICT, "-object", "memory-backend-ram,id=m,size=1M,host-nodes=0-1,host-nodes=3").config();
        assertTrue(CfgWriter.write(c).contains("  host-nodes.0 = \"0\"\n  host-nodes.1 = \"1\"\n  host-nodes.2 = \"3\"\n"), CfgWriter.write(c));
        assertEquals(List.of("-object", "memory-backend-ram,id=m,size=1M,host-nodes=0,host-nodes=1,host-nodes=3"),
                CommandLineWriter.write(c, Optional.of(Qemu72.env())));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-device help          | DEVICES",
        "-device isa-serial,help | DEVICE_PROPERTIES",
        "-device isa-serial,?  | DEVICE_PROPERTIES",
        "-machine help         | MACHINES",
        "-machine ?            | MACHINES",
        "-machine pc,help      | MACHINE_PROPERTIES",
        "-object help          | OBJECTS",
        "-m 512,help           | GROUP_OPTIONS",
        "-smp help             | GROUP_OPTIONS",
        "-chardev help         | CHARDEV_BACKENDS",
        "-netdev help          | NETDEV_BACKENDS",
        "-accel help           | ACCELERATORS",
        "-cpu help             | CPU_MODELS",
        "-display help         | DISPLAYS",
        "-global help          | GROUP_OPTIONS",
    })
    void helpOptionsAreRequestsNotValues(String line, HelpRequest.Kind kind) {
        String[] a = line.strip().split(" ");
        assertEquals(kind, parse(ReadMode.STRICT, a).help().orElseThrow().kind());
    }

    @Test
    void helpInTheImpliedPositionOfMIsJustAValue() {
        assertThrows(ConfigException.class, () -> parse(ReadMode.STRICT, "-m", "help"));
        assertEquals(Optional.of("help"), parse(ReadMode.STRICT, "-name", "help").config().sections().get(0).get("guest"));
    }

    @Test
    void anUnknownOptionGetsADidYouMean() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(ReadMode.STRICT, "-devcie", "isa-serial"));
        assertEquals("-devcie: unknown option '-devcie'; did you mean '-device'?", e.errors().get(0).render());
    }

    /** libvirt writes "backing": null for a block node without a backing file (QAPI BlockdevRefOrNull); QEMU 7.2 takes it. */
    @Test
    void aJsonNullBackingIsNoBackingFile() {
        assertEquals("[machina-blockdev]\n  node-name = \"f\"\n  driver = \"qcow2\"\n  file = \"s\"\n  backing = \"\"\n",
                cfg("-blockdev", "{\"node-name\":\"f\",\"driver\":\"qcow2\",\"file\":\"s\",\"backing\":null}"));
    }

    /** Elsewhere QEMU 7.2's QAPI takes no null: -netdev '{"type":"user","id":"n0","ipv6":null}' is QEMU's type error naming the key. */
    @Test
    void aJsonNullElsewhereIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> cfg("-netdev", "{\"type\":\"user\",\"id\":\"n0\",\"ipv6\":null}"));
        assertTrue(e.getMessage().contains("Invalid parameter type for 'ipv6', expected: boolean"), e.getMessage());
        assertTrue(e.getMessage().startsWith("-netdev "), e.getMessage());
    }

    /**
     * QEMU 7.2 names a -vnc without id as it parses it (vnc_auto_assign_id): "default", then vnc2, vnc3, ...
     * (qemu-system-x86_64 7.2.22 -vnc 127.0.0.1:7 -vnc 127.0.0.1:8: query-vnc-servers lists ids default and vnc2).
     * The id is written, as QEMU 7.2 aborts on a [vnc] without one ("vnc_init_func: Assertion `id' failed").
     */
    @Test
    void aVncServerWithoutAnIdGetsQemusIdAndTheFileKeepsIt() {
        assertEquals("[vnc \"default\"]\n  vnc = \"127.0.0.1:7\"\n\n[vnc \"vnc2\"]\n  vnc = \"127.0.0.1:8\"\n",
                cfg("-vnc", "127.0.0.1:7", "-vnc", "127.0.0.1:8"));
        // the id is given at parse time, so a later explicit "default" is a duplicate, as in QEMU ("Duplicate ID 'default' for vnc")
        ConfigException e = assertThrows(ConfigException.class, () -> cfg("-vnc", ":1", "-vnc", ":2,id=default"));
        assertTrue(e.getMessage().contains("duplicate id 'default' for vnc"), e.getMessage());
    }

    @Test
    void aVncSectionWithoutAnIdInAFileIsRefusedInBothModesAsQemuAborts(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("v.cfg");
        Files.writeString(f, "[vnc]\n  vnc = \"127.0.0.1:7\"\n");
        for (ReadMode m : ReadMode.values()) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(m, "-readconfig", f.toString()), m.toString());
            assertTrue(e.getMessage().contains("QEMU 7.2 aborts on a [vnc] without one"), e.getMessage());
        }
    }

    /** A JSON -device value of the wrong JSON type: QEMU 7.2's message (qemu-system-x86_64 7.2.22 -device JSON, each run). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"driver\":\"isa-serial\",\"iobase\":\"760\"}     | Parameter 'iobase' expects uint64",
        "{\"driver\":\"isa-serial\",\"iobase\":1.5}         | Parameter 'iobase' expects uint64",
        "{\"driver\":\"virtio-blk-pci\",\"discard_granularity\":\"4k\"} | Parameter 'discard_granularity' expects uint64",
        "{\"driver\":\"isa-fdc\",\"bootindexA\":\"1\"}       | Invalid parameter type for 'bootindexA', expected: integer",
        "{\"driver\":\"e1000\",\"multifunction\":\"on\"}     | Invalid parameter type for 'multifunction', expected: boolean",
        "{\"driver\":\"isa-serial\",\"chardev\":1}          | Invalid parameter type for 'chardev', expected: string",
        "{\"driver\":\"isa-fdc\",\"fdtypeA\":1}             | Invalid parameter type for 'fdtypeA', expected: string",
    })
    void aJsonDeviceValueOfTheWrongTypeIsRefusedInQemusWords(String json, String qemu) {
        ConfigException e = assertThrows(ConfigException.class, () -> cfg("-device", json.strip()));
        assertTrue(e.getMessage().startsWith("-device " + json.strip() + ": " + qemu + ";"), e.getMessage());
    }

    /** A NIC's mac is QEMU's qdev macaddr: each value run with qemu-system-x86_64 7.2.22 -device e1000,mac=V. */
    @ParameterizedTest(name = "mac={0}")
    @CsvSource(delimiter = '|', value = {
        "52:54:00:12:34:56  | true",
        "52-54-00-12-34-56  | true",
        "52:54-00:12:34:56  | true",    // QEMU takes either separator after each octet
        "52:54:00:12:34     | false",   // "Property 'e1000.mac' doesn't take value '52:54:00:12:34'"
        "52:54:00:12:34:5   | false",
        "52:54:00:12:34:567 | false",
        "52:54:00:12:34:5g  | false",
    })
    void aMacAddressIsCheckedAsQemuDoes(String mac, boolean ok) {
        if (ok) {
            assertTrue(cfg("-device", "e1000,id=n,mac=" + mac.strip()).contains("mac = \"" + mac.strip() + "\""));
        } else {
            ConfigException e = assertThrows(ConfigException.class, () -> cfg("-device", "e1000,mac=" + mac.strip()));
            assertTrue(e.getMessage().contains("for e1000.mac (macaddr)"), e.getMessage());
        }
    }

    /**
     * A backend a device names must be defined (anywhere on the line: QEMU 7.2 makes backends before devices). Each
     * case run with qemu-system-x86_64 7.2.22 -M pc -nodefaults, which refuses it: "Property 'ide-hd.drive' can't
     * find value 'nodrive'", "Property 'serial.chardev' can't find value 'nochr'", "Device 'noio' not found", "chardev
     * \"c0\" not found", "Property 'virtio-net-device.netdev' can't find value 'nonet'", "Device 'nomem' not found".
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-device ide-hd,drive=nodrive                   | drive 'nodrive' is not defined",
        "-device isa-serial,chardev=nochr               | chardev 'nochr' is not defined",
        "-device virtio-blk-pci,iothread=noio,drive=d0 -drive if=none,id=d0,file=f.img | iothread 'noio' is not defined",
        "-mon chardev=c0                                | chardev \"c0\" not found",
        "-device virtio-net-pci,netdev=nonet            | netdev 'nonet' is not defined",
        "-device pc-dimm,memdev=nomem                   | memdev 'nomem' is not defined",
    })
    void aBackendADeviceNamesMustBeDefined(String line, String error) {
        ConfigException e = assertThrows(ConfigException.class, () -> cfg(line.strip().split(" ")));
        assertTrue(e.getMessage().contains(error), e.getMessage());
        for (ReadMode m : ReadMode.values()) {
            assertThrows(ConfigException.class, () -> parse(m, line.strip().split(" ")), m.toString());
        }
    }

    /** ... and is found wherever it is defined, before or after the device. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-device isa-serial,chardev=c0 -chardev null,id=c0",
        "-chardev null,id=c0 -mon chardev=c0",
        "-device virtio-net-pci,netdev=n0 -netdev user,id=n0",
        "-device virtio-blk-pci,drive=f0 -blockdev driver=file,node-name=f0,filename=f.img",
        "-device virtio-blk-pci,drive=d0,iothread=io0 -object iothread,id=io0 -drive if=none,id=d0,file=f.img",
        "-device pc-dimm,memdev=m0 -object memory-backend-ram,id=m0,size=1G",
    })
    void aBackendDefinedAnywhereOnTheLineIsFound(String line) {
        cfg(line.strip().split(" "));
    }

    @Test
    void initrdAndAppendGoToTheMachineBesideTheKernel() {
        assertEquals("[machine]\n  kernel = \"bzImage\"\n\n[machine]\n  initrd = \"initrd.img\"\n\n[machine]\n  append = \"console=ttyS0 a,b\"\n",
                cfg("-kernel", "bzImage", "-initrd", "initrd.img", "-append", "console=ttyS0 a,b"));
    }

    /** QEMU 7.2 (qemu_validate_options): "-append only allowed with -kernel option", checked before -initrd; from a file too. */
    @Test
    void initrdAndAppendWithoutAKernelAreRefusedAsQemuDoes(@TempDir Path dir) throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> cfg("-initrd", "initrd.img", "-append", ""));
        assertTrue(e.getMessage().startsWith("-append: -append is only allowed with -kernel (QEMU 7.2: \"-append only allowed with -kernel option\")"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> cfg("-initrd", "initrd.img"));
        assertTrue(e.getMessage().contains("-initrd is only allowed with -kernel"), e.getMessage());
        Path f = dir.resolve("a.cfg");
        Files.writeString(f, "[machine]\n  append = \"x\"\n");
        e = assertThrows(ConfigException.class, () -> cfg("-readconfig", f.toString()));
        assertTrue(e.getMessage().contains("a.cfg:2:3: -append is only allowed with -kernel"), e.getMessage());
    }

    /** No x86 machine type of QEMU 7.2 takes these interfaces: each line run with qemu-system-x86_64 7.2.22 -M pc (also q35, isapc). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-sd f.img                                   | machine type does not support if=sd,bus=0,unit=0",
        "-mtdblock f.img                             | machine type does not support if=mtd,bus=0,unit=0",
        "-drive if=scsi,file=f.img,format=raw,index=9 | machine type does not support if=scsi,bus=1,unit=2",
        "-drive if=xen,file=f.img,format=raw         | machine type does not support if=xen,bus=0,unit=0",
    })
    void aDriveInterfaceNoX86MachineHasIsRefusedAsQemuDoes(String line, String qemu) {
        ConfigException e = assertThrows(ConfigException.class, () -> cfg(line.strip().split(" ")));
        assertTrue(e.getMessage().contains(": " + qemu + " (no x86 machine type of QEMU 7.2 has one)"), e.getMessage());
        cfg("-drive", "if=ide,file=f.img,format=raw", "-drive", "if=virtio,file=f.img,format=raw", "-hda", "f.img");
    }

    /**
     * What a -drive's interface needs from the machine and what -numa node needs, each line run with qemu-system-x86_64
     * 7.2.22 LINE -S -display none -nodefaults (rc 1, these words); the lines after each are ones QEMU 7.2 takes.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-M microvm -drive if=ide,file=f.img,format=raw          | machine type does not support if=ide,bus=0,unit=0",
        "-M microvm -drive if=floppy,file=f.img,format=raw       | machine type does not support if=floppy,bus=0,unit=0",
        "-M microvm -fda f.img                                   | machine type does not support if=floppy,bus=0,unit=0",
        "-M microvm -drive if=pflash,file=f.img,format=raw       | machine type does not support if=pflash,bus=0,unit=0",
        "-M microvm -drive if=ide,file=f.img,format=raw,index=3  | machine type does not support if=ide,bus=1,unit=1",
        "-M pc -drive if=ide,file=f.img,format=raw,index=5       | machine type does not support if=ide,bus=2,unit=1",
        "-M isapc -drive if=ide,file=f.img,format=raw,index=5    | machine type does not support if=ide,bus=2,unit=1",
        "-M q35 -drive if=ide,file=f.img,format=raw,index=13     | machine type does not support if=ide,bus=13,unit=0",
        "-M pc -drive if=floppy,file=f.img,format=raw,index=2    | machine type does not support if=floppy,bus=0,unit=2",
        "-M microvm -drive if=virtio,file=f.img,format=raw       | No 'PCI' bus found for device 'virtio-blk-pci'",
        "-M isapc -drive if=virtio,file=f.img,format=raw         | No 'PCI' bus found for device 'virtio-blk-pci'",
        "-M pc -numa node,nodeid=0                               | total memory for NUMA nodes (0x0) should equal RAM size (0x8000000)",
        "-M pc -m 256 -numa node,nodeid=0                        | total memory for NUMA nodes (0x0) should equal RAM size (0x10000000)",
        "-M isapc -numa node,nodeid=0                            | total memory for NUMA nodes (0x0) should equal RAM size (0x8000000)",
        "-M pc-i440fx-5.0 -numa node,nodeid=0,mem=64M            | total memory for NUMA nodes (0x4000000) should equal RAM size (0x8000000)",
        "-M pc -object memory-backend-ram,id=m0,size=64M -numa node,nodeid=0,memdev=m0 | total memory for NUMA nodes (0x4000000) should equal RAM size (0x8000000)",
        "-M pc -object memory-backend-ram,id=m0,size=128M -numa node,memdev=m0 -numa node,memdev=m0 | total memory for NUMA nodes (0x10000000) should equal RAM size (0x8000000)",
        "-M pc -numa node,nodeid=0,mem=128M                      | Parameter -numa node,mem is not supported by this machine type",
        "-M pc-q35-5.1 -numa node,mem=128M                       | Parameter -numa node,mem is not supported by this machine type",
        "-M microvm -numa node,mem=128M                          | Parameter -numa node,mem is not supported by this machine type",
        "-M pc-i440fx-5.0 -object memory-backend-ram,id=m0,size=64M -numa node,nodeid=0,memdev=m0 -numa node,mem=64M | numa configuration should use either mem= or memdev=,mixing both is not allowed",
        "-M pc -object memory-backend-ram,id=m0,size=128M -numa node,nodeid=1,memdev=m0 -numa node | Duplicate NUMA nodeid: 1",
        "-M pc -numa node,nodeid=200                             | Max number of NUMA nodes reached: 200",
        "-M pc -numa node,nodeid=3 -numa node                    | numa: Node ID missing: 2",
        "-M pc -object memory-backend-ram,id=m0,size=128M -numa node,memdev=m0 -numa node,nodeid=5 -numa node | numa: Node ID missing: 4",
        "-M pc -numa node,memdev=nope                            | memdev=nope is ambiguous",
    })
    void whatADriveOrANumaNodeNeedsFromTheMachineIsCheckedAsQemuDoes(String line, String qemu) {
        for (ReadMode m : ReadMode.values()) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(m, line.strip().split(" ")), m.toString());
            assertTrue(e.getMessage().contains(": " + qemu + " ("), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "-M microvm -hda f.img -cdrom f.img -drive file=f.img,format=raw -drive if=none,file=f.img,format=raw",
        "-M microvm,pcie=on -drive if=virtio,file=f.img,format=raw",
        "-M q35 -hda f.img -hdb f.img -hdc f.img -hdd f.img -drive if=ide,file=f.img,format=raw,index=5 -fda f.img -fdb f.img",
        "-M pc -drive if=virtio,file=f.img,format=raw -drive if=ide,file=f.img,format=raw,index=3 -drive if=floppy,file=f.img,format=raw,index=1",
        "-M pc -object memory-backend-ram,id=m0,size=128M -numa node,nodeid=0,memdev=m0",
        "-M pc -m 1G -object memory-backend-ram,id=m0,size=512M -object memory-backend-ram,id=m1,size=512M -numa node,memdev=m0 -numa node,memdev=m1",
        "-M pc -object memory-backend-ram,id=m0,size=128M -numa node,nodeid=1,memdev=m0 -numa node,nodeid=0 -numa node",
        "-M pc-i440fx-5.0 -numa node,nodeid=0,mem=128M",
        "-M pc-q35-5.0 -numa node,mem=128",
    })
    void drivesAndNumaNodesQemuTakesAreTaken(String line) {
        cfg(line.split(" "));
    }

    /** Found by the differential sweep (/work/coord/walk-cfg11.md): each line run on qemu-system-x86_64 7.2.22 (rc 1, these words). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-cpu ''                                  | -cpu option cannot be empty",
        "-add-fd set=1                            | fd option is required and must be non-negative",
        "-audio none,model=pcspk                  | Unknown sound card name `pcspk'",
        "-M isapc -audio none,model=hda           | PCI bus not available for hda",
        "-M microvm -audio none,model=ac97        | PCI bus not available for ac97",
        "-accel tcg,one-insn-per-tb=on            | Property 'tcg-accel.one-insn-per-tb' not found",
        "-accel tcg,nosuchkey=1                   | Property 'tcg-accel.nosuchkey' not found",
        "-hda ''                                  | Device needs media, but drive is empty",
        "-M q35 -hda ''                           | Device needs media, but drive is empty",
        "-drive if=virtio                         | Device needs media, but drive is empty",
        "-drive if=ide,file=                      | Device needs media, but drive is empty",
        "-M isapc -device e1000                   | No 'PCI' bus found for device 'e1000'",
        "-M microvm -device e1000                 | No 'PCI' bus found for device 'e1000'",
        "-M isapc -virtfs local,path=/tmp,mount_tag=t0,security_model=none | No 'PCI' bus found for device 'virtio-9p-pci'",
        "-vga bogus                               | unknown vga type: bogus",
        "-smbios ''                               | Must specify type= or file=",
        "-acpitable sig=TEST                      | '-acpitable' requires one of 'data' or 'file'",
        "-fw_cfg name=opt/x                       | name, plus exactly one of file, string and gen_id, are needed",
        "-fw_cfg name=opt/x,string=a,file=/tmp/x  | name, plus exactly one of file, string and gen_id, are needed",
        "-fw_cfg string=a                         | name, plus exactly one of file, string and gen_id, are needed",
        "-serial ''                               | '' is not a valid char driver",
        "-parallel ''                             | '' is not a valid char driver",
        "-monitor ''                              | '' is not a valid char driver",
        "-qmp ''                                  | '' is not a valid char driver",
        "-qmp-pretty ''                           | '' is not a valid char driver",
        "-debugcon ''                             | '' is not a valid char driver",
        "-gdb ''                                  | '' is not a valid char driver",
        "-net ''                                  | Parameter 'type' is missing",
        "-M isapc -net nic,model=e1000            | No primary PCI bus",
    })
    void whatTheSweepFoundQemuRefusesIsRefused(String line, String qemu) {
        String[] args = line.strip().split(" ");
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].equals("''") ? "" : args[i]; // the shell's empty argument
        }
        for (ReadMode m : ReadMode.values()) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(m, args), m.toString());
            assertTrue(e.getMessage().contains(": " + qemu + " (QEMU 7.2's words"), e.getMessage());
        }
        cfg("-M", "isapc", "-audio", "none,model=sb16", "-accel", "tcg,tb-size=64,split-wx=off,thread=multi", "-add-fd", "fd=3,set=1",
                "-cpu", "qemu64");
        cfg("-audio", "none,model=ac97");
        cfg("-fda", "", "-drive", "if=ide,media=cdrom", "-cdrom", "", "-drive", "if=none,id=d0");
        cfg("-M", "isapc", "-device", "isa-serial", "-vga", "std", "-smbios", "type=1");
        cfg("-M", "microvm,pcie=on", "-device", "e1000");
        cfg("-M", "isapc", "-nic", "user,model=ne2k_isa", "-net", "nic", "-fw_cfg", "name=opt/x,string=a", "-serial", "null");
    }

    /**
     * Found by the differential sweep of session 16 (/work/coord/walk-cfg16.md): each line run on qemu-system-x86_64 7.2.22,
     * rc 1 with these words, which Machina gives in both modes.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-cpu qemu64,nosuchkey=1                  | Property 'qemu64-x86_64-cpu.nosuchkey' not found",
        "-cpu qemu64,-nosuch                      | Property 'qemu64-x86_64-cpu.nosuch' not found",
        "-smbios type=1,manufacturer=m,nosuchkey=1 | Invalid parameter 'nosuchkey'",
        "-smbios type=0,serial=s                  | Invalid parameter 'serial'",
        "-smbios file=f.bin,type=1                | Invalid parameter 'type'",
        "-smbios type=5                           | Don't know how to build fields for SMBIOS type 5",
        "-nic user,model=e1000,nosuchkey=1        | Invalid parameter 'nosuchkey'",
        "-nic model=e1000,nosuchkey=1             | Invalid parameter 'nosuchkey'",
        "-net none,nosuchkey=1                    | Invalid parameter 'nosuchkey'",
        "-net user,name=foo                       | Invalid parameter 'name'",
        "-net nic,model=e1000,mac=52:54:00:12:34:56 | Invalid parameter 'mac'",
        "-display none,nosuchkey=1                | Parameter 'nosuchkey' is unexpected",
        "-display ''                              | Parameter 'type' is missing",
        "-display gtk=on                          | Parameter 'type' is missing",
        "-audio none,model=ac97,nosuchkey=1       | Parameter 'nosuchkey' is unexpected",
        "-audio ''                                | Parameter 'model' is missing",
        "-audio none                              | Parameter 'model' is missing",
        "-audio model=sb16                        | Parameter 'driver' is missing",
        "-xen-domid 1                             | Option not supported for this target",
        "-xen-attach                              | Option not supported for this target",
        "-xen-domid-restrict                      | Option not supported for this target",
        "-serial null,nosuchkey=1                 | 'null,nosuchkey=1' is not a valid char driver",
        "-parallel none,nosuchkey=1               | 'none,nosuchkey=1' is not a valid char driver",
        "-debugcon null,nosuchkey=1               | 'null,nosuchkey=1' is not a valid char driver",
        "-debugcon none                           | 'none' is not a valid char driver",
        "-qmp none                                | 'none' is not a valid char driver",
        "-gdb 1234                                | '1234' is not a valid char driver",
        "-serial mon:none                         | 'none' is not a valid char driver",
        "-serial con:                             | 'console' is not a valid char driver name",
        "-qmp tcp:127.0.0.1:4444,server=on,wait=off,nosuchkey=1 | Invalid parameter 'nosuchkey'",
        "-gdb tcp::1234,nosuchkey=1               | Invalid parameter 'nosuchkey'",
        "-serial unix:/tmp/s1,server=on,wait=off,nosuch=1 | Invalid parameter 'nosuch'",
        "-serial tcp::4449,server=maybe,wait=off  | Parameter 'server' expects 'on' or 'off'",
        "-serial tcp:localhost                    | QEMU 7.2 cannot connect to character backend 'tcp:localhost'",
        "-serial vc:80x                           | QEMU 7.2 cannot connect to character backend 'vc:80x'",
        "-usbdevice tablet,nosuchkey=1            | could not add USB device 'tablet,nosuchkey=1'",
        "-usbdevice ''                            | could not add USB device ''",
        "-usbdevice ccid                          | could not add USB device 'ccid'",
        "-usbdevice disk:f.img                    | usbdevice parameters are not supported anymore",
        "-M isapc -usbdevice tablet               | no usb bus to attach usbdevice tablet",
        "-seed 1,nosuchkey=1                      | Invalid seed number: 1,nosuchkey=1",
        "-seed -1                                 | Invalid seed number: -1",
        "-seed 1.5                                | Invalid seed number: 1.5",
        "-seed 18446744073709551616               | Invalid seed number: 18446744073709551616",
        "-d int,nosuchkey=1                       | 'nosuchkey=1' is not a log item",
        "-d int,                                  | '' is not a log item",
        "-d ''                                    | '' is not a log item",
        "-d tid                                   | Filename template with '%d' required for 'tid'",
        "-d all                                   | Filename template with '%d' required for 'tid'",
        "-dfilter 0x8000..0x8fff,nosuchkey=1      | Bad range specifier",
        "-dfilter 5                               | Bad range specifier",
        "-dfilter x..5                            | Invalid number to the left of ..",
        "-dfilter 5..x                            | Invalid number to the right of ..",
        "-option-rom ''                           | Option ROM file is not specified",
        "-incoming defer,nosuchkey=1              | unknown migration protocol: defer,nosuchkey=1",
        "-incoming file:/tmp/x                    | unknown migration protocol: file:/tmp/x",
        "-virtfs ''                               | Usage: -virtfs fsdriver,mount_tag=tag",
        "-virtfs local,path=/tmp                  | Usage: -virtfs fsdriver,mount_tag=tag",
        "-tpmdev passthrough,id=t0,nosuchkey=1    | Invalid parameter 'nosuchkey'",
        "-tpmdev passthrough,id=t0,chardev=c0     | Invalid parameter 'chardev'",
        "-tpmdev emulator,id=t0,chardev=c0,path=x | Invalid parameter 'path'",
        "-acpitable sig=TEST,data=f.img,nosuchkey=1 | Invalid parameter 'nosuchkey'",
        "-acpitable data=f.img,file=f.img         | '-acpitable' requires one of 'data' or 'file'",
        "-kernel ''                               | could not open kernel file '': No such file or directory",
        "-bios ''                                 | could not load PC BIOS ''",
        "-chroot ''                               | chroot failed",
        "-runas ''                                | User \"\" doesn't exist (and is not <uid>:<gid>)",
        "-D ''                                    | Error opening logfile : No such file or directory",
        "-pidfile ''                              | cannot create PID file: Could not create '': No such file or directory",
        "-dump-vmstate ''                         | open : No such file or directory",
        "-mem-path ''                             | can't open backing store  for guest RAM: No such file or directory",
        "-pflash ''                               | can't get size of block device pflash0: No medium found",
        "-M isapc -pflash f.img                   | machine type does not support if=pflash,bus=0,unit=0",
    })
    void unknownKeysOfTheGroupsQemuChecksAreRefusedInItsWords(String line, String qemu) {
        String[] args = line.strip().split(" ");
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].equals("''") ? "" : args[i];
        }
        for (ReadMode m : ReadMode.values()) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(m, args), m.toString());
            assertTrue(e.getMessage().contains(": " + qemu), e.getMessage());
        }
    }

    /** The same groups as QEMU 7.2 takes them (each line rc 124 under timeout, i.e. taken), and the empty keyval groups it takes. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "-M pc -cpu qemu64,sse4.1=on,hv_relaxed=on,tsc-freq=1G,+lahf_lm,-x2apic,start-powered-off=on",
        "-smbios type=1,manufacturer=m,product=p,uuid=c7a5fdbd-edaf-9455-926a-d65c16db1809 -smbios type=4,max-speed=2000 -smbios type=41,designation=d,kind=other,instance=1,pcidev=x",
        "-nic none,nosuchkey=1",
        "-nic user,model=e1000,mac=52:54:00:12:34:56",
        "-net none,id=x",
        "-net nic,netdev=x,macaddr=52:54:00:12:34:56,model=e1000,addr=5,vectors=2",
        "-display gtk,zoom-to-fit=on,show-tabs=on",
        "-display vnc=:0",
        "-display curses,charset=CP437",
        "-audio none,model=sb16",
        "-audio pa,model=hda,server=x",
        "-machine ''",
        "-M pc -machine ''",
        "-smp ''",
        "-boot ''",
        "-compat ''",
        "-chardev null,id=c0 -serial chardev:c0 -serial null -serial stdio -serial pty -serial vc -serial vc:800x600 -serial vc:80Cx24C",
        "-serial msmouse -serial file:/tmp/x.txt,append=on -serial pipe:/tmp/p -serial /dev/ttyS0 -serial mon:stdio -serial none",
        "-serial tcp::4444,server=on,wait=off -serial tcp:localhost:4444,server,nowait -serial telnet:127.0.0.1:4321,server=on,wait=off",
        "-serial unix:/tmp/s,server=on,wait=off -serial unix:path=/tmp/s,server -serial udp::4555@:4556 -serial udp:1.2.3.4:5",
        "-parallel none -parallel /dev/parport0 -monitor none,foo -gdb none -qmp tcp::4445,server=on,wait=off -debugcon file:/tmp/d.txt",
        "-s",
        "-usbdevice tablet -usbdevice mouse -usbdevice keyboard -usbdevice wacom-tablet",
        "-seed 0x10 -d int,cpu,trace:pci* -dfilter 0x1000+0x10,0x2000-0x10,0x8000..0x8fff",
        "-seed 077 -d all -D log-%d.txt -dfilter ''",
        "-incoming defer",
        "-incoming tcp:127.0.0.1:4446",
        "-incoming exec:true",
        "-option-rom f.rom -tpmdev passthrough,id=t0,path=/dev/tpm0,cancel-path=/x",
        "-acpitable sig=TEST,rev=1,oem_id=A,oem_table_id=B,oem_rev=1,asl_compiler_id=C,asl_compiler_rev=2,data=f.img",
    })
    void whatQemuTakesInThoseGroupsIsTaken(String line) {
        String[] args = line.strip().split(" ");
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].equals("''") ? "" : args[i];
        }
        cfg(args);
    }

    /** -smp '' (like -machine '', -boot '', -compat '') is an empty group, written back as one: QEMU 7.2 reads it the same. */
    @Test
    void anEmptyKeyvalArgumentIsAnEmptyGroupWrittenBack() {
        String out = cfg("-M", "pc", "-smp", "", "-boot", "", "-compat", "");
        assertTrue(out.contains("[smp-opts]\n") && out.contains("[boot-opts]\n") && out.contains("[machina-compat]"), out);
    }
}
