package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hardware task switches against SDM Vol. 3A 7.3 (and Vol. 2A JMP/CALL/IRET/INT "Operation"): the
 * old task's state saved in its TSS, TR and the busy flags, the back link and NT for nesting
 * (CALL, task-gate interrupts) and IRET back through it, CR0.TS, and faults in the new task's
 * context. Task A is the current task (TSS at {@link ProtectedBox#TSS}); task B's 32-bit TSS is at
 * {@link #TSS_B}, entered at {@link #B_CODE}.
 */
class TaskSwitchTest {
    static final int TSS_B = 0x5200, B_CODE = 0x11000, B_STACK = 0xA000;
    static final int TSS_B_SEL = ProtectedBox.FREE, GATE_B = ProtectedBox.FREE + 8, BAD_SEL = 0xF8;

    private final ProtectedBox p = new ProtectedBox();
    private final Cpu c = p.c;

    @BeforeEach
    void taskB() {
        p.desc(TSS_B_SEL, (TSS_B << 16) | 0x67, 0x00008900);           // available 32-bit TSS, DPL 0
        p.desc(GATE_B, TSS_B_SEL << 16, 0x0000E500);                   // task gate, DPL 3
        for (int k = 0; k < 0x68; k += 4) {
            p.t.memory.write(TSS_B + k, 4, 0);
        }
        p.t.memory.write(TSS_B + 0x20, 4, B_CODE);      // EIP
        p.t.memory.write(TSS_B + 0x24, 4, 0x2);         // EFLAGS
        p.t.memory.write(TSS_B + 0x28, 4, 0xB0B0B0B0);  // EAX
        p.t.memory.write(TSS_B + 0x38, 4, B_STACK);     // ESP
        int[] segs = {ProtectedBox.DATA0, ProtectedBox.CODE0, ProtectedBox.DATA0, ProtectedBox.DATA0, 0, 0};
        for (int s = 0; s < 6; s++) {
            p.t.memory.write(TSS_B + 0x48 + 4L * s, 2, segs[s]);
        }
        p.t.memory.write(TSS_B + 0x66, 2, 0x68);
        p.t.load(B_CODE, ProtectedBox.HLT, 0xCF, ProtectedBox.HLT); // hlt ; iret ; hlt
        c.setReg(Cpu.EAX, 0xA0A0A0A0);
    }

    private boolean busy(int selector) {
        return (p.t.read32(ProtectedBox.GDT + selector + 4) & 0x200) != 0;
    }

    @Test
    void jmpToATssSavesTheOldTaskAndLoadsTheNewOne() {
        p.code(0xEA, 0, 0, 0, 0, TSS_B_SEL, 0, ProtectedBox.HLT); // jmp TSS_B_SEL:0 (the offset is ignored)
        assertEquals(-1, p.runToVector(10));
        assertEquals(B_CODE + 1, c.eip(), "halted at task B's first instruction");
        assertEquals(TSS_B_SEL, c.trSel);
        assertEquals(0xB0B0B0B0, c.reg(Cpu.EAX));
        assertEquals(B_STACK, c.reg(Cpu.ESP));
        assertEquals(ProtectedBox.CODE + 7, p.t.read32(ProtectedBox.TSS + 0x20), "old EIP: after the JMP");
        assertEquals(0xA0A0A0A0, p.t.read32(ProtectedBox.TSS + 0x28), "old EAX");
        assertEquals(0x8000, p.t.read32(ProtectedBox.TSS + 0x38), "old ESP");
        assertEquals(ProtectedBox.CODE0, p.t.read16(ProtectedBox.TSS + 0x4C), "old CS");
        assertTrue(!busy(ProtectedBox.TSS_SEL) && busy(TSS_B_SEL), "JMP: old task not busy, new task busy");
        assertEquals(0, c.eflags() & Cpu.NT, "JMP does not nest");
        assertEquals(Cpu.CR0_TS, c.cr(0) & Cpu.CR0_TS, "a task switch sets CR0.TS");
    }

    @Test
    void callThroughATaskGateNestsAndIretReturns() {
        // call GATE_B:0 ; hlt — task B halts once, then its IRET goes back to A after the CALL
        p.code(0x9A, 0, 0, 0, 0, GATE_B, 0, ProtectedBox.HLT);
        assertEquals(-1, p.runToVector(10));
        assertEquals(ProtectedBox.TSS_SEL, p.t.read16(TSS_B), "back link names task A");
        assertEquals(Cpu.NT, c.eflags() & Cpu.NT, "the called task runs with NT set");
        assertTrue(busy(ProtectedBox.TSS_SEL) && busy(TSS_B_SEL), "CALL: both tasks busy");
        c.setHalted(false); // go on past task B's HLT
        assertEquals(-1, p.runToVector(10));
        assertEquals(ProtectedBox.CODE + 8, c.eip(), "back in task A, halted after the CALL");
        assertEquals(ProtectedBox.TSS_SEL, c.trSel);
        assertEquals(0xA0A0A0A0, c.reg(Cpu.EAX), "task A's registers came back from its TSS");
        assertTrue(busy(ProtectedBox.TSS_SEL) && !busy(TSS_B_SEL), "IRET: the task it left is no longer busy");
        assertEquals(B_CODE + 2, p.t.read32(TSS_B + 0x20), "task B's EIP saved: after its IRET");
        assertEquals(0, p.t.read32(TSS_B + 0x24) & Cpu.NT, "IRET saves the old task's EFLAGS with NT clear");
    }

    @Test
    void anExceptionThroughATaskGatePushesItsErrorCodeOnTheNewTasksStack() {
        p.t.memory.write(ProtectedBox.IDT + Vectors.GP * 8L, 4, TSS_B_SEL << 16);
        p.t.memory.write(ProtectedBox.IDT + Vectors.GP * 8L + 4, 4, 0x8500); // task gate for #GP
        p.code(0x8E, 0xD9); // mov ds, cx with CX = 0xF8, beyond the GDT: #GP(0xF8)
        c.setReg(Cpu.ECX, BAD_SEL);
        assertEquals(-1, p.runToVector(10));
        assertEquals(TSS_B_SEL, c.trSel);
        assertEquals(B_STACK - 4, c.reg(Cpu.ESP));
        assertEquals(BAD_SEL, p.t.read32(B_STACK - 4), "the error code");
        assertEquals(ProtectedBox.CODE, p.t.read32(ProtectedBox.TSS + 0x20), "task A resumes at the faulting MOV");
        assertEquals(ProtectedBox.TSS_SEL, p.t.read16(TSS_B), "an interrupt task is nested");
    }

    @Test
    void jmpToABusyTssRaisesGp() {
        p.code(0xEA, 0, 0, 0, 0, ProtectedBox.TSS_SEL, 0); // jmp to the current (busy) task
        assertEquals(Vectors.GP, p.runToVector(10));
        assertEquals(ProtectedBox.TSS_SEL, p.t.read32(c.reg(Cpu.ESP)), "#GP(selector)");
        assertEquals(ProtectedBox.TSS_SEL, c.trSel, "no switch happened");
    }

    @Test
    void aBadSegmentInTheNewTaskFaultsWithTsInTheNewTasksContext() {
        p.t.memory.write(TSS_B + 0x54, 2, BAD_SEL); // task B's DS lies beyond the GDT
        p.code(0xEA, 0, 0, 0, 0, TSS_B_SEL, 0);
        assertEquals(Vectors.TS, p.runToVector(10));
        assertEquals(TSS_B_SEL, c.trSel, "the switch had happened");
        int esp = c.reg(Cpu.ESP);
        assertEquals(B_STACK - 16, esp, "the frame is on task B's stack");
        assertEquals(BAD_SEL, p.t.read32(esp), "#TS(selector)");
        assertEquals(B_CODE, p.t.read32(esp + 4), "pushed EIP: task B's first instruction");
    }

    @Test
    void aTssShorterThanItsMinimumRaisesTs() {
        p.desc(TSS_B_SEL, (TSS_B << 16) | 0x50, 0x00008900); // limit 50h < 67h
        p.code(0xEA, 0, 0, 0, 0, TSS_B_SEL, 0);
        assertEquals(Vectors.TS, p.runToVector(10));
        assertEquals(TSS_B_SEL, p.t.read32(c.reg(Cpu.ESP)));
        assertEquals(ProtectedBox.TSS_SEL, c.trSel);
    }
}
