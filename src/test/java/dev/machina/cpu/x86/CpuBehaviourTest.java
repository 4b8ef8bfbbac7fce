package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Behaviours of the core that the single-step data and the guests do not reach directly. */
class CpuBehaviourTest {
    static final int HLT = 0xF4;

    @Nested
    class Interrupts {
        @Test
        void intrWakesHltAndRunsTheHandlerThatThePicNames() {
            TestBox t = new TestBox();
            // handler at 0x2000: mov ax, 0x1234 ; iret
            t.load(0x2000, 0xB8, 0x34, 0x12, 0xCF).vector(0x20, 0x2000);
            // sti ; hlt ; mov bx, ax ; hlt
            t.load(0x1000, 0xFB, HLT, 0x89, 0xC3, HLT).realModeAt(0x1000);
            assertEquals(Cpu.Stop.HALTED, t.run(100));
            t.cpu.setInterruptAcknowledge(() -> {
                t.cpu.setIntr(false); // the PIC drops INTR once the request is acknowledged
                return 0x20;
            });
            t.cpu.setIntr(true);
            assertEquals(Cpu.Stop.HALTED, t.run(100));
            assertEquals(0x1234, t.cpu.reg(Cpu.EBX) & 0xFFFF, "ran the handler, returned after the HLT");
        }

        @Test
        void stiThenHltTakesAPendingInterruptAfterTheHlt() {
            TestBox t = new TestBox();
            // handler: mov bp, sp ; mov ax, [bp] (pushed IP) ; mov [0x600], ax ; iret
            t.load(0x2000, 0x89, 0xE5, 0x8B, 0x46, 0x00, 0xA3, 0x00, 0x06, 0xCF).vector(0x21, 0x2000);
            // cli ; sti ; hlt ; hlt
            t.load(0x1000, 0xFA, 0xFB, HLT, HLT).realModeAt(0x1000);
            t.cpu.setInterruptAcknowledge(() -> {
                t.cpu.setIntr(false);
                return 0x21;
            });
            t.cpu.setIntr(true);
            assertEquals(Cpu.Stop.HALTED, t.run(100));
            assertEquals(0x1003, t.read16(0x600), "the interrupt returns to after the first HLT, not before it");
        }

        @Test
        void theMovSsShadowCoversOneInstructionNotTheNextInterruptLongAfter() {
            TestBox t = new TestBox();
            t.load(0x2000, 0xBB, 0x55, 0x00, 0xCF).vector(0x20, 0x2000); // handler: mov bx, 0x55 ; iret
            // sti ; mov ss, ax ; nop ; hlt ; hlt: the shadow of MOV SS ended with the NOP
            t.load(0x1000, 0xFB, 0x8E, 0xD0, 0x90, HLT, HLT).realModeAt(0x1000);
            assertEquals(Cpu.Stop.HALTED, t.run(100));
            t.cpu.setInterruptAcknowledge(() -> {
                t.cpu.setIntr(false);
                return 0x20;
            });
            t.cpu.setIntr(true); // a PIC raises INTR while the CPU is halted
            assertEquals(Cpu.Stop.HALTED, t.run(100));
            assertEquals(0x55, t.cpu.reg(Cpu.EBX) & 0xFFFF, "the first run after INTR takes it: nothing else would wake the CPU");
        }

        @Test
        void maskedIntrIsIgnoredButNmiIsTaken() {
            TestBox t = new TestBox();
            t.load(0x2000, 0xB9, 0x22, 0x00, 0xCF).vector(2, 0x2000); // NMI handler: mov cx, 0x22 ; iret
            t.load(0x3000, 0xB9, 0x99, 0x00, 0xCF).vector(0x30, 0x3000);
            t.load(0x1000, 0xFA, HLT, HLT).realModeAt(0x1000); // cli ; hlt ; hlt
            t.cpu.setInterruptAcknowledge(() -> 0x30);
            t.cpu.setIntr(true);
            assertEquals(Cpu.Stop.HALTED, t.run(100));
            assertEquals(0, t.cpu.reg(Cpu.ECX), "IF = 0: INTR not taken");
            t.cpu.raiseNmi();
            assertEquals(Cpu.Stop.HALTED, t.run(100));
            assertEquals(0x22, t.cpu.reg(Cpu.ECX));
        }

        @Test
        void trapFlagSingleStepsEachInstructionThroughVector1() {
            TestBox t = new TestBox();
            // #DB handler: inc word [0x600] ; cmp word [0x600], 3 ; jne done ; clear TF in the pushed FLAGS ; done: iret
            t.load(0x2000, 0xFF, 0x06, 0x00, 0x06, 0x83, 0x3E, 0x00, 0x06, 0x03, 0x75, 0x07, 0x89, 0xE5,
                    0x81, 0x66, 0x04, 0xFF, 0xFE, 0xCF);
            t.vector(1, 0x2000);
            // pushf ; pop ax ; or ax, 0x100 ; push ax ; popf ; inc dx ; inc dx ; inc dx ; inc dx ; hlt
            t.load(0x1000, 0x9C, 0x58, 0x0D, 0x00, 0x01, 0x50, 0x9D, 0x42, 0x42, 0x42, 0x42, HLT).realModeAt(0x1000);
            t.cpu.setReg(Cpu.EDX, 0);
            assertEquals(Cpu.Stop.HALTED, t.run(1000));
            assertEquals(3, t.read16(0x600), "three traps, then TF was cleared");
            assertEquals(4, t.cpu.reg(Cpu.EDX), "every instruction ran once");
        }
    }

    @Nested
    class Decoding {
        @Test
        void cmovAndCmpxchg8bAreUndefinedOnThe486Model() {
            TestBox t = new TestBox("486");
            t.load(0x2000, HLT).vector(6, 0x2000);
            t.load(0x1000, 0x0F, 0x44, 0xC3, HLT).realModeAt(0x1000); // cmovz ax, bx
            assertEquals(Cpu.Stop.HALTED, t.run(10));
            assertEquals(0x2001, t.cpu.eip(), "#UD handler reached");

            TestBox q = new TestBox("qemu32");
            q.load(0x2000, HLT).vector(6, 0x2000);
            q.load(0x1000, 0x0F, 0x44, 0xC3, HLT).realModeAt(0x1000);
            assertEquals(Cpu.Stop.HALTED, q.run(10));
            assertEquals(0x1004, q.cpu.eip(), "qemu32 has CMOV");
        }

        @Test
        void lockWithARegisterDestinationIsUndefined() {
            TestBox t = new TestBox();
            t.load(0x2000, HLT).vector(6, 0x2000);
            t.load(0x1000, 0xF0, 0x01, 0xD8, HLT).realModeAt(0x1000); // lock add ax, bx
            t.run(10);
            assertEquals(0x2001, t.cpu.eip());
        }

        @Test
        void anInstructionOfMoreThan15BytesRaisesGp() {
            TestBox t = new TestBox();
            t.load(0x2000, HLT).vector(13, 0x2000);
            int[] code = new int[17];
            java.util.Arrays.fill(code, 0x2E); // 15 CS prefixes and a NOP: 16 bytes
            code[15] = 0x90;
            code[16] = HLT;
            t.load(0x1000, code).realModeAt(0x1000);
            t.run(10);
            assertEquals(0x2001, t.cpu.eip(), "#GP handler reached");
            assertEquals(0x1000, t.read16(0x8000 - 6), "#GP points at the instruction");
        }

        @Test
        void codeChangedOnTheSecondPageOfACrossingInstructionIsSeen() {
            TestBox t = new TestBox();
            // at 0x1FFD: mov eax, 0x11111111 (66 B8 imm32: bytes 1FFD..2002, crossing into page 0x2000) ; hlt
            t.load(0x1FFD, 0x66, 0xB8, 0x11, 0x11, 0x11, 0x11, HLT).realModeAt(0x1FFD);
            t.run(10);
            assertEquals(0x11111111, t.cpu.reg(Cpu.EAX));
            // the guest itself rewrites the immediate's high bytes (on the second page): mov word [0x2001], 0x2222 ; jmp 0x1FFD
            t.load(0x3000, 0xC7, 0x06, 0x01, 0x20, 0x22, 0x22, 0xE9, 0xF4, 0xEF).realModeAt(0x3000);
            t.run(10);
            assertEquals(0x22221111, t.cpu.reg(Cpu.EAX));
        }

        @Test
        void rdmsrOfAnMsrThatDoesNotExistReadsZeroAsOnQemu() {
            // the SDM would raise #GP(0); QEMU 7.2 TCG reads 0 (tests/guests/msr-qemu32.qemu.txt, MSR 12345678h)
            TestBox t = new TestBox();
            t.load(0x2000, HLT).vector(13, 0x2000);
            // mov eax, -1 ; mov edx, -1 ; mov ecx, 0x2FF0 ; rdmsr ; hlt
            t.load(0x1000, 0x66, 0xB8, 0xFF, 0xFF, 0xFF, 0xFF, 0x66, 0xBA, 0xFF, 0xFF, 0xFF, 0xFF,
                    0x66, 0xB9, 0xF0, 0x2F, 0, 0, 0x0F, 0x32, HLT).realModeAt(0x1000);
            t.run(10);
            assertEquals(0x1015, t.cpu.eip(), "no #GP: ran to the HLT");
            assertEquals(0, t.cpu.reg(Cpu.EAX));
            assertEquals(0, t.cpu.reg(Cpu.EDX));
        }

        @Test
        void aTscWriteSetsTheCounter() {
            // SDM Vol. 3B 18.17: WRMSR to IA32_TIME_STAMP_COUNTER sets it (QEMU 7.2 TCG ignores the write)
            TestBox t = new TestBox();
            // mov ecx, 0x10 ; mov eax, 0x1000 ; xor edx, edx ; wrmsr ; rdtsc ; hlt
            t.load(0x1000, 0x66, 0xB9, 0x10, 0, 0, 0, 0x66, 0xB8, 0x00, 0x10, 0, 0, 0x66, 0x31, 0xD2, 0x0F, 0x30,
                    0x0F, 0x31, HLT).realModeAt(0x1000);
            t.run(10);
            assertEquals(0x1001, t.cpu.reg(Cpu.EAX), "written, then one instruction (rdtsc) retired");
            assertEquals(0, t.cpu.reg(Cpu.EDX));
        }

        @Test
        void rdtscCountsRetiredInstructions() {
            TestBox t = new TestBox();
            // rdtsc ; mov ebx, eax ; nop ; nop ; rdtsc ; hlt
            t.load(0x1000, 0x0F, 0x31, 0x66, 0x89, 0xC3, 0x90, 0x90, 0x0F, 0x31, HLT).realModeAt(0x1000);
            t.run(20);
            assertEquals(4, t.cpu.reg(Cpu.EAX) - t.cpu.reg(Cpu.EBX), "mov, nop, nop, rdtsc retired in between");
        }
    }

    @Nested
    class Memory {
        @Test
        void a20OffWrapsAtOneMegabyte() {
            TestBox t = new TestBox();
            // mov ax, 0xFFFF ; mov ds, ax ; mov byte [0x10], 0x77 ; hlt
            t.load(0x1000, 0xB8, 0xFF, 0xFF, 0x8E, 0xD8, 0xC6, 0x06, 0x10, 0x00, 0x77, HLT).realModeAt(0x1000);
            t.cpu.setA20(false);
            t.run(10);
            assertEquals(0x77, t.memory.read(0, 1), "FFFF:0010 is 0 with A20 off");
            assertEquals(0, t.memory.read(0x100000, 1));
            t.cpu.setA20(true);
            t.realModeAt(0x1000).run(10);
            assertEquals(0x77, t.memory.read(0x100000, 1), "and 0x100000 with A20 on");
        }

        @Test
        void codeReplacedBehindTheCpusBackRunsAfterInvalidateCode() {
            TestBox t = new TestBox();
            t.load(0x1000, 0xB0, 0x01, HLT).realModeAt(0x1000); // mov al, 1 ; hlt
            t.run(10);
            t.load(0x1000, 0xB0, 0x02, HLT).realModeAt(0x1000); // TestBox.load calls invalidateCode
            t.run(10);
            assertEquals(2, t.cpu.reg(Cpu.EAX) & 0xFF);
        }

        @Test
        void wordAccessAcrossTheRealModeLimitRaisesGpOrSs() {
            TestBox t = new TestBox();
            t.load(0x2000, HLT).vector(13, 0x2000).load(0x3000, HLT).vector(12, 0x3000);
            t.load(0x1000, 0xA1, 0xFF, 0xFF, HLT).realModeAt(0x1000); // mov ax, [0xFFFF]
            t.run(10);
            assertEquals(0x2001, t.cpu.eip(), "#GP for DS");
            t.load(0x1000, 0xBD, 0xFF, 0xFF, 0x8B, 0x46, 0x00, HLT).realModeAt(0x1000); // mov bp, 0xFFFF ; mov ax, [bp]
            t.run(10);
            assertEquals(0x3001, t.cpu.eip(), "#SS for an SS-relative operand");
            assertTrue(t.cpu.isHalted());
        }
    }
}
