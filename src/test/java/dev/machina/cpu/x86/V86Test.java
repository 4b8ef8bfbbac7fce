package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Virtual-8086 mode against SDM Vol. 3A chapter 20 (without VME): IRET at CPL 0 to an EFLAGS image
 * with VM set enters it (segments as in real mode, CPL 3); INT n, CLI/STI, PUSHF/POPF and IRET there
 * are IOPL-sensitive (#GP(0) below IOPL 3); an interrupt or exception leaves it for a ring-0
 * handler with ES, DS, FS, GS on the ring-0 stack (Figure 20-4) and null in the registers; a handler
 * that is not ring-0 non-conforming code is #GP(selector).
 */
class V86Test {
    static final int V86_CS = 0x2000, V86_SS = 0x3000, V86_SP = 0x100, ESP0 = 0x9000;
    static final int CODE3_32 = ProtectedBox.FREE;

    private final ProtectedBox p = new ProtectedBox();
    private final Cpu c = p.c;

    /** IRET into V86 at 2000:0000 running {@code code}, with the given IOPL. */
    private void enterV86(int iopl, int... code) {
        p.t.load(V86_CS << 4, code);
        int[] frame = {0, V86_CS, Cpu.VM | (iopl << 12) | 2, V86_SP, V86_SS, 0x1111, 0x2222, 0x3333, 0x4444};
        for (int k = 0; k < frame.length; k++) {
            p.t.memory.write(0x7000 + 4L * k, 4, frame[k]);
        }
        c.setReg(Cpu.ESP, 0x7000);
        p.code(0xCF); // iretd
    }

    private int ring0(int k) {
        return p.t.read32(c.reg(Cpu.ESP) + 4 * k);
    }

    @Test
    void iretEntersV86AndIntWithIopl0IsGp() {
        enterV86(0, 0xB8, 0x34, 0x12, 0xCD, 0x30); // mov ax, 0x1234 ; int 0x30
        assertEquals(Vectors.GP, p.runToVector(10));
        assertEquals(0x1234, c.reg(Cpu.EAX) & 0xFFFF, "V86 code ran");
        assertEquals(ESP0 - 40, c.reg(Cpu.ESP), "error code + 9 dwords on the ring-0 stack from the TSS");
        int[] expected = {0, 3, V86_CS, Cpu.VM | 2, V86_SP, V86_SS, 0x1111, 0x2222, 0x3333, 0x4444};
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], ring0(k) & (k == 3 ? ~Cpu.ARITH : -1), "frame dword " + k);
        }
        assertEquals(0, c.cpl());
        assertEquals(0, c.eflags() & Cpu.VM);
        for (int s : new int[] {Cpu.ES, Cpu.DS, Cpu.FS, Cpu.GS}) {
            assertEquals(0, c.segSelector(s), "data segment registers are null in the handler");
        }
    }

    @Test
    void withIopl3IntGoesToTheRing0Handler() {
        enterV86(3, 0xCD, 0x30); // int 0x30
        assertEquals(0x30, p.runToVector(10));
        assertEquals(ESP0 - 36, c.reg(Cpu.ESP));
        assertEquals(2, ring0(0), "return IP: after the INT");
        assertEquals(V86_CS, ring0(1));
    }

    @Test
    void v86SegmentsFollowRealModeAddressing() {
        // mov ax, [0x10] with DS = 0x2222: linear 0x22230 ; int 0x30
        p.t.memory.write(0x22230, 2, 0xBEEF);
        enterV86(3, 0xA1, 0x10, 0x00, 0xCD, 0x30);
        assertEquals(0x30, p.runToVector(10));
        assertEquals(0xBEEF, c.reg(Cpu.EAX) & 0xFFFF);
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {0xFA, 0xFB, 0x9C, 0x9D, 0xCF, 0xF4}) // CLI STI PUSHF POPF IRET HLT
    void ioplSensitiveInstructionsFaultBelowIopl3(int insn) {
        enterV86(0, insn);
        assertEquals(Vectors.GP, p.runToVector(10));
        assertEquals(0, ring0(0), "#GP(0)");
        assertEquals(V86_CS, ring0(2), "raised in V86 code");
    }

    @Test
    void popfAtIopl3CannotChangeIoplButChangesIf() {
        // push 0 ; popf ; pushf ; int 0x30: IOPL stays 3 (IF cleared by POPF is what was pushed)
        enterV86(3, 0x6A, 0x00, 0x9D, 0x9C, 0xCD, 0x30);
        c.flags |= Cpu.IF;
        p.t.memory.write(0x7008, 4, Cpu.VM | Cpu.IF | (3 << 12) | 2);
        assertEquals(0x30, p.runToVector(10));
        int pushed = p.t.read16((V86_SS << 4) + V86_SP - 2);
        assertEquals(3 << 12, pushed & Cpu.IOPL, "IOPL unchanged by POPF in V86");
        assertEquals(0, pushed & Cpu.IF, "IF changed by POPF at IOPL 3");
    }

    @Test
    void aHandlerOutsideRing0IsGpWithItsSelector() {
        p.desc(CODE3_32, 0x0000FFFF, 0x00CFFA00); // ring-3 code
        p.t.memory.write(ProtectedBox.IDT + 0x30 * 8L, 4, (CODE3_32 << 16) | 0x500);
        enterV86(3, 0xCD, 0x30);
        assertEquals(Vectors.GP, p.runToVector(10));
        assertEquals(CODE3_32, ring0(0), "#GP(handler's selector)");
    }

    @Test
    void farJumpInV86WorksAsInRealMode() {
        // jmp 0x2100:0000 (linear 0x21000) where int 0x30 waits
        p.t.load(0x21000, 0xCD, 0x30);
        enterV86(3, 0xEA, 0x00, 0x00, 0x00, 0x21);
        assertEquals(0x30, p.runToVector(10));
        assertEquals(0x2100, ring0(1), "CS pushed by the interrupt");
    }
}
