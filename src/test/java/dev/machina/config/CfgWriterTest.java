package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CfgWriterTest {
    private static VmConfig parse(String... args) {
        return new Configs(Qemu72.env()).fromCommandLine(List.of(args), ReadMode.STRICT).config();
    }

    @Test
    void writesQemusCanonicalFormWithABlankLineBetweenSections() {
        String cfg = CfgWriter.write(parse("-machine", "pc,accel=tcg", "-m", "512", "-device", "isa-serial,id=s0"));
        assertEquals("[machine]\n  type = \"pc\"\n  accel = \"tcg\"\n\n[memory]\n  size = \"512\"\n\n[device \"s0\"]\n  driver = \"isa-serial\"\n", cfg);
    }

    @Test
    void commasAndEqualsSignsNeedNoEscapingInAFile() {
        assertEquals("[name]\n  guest = \"a,b=c\"\n", CfgWriter.write(parse("-name", "a,,b=c")));
    }

    /** A value the format cannot hold is an error that names the option it came from; nothing is written. */
    @ParameterizedTest
    @ValueSource(strings = {"vm\"1", "vm\n1", "vm\r1"})
    void aValueQemuCannotRepresentIsAnErrorNamingTheOption(String guest) {
        ConfigException e = assertThrows(ConfigException.class, () -> CfgWriter.write(parse("-name", guest)));
        String m = e.errors().get(0).render();
        assertTrue(m.startsWith("-name " + guest + ": cannot write 'guest' of [name]"), m);
        assertTrue(m.contains("no escaping"), m);
    }

    @Test
    void aValueTooLongForQemusLineBufferIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> CfgWriter.write(parse("-name", "x".repeat(1100))));
        assertTrue(e.getMessage().contains("1023 bytes"), e.getMessage());
    }

    @Test
    void anEmptyIdCannotBeWrittenBecauseQemuWouldReadItAsAGroupName() {
        VmConfig c = VmConfig.of(List.of(Section.of("chardev", "", List.of(Entry.of("backend", "null")))));
        assertTrue(assertThrows(ConfigException.class, () -> CfgWriter.write(c)).getMessage().contains("empty"));
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> CfgWriter.write(parse("-name", "a\"b", "-chardev", "file,id=c0,path=x\"y")));
        assertEquals(2, e.errors().size());
    }
}
