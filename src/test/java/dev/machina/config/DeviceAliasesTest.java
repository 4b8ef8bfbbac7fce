package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The aliases are the ones QEMU 7.2's {@code -device help} lists (tests/qemu72/device-help.txt). */
class DeviceAliasesTest {
    @Test
    void theAliasesAreQemu72s() throws IOException {
        Map<String, String> qemu = new TreeMap<>();
        Matcher m = Pattern.compile("name \"([^\"]+)\", bus [^,]+, alias \"([^\"]+)\"")
                .matcher(Files.readString(Path.of("tests/qemu72/device-help.txt")));
        while (m.find()) {
            qemu.put(m.group(2), m.group(1));
        }
        assertEquals(qemu, new TreeMap<>(DeviceAliases.all()));
    }

    @Test
    void aDeviceGivenByItsAliasIsCheckedAsItsType() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> new Configs(Qemu72.env()).fromCommandLine(java.util.List.of("-device", "lsi,bogus=1"), ReadMode.STRICT));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("bogus"), e.getMessage());
        new Configs(Qemu72.env()).fromCommandLine(java.util.List.of("-device", "lsi,id=scsi0"), ReadMode.STRICT);
    }
}
