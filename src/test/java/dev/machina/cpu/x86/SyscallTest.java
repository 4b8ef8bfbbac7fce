package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * SYSCALL/SYSRET outside long mode (AMD APM Vol. 3, "SYSCALL", "SYSRET", legacy mode), offered
 * where the model's CPUID.80000001h:EDX has {@code syscall} (qemu64, AMD) and enabled by
 * IA32_EFER.SCE; and 0F 0D PREFETCH/PREFETCHW (CPUID {@code 3dnowprefetch}), which the 686 kernel
 * patches in when the model advertises it; RDTSCP (CPUID {@code rdtscp}, max). The descriptors are ProtectedBox's: ring-0 code 08h and
 * data 10h, ring-3 code 1Bh and data 23h, so STAR = 0018_0008_TARGET.
 */
class SyscallTest {
    static final int TARGET = 0x10100, USER = 0x10200;

    /** Ring 0: EFER = efer, STAR = 0018_0008_TARGET, then SYSRET to USER (ECX), where {@code user} runs. */
    private static ProtectedBox box(String model, int efer, int... user) {
        ProtectedBox b = new ProtectedBox(model);
        b.code(0xB9, 0x80, 0x00, 0x00, 0xC0,            // mov ecx, C000_0080h (EFER)
                0xB8, efer, 0, 0, 0,                     // mov eax, efer
                0x31, 0xD2,                              // xor edx, edx
                0x0F, 0x30,                              // wrmsr
                0xB9, 0x81, 0x00, 0x00, 0xC0,            // mov ecx, C000_0081h (STAR)
                0xB8, TARGET & 0xFF, TARGET >>> 8 & 0xFF, TARGET >>> 16, 0, // mov eax, TARGET
                0xBA, 0x08, 0x00, 0x18, 0x00,            // mov edx, 0018_0008h
                0x0F, 0x30,                              // wrmsr
                0xB9, USER & 0xFF, USER >>> 8 & 0xFF, USER >>> 16, 0, // mov ecx, USER
                0x0F, 0x07);                             // sysret
        b.t.load(TARGET, ProtectedBox.HLT);
        b.t.load(USER, user);
        return b;
    }

    @Test
    void sysretEntersRing3AndSyscallReturnsToStarsTargetAtRing0() {
        ProtectedBox b = box("qemu64", 1, 0x0F, 0x05); // user: syscall
        assertEquals(-1, b.runToVector(100), "halted at the SYSCALL target, not in a handler");
        Cpu c = b.c;
        assertEquals(TARGET + 1, c.eip());
        assertEquals(0x08, c.segSelector(Cpu.CS), "CS = STAR[47:32]");
        assertEquals(0x10, c.segSelector(Cpu.SS), "SS = CS + 8");
        assertEquals(0, c.cpl());
        assertEquals(USER + 2, c.reg(Cpu.ECX), "ECX = the instruction after SYSCALL");
        assertEquals(0, c.eflags() & Cpu.IF, "SYSCALL clears IF (SYSRET had set it)");
    }

    @Test
    void sysretSetsRing3SelectorsFromStarAndIf() {
        ProtectedBox b = box("qemu64", 1);
        b.t.load(USER, 0xEB, 0xFE); // jmp $: stays at ring 3
        b.c.run(40);
        Cpu c = b.c;
        assertEquals(USER, c.eip());
        assertEquals(0x1B, c.segSelector(Cpu.CS), "CS = STAR[63:48] | 3");
        assertEquals(0x23, c.segSelector(Cpu.SS), "SS = STAR[63:48] + 8 | 3");
        assertEquals(3, c.cpl());
        assertEquals(Cpu.IF, c.eflags() & Cpu.IF, "SYSRET sets IF outside long mode");
    }

    @Test
    void withoutEferSceSysretIsInvalid() {
        assertEquals(Vectors.UD, box("qemu64", 0).runToVector(100));
    }

    @Test
    void aModelWithoutSyscallCannotEnableIt() {
        // qemu32 (Intel, no syscall in CPUID.80000001h:EDX): EFER.SCE stays 0, so SYSRET is #UD
        assertEquals(Vectors.UD, box("qemu32", 1).runToVector(100));
    }

    @Test
    void sysretAtRing3IsGeneralProtection() {
        ProtectedBox b = box("qemu64", 1);
        b.t.load(USER, 0x0F, 0x07); // sysret at CPL 3
        assertEquals(Vectors.GP, b.runToVector(100));
    }

    @Test
    void prefetchwWithAMemoryOperandIsAHint() {
        ProtectedBox b = new ProtectedBox("qemu64");
        b.c.setReg(Cpu.EAX, 0xFFFFF000); // no memory there: a prefetch never faults
        b.code(0x0F, 0x0D, 0x08, 0x0F, 0x0D, 0x00, ProtectedBox.HLT); // prefetchw [eax] ; prefetch [eax] ; hlt
        assertEquals(-1, b.runToVector(10));
        assertEquals(ProtectedBox.CODE + 7, b.c.eip());
    }

    @Test
    void prefetchwWithARegisterOperandIsInvalid() {
        ProtectedBox b = new ProtectedBox("qemu64");
        b.code(0x0F, 0x0D, 0xC8, ProtectedBox.HLT);
        assertEquals(Vectors.UD, b.runToVector(10));
    }

    @Test
    void rdtscpReadsTscAuxIntoEcxWhereTheModelOffersIt() {
        ProtectedBox b = new ProtectedBox("max");
        b.code(0xB9, 0x03, 0x01, 0x00, 0xC0,  // mov ecx, C000_0103h (TSC_AUX)
                0xB8, 0x34, 0x12, 0, 0,        // mov eax, 1234h
                0x31, 0xD2,                    // xor edx, edx
                0x0F, 0x30,                    // wrmsr
                0x0F, 0x01, 0xF9,              // rdtscp
                ProtectedBox.HLT);
        assertEquals(-1, b.runToVector(20));
        assertEquals(0x1234, b.c.reg(Cpu.ECX));
    }

    @Test
    void rdtscpIsInvalidWhereTheModelLacksIt() {
        ProtectedBox b = new ProtectedBox("qemu64"); // QEMU's qemu64 does not list rdtscp
        b.code(0x0F, 0x01, 0xF9, ProtectedBox.HLT);
        assertEquals(Vectors.UD, b.runToVector(10));
    }
}
