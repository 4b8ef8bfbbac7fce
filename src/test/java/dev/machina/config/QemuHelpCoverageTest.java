package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every option qemu-system-x86_64 7.2 lists in {@code -help} is known here, and the ones that had no
 * form before have the one docs/config.md gives. {@code tests/qemu72/help.txt} is QEMU 7.2.22's output
 * (Debian 1:7.2+dfsg-7+deb12u18), regenerated with {@code qemu-system-x86_64 -help > tests/qemu72/help.txt}.
 */
class QemuHelpCoverageTest {
    /** The option names of a -help text: the first word of each line that starts with '-'; "-fda/-fdb" is two. */
    static Set<String> helpOptions() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String line : Files.readAllLines(Path.of("tests/qemu72/help.txt"))) {
            if (!line.startsWith("-")) {
                continue;
            }
            String first = line.split("[ \\[]", 2)[0];
            for (String name : first.split("/")) {
                out.add(name);
            }
            if (line.startsWith("-h or -help")) {
                out.add("-help");
            }
        }
        return out;
    }

    @Test
    void everyOptionOfQemu72HelpIsKnown() throws IOException {
        Set<String> names = helpOptions();
        assertTrue(names.size() >= 110, "the recorded help lists " + names.size() + " options");
        List<String> unknown = new ArrayList<>();
        for (String n : names) {
            if (CliOptions.find(n).isEmpty()) {
                unknown.add(n);
            }
        }
        assertEquals(List.of(), unknown, "options of QEMU 7.2's -help that Machina does not know");
    }

    private static String cfg(String... args) {
        return CfgWriter.write(new Configs(Qemu72.env()).fromCommandLine(List.of(args), ReadMode.STRICT).config());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "-uuid            | c7a5fdbd-edaf-9455-926a-d65c16db1809 | [machina-uuid]\\n  uuid = \"c7a5fdbd-edaf-9455-926a-d65c16db1809\"\\n",
        "-watchdog-action | pause              | [action]\\n  watchdog = \"pause\"\\n",
        "-cdrom           | a,b.iso            | [drive]\\n  media = \"cdrom\"\\n  index = \"2\"\\n  file = \"a,b.iso\"\\n",
        "-hdb             | disk.img           | [drive]\\n  media = \"disk\"\\n  index = \"1\"\\n  file = \"disk.img\"\\n",
        "-fda             | floppy.img         | [drive]\\n  if = \"floppy\"\\n  index = \"0\"\\n  file = \"floppy.img\"\\n",
        "-pflash          | OVMF_CODE.fd       | [drive]\\n  if = \"pflash\"\\n  file = \"OVMF_CODE.fd\"\\n",
        "-incoming        | defer              | [machina-incoming]\\n  uri = \"defer\"\\n",
        "-compat          | deprecated-input=reject,deprecated-output=hide | [machina-compat]\\n  deprecated-input = \"reject\"\\n  deprecated-output = \"hide\"\\n",
        "-compat          | {\"deprecated-input\":\"reject\"} | [machina-compat]\\n  deprecated-input = \"reject\"\\n",
        "-audio           | none,model=ac97    | [machina-audio]\\n  driver = \"none\"\\n  model = \"ac97\"\\n",
        "-usbdevice       | tablet             | [machina-usbdevice]\\n  name = \"tablet\"\\n",
        "-pidfile         | /run/vm.pid        | [machina-pidfile]\\n  file = \"/run/vm.pid\"\\n",
        "-k               | fr                 | [machina-k]\\n  layout = \"fr\"\\n",
        "-parallel        | none               | [machina-parallel]\\n  dev = \"none\"\\n",
        "-debugcon        | file:debug.log     | [machina-debugcon]\\n  dev = \"file:debug.log\"\\n",
    })
    void eachNewOptionBecomesItsConfigFileForm(String option, String value, String expected) {
        assertEquals(CfgReaderTest.unescape(expected), cfg(option, value.strip()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-no-acpi   | [machine]\\n  acpi = \"off\"\\n",
        "-no-hpet   | [machine]\\n  hpet = \"off\"\\n",
        "-usb       | [machine]\\n  usb = \"on\"\\n",
        "-s         | [machina-gdb]\\n  dev = \"tcp::1234\"\\n",
        "-snapshot  | [machina-snapshot]\\n",
        "-daemonize | [machina-daemonize]\\n",
        "--preconfig | [machina-preconfig]\\n",
    })
    void eachNewFlagBecomesItsConfigFileForm(String flag, String expected) {
        assertEquals(CfgReaderTest.unescape(expected), cfg(flag));
    }

    /** QEMU 7.2: "-uuid bad: failed to parse UUID string: wrong format", exit 1; "-compat deprecated-input=foo" likewise refused. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "-uuid   | bad                             | wrong format",
        "-uuid   | c7a5fdbd-edaf-9455-926a-d65c16db180 | wrong format",
        "-compat | deprecated-input=foo            | one of accept, reject, crash",
        "-watchdog-action | bogus                 | one of reset",
    })
    void badValuesAreRefusedAsQemuRefusesThem(String option, String value, String expected) {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> cfg(option, value.strip()));
        assertTrue(e.getMessage().contains(expected.strip()), e.getMessage());
    }

    @Test
    void eachDiskSugarRoundTripsThroughItsDriveSection() {
        VmConfig c = new Configs(Qemu72.env()).fromCommandLine(List.of("-hda", "a.img", "-cdrom", "b.iso"), ReadMode.STRICT).config();
        List<String> args = CommandLineWriter.write(c);
        assertEquals(List.of("-drive", "media=disk,index=0,file=a.img", "-drive", "media=cdrom,index=2,file=b.iso"), args);
    }
}
