package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The #PF error code and CR2 (SDM Vol. 3A 4.7, Figure 4-12: P = 1 for a protection violation, 0 for
 * a not-present page; W/R = 1 for a write; U/S = 1 for an access at CPL 3), for every combination
 * of page state, access and privilege, with CR0.WP on and off (4.6.1: a supervisor write to a
 * read-only page faults only with WP = 1). Paging maps the first 4 MiB one to one; page 0x40 is
 * the one under test.
 */
class PageFaultErrorCodeTest {
    static final int IDT = 0x1000, GDT = 0x2000, PD = 0x3000, PT = 0x4000, TSS = 0x5000, STUB = 0x6000, CODE = 0x10000;
    static final int TARGET = 0x40000, NO_FAULT = -1;

    private TestBox t = new TestBox();
    private Cpu c = t.cpu;

    /**
     * @param pte  the target page's entry flags (P=1, R/W=2, U/S=4)
     * @param ring 0 or 3
     * @param write a write (mov [target], eax) or a read (mov eax, [target])
     * @param wp   CR0.WP
     * @param expected the error code, or -1 when the access is allowed
     */
    @ParameterizedTest(name = "pte={0} ring={1} write={2} wp={3} -> {4}")
    @CsvSource({
        "0, 0, false, 0, 0", "0, 0, true, 0, 2", "0, 3, false, 0, 4", "0, 3, true, 0, 6",
        "1, 0, false, 0, -1", "1, 0, true, 0, -1", "1, 0, true, 1, 3", "1, 3, false, 0, 5", "1, 3, true, 0, 7",
        "3, 0, true, 1, -1", "3, 3, false, 0, 5", "3, 3, true, 0, 7",
        "5, 0, true, 0, -1", "5, 0, true, 1, 3", "5, 3, false, 0, -1", "5, 3, true, 0, 7", "5, 3, true, 1, 7",
        "7, 3, true, 1, -1", "7, 0, true, 1, -1",
    })
    void errorCodeAndCr2FollowTheSdm(int pte, int ring, boolean write, int wp, int expected) {
        setUp(pte, ring, wp == 1);
        // mov eax, [TARGET] or mov [TARGET], eax ; then int3 (never reached on a fault): at CPL 3 a
        // DPL-3 gate, so the run always ends in a handler's HLT
        int op = write ? 0xA3 : 0xA1;
        t.load(CODE, op, TARGET & 0xFF, (TARGET >>> 8) & 0xFF, (TARGET >>> 16) & 0xFF, TARGET >>> 24, 0xCC);
        assertEquals(Cpu.Stop.HALTED, c.run(20));
        int vector = c.eip() - 1 - STUB;
        if (expected == NO_FAULT) {
            assertEquals(3, vector, "the access was allowed: INT3 reached");
            return;
        }
        assertEquals(Vectors.PF, vector, "#PF");
        int esp = c.reg(Cpu.ESP);
        assertEquals(expected, t.read32(esp), "error code");
        assertEquals(CODE, t.read32(esp + 4), "the faulting instruction");
        assertEquals(TARGET, c.cr(2), "CR2");
    }

    /**
     * CLFLUSHOPT and CLWB (-cpu max) check their operand as a byte load does (SDM Vol. 2A: "#PF(fault-code) for a
     * page fault"): a not-present or supervisor page faults with a read's error code, a read-only page does not.
     * (QEMU 7.2 TCG checks nothing there; tests/guests/cacheline.asm compares the mapped cases with it.)
     */
    @ParameterizedTest(name = "modrm={0} pte={1} ring={2} -> {3}")
    @CsvSource({"0x3D, 0, 0, 0", "0x35, 0, 0, 0", "0x3D, 0, 3, 4", "0x35, 3, 3, 5", "0x3D, 1, 0, -1", "0x35, 5, 3, -1"})
    void cacheLineFlushesFaultAsALoad(int modrm, int pte, int ring, int expected) {
        t = new TestBox("max");
        c = t.cpu;
        setUp(pte, ring, true);
        // 66 0F AE /7 (modrm 3D) CLFLUSHOPT or /6 (35) CLWB [TARGET] ; int3
        t.load(CODE, 0x66, 0x0F, 0xAE, modrm, TARGET & 0xFF, (TARGET >>> 8) & 0xFF, (TARGET >>> 16) & 0xFF, TARGET >>> 24, 0xCC);
        assertEquals(Cpu.Stop.HALTED, c.run(20));
        int vector = c.eip() - 1 - STUB;
        if (expected == NO_FAULT) {
            assertEquals(3, vector, "the flush was allowed: INT3 reached");
            return;
        }
        assertEquals(Vectors.PF, vector, "#PF");
        assertEquals(expected, t.read32(c.reg(Cpu.ESP)), "error code");
        assertEquals(TARGET, c.cr(2), "CR2");
    }

    private void setUp(int pte, int ring, boolean wp) {
        t.memory.write(GDT, 4, 0);
        t.memory.write(GDT + 4, 4, 0);
        t.memory.write(GDT + 8, 4, 0x0000FFFF);
        t.memory.write(GDT + 12, 4, 0x00CF9A00);
        t.memory.write(GDT + 16, 4, 0x0000FFFF);
        t.memory.write(GDT + 20, 4, 0x00CF9200);
        t.memory.write(GDT + 24, 4, 0x0000FFFF);
        t.memory.write(GDT + 28, 4, 0x00CFFA00);
        t.memory.write(GDT + 32, 4, 0x0000FFFF);
        t.memory.write(GDT + 36, 4, 0x00CFF200);
        t.memory.write(GDT + 40, 4, (TSS << 16) | 0x67);
        t.memory.write(GDT + 44, 4, 0x00008900);
        for (int v = 0; v < 32; v++) {
            t.memory.write(IDT + v * 8L, 4, (0x08 << 16) | (STUB + v));
            t.memory.write(IDT + v * 8L + 4, 4, 0xEE00); // DPL 3: INT3 from ring 3 reaches it too
            t.load(STUB + v, 0xF4);
        }
        for (int k = 0; k < 0x68; k += 4) {
            t.memory.write(TSS + k, 4, 0);
        }
        t.memory.write(TSS + 4, 4, 0x9000);
        t.memory.write(TSS + 8, 4, 0x10);
        t.memory.write(PD, 4, PT | 7);
        for (int p = 0; p < 1024; p++) {
            int flags = p == TARGET >>> 12 ? pte : p < 0x10 ? 3 : 7; // tables, IDT, GDT, TSS, stubs: supervisor
            t.memory.write(PT + p * 4L, 4, (p << 12) | flags);
        }
        c.gdtBase = GDT;
        c.gdtLimit = 47;
        c.idtBase = IDT;
        c.idtLimit = 32 * 8 - 1;
        c.trSel = 0x28;
        c.trBase = TSS;
        c.trLimit = 0x67;
        c.trAttr = 0x8B;
        c.cr3 = PD;
        SystemOps.setCr0(c, c.cr0 | Cpu.CR0_PE | Cpu.CR0_PG | (wp ? Cpu.CR0_WP : 0));
        int data = ring == 3 ? 0x23 : 0x10;
        for (int s = 0; s < 6; s++) {
            Segments.loadCache(c, s, data, Segments.read(c, data, Vectors.GP));
        }
        int code = ring == 3 ? 0x1B : 0x08;
        Segments.loadCache(c, Cpu.CS, code, Segments.read(c, code, Vectors.GP));
        c.setCpl(ring);
        c.setReg(Cpu.ESP, ring == 3 ? 0x8000 : 0x9000);
        c.setEip(CODE);
    }
}
