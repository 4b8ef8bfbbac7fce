package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * REP MOVS and REP STOS (SDM Vol. 2B "MOVS", "STOS", "REP"): what the elements one by one leave, also
 * where the CPU copies whole runs of them at once: across page boundaries from unaligned addresses,
 * a destination that starts inside the source (the first bytes repeat, as each element reads what an
 * earlier one wrote), 16-bit addressing that wraps DI, a #PF in the middle (the registers tell how far
 * it got, everything before the fault is written), and a copy over code that ran (the new code runs).
 * Flat ring-0 protected mode ({@link ProtectedBox}), paging only where a test turns it on.
 */
class RepStringTest {
    static final int SRC = 0x20000, DST = 0x40000;
    private final ProtectedBox box = new ProtectedBox();
    private final Cpu c = box.c;

    private void fillSource(int from, int length) {
        for (int k = 0; k < length; k++) {
            box.t.memory.write(from + k, 1, (k * 7 + 3) & 0xFF);
        }
    }

    private void run(int esi, int edi, int ecx, int... code) {
        c.setReg(Cpu.ESI, esi);
        c.setReg(Cpu.EDI, edi);
        c.setReg(Cpu.ECX, ecx);
        int[] withHlt = java.util.Arrays.copyOf(code, code.length + 1);
        withHlt[code.length] = ProtectedBox.HLT;
        box.code(withHlt);
        assertEquals(-1, box.runToVector(100_000), "the string instruction ran to the HLT after it");
    }

    @ParameterizedTest(name = "rep movs{0} of {1} bytes from {2} to {3}")
    @CsvSource({"b, 12288, 0x20ffd, 0x40003", "w, 12288, 0x20ffe, 0x40ffa", "d, 12288, 0x20ffd, 0x40002", "d, 40000, 0x20001, 0x40ff5"})
    void repMovsCopiesAcrossPagesFromUnalignedAddresses(String width, int bytes, String src, String dst) {
        int size = switch (width) {
            case "b" -> 1;
            case "w" -> 2;
            default -> 4;
        };
        int s = Integer.decode(src), d = Integer.decode(dst);
        fillSource(s, bytes);
        int[] insn = size == 1 ? new int[] {0xF3, 0xA4} : size == 2 ? new int[] {0x66, 0xF3, 0xA5} : new int[] {0xF3, 0xA5};

        run(s, d, bytes / size, insn);

        for (int k = 0; k < bytes; k++) {
            assertEquals((k * 7 + 3) & 0xFF, box.t.memory.read(d + k, 1), "byte " + k);
        }
        assertEquals(0, box.t.memory.read(d + bytes, 1), "nothing past the end");
        assertEquals(0, c.reg(Cpu.ECX));
        assertEquals(s + bytes, c.reg(Cpu.ESI));
        assertEquals(d + bytes, c.reg(Cpu.EDI));
    }

    @Test
    void aMovsbWhoseDestinationIsOneByteIntoTheSourceRepeatsTheFirstByte() {
        fillSource(SRC, 1);
        run(SRC, SRC + 1, 5000, 0xF3, 0xA4);

        for (int k = 0; k <= 5000; k++) {
            assertEquals(3, box.t.memory.read(SRC + k, 1), "byte " + k);
        }
    }

    @Test
    void aMovsdEightBytesIntoItsSourceRepeatsTheFirstTwoDwords() {
        box.t.memory.write(SRC, 4, 0x11111111);
        box.t.memory.write(SRC + 4, 4, 0x22222222);
        run(SRC, SRC + 8, 3000, 0xF3, 0xA5);

        for (int k = 0; k < 3002; k++) {
            assertEquals(k % 2 == 0 ? 0x11111111 : 0x22222222, box.t.memory.read(SRC + 4L * k, 4), "dword " + k);
        }
    }

    @ParameterizedTest(name = "rep stos{0}")
    @CsvSource({"b, 1, 0xA5", "w, 2, 0xA55A", "d, 4, 0xA55A1234"})
    void repStosFillsAcrossPages(String width, int size, String value) {
        int v = (int) Long.decode(value).longValue();
        c.setReg(Cpu.EAX, v);
        int[] insn = size == 1 ? new int[] {0xF3, 0xAA} : size == 2 ? new int[] {0x66, 0xF3, 0xAB} : new int[] {0xF3, 0xAB};
        run(0, DST + 0xFFE, 9000 / size, insn);

        for (int k = 0; k < 9000; k += size) {
            assertEquals(v, box.t.memory.read(DST + 0xFFE + k, size), "element at " + k);
        }
        assertEquals(0, box.t.memory.read(DST + 0xFFE + 9000, 1));
        assertEquals(DST + 0xFFE + 9000, c.reg(Cpu.EDI));
    }

    @Test
    void sixteenBitAddressingWrapsDi() {
        // 0x67: 16-bit addressing, rep movsd with SI, DI and CX
        box.t.memory.write(0x7000, 4, 0xCAFEBABE);
        box.t.memory.write(0x7004, 4, 0x01020304);
        box.t.memory.write(0x7008, 4, 0x0BADF00D);
        run(0x7000, 0xFFFC, 3, 0x67, 0xF3, 0xA5);

        assertEquals(0xCAFEBABE, box.t.memory.read(0xFFFC, 4));
        assertEquals(0x01020304, box.t.memory.read(0x0000, 4), "DI wrapped to 0");
        assertEquals(0x0BADF00D, box.t.memory.read(0x0004, 4));
        assertEquals(0x0008, c.reg(Cpu.EDI));
        assertEquals(0, c.reg(Cpu.ECX) & 0xFFFF);
    }

    @Test
    void aPageFaultInTheMiddleLeavesTheRegistersAtTheMissingPage() {
        int pd = 0x3000, pt = 0x4000;
        box.t.memory.write(pd, 4, pt | 3);
        for (int page = 0; page < 512; page++) {
            box.t.memory.write(pt + page * 4L, 4, (page << 12) | 3);
        }
        int missing = DST + 0x2000;
        box.t.memory.write(pt + (missing >>> 12) * 4L, 4, 0); // not present
        c.cr3 = pd;
        SystemOps.setCr0(c, c.cr0 | Cpu.CR0_PG);
        fillSource(SRC, 0x4000);
        c.setReg(Cpu.ESI, SRC);
        c.setReg(Cpu.EDI, DST + 0x10);
        c.setReg(Cpu.ECX, 0x4000 / 4);
        box.code(0xF3, 0xA5, ProtectedBox.HLT);

        assertEquals(Vectors.PF, box.runToVector(100_000), "#PF at the page that is not present");

        assertEquals(missing, c.cr2);
        assertEquals(missing, c.reg(Cpu.EDI), "EDI at the first byte not written");
        int done = (missing - (DST + 0x10)) / 4;
        assertEquals(SRC + 4 * done, c.reg(Cpu.ESI));
        assertEquals(0x4000 / 4 - done, c.reg(Cpu.ECX));
        for (int k = 0; k < 4 * done; k++) {
            assertEquals((k * 7 + 3) & 0xFF, box.t.memory.read(DST + 0x10 + k, 1), "byte " + k + " before the fault");
        }
    }

    @Test
    void aCopyOverCodeThatRanRunsTheNewCode() {
        int fn = 0x30000;
        box.t.load(fn, 0xB8, 1, 0, 0, 0, 0xC3); // mov eax, 1; ret
        box.t.load(SRC, 0xB8, 2, 0, 0, 0, 0xC3); // mov eax, 2; ret
        int call1 = ProtectedBox.CODE, call2 = ProtectedBox.CODE + 14;
        int r1 = fn - (call1 + 5), r2 = fn - (call2 + 5);
        c.setReg(Cpu.ESI, SRC);
        c.setReg(Cpu.EDI, fn);
        c.setReg(Cpu.ECX, 6);
        box.code(0xE8, r1 & 0xFF, (r1 >>> 8) & 0xFF, (r1 >>> 16) & 0xFF, r1 >>> 24, // call fn
                0x89, 0xC3, // mov ebx, eax
                0xF3, 0xA4, // rep movsb: the new function over the old
                0x90, 0x90, 0x90, 0x90, 0x90,
                0xE8, r2 & 0xFF, (r2 >>> 8) & 0xFF, (r2 >>> 16) & 0xFF, r2 >>> 24, // call fn
                ProtectedBox.HLT);

        assertEquals(-1, box.runToVector(1000));
        assertEquals(1, c.reg(Cpu.EBX), "the old code ran first");
        assertEquals(2, c.reg(Cpu.EAX), "the copied code ran after");
    }
}
