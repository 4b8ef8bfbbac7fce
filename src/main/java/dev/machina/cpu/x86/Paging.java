package dev.machina.cpu.x86;

/**
 * Paging (SDM Vol. 3A chapter 4): 32-bit paging (4.3: two levels of 4 KiB tables, 4 MiB pages when
 * CR4.PSE is set and a PDE has PS) and PAE paging (4.4, CR4.PAE: a 4-entry page-directory-pointer
 * table at CR3, 64-bit entries, 2 MiB pages, execute-disable with IA32_EFER.NXE); access rights from
 * U/S and R/W of every level (4.6) with CR0.WP; accessed and dirty bits set as the hardware does;
 * #PF with CR2 and the error code (4.7: P, W/R, U/S, RSVD, I/D).
 *
 * <p>Like QEMU's TCG, the PDPTEs are read at each walk rather than cached at the CR3 write. An entry
 * bit 63 (XD) without NXE, or an address bit at or above the model's physical-address width, is a
 * reserved-bit fault. Not modelled: PSE-36, SMEP/SMAP, PCID, protection keys; physical addresses
 * at or above 4 GiB (bits 32-35 within the width are dropped: RAM and devices sit below 4 GiB).
 */
final class Paging {
    private Paging() {}

    static final int P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80;
    // #PF error code bits (SDM Vol. 3A 4.7, Figure 4-12)
    static final int PF_P = 1, PF_W = 2, PF_U = 4, PF_RSVD = 8, PF_ID = 16;

    /**
     * Translates a linear address, or raises #PF. Returns the physical address; {@code fetch} marks an
     * instruction fetch (refused on an execute-disabled page).
     */
    static int walk(CpuMemory c, int lin, boolean write, boolean user, boolean fetch) {
        if ((c.cr4 & Cpu.CR4_PAE) != 0) {
            return walkPae(c, lin, write, user, fetch);
        }
        int pdeAddr = (c.cr3 & 0xFFFFF000) | ((lin >>> 20) & 0xFFC);
        int pde = c.physRead(pdeAddr & c.a20Mask, 4);
        if ((pde & P) == 0) {
            throw pageFault(c, lin, write, user, fetch, 0);
        }
        if ((pde & PS) != 0 && (c.cr4 & Cpu.CR4_PSE) != 0) {
            check(c, lin, pde, write, user, fetch, false);
            int upd = pde | A | (write ? D : 0);
            if (upd != pde) {
                c.physWrite(pdeAddr & c.a20Mask, 4, upd);
            }
            return ((pde & 0xFFC00000) | (lin & 0x3FFFFF)) & c.a20Mask;
        }
        int pteAddr = (pde & 0xFFFFF000) | ((lin >>> 10) & 0xFFC);
        int pte = c.physRead(pteAddr & c.a20Mask, 4);
        if ((pte & P) == 0) {
            throw pageFault(c, lin, write, user, fetch, 0);
        }
        check(c, lin, pde & pte, write, user, fetch, false);
        if ((pde & A) == 0) {
            c.physWrite(pdeAddr & c.a20Mask, 4, pde | A);
        }
        int upd = pte | A | (write ? D : 0);
        if (upd != pte) {
            c.physWrite(pteAddr & c.a20Mask, 4, upd);
        }
        return ((pte & 0xFFFFF000) | (lin & 0xFFF)) & c.a20Mask;
    }

    /** PAE paging (SDM Vol. 3A 4.4): PDPTE → PDE (PS: 2 MiB page) → PTE, 64-bit entries. */
    private static int walkPae(CpuMemory c, int lin, boolean write, boolean user, boolean fetch) {
        boolean nxe = (c.msrEfer & Msrs.EFER_NXE) != 0;
        int pdpteAddr = (c.cr3 & 0xFFFFFFE0) | ((lin >>> 27) & 0x18);
        int pdpte = c.physRead(pdpteAddr & c.a20Mask, 4);
        if ((pdpte & P) == 0) {
            throw pageFault(c, lin, write, user, fetch, 0);
        }
        // PDPTE reserved bits (4.4.1, Table 4-8): 2:1, 8:5, and everything above the address
        int pdpteHi = c.physRead((pdpteAddr + 4) & c.a20Mask, 4);
        if ((pdpte & 0x1E6) != 0 || (pdpteHi & ~highAddressBits(c)) != 0) {
            throw pageFault(c, lin, write, user, fetch, PF_RSVD);
        }
        int pdeAddr = (pdpte & 0xFFFFF000) | ((lin >>> 18) & 0xFF8);
        int pde = c.physRead(pdeAddr & c.a20Mask, 4);
        if ((pde & P) == 0) {
            throw pageFault(c, lin, write, user, fetch, 0);
        }
        int pdeHi = c.physRead((pdeAddr + 4) & c.a20Mask, 4);
        checkHigh(c, lin, pdeHi, nxe, write, user, fetch);
        if ((pde & PS) != 0) {
            if ((pde & 0x1FE000) != 0) { // 2 MiB page: bits 20:13 reserved (4.4.2, Table 4-9)
                throw pageFault(c, lin, write, user, fetch, PF_RSVD);
            }
            check(c, lin, pde, write, user, fetch, nxe && pdeHi < 0);
            int upd = pde | A | (write ? D : 0);
            if (upd != pde) {
                c.physWrite(pdeAddr & c.a20Mask, 4, upd);
            }
            return ((pde & 0xFFE00000) | (lin & 0x1FFFFF)) & c.a20Mask;
        }
        int pteAddr = (pde & 0xFFFFF000) | ((lin >>> 9) & 0xFF8);
        int pte = c.physRead(pteAddr & c.a20Mask, 4);
        if ((pte & P) == 0) {
            throw pageFault(c, lin, write, user, fetch, 0);
        }
        int pteHi = c.physRead((pteAddr + 4) & c.a20Mask, 4);
        checkHigh(c, lin, pteHi, nxe, write, user, fetch);
        check(c, lin, pde & pte, write, user, fetch, nxe && (pdeHi < 0 || pteHi < 0));
        if ((pde & A) == 0) {
            c.physWrite(pdeAddr & c.a20Mask, 4, pde | A);
        }
        int upd = pte | A | (write ? D : 0);
        if (upd != pte) {
            c.physWrite(pteAddr & c.a20Mask, 4, upd);
        }
        return ((pte & 0xFFFFF000) | (lin & 0xFFF)) & c.a20Mask;
    }

    /** The allowed bits of an entry's high half as an address: those below the physical-address width. */
    private static int highAddressBits(CpuMemory c) {
        int bits = c.model.physBits();
        return bits <= 32 ? 0 : (1 << (bits - 32)) - 1;
    }

    /** Bits 63:32 of a PDE/PTE: XD (bit 63) only with NXE, the rest an address within the width. */
    private static void checkHigh(CpuMemory c, int lin, int hi, boolean nxe, boolean write, boolean user, boolean fetch) {
        int allowed = highAddressBits(c) | (nxe ? 0x80000000 : 0);
        if ((hi & ~allowed) != 0) {
            throw pageFault(c, lin, write, user, fetch, PF_RSVD);
        }
    }

    /** Access rights of the combined entry bits (SDM Vol. 3A 4.6.1), and execute-disable for fetches. */
    private static void check(CpuMemory c, int lin, int bits, boolean write, boolean user, boolean fetch, boolean xd) {
        if (fetch && xd) {
            throw pageFault(c, lin, write, user, fetch, PF_P);
        }
        if (user) {
            if ((bits & US) == 0 || (write && (bits & RW) == 0)) {
                throw pageFault(c, lin, write, user, fetch, PF_P);
            }
        } else if (write && (bits & RW) == 0 && (c.cr0 & Cpu.CR0_WP) != 0) {
            throw pageFault(c, lin, write, user, fetch, PF_P);
        }
    }

    static CpuFault pageFault(CpuMemory c, int lin, boolean write, boolean user, boolean present) {
        return pageFault(c, lin, write, user, false, present ? PF_P : 0);
    }

    /** #PF: CR2 = the address; I/D only under PAE with NXE (4.7). A reserved-bit fault has P set too. */
    static CpuFault pageFault(CpuMemory c, int lin, boolean write, boolean user, boolean fetch, int bits) {
        c.cr2 = lin;
        int code = bits | ((bits & PF_RSVD) != 0 ? PF_P : 0) | (write ? PF_W : 0) | (user ? PF_U : 0);
        if (fetch && (c.cr4 & Cpu.CR4_PAE) != 0 && (c.msrEfer & Msrs.EFER_NXE) != 0) {
            code |= PF_ID;
        }
        return c.fault(Vectors.PF, code);
    }
}
