package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code machina run} without {@code -nodefaults}: QEMU 7.2 would add its default devices (vl.c's
 * default_vga, default_net, default_parallel, default_cdrom, default_floppy); those without a model
 * in Machina are named, each with the option that removes it alone, in one line, exit 1, before
 * anything starts. A device the user removed with its own option is no longer named.
 */
class RunDefaultDevicesTest {
    private static final Context SHARED = new Context();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-M pc -nographic|VGA (display; -vga none), e1000 (NIC; -nic none), isa-parallel (-parallel none), ide-cd (CD-ROM; only -nodefaults)",
        "-M q35 -nographic|VGA (display; -vga none), e1000 (NIC; -nic none), isa-parallel (-parallel none), ide-cd (CD-ROM; only -nodefaults)",
        "-M pc -nographic -vga none -nic none|isa-parallel (-parallel none), ide-cd (CD-ROM; only -nodefaults)",
        "-M pc -vga none -net none -parallel none|ide-cd (CD-ROM; only -nodefaults)",
        "-M isapc -vga none|ne2k_isa (NIC; -nic none), isa-parallel (-parallel none), ide-cd (CD-ROM; only -nodefaults), floppy drive (only -nodefaults)"})
    void namesEachDefaultDeviceWithoutModelAndWhatRemovesIt(String options, String named) throws Exception {
        CliRunner r = CliRunner.run(SHARED, ("run " + options).split(" "));
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains("its default devices " + named + " have no model in Machina yet"), r.err());
        assertTrue(r.err().contains("-nodefaults"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals("", r.out(), "nothing started");
    }
}
