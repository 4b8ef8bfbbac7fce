package dev.machina.cpu.x86;

/**
 * 32-bit paging (SDM Vol. 3A 4.3): two levels of 4 KiB tables, 4 MiB pages when CR4.PSE is set and
 * a PDE has PS; access rights from U/S and R/W of both levels (4.6) with CR0.WP; accessed and dirty
 * bits set as the hardware does; #PF with CR2 and the error code (4.7).
 *
 * <p>Not modelled: PAE and PSE-36 (CPUID does not offer them), NX (needs PAE), SMEP/SMAP, PCID,
 * and the reserved-bit check (RSVD) that would only matter for PSE-36 page directory entries.
 */
final class Paging {
    private Paging() {}

    static final int P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80;
    // #PF error code bits (SDM Vol. 3A 4.7, Figure 4-12)
    static final int PF_P = 1, PF_W = 2, PF_U = 4;

    /** Translates a linear address, or raises #PF. Returns the physical address. */
    static int walk(CpuMemory c, int lin, boolean write, boolean user) {
        int pdeAddr = (c.cr3 & 0xFFFFF000) | ((lin >>> 20) & 0xFFC);
        int pde = c.physRead(pdeAddr & c.a20Mask, 4);
        if ((pde & P) == 0) {
            throw pageFault(c, lin, write, user, false);
        }
        if ((pde & PS) != 0 && (c.cr4 & Cpu.CR4_PSE) != 0) {
            check(c, lin, pde, write, user);
            int upd = pde | A | (write ? D : 0);
            if (upd != pde) {
                c.physWrite(pdeAddr & c.a20Mask, 4, upd);
            }
            return ((pde & 0xFFC00000) | (lin & 0x3FFFFF)) & c.a20Mask;
        }
        int pteAddr = (pde & 0xFFFFF000) | ((lin >>> 10) & 0xFFC);
        int pte = c.physRead(pteAddr & c.a20Mask, 4);
        if ((pte & P) == 0) {
            throw pageFault(c, lin, write, user, false);
        }
        check(c, lin, pde & pte, write, user);
        if ((pde & A) == 0) {
            c.physWrite(pdeAddr & c.a20Mask, 4, pde | A);
        }
        int upd = pte | A | (write ? D : 0);
        if (upd != pte) {
            c.physWrite(pteAddr & c.a20Mask, 4, upd);
        }
        return ((pte & 0xFFFFF000) | (lin & 0xFFF)) & c.a20Mask;
    }

    /** Access rights of the combined entry bits (SDM Vol. 3A 4.6.1). */
    private static void check(CpuMemory c, int lin, int bits, boolean write, boolean user) {
        if (user) {
            if ((bits & US) == 0 || (write && (bits & RW) == 0)) {
                throw pageFault(c, lin, write, user, true);
            }
        } else if (write && (bits & RW) == 0 && (c.cr0 & Cpu.CR0_WP) != 0) {
            throw pageFault(c, lin, write, user, true);
        }
    }

    static CpuFault pageFault(CpuMemory c, int lin, boolean write, boolean user, boolean present) {
        c.cr2 = lin;
        return c.fault(Vectors.PF, (present ? PF_P : 0) | (write ? PF_W : 0) | (user ? PF_U : 0));
    }
}
