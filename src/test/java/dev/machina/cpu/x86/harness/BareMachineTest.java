package dev.machina.cpu.x86.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.cpu.x86.CpuModel;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BareMachineTest {
    private static final CpuModel MODEL = CpuModel.named("qemu32");

    /** A 64 KiB ROM whose reset vector runs the given 16-bit code at F000:0000. */
    static byte[] rom(int... code) {
        byte[] rom = new byte[65536];
        java.util.Arrays.fill(rom, (byte) 0xF4);
        for (int i = 0; i < code.length; i++) {
            rom[i] = (byte) code[i];
        }
        int[] jmp = {0xEA, 0x00, 0x00, 0x00, 0xF0}; // jmp F000:0000 at FFF0
        for (int i = 0; i < jmp.length; i++) {
            rom[0xFFF0 + i] = (byte) jmp[i];
        }
        return rom;
    }

    @Test
    void debugExitEndsTheRunWithQemusStatus() {
        // mov al, 21 ; out 0xF4, al
        BareMachine m = new BareMachine(MODEL, 1 << 20, rom(0xB0, 21, 0xE6, 0xF4), null, true);
        BareMachine.Result r = m.run(1000);
        assertEquals(BareMachine.End.EXIT, r.end());
        assertEquals((21 << 1) | 1, r.exitStatus());
    }

    @Test
    void debugConsoleWritesBytesAndReadsBackE9() {
        // mov dx, 0x402 ; in al, dx ; out dx, al ; mov al, 'x' ; out dx, al ; cli ; hlt
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BareMachine m = new BareMachine(MODEL, 1 << 20,
                rom(0xBA, 0x02, 0x04, 0xEC, 0xEE, 0xB0, 'x', 0xEE, 0xFA, 0xF4), out, true);
        BareMachine.Result r = m.run(1000);
        assertEquals(BareMachine.End.HALTED, r.end());
        assertEquals("\u00E9x", out.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void theConsoleCanBeTheBochsPortAndTheOtherPortIsDropped() {
        // mov al, 'a' ; out 0xE9, al ; mov dx, 0x402 ; mov al, 'b' ; out dx, al ; cli ; hlt
        byte[] image = rom(0xB0, 'a', 0xE6, 0xE9, 0xBA, 0x02, 0x04, 0xB0, 'b', 0xEE, 0xFA, 0xF4);
        ByteArrayOutputStream bochs = new ByteArrayOutputStream();
        new BareMachine(MODEL, 1 << 20, image, bochs, true, 0xE9).run(1000);
        assertEquals("a", bochs.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream qemu = new ByteArrayOutputStream();
        new BareMachine(MODEL, 1 << 20, image, qemu, true).run(1000);
        assertEquals("b", qemu.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThrows(IllegalArgumentException.class, () -> new BareMachine(MODEL, 1 << 20, image, qemu, true, 0x3F8));
    }

    /**
     * The guest's #UD handler is the LOCK DIV that raised it (LOCK before DIV is #UD on a 386 and later,
     * SDM Vol. 2A LOCK), so from then on it retires nothing, as a real CPU would loop. The run's budget
     * counts those faults, so the run still ends at its limit and says what it spent.
     */
    static final int[] FAULT_STORM = {
        0x31, 0xC0,                         // xor ax, ax
        0x8E, 0xD8,                         // mov ds, ax
        0xC7, 0x06, 0x18, 0x00, 0x18, 0x00, // mov word [6*4], 0x0018   (the LOCK DIV below)
        0xC7, 0x06, 0x1A, 0x00, 0x00, 0xF0, // mov word [6*4+2], 0xF000
        0xB8, 0x00, 0x10,                   // mov ax, 0x1000
        0x8E, 0xD0,                         // mov ss, ax  (the stack away from the IVT)
        0xBC, 0xF0, 0xFF,                   // mov sp, 0xFFF0
        0xF0, 0xF7, 0xF1,                   // F000:0018 lock div cx
    };

    @Test
    void faultsInAFaultingHandlerStillUseUpTheBudget() {
        BareMachine m = new BareMachine(MODEL, 1 << 20, rom(FAULT_STORM), null, true);
        BareMachine.Result r = m.run(1000);
        assertEquals(BareMachine.End.LIMIT, r.end());
        assertEquals(8, r.instructions(), "the jump at the reset vector and the 7 set-up instructions");
        assertEquals(992, r.faults(), "every delivery after them is a fault of the LOCK DIV");
        assertEquals(1000, r.spent());
        assertEquals(0xF000, m.cpu().segSelector(1));
        assertEquals(0x18, m.cpu().eip(), "at the LOCK DIV, which never retires");
    }

    @Test
    void tripleFaultStopsUnderNoRebootAndResetsOtherwise() {
        // lidt [cs:limit0] with a zero-limit IDT, then int 3: #GP → #DF → triple fault
        int[] code = {0x2E, 0x0F, 0x01, 0x1E, 0x20, 0x00, 0xCC};
        byte[] image = rom(code);
        // IDTR image at F000:0020: limit 0, base 0
        for (int i = 0; i < 6; i++) {
            image[0x20 + i] = 0;
        }
        BareMachine stop = new BareMachine(MODEL, 1 << 20, image, null, true);
        assertEquals(BareMachine.End.SHUTDOWN, stop.run(1000).end());

        BareMachine reboot = new BareMachine(MODEL, 1 << 20, image, null, false);
        BareMachine.Result r = reboot.run(1000);
        assertEquals(BareMachine.End.LIMIT, r.end(), "keeps resetting and running");
        assertTrue(reboot.resets() > 10, "reset after each triple fault: " + reboot.resets());
    }

    @Test
    void romMustBeAMultipleOf64KiB() {
        BadRom e = assertThrows(BadRom.class, () -> new BareMachine(MODEL, 1 << 20, new byte[1000], null, true));
        assertTrue(e.getMessage().contains("multiple of 64 KiB"), e.getMessage());
        assertThrows(BadRom.class, () -> new BareMachine(MODEL, 1 << 20, new byte[0], null, true));
    }

    @Test
    void missingRomFileIsAOneLineError() {
        BadRom e = assertThrows(BadRom.class, () -> BareMachine.readRom(Path.of("no/such/rom.bin")));
        assertEquals("ROM image not found: no/such/rom.bin", e.getMessage());
    }

    @Test
    void lastRomBytesAppearBelowOneMegabyteAndAtTheTop() {
        byte[] image = rom(0xF4);
        image[0xFFFF] = 0x5A;
        BareMachine m = new BareMachine(MODEL, 1 << 20, image, null, true);
        assertEquals(0x5A, m.memory().read(0xFFFFF, 1));
        assertEquals(0x5A, m.memory().read(0xFFFFFFFFL, 1));
        m.memory().write(0xFFFFF, 1, 0);
        assertEquals(0x5A, m.memory().read(0xFFFFF, 1), "the BIOS alias is read-only");
    }
}
