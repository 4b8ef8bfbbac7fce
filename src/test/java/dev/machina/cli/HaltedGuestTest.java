package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        Path bios = GuestRom.write(dir, "hlt-loop.bin", code);
        CliRunner r = CliRunner.run("run", "-M", "isapc", "-nodefaults", "-display", "none", "-icount", "shift=2,sleep=off",
                "-bios", bios.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("machina: run: the guest stopped: its CPU has sat for 5 s of guest time in a loop of HLT and a"
                + " jump back at F000:00000035"), r.err());
    }

    /**
     * A 64 KiB BIOS that points the invalid-opcode vector (IVT entry 6) at {@code cli; hlt} and then runs
     * one instruction at F000:0010 (three bytes, padded with NOP) followed by a NOP and the same
     * {@code cli; hlt} at F000:0014, so whether or not the instruction takes #UD the CPU halts for good at
     * F000:0016.
     */
    private static Path udGuest(Path dir, int... insn) throws Exception {
        int[] code = {0x31, 0xC0, 0x8E, 0xD8,                               // xor ax,ax; mov ds,ax
            0xC7, 0x06, 0x18, 0x00, 0x14, 0x00, 0xC7, 0x06, 0x1A, 0x00, 0x00, 0xF0, // IVT[6] = F000:0014
            0x90, 0x90, 0x90, 0x90,                                         // F000:0010 the instruction
            0xFA, 0xF4};                                                    // F000:0014 cli; hlt
        System.arraycopy(insn, 0, code, 0x10, insn.length);
        return GuestRom.write(dir, "ud.bin", code);
    }

    /**
     * An instruction the CPU model lacks takes #UD (SDM Vol. 2A: CMOVcc, RDTSC and CMPXCHG8B raise #UD when
     * CPUID.01H:EDX.CMOV, TSC or CX8 is 0; QEMU 7.2's 486 has none of the three, target/i386/cpu.c
     * I486_FEATURES), and the line that says why the run stopped also names that instruction, where it
     * ran and the CPUID flag it needs: Debian's 686 kernel entered without firmware on -cpu 486 dies so on
     * CMOV before it has a console (LinuxBootIT).
     */
    @ParameterizedTest(name = "{0} on a 486")
    @CsvSource({"CMOVcc, cmov, 0F 44 C3", "RDTSC, tsc, 0F 31", "CMPXCHG8B, cx8, 0F C7 0F"})
    void anInstructionTheModelLacksIsNamedWithItsCpuidFlag(String mnemonic, String flag, String bytes, @TempDir Path dir) throws Exception {
        Path bios = udGuest(dir, hex(bytes));
        CliRunner r = CliRunner.run("run", "-M", "isapc", "-nodefaults", "-display", "none", "-cpu", "486", "-bios", bios.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("machina: run: the guest stopped: its CPU halted with interrupts disabled at F000:00000016"), r.err());
        assertTrue(r.err().contains("; before that it ran " + mnemonic + " at F000:00000010, which -cpu 486 does not have (CPUID flag "
                + flag + "), and took an invalid-opcode exception: the guest needs a CPU with " + flag + "\n"), r.err());
    }

    /** The same guests on a CPU that has the three (pentium2): the instruction runs, and the stop names none. */
    @ParameterizedTest(name = "{0} on a pentium2")
    @CsvSource({"CMOVcc, 0F 44 C3", "RDTSC, 0F 31", "CMPXCHG8B, 0F C7 0F"})
    void anInstructionTheModelHasIsNotReported(String mnemonic, String bytes, @TempDir Path dir) throws Exception {
        Path bios = udGuest(dir, hex(bytes));
        CliRunner r = CliRunner.run("run", "-M", "isapc", "-nodefaults", "-display", "none", "-cpu", "pentium2", "-bios", bios.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("its CPU halted with interrupts disabled at F000:00000016"), r.err());
        assertFalse(r.err().contains("before that it ran"), r.err());
    }

    /**
     * A Linux kernel that gives up before its console is up halts so (Debian's 686 decompressor on a damaged
     * bzImage: "XZ-compressed data is corrupt -- System halted", which reaches the serial port only with
     * earlyprintk=ttyS0, on QEMU 7.2 too): the line says how to see its words. The kernel is
     * tests/linux/minikernel.bin whose 32-bit entry (file offset 0x400, after its one setup sector) is
     * made {@code cli; hlt}, entered without firmware.
     */
    @Test
    void aLinuxKernelThatHaltsEarlyIsToldToUseEarlyprintk(@TempDir Path dir) throws Exception {
        byte[] k = Files.readAllBytes(Path.of("tests/linux/minikernel.bin"));
        k[0x400] = (byte) 0xFA; // cli
        k[0x401] = (byte) 0xF4; // hlt
        Path kernel = dir.resolve("halting-bzImage");
        Files.write(kernel, k);
        CliRunner r = CliRunner.run("run", "-M", "pc", "-m", "64", "-nodefaults", "-display", "none", "-bios", "none",
                "-kernel", kernel.toString(), "-append", "console=ttyS0");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("machina: run: the guest stopped: its CPU halted with interrupts disabled at 0010:00100002, which"
                + " nothing in this machine can wake (no NMI source; a -qmp or -monitor would keep it waiting); a Linux kernel that stops"
                + " before its console is up says why on the serial port only with -append \"console=ttyS0 earlyprintk=ttyS0\"\n"), r.err());
        CliRunner early = CliRunner.run("run", "-M", "pc", "-m", "64", "-nodefaults", "-display", "none", "-bios", "none",
                "-kernel", kernel.toString(), "-append", "console=ttyS0 earlyprintk=ttyS0");
        assertEquals(1, early.code(), early.err());
        assertTrue(early.err().contains("halted with interrupts disabled at 0010:00100002"), early.err());
        assertFalse(early.err().contains("earlyprintk"), "with earlyprintk the line does not repeat it:\n" + early.err());
    }

    private static int[] hex(String bytes) {
        String[] b = bytes.split(" ");
        int[] v = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = Integer.parseInt(b[i], 16);
        }
        return v;
    }
}
