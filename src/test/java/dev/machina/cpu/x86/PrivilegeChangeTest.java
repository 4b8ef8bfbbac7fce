package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Privilege changes in 32-bit protected mode, checked against the SDM: the inner stack of an
 * interrupt or call gate must hold the whole frame, by the rules of its segment (an expand-down
 * stack holds offsets above its limit, Vol. 3A 5.3; #SS(selector) when the frame does not fit,
 * Vol. 3A 5.8.5 and 6.12.1), and IRET to an outer level nulls the data segment registers the outer
 * level may not use (Vol. 2A IRET "Operation").
 *
 * <p>Every IDT vector v leads to a HLT of its own at {@code STUBS + v} (ring 0, flat stack from
 * the TSS unless a test changes it), so where the CPU halted says which vector was delivered.
 */
class PrivilegeChangeTest {
    static final int STUBS = 0x500, IDT = 0x1000, GDT = 0x2000, TSS = 0x5000, RING1_CODE = 0x3000, CODE = 0x10000;
    static final int HLT = 0xF4;
    // selectors (GDT layout below)
    static final int CODE0 = 0x08, DATA0 = 0x10, CODE3 = 0x1B, DATA3 = 0x23, TSS_SEL = 0x28, DOWN0 = 0x30,
            CODE1 = 0x39, STACK1 = 0x41, GATE3 = 0x4B;

    private final TestBox t = new TestBox();
    private final Cpu c = t.cpu;

    @BeforeEach
    void protectedModeAtRing3() {
        d(0x00, 0, 0);
        d(0x08, 0x0000FFFF, 0x00CF9A00); // ring-0 code, flat, 32-bit
        d(0x10, 0x0000FFFF, 0x00CF9200); // ring-0 data, flat
        d(0x18, 0x0000FFFF, 0x00CFFA00); // ring-3 code, flat
        d(0x20, 0x0000FFFF, 0x00CFF200); // ring-3 data, flat
        d(0x28, (TSS << 16) | 0x67, 0x00008900); // 32-bit TSS
        d(0x30, 0x00007FFF, 0x00409600); // ring-0 data, expand-down, B=1, limit 0x7FFF: offsets 0x8000..0xFFFFFFFF
        d(0x38, 0x0000FFFF, 0x00CFBA00); // ring-1 code, flat
        d(0x40, 0x00008FFF, 0x0040B200); // ring-1 data, base 0, limit 0x8FFF, B=1
        d(0x48, (CODE1 << 16) | RING1_CODE, 0x0000EC00); // 32-bit call gate, DPL 3, to ring 1
        for (int v = 0; v < 256; v++) {
            int stub = STUBS + v;
            t.memory.write(IDT + v * 8L, 4, (CODE0 << 16) | stub);
            t.memory.write(IDT + v * 8L + 4, 4, v == 0x80 ? 0xEE00 : 0x8E00); // INT 0x80 may be called from ring 3
            t.load(stub, HLT);
        }
        for (int k = 0; k < 0x68; k += 4) {
            t.memory.write(TSS + k, 4, 0);
        }
        tssStack(0, DATA0, 0x9000);
        c.gdtBase = GDT;
        c.gdtLimit = 0x4F;
        c.idtBase = IDT;
        c.idtLimit = 256 * 8 - 1;
        c.trSel = TSS_SEL;
        c.trBase = TSS;
        c.trLimit = 0x67;
        c.trAttr = 0x8B;
        SystemOps.setCr0(c, c.cr0 | Cpu.CR0_PE);
        for (int s = 0; s < 6; s++) {
            load(s, DATA3);
        }
        load(Cpu.CS, CODE3);
        c.setCpl(3);
        c.setReg(Cpu.ESP, 0x7000);
        c.setEip(CODE);
    }

    private void d(int selector, int lo, int hi) {
        t.memory.write(GDT + selector, 4, lo);
        t.memory.write(GDT + selector + 4L, 4, hi);
    }

    private void tssStack(int level, int ss, int esp) {
        t.memory.write(TSS + 4 + level * 8L, 4, esp);
        t.memory.write(TSS + 8 + level * 8L, 4, ss);
    }

    private void load(int s, int selector) {
        Segments.loadCache(c, s, selector, Segments.read(c, selector, Vectors.GP));
    }

    private int haltedAtVector() {
        return c.segBase(Cpu.CS) + c.eip() - 1 - STUBS;
    }

    @Test
    void interruptFromRing3SwitchesToAnExpandDownRing0Stack() {
        tssStack(0, DOWN0, 0x9000);
        t.load(CODE, 0xCD, 0x80); // int 0x80
        assertEquals(Cpu.Stop.HALTED, c.run(10));
        assertEquals(0x80, haltedAtVector(), "the INT 0x80 handler runs, not #SS/#DF");
        assertEquals(DOWN0, c.segSelector(Cpu.SS));
        assertEquals(0x9000 - 20, c.reg(Cpu.ESP), "EIP, CS, EFLAGS, ESP, SS pushed");
        assertEquals(CODE + 2, t.read32(0x9000 - 20));
        assertEquals(CODE3, t.read32(0x9000 - 16));
        assertEquals(0x7000, t.read32(0x9000 - 8));
        assertEquals(DATA3, t.read32(0x9000 - 4));
    }

    @Test
    void interruptFrameBelowTheLimitOfAnExpandDownStackIsAStackFault() {
        // 20 bytes from 0x8010 reach down to 0x7FFC: below the limit 0x7FFF of the expand-down SS0.
        // #SS(SS0) is delivered through the same TSS stack, fails again: #DF, fails again: shutdown
        tssStack(0, DOWN0, 0x8010);
        t.load(CODE, 0xCD, 0x80);
        assertEquals(Cpu.Stop.SHUTDOWN, c.run(10));
    }

    @Test
    void callGateToRing1PushesItsFrameOnTheRing1Stack() {
        tssStack(1, STACK1, 0x9000); // the 16-byte frame fills 0x8FF0..0x8FFF, the top of the 0x8FFF limit
        tssStack(0, DATA0, 0xA000);
        t.load(RING1_CODE, 0xCD, 0x80); // ring 1: int 0x80 (to ring 0)
        t.load(CODE, 0x9A, 0, 0, 0, 0, GATE3, 0); // call far GATE3:0
        assertEquals(Cpu.Stop.HALTED, c.run(10));
        assertEquals(0x80, haltedAtVector());
        assertEquals(CODE1, t.read32(0xA000 - 16), "the INT came from ring 1");
        assertEquals(0x9000 - 16, t.read32(0xA000 - 8), "with the ring-1 stack holding the call's frame");
        assertEquals(CODE + 7, t.read32(0x8FF0), "return EIP");
        assertEquals(CODE3, t.read32(0x8FF4), "return CS");
        assertEquals(0x7000, t.read32(0x8FF8), "caller's ESP");
        assertEquals(DATA3, t.read32(0x8FFC), "caller's SS");
    }

    @Test
    void callGateFrameBeyondTheLimitOfTheInnerStackIsAStackFault() {
        tssStack(1, STACK1, 0x9008); // 16 bytes from 0x9008 reach 0x9007: above the 0x8FFF limit
        t.load(RING1_CODE, HLT);
        t.load(CODE, 0x9A, 0, 0, 0, 0, GATE3, 0);
        assertEquals(Cpu.Stop.HALTED, c.run(10));
        assertEquals(Vectors.SS, haltedAtVector(), "#SS, raised by the CALL in ring 3");
        assertEquals(STACK1 & 0xFFFC, t.read32(0x9000 - 24), "error code: the stack selector");
        assertEquals(CODE, t.read32(0x9000 - 20), "the CALL is restartable: EIP points at it");
        assertEquals(CODE3, t.read32(0x9000 - 16), "from ring 3");
    }

    @Test
    void iretToRing3NullsDataSegmentsRing3MayNotUse() {
        // ring 0 with DS = ring-0 data and ES = ring-3 data; IRET to ring 3 (frame: EIP, CS, EFLAGS, ESP, SS)
        load(Cpu.CS, CODE0);
        c.setCpl(0);
        load(Cpu.SS, DATA0);
        load(Cpu.DS, DATA0);
        load(Cpu.ES, DATA3);
        c.setReg(Cpu.ESP, 0x9000 - 20);
        t.memory.write(0x9000 - 20, 4, CODE);
        t.memory.write(0x9000 - 16, 4, CODE3);
        t.memory.write(0x9000 - 12, 4, 0x2);
        t.memory.write(0x9000 - 8, 4, 0x7000);
        t.memory.write(0x9000 - 4, 4, DATA3);
        t.load(0x4000, 0xCF); // iret
        c.setEip(0x4000);
        tssStack(0, DATA0, 0xA000);
        t.load(CODE, 0xCD, 0x80); // ring 3: int 0x80
        assertEquals(Cpu.Stop.HALTED, c.run(10));
        assertEquals(0x80, haltedAtVector());
        assertEquals(CODE3, t.read32(0xA000 - 16), "INT came from ring 3");
        assertEquals(0, c.segSelector(Cpu.DS), "DS (DPL 0) nulled on the way to ring 3");
        assertEquals(DATA3, c.segSelector(Cpu.ES), "ES (DPL 3) kept");
    }
}
