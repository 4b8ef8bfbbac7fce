package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Nth {@code -serial} is port N: {@code -serial none} leaves its port out and keeps its index (QEMU 7.2's
 * serial_parse and serial_hds_isa_init), so {@code -serial none -serial file:F} puts F on COM2. QEMU 7.2 run on
 * the same guest and command line writes "B\n" into F (checked by hand with qemu-system-x86_64 -M isapc
 * -nodefaults -display none -serial none -serial file:F -bios com2.bin).
 */
class SerialPortIndexTest {
    /** mov dx,0x2f8; mov al,'B'; out dx,al; mov al,10; out dx,al; cli; hlt: "B\n" to COM2's data register. */
    private static final int[] WRITES_TO_COM2 = {0xBA, 0xF8, 0x02, 0xB0, 0x42, 0xEE, 0xB0, 0x0A, 0xEE, 0xFA, 0xF4};

    @Test
    void aSerialNoneBeforeAFileSerialPutsTheFileOnCom2(@TempDir Path dir) throws Exception {
        Path bios = GuestRom.write(dir, "com2.bin", WRITES_TO_COM2);
        Path com2 = dir.resolve("com2.txt");
        CliRunner r = CliRunner.run("run", "-M", "isapc", "-nodefaults", "-display", "none", "-serial", "none",
                "-serial", "file:" + com2, "-bios", bios.toString());
        assertEquals(1, r.code(), r.err()); // cli; hlt: the guest stopped for good
        assertEquals("B\n", Files.readString(com2));
    }

    @Test
    void aSingleFileSerialIsCom1AndHearsNothingWrittenToCom2(@TempDir Path dir) throws Exception {
        Path bios = GuestRom.write(dir, "com2.bin", WRITES_TO_COM2);
        Path com1 = dir.resolve("com1.txt");
        CliRunner r = CliRunner.run("run", "-M", "isapc", "-nodefaults", "-display", "none", "-serial", "file:" + com1,
                "-bios", bios.toString());
        assertEquals(1, r.code(), r.err());
        assertFalse(Files.readString(com1).contains("B"), "COM1 is 0x3f8, not 0x2f8");
    }
}
