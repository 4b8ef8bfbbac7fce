package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigValidatorTest {
    private static ConfigException reject(String... args) {
        return assertThrows(ConfigException.class, () -> new Configs(Qemu72.env()).fromCommandLine(List.of(args), ReadMode.STRICT));
    }

    private static List<ConfigError> yaml(String text) {
        ReadResult r = YamlFormat.read(text.getBytes(StandardCharsets.UTF_8), "vm.yaml");
        return new ConfigValidator(Qemu72.env(), ReadMode.STRICT).validate(r.config());
    }

    @Test
    void aMisspeltDevicePropertyGetsTheSameMessageOnTheCommandLineAndInYaml() {
        String expected = "unknown property 'iobasee' of isa-serial; did you mean 'iobase'?";
        assertEquals("-device isa-serial,iobasee=0x3f8: " + expected, reject("-device", "isa-serial,iobasee=0x3f8").errors().get(0).render());
        List<ConfigError> y = yaml("sections:\n  - device:\n      driver: isa-serial\n      iobasee: 0x3f8\n");
        assertEquals("vm.yaml:4:7: " + expected, y.get(0).render());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown device type   | -device   | isa-serail                 | unknown device type 'isa-serail'; did you mean 'isa-serial'",
        "abstract device type  | -device   | isa-device                 | 'isa-device' is an abstract type",
        "not a device          | -device   | container                  | 'container' is not a device type",
        "bad property value    | -device   | isa-serial,iobase=0x1z     | invalid value '0x1z' for isa-serial.iobase (uint32): not an integer",
        "unknown key           | -name     | vm1,gest=x                 | unknown key 'gest' in [name]; did you mean 'guest'?",
        "bad boolean           | -name     | vm1,debug-threads=ON       | invalid value 'ON' for [name] debug-threads",
        "bad size              | -m        | 512MB                      | invalid value '512MB' for [memory] size",
        "hex -m                | -m        | 0x200                      | a hex size without a suffix means MiB",
        "id on a merged group  | -m        | 512,id=x                   | [memory] takes no id",
        "bad id                | -chardev  | null,id=1bad               | invalid id '1bad'",
        "missing id            | -chardev  | null                       | needs 'id'",
        "enum value            | -action   | reboot=bogus               | invalid value 'bogus' for [action] reboot: not a value it takes; expected one of reset, shutdown",
        "machine property      | -machine  | pc,hpet=maybe              | invalid value 'maybe' for pc-i440fx-7.2-machine.hpet (bool)",
        "unknown machine prop  | -machine  | pc,hpett=off               | unknown property 'hpett' of pc-i440fx-7.2-machine; did you mean 'hpet'?",
        "unknown machine type  | -machine  | pcc                        | unknown machine type 'pcc'; did you mean 'pc'?",
        "smp member            | -machine  | pc,smp.cpu=2               | unknown property 'cpu' of pc-i440fx-7.2-machine.smp; did you mean 'cpus'",
        "global property       | -global   | isa-serial.iobasee=1       | unknown property 'iobasee' of isa-serial; did you mean 'iobase'?",
        "global value          | -global   | isa-serial.wakeup=maybe    | invalid value 'maybe' for isa-serial.wakeup (bool)",
        "flag group with keys  | -device   | isa-serial,driver=x        | 'driver' is given twice",
    })
    void eachMistakeSaysWhatWasWrongWhereAndWhatWouldBeRight(String what, String option, String value, String message) {
        ConfigException e = reject(option, value.strip());
        String m = e.errors().get(0).render();
        assertTrue(m.startsWith(option + " " + value.strip() + ": "), what + ": " + m);
        assertTrue(m.contains(message.strip()), what + ": " + m);
    }

    @Test
    void commonDriveOptionsAreKnownAndOthersAreErrorsAsInQemu() {
        // checked with QEMU 7.2: cache=none and qcow2's lazy-refcounts are taken; serial= is gone ("does not support the option")
        assertEquals(List.of(), new Configs(Qemu72.env()).fromCommandLine(List.of("-drive",
                "if=none,id=d0,file=d.qcow2,format=qcow2,cache=none,lazy-refcounts=on,readonly=on,file.locking=off"), ReadMode.STRICT).warnings());
        assertTrue(reject("-drive", "if=none,file=d.img,cache=bogus").getMessage().contains("one of none, writeback"));
        assertTrue(reject("-drive", "if=none,file=d.img,serial=x").getMessage().contains("unknown key 'serial' in [drive]"));
    }

    @Test
    void twoDevicesWithOneIdAreAnErrorNamingBothPlaces() {
        String m = reject("-device", "isa-serial,id=s", "-device", "isa-serial,id=s").errors().get(0).render();
        assertEquals("-device isa-serial,id=s: duplicate id 's' for device (first defined at -device isa-serial,id=s); ids must be unique", m);
    }

    @Test
    void aGlobalForAnUnknownDriverIsOnlyAWarningAsInQemu() {
        ParsedCommandLine p = new Configs(Qemu72.env()).fromCommandLine(List.of("-global", "isa-fdcc.fallback=144"), ReadMode.STRICT);
        String w = p.warnings().get(0).render();
        assertTrue(w.startsWith("-global isa-fdcc.fallback=144: warning: global isa-fdcc.fallback has invalid class name"), w);
        assertTrue(w.endsWith("(QEMU 7.2 warns and ignores it)"), w);
    }

    @Test
    void theGlobalOfTheIssuesScenarioIsChecked() {
        // isa-fdc is in the catalog: fallback takes 144, 288, 2.88 or auto
        assertEquals(List.of(), new Configs(Qemu72.env()).fromCommandLine(List.of("-global", "isa-fdc.fallback=144"), ReadMode.STRICT)
                .warnings());
        assertTrue(reject("-global", "isa-fdc.fallback=1.44").errors().get(0).render().contains("isa-fdc.fallback"));
    }

    @Test
    void aGroupQemuHasNoFileFormForIsUnknownWithWhereMachinaPutsIt() {
        List<ConfigError> e = new ConfigValidator(Qemu72.env(), ReadMode.STRICT)
                .validate(CfgReader.read("[cpu]\n  model = \"qemu64\"\n", "vm.cfg").orThrow());
        assertEquals("vm.cfg:1:1: unknown option group 'cpu'; QEMU 7.2 has no [cpu] group; Machina writes -cpu as [machina-cpu]", e.get(0).render());
    }

    @Test
    void aGroupQemuReadsButIgnoresInFilesIsAnErrorInStrictModeAndAWarningInCompatMode() {
        VmConfig c = CfgReader.read("[msg]\n  timestamp = \"on\"\n", "vm.cfg").orThrow();
        ConfigError strict = new ConfigValidator(Qemu72.env(), ReadMode.STRICT).validate(c).get(0);
        assertTrue(!strict.isWarning() && strict.message().contains("[machina-msg]"), strict.render());
        ConfigError compat = new ConfigValidator(Qemu72.env(), ReadMode.QEMU).validate(c).get(0);
        assertTrue(compat.isWarning() && compat.message().contains("no effect"), compat.render());
    }

    @Test
    void aFlagGroupTakesNoKeys() {
        List<ConfigError> e = new ConfigValidator(Qemu72.env(), ReadMode.STRICT)
                .validate(CfgReader.read("[machina-nodefaults]\n  on = \"on\"\n", "vm.cfg").orThrow());
        assertEquals("vm.cfg:2:3: [machina-nodefaults] takes no keys; the section alone stands for -nodefaults", e.get(0).render());
    }

    @Test
    void aListPropertyOfAnObjectNeedsIndexedKeysInAFile() {
        List<ConfigError> e = new ConfigValidator(Qemu72.env(), ReadMode.STRICT).validate(CfgReader.read(
                "[object \"m\"]\n  qom-type = \"memory-backend-ram\"\n  size = \"1M\"\n  host-nodes = \"0\"\n", "vm.cfg").orThrow());
        // QEMU 7.2's words (qemu_record_config_group reads [object] with the keyval visitor), at the key's line
        assertTrue(e.get(0).render().startsWith("vm.cfg:4:3: Invalid parameter type for 'host-nodes', expected: array; write it as "
                + "host-nodes.0=..., host-nodes.1=..."), e.get(0).render());
    }
}
