package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Global pages and what a TLB flush costs: a MOV to CR3 keeps translations whose leaf entry has G
 * while CR4.PGE is set and drops the others (SDM Vol. 3A 4.10.2.4, 4.10.4.1; INVLPG drops a global
 * one too), and the block links, which the CPU follows from block to block without a lookup, survive
 * what cannot have changed the mapping of the code they lead to: an INVLPG of a page no code came from,
 * a MOV to CR3 while all code came from global pages (a kernel's text, as Linux maps it). QEMU 7.2's TCG
 * drops global entries at a CR3 load as well (cpu_x86_update_cr3 flushes the whole TLB); the SDM allows
 * both, real processors keep them, and Linux writes CR3 at every text_poke and address-space switch.
 *
 * <p>Flat ring-0 protected mode on 2 MiB of RAM; a page directory at {@link #PD} with one page table at
 * {@link #PT} mapping the first 2 MiB to themselves.
 */
class GlobalPagesTest {
    static final int PD = 0x3000, PT = 0x4000;
    static final int X = 0x100000, Y = 0x102000, FN = 0x180000;
    static final int P = 1, RW = 2, G = 0x100;

    private ProtectedBox box;
    private Cpu c;

    @BeforeEach
    void pagingOn() {
        box = new ProtectedBox();
        c = box.c;
        box.t.memory.write(PD, 4, PT | P | RW);
        for (int page = 0; page < 512; page++) {
            box.t.memory.write(PT + page * 4L, 4, (page << 12) | P | RW);
        }
        c.cr3 = PD;
        c.cr4 |= Cpu.CR4_PGE;
        SystemOps.setCr0(c, c.cr0 | Cpu.CR0_PG);
    }

    private static final class Code {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();

        Code op(int... bytes) {
            for (int x : bytes) {
                b.write(x);
            }
            return this;
        }

        Code imm(int v) {
            return op(v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, v >>> 24);
        }

        /** mov dword [addr], v */
        Code store(int addr, int v) {
            return op(0xC7, 0x05).imm(addr).imm(v);
        }

        /** mov reg, [addr] (reg by its ModRM number: 0 eax, 2 edx, 3 ebx, 6 esi, 7 edi) */
        Code load(int reg, int addr) {
            return op(0x8B, 0x05 | (reg << 3)).imm(addr);
        }

        Code invlpg(int addr) {
            return op(0x0F, 0x01, 0x3D).imm(addr);
        }

        /** mov ecx, cr3; mov cr3, ecx */
        Code reloadCr3() {
            return op(0x0F, 0x20, 0xD9, 0x0F, 0x22, 0xD9);
        }

        int at() {
            return ProtectedBox.CODE + b.size();
        }

        int[] bytes() {
            byte[] a = b.toByteArray();
            int[] r = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = a[i] & 0xFF;
            }
            return r;
        }
    }

    private void run(Code code) {
        box.code(code.op(ProtectedBox.HLT).bytes());
        assertEquals(-1, box.runToVector(1000), "the code ran to its HLT without an exception");
    }

    @Test
    void aMovToCr3KeepsAGlobalTranslationAndDropsTheOthers() {
        box.t.memory.write(X, 4, 0x11111111);
        box.t.memory.write(X + 0x1000, 4, 0x22222222);
        box.t.memory.write(Y, 4, 0x33333333);
        box.t.memory.write(Y + 0x1000, 4, 0x44444444);
        box.t.memory.write(PT + (X >>> 12) * 4L, 4, X | P | RW | G);

        run(new Code().load(0, X).load(3, Y) // both translations in the TLB
                .store(PT + (X >>> 12) * 4, (X + 0x1000) | P | RW | G).store(PT + (Y >>> 12) * 4, (Y + 0x1000) | P | RW)
                .reloadCr3().load(6, X).load(7, Y)
                .invlpg(X).load(2, X));

        assertEquals(0x11111111, c.reg(Cpu.ESI), "the global page still reads through its old translation after MOV CR3");
        assertEquals(0x44444444, c.reg(Cpu.EDI), "the other page reads through its new page table entry");
        assertEquals(0x22222222, c.reg(Cpu.EDX), "INVLPG drops the global translation");
    }

    @Test
    void anInvlpgOfAPageNoCodeCameFromKeepsTheBlockLinksAndOfACodePageDropsThem() {
        Code code = new Code().invlpg(X);
        int second = code.at() + 1; // after the HLT that ends the first part
        code.op(ProtectedBox.HLT).invlpg(ProtectedBox.CODE);
        box.code(code.op(ProtectedBox.HLT).bytes());
        int before = c.mapGen;

        assertEquals(-1, box.runToVector(1000));
        assertEquals(before, c.mapGen, "an INVLPG of a data page leaves the links");
        c.setEip(second);
        c.setHalted(false);
        assertEquals(-1, box.runToVector(1000));
        assertNotEquals(before, c.mapGen, "an INVLPG of the page the code runs from drops them");
    }

    @Test
    void aMovToCr3DropsTheBlockLinksOnlyAfterCodeFromAPageThatIsNotGlobal() {
        int page = ProtectedBox.CODE >>> 12;
        box.t.memory.write(PT + page * 4L, 4, ProtectedBox.CODE | P | RW | G);
        Code code = new Code().reloadCr3();
        int second = code.at() + 1;
        code.op(ProtectedBox.HLT).op(0xFF, 0xE0); // jmp eax: to FN, on a page that is not global
        box.code(code.bytes());
        box.t.load(FN, new Code().reloadCr3().op(ProtectedBox.HLT).bytes());
        int before = c.mapGen;

        assertEquals(-1, box.runToVector(1000));
        assertEquals(before, c.mapGen, "with code only from a global page, MOV CR3 leaves the links");
        c.setReg(Cpu.EAX, FN);
        c.setEip(second);
        c.setHalted(false);
        assertEquals(-1, box.runToVector(1000));
        assertNotEquals(before, c.mapGen, "after code from a page that is not global, MOV CR3 drops them");
    }

    /**
     * The same call site calls a function whose page is remapped (page table entry, INVLPG) between two
     * rounds: the second call runs the new page's code, not the block the first call was linked to.
     */
    @Test
    void aCallToCodeWhosePageWasRemappedRunsTheNewCode() {
        int page = FN >>> 12;
        box.t.load(FN + 0x1000, 0xB8, 1, 0, 0, 0, 0xC3); // mov eax, 1; ret
        box.t.load(FN + 0x2000, 0xB8, 2, 0, 0, 0, 0xC3); // mov eax, 2; ret
        box.t.memory.write(PT + page * 4L, 4, (FN + 0x1000) | P | RW);
        Code code = new Code().op(0x31, 0xDB).op(0xBE).imm(3); // xor ebx, ebx; mov esi, 3
        int loop = code.at();
        int next = code.at() + 5;
        code.op(0xE8).imm(FN - next); // call FN
        code.op(0x01, 0xC3); // add ebx, eax
        code.store(PT + page * 4, (FN + 0x2000) | P | RW).invlpg(FN);
        code.op(0x4E, 0x75);
        code.op((loop - (code.at() + 1)) & 0xFF); // dec esi; jnz loop

        run(code);

        assertEquals(1 + 2 + 2, c.reg(Cpu.EBX), "the calls after the remapping ran the new page's code");
    }
}
