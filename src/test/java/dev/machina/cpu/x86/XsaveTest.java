package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The XSAVE faults where QEMU 7.2 TCG is no oracle (tests/guests/xsave.asm compares the rest with it): the SDM's
 * #NM for XSAVE/XRSTOR/XSAVEOPT under CR0.TS (QEMU does not check TS there) and #GP(0) for an XRSTOR of reserved
 * MXCSR bits with SSE in RFBM (QEMU loads them); and the area round trip in real mode, on -cpu max.
 */
class XsaveTest {
    private static final int AREA = 0x2000, MARK = 0x3000;

    /**
     * Real mode: CR4 |= OSFXSR | OSXSAVE, XCR0 = 3, CR0.TS as given, EDX:EAX = 3, then {@code insn} on [AREA];
     * the #NM and #GP handlers store their vector at MARK, the end of the code stores FF.
     */
    private static int run(boolean ts, int mxcsrInArea, int... insn) {
        TestBox t = new TestBox("max");
        t.memory.write(AREA + 24, 4, mxcsrInArea);
        int[] pre = {
            0x0F, 0x20, 0xE0,                         // mov eax, cr4
            0x66, 0x0D, 0x00, 0x02, 0x04, 0x00,       // or eax, 0x40200
            0x0F, 0x22, 0xE0,                         // mov cr4, eax
            0x66, 0x31, 0xC9,                         // xor ecx, ecx
            0x66, 0x31, 0xD2,                         // xor edx, edx
            0x66, 0xB8, 0x03, 0, 0, 0,                // mov eax, 3
            0x0F, 0x01, 0xD1,                         // xsetbv
            0x0F, 0x20, 0xC3,                         // mov ebx, cr0
            0x66, 0x83, 0xCB, ts ? 8 : 0,             // or ebx, TS
            0x0F, 0x22, 0xC3,                         // mov cr0, ebx
        };
        int[] post = {0xC6, 0x06, MARK & 0xFF, MARK >> 8, 0xFF, 0xF4}; // mov byte [MARK], 0xFF ; hlt
        int[] code = new int[pre.length + insn.length + post.length];
        System.arraycopy(pre, 0, code, 0, pre.length);
        System.arraycopy(insn, 0, code, pre.length, insn.length);
        System.arraycopy(post, 0, code, pre.length + insn.length, post.length);
        t.load(0x1000, code).realModeAt(0x1000);
        t.load(0x4000, 0xC6, 0x06, MARK & 0xFF, MARK >> 8, 7, 0xF4).vector(7, 0x4000);   // #NM: mark 7
        t.load(0x4100, 0xC6, 0x06, MARK & 0xFF, MARK >> 8, 13, 0xF4).vector(13, 0x4100); // #GP: mark 13
        t.load(0x4200, 0xC6, 0x06, MARK & 0xFF, MARK >> 8, 6, 0xF4).vector(6, 0x4200);   // #UD: mark 6
        t.run(1000);
        return t.memory.read(MARK, 1);
    }

    @ParameterizedTest(name = "{0} ts={1} mxcsr={2} -> {3}")
    @CsvSource({
        "XSAVE, false, 0x1F80, 0xFF", "XSAVE, true, 0x1F80, 7", "XRSTOR, true, 0x1F80, 7", "XSAVEOPT, true, 0x1F80, 7",
        "XRSTOR, false, 0x1F80, 0xFF", "XRSTOR, false, 0x10000, 13", "FXRSTOR, false, 0x10000, 13",
    })
    void faultsAsTheSdmSays(String insn, boolean ts, int mxcsr, int expected) {
        int reg = switch (insn) {
            case "XSAVE" -> 4;
            case "XRSTOR" -> 5;
            case "XSAVEOPT" -> 6;
            default -> 1; // FXRSTOR
        };
        // 0F AE /reg [AREA] (16-bit addressing: mod 00, r/m 110, disp16)
        assertEquals(expected, run(ts, mxcsr, 0x0F, 0xAE, reg << 3 | 6, AREA & 0xFF, AREA >> 8));
    }
}
