package dev.machina.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Small test guests for {@code run -bios}: a 64 KiB BIOS image whose reset vector jumps to the given 16-bit code at F000:0000. */
final class GuestRom {
    private GuestRom() {}

    /** Writes the image to {@code dir/name}: {@code code} at offset 0, zeros after it, {@code jmp F000:0000} at FFF0. */
    static Path write(Path dir, String name, int... code) throws java.io.IOException {
        byte[] rom = new byte[64 << 10];
        for (int i = 0; i < code.length; i++) {
            rom[i] = (byte) code[i];
        }
        byte[] jmp = {(byte) 0xEA, 0x00, 0x00, 0x00, (byte) 0xF0}; // jmp F000:0000 at the reset vector
        System.arraycopy(jmp, 0, rom, 0xFFF0, jmp.length);
        Path p = dir.resolve(name);
        Files.write(p, rom);
        return p;
    }
}
