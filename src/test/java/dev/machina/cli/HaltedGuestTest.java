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

    /**
     * IF = 1, but the CPU halts in a loop of HLT and a jump back ({@code sti; 1: hlt; jmp 1b}) whose only
     * wake-ups are timer interrupts that return to it: after 5 s of guest time (the virtual clock, not the
     * host's) the run ends with status 1 and says where. The guest programs the 8259 (vectors 8-15,
     * only IRQ 0) and the 8254's channel 0 (18.2 Hz), and its IRQ 0 handler only acknowledges.
     */
    @Test
    void aHaltLoopOnlyInterruptsReturnToEndsTheRunWithStatus1(@TempDir Path dir) throws Exception {
        int[] code = {0x31, 0xC0, 0x8E, 0xD8, 0x8E, 0xD0, 0xBC, 0x00, 0x70,   // xor ax,ax; mov ds,ax; mov ss,ax; mov sp,7000h
            0xC7, 0x06, 0x20, 0x00, 0x37, 0x00, 0xC7, 0x06, 0x22, 0x00, 0x00, 0xF0, // IVT[8] = F000:0037
            0xB0, 0x11, 0xE6, 0x20, 0xB0, 0x08, 0xE6, 0x21, 0xB0, 0x04, 0xE6, 0x21, 0xB0, 0x01, 0xE6, 0x21, // ICW1-4
            0xB0, 0xFE, 0xE6, 0x21,                                             // OCW1: IRQ 0 only
            0xB0, 0x34, 0xE6, 0x43, 0x30, 0xC0, 0xE6, 0x40, 0xE6, 0x40,         // PIT ch0 mode 2, count 65536
            0xFB, 0xF4, 0xEB, 0xFD,                                             // sti; F000:0034 hlt; jmp $-1
            0x50, 0xB0, 0x20, 0xE6, 0x20, 0x58, 0xCF};                          // F000:0037 push ax; EOI; pop ax; iret
        byte[] rom = new byte[64 << 10];
        for (int i = 0; i < code.length; i++) {
            rom[i] = (byte) code[i];
        }
        byte[] jmp = {(byte) 0xEA, 0x00, 0x00, 0x00, (byte) 0xF0}; // jmp F000:0000 at the reset vector
        System.arraycopy(jmp, 0, rom, 0xFFF0, jmp.length);
        Path bios = dir.resolve("hlt-loop.bin");
        Files.write(bios, rom);
        CliRunner r = CliRunner.run("run", "-M", "isapc", "-nodefaults", "-display", "none", "-icount", "shift=2,sleep=off",
                "-bios", bios.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("machina: run: the guest stopped: its CPU has sat for 5 s of guest time in a loop of HLT and a"
                + " jump back at F000:00000035"), r.err());
    }
}
