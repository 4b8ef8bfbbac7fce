package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Stack-width rules that the single-step data (real mode only) cannot reach: which of SP and ESP
 * an instruction uses follows SS.B, and an instruction that changes SS uses the old width for what
 * it popped (SDM Vol. 2B POP "Operation"; ENTER "Operation" with FrameTemp).
 */
class StackSizeTest {
    private final ProtectedBox p = new ProtectedBox();
    private final Cpu c = p.c;

    @Test
    void popSsFromA16BitStackToA32BitOneStepsSpByTheOldWidth() {
        // ESP = 0002FFFC on a 16-bit stack whose top holds the 32-bit stack's selector; POP SS
        // (32-bit operand size) reads SS:FFFC and moves SP by 4 within 16 bits: ESP = 00020000
        // (QEMU and Bochs agree), not 00030000 as when the new 32-bit width is applied.
        p.load(Cpu.SS, ProtectedBox.DATA16);
        c.setReg(Cpu.ESP, 0x0002FFFC);
        p.t.memory.write(0xFFFC, 4, ProtectedBox.DATA0);
        p.code(0x17, ProtectedBox.HLT); // pop ss ; hlt
        assertEquals(-1, p.runToVector(10));
        assertEquals(ProtectedBox.DATA0, c.segSelector(Cpu.SS));
        assertEquals(0x00020000, c.reg(Cpu.ESP));
    }

    @Test
    void popSsFromA32BitStackToA16BitOneStepsEspByTheOldWidth() {
        c.setReg(Cpu.ESP, 0x0001FFFC);
        p.t.memory.write(0x1FFFC, 4, ProtectedBox.DATA16);
        p.code(0x17, ProtectedBox.HLT);
        assertEquals(-1, p.runToVector(10));
        assertEquals(ProtectedBox.DATA16, c.segSelector(Cpu.SS));
        assertEquals(0x00020000, c.reg(Cpu.ESP), "a 32-bit step: 1FFFC + 4, not a 16-bit wrap to 10000");
    }

    @Test
    void enter32OnA16BitStackPushesTheWholeFrameTemp() {
        // o32 enter 8, 1 with ESP = 00010000 on a 16-bit stack: EBP is pushed at SS:FFFC, FrameTemp =
        // ESP = 0001FFFC (the upper half of ESP is kept), pushed again as the level-1 frame pointer
        p.load(Cpu.SS, ProtectedBox.DATA16);
        c.setReg(Cpu.ESP, 0x00010000);
        c.setReg(Cpu.EBP, 0x0001FFF0);
        p.code(0xC8, 0x08, 0x00, 0x01, ProtectedBox.HLT); // enter 8, 1 ; hlt
        assertEquals(-1, p.runToVector(10));
        assertEquals(0x0001FFF0, p.t.read32(0xFFFC), "old EBP");
        assertEquals(0x0001FFFC, p.t.read32(0xFFF8), "FrameTemp, all 32 bits");
        assertEquals(0x0001FFFC, c.reg(Cpu.EBP));
        assertEquals(0x0001FFF0, c.reg(Cpu.ESP), "FFF8 - 8 in the low 16 bits");
    }

    @Test
    void enter16On32BitStackWritesOnlyBp() {
        c.setReg(Cpu.ESP, 0x00020000);
        c.setReg(Cpu.EBP, 0x12345678);
        p.code(0x66, 0xC8, 0x04, 0x00, 0x00, ProtectedBox.HLT); // o16 enter 4, 0 ; hlt
        assertEquals(-1, p.runToVector(10));
        assertEquals(0x5678, p.t.read16(0x1FFFE));
        assertEquals(0x1234FFFE, c.reg(Cpu.EBP), "BP <- FrameTemp[15:0]; EBP's upper half stays");
        assertEquals(0x0001FFFA, c.reg(Cpu.ESP));
    }

    @Test
    void enterRaisesPageFaultWhenTheFinalStackPointerCannotBeWritten() {
        // identity paging of the first 4 MiB with page 0x20 (0x20000-0x20FFF) read-only for
        // supervisor writes (CR0.WP): ESP = 0x21010, enter 0x20, 0 pushes EBP at 0x2100C (writable) and
        // ends with ESP = 0x20FEC in the read-only page: #PF(P|W) with CR2 = 0x20FEC, ESP unchanged
        int pd = 0x30000, pt = 0x31000;
        p.t.memory.write(pd, 4, pt | 3);
        for (int k = 0; k < 1024; k++) {
            p.t.memory.write(pt + k * 4L, 4, (k << 12) | (k == 0x20 ? 1 : 3));
        }
        c.cr3 = pd;
        SystemOps.setCr0(c, c.cr0 | Cpu.CR0_PG | Cpu.CR0_WP);
        c.setReg(Cpu.ESP, 0x21010);
        p.code(0xC8, 0x20, 0x00, 0x00, ProtectedBox.HLT);
        assertEquals(Vectors.PF, p.runToVector(10));
        int esp = c.reg(Cpu.ESP);
        assertEquals(3, p.t.read32(esp), "error code: protection, write, supervisor");
        assertEquals(ProtectedBox.CODE, p.t.read32(esp + 4), "the ENTER is the faulting instruction");
        assertEquals(0x20FEC, c.cr(2));
        assertEquals(0x21010 - 12 - 4, esp, "the handler's frame sits on the ESP from before the ENTER");
    }
}
