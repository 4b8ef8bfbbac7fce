package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * MONITOR/MWAIT (0F 01 C8/C9) on -cpu max: MWAIT halts as HLT does (QEMU 7.2 TCG's do_hlt), with EIP after it and
 * the block ended there; #GP(0) for ECX not 0; #UD on a model without monitor. (tests/guests/monitor.asm compares
 * the faults and MONITOR with QEMU; a halted guest is no recording.)
 */
class MonitorTest {
    private static final int MARK = 0x3000;

    private static TestBox run(String model, int ecx) {
        TestBox t = new TestBox(model);
        t.load(0x1000,
                0x66, 0xB8, 0x00, 0x20, 0, 0,            // mov eax, 0x2000
                0x66, 0xB9, ecx, 0, 0, 0,                // mov ecx, ecx
                0x0F, 0x01, 0xC8,                        // monitor
                0x0F, 0x01, 0xC9,                        // mwait
                0xC6, 0x06, MARK & 0xFF, MARK >> 8, 0xFF, // mov byte [MARK], 0xFF
                0xF4).realModeAt(0x1000);
        t.load(0x4100, 0xC6, 0x06, MARK & 0xFF, MARK >> 8, 13, 0xF4).vector(13, 0x4100); // #GP: mark 13
        t.load(0x4200, 0xC6, 0x06, MARK & 0xFF, MARK >> 8, 6, 0xF4).vector(6, 0x4200);   // #UD: mark 6
        t.run(1000);
        return t;
    }

    @Test
    void mwaitHaltsAfterItself() {
        TestBox t = run("max", 0);
        assertTrue(t.cpu.isHalted(), "halted");
        assertEquals(0x1012, t.cpu.eip(), "EIP after MWAIT");
        assertEquals(0, t.memory.read(MARK, 1), "the next instruction has not run");
    }

    @Test
    void extensionsInEcxAreGeneralProtection() {
        assertEquals(13, run("max", 1).memory.read(MARK, 1));
    }

    @Test
    void withoutTheFeatureItIsUndefined() {
        assertEquals(6, run("qemu32", 0).memory.read(MARK, 1));
    }
}
