package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest whose CPU halts with interrupts disabled has stopped for good: HLT with IF = 0 wakes only
 * on NMI, SMI, INIT or reset (SDM Vol. 2A HLT) and no device of the machine sends one by itself. A
 * kernel that gives up does this (Debian's 686 kernel on -cpu 486 without firmware halts so in its
 * early panic); QEMU 7.2 waits for ever, Machina ends the run with status 1 and says where the CPU
 * stopped. The guest here is a 64 KiB BIOS whose reset vector is CLI; HLT.
 */
class HaltedGuestTest {
    @Test
    void cliHltEndsTheRunWithStatus1AndSaysWhere(@TempDir Path dir) throws Exception {
        byte[] rom = new byte[64 << 10];
        rom[0xFFF0] = (byte) 0xFA; // cli
        rom[0xFFF1] = (byte) 0xF4; // hlt
        Path bios = dir.resolve("cli-hlt.bin");
        Files.write(bios, rom);
        CliRunner r = CliRunner.run("run", "-M", "isapc", "-nodefaults", "-display", "none", "-bios", bios.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("machina: run: the guest stopped: its CPU halted with interrupts disabled at F000:0000FFF2"), r.err());
    }
}
