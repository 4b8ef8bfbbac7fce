package dev.machina.cpu.x86;

/**
 * Paging (SDM Vol. 3A chapter 4): 32-bit paging (4.3: two levels of 4 KiB tables, 4 MiB pages when
 * CR4.PSE is set and a PDE has PS, with PSE-36's physical-address bits in the PDE) and PAE paging
 * (4.4, CR4.PAE: a 4-entry page-directory-pointer table at CR3, 64-bit entries, 2 MiB pages,
 * execute-disable with IA32_EFER.NXE); access rights from U/S and R/W of every level (4.6) with
 * CR0.WP; accessed and dirty bits set as the hardware does; #PF with CR2 and the error code (4.7: P,
 * W/R, U/S, RSVD, I/D).
 *
 * <p>Physical addresses are up to the model's width M ({@link CpuModel#physBits}: 32, 36 with
 * PSE-36, 40 for QEMU's long-mode models under TCG) and reach memory above 4 GiB. A 4 MiB PDE holds
 * address bits (M-1):32 in its bits (M-20):13 and bits 21:(M-19) are reserved (4.3, Table 4-4: with
 * M = 36 bits 16:13 are address bits 35:32 and 21:17 are reserved; with M = 32, as on a model
 * without PSE-36, all of 21:13 are reserved). Like QEMU's TCG, the PDPTEs are read at each walk
 * rather than cached at the CR3 write. An entry bit 63 (XD) without NXE, or an address bit at or
 * above M, is a reserved-bit fault. SMEP and SMAP: {@link SupervisorProtection}. Not modelled: PCID, protection keys.
 */
final class Paging {
    private Paging() {}

    static final int P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
    // #PF error code bits (SDM Vol. 3A 4.7, Figure 4-12)
    static final int PF_P = 1, PF_W = 2, PF_U = 4, PF_RSVD = 8, PF_ID = 16;

    /**
     * Translates a linear address, or raises #PF. Returns the physical address (at most the model's
     * width); {@code fetch} marks an instruction fetch (refused on an execute-disabled page).
     */
    static long walk(CpuMemory c, int lin, boolean write, boolean user, boolean fetch) {
        if ((c.cr4 & Cpu.CR4_PAE) != 0) {
            return walkPae(c, lin, write, user, fetch);
        }
        int pdeAddr = (c.cr3 & 0xFFFFF000) | ((lin >>> 20) & 0xFFC);
        int pde = c.physRead(pdeAddr & c.a20Mask, 4);
        if ((pde & P) == 0) {
            throw pageFault(c, lin, write, user, fetch, 0);
        }
        if ((pde & PS) != 0 && (c.cr4 & Cpu.CR4_PSE) != 0) {
            // PDE bits (M-20):13 are address bits (M-1):32, bits 21:(M-19) reserved (Table 4-4)
            int highBits = Math.min(c.model.physBits(), 40) - 32;
            int reserved = 0x3FE000 & ~(((1 << highBits) - 1) << 13);
            if ((pde & reserved) != 0) {
                throw pageFault(c, lin, write, user, fetch, PF_RSVD);
            }
            check(c, lin, pde, write, user, fetch, false);
            int upd = pde | A | (write ? D : 0);
            if (upd != pde) {
                c.physWrite(pdeAddr & c.a20Mask, 4, upd);
            }
            c.walkGlobal = global(c, pde);
            long high = (long) ((pde >>> 13) & ((1 << highBits) - 1)) << 32;
            return a20(c, high | (((pde & 0xFFC00000) | (lin & 0x3FFFFF)) & 0xFFFFFFFFL));
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
        c.walkGlobal = global(c, pte);
        return ((pte & 0xFFFFF000) | (lin & 0xFFF)) & c.a20Mask & 0xFFFFFFFFL;
    }

    /** An entry's address: its low half's bits under {@code lowMask} and its high half's bits within the width. */
    private static long address(CpuMemory c, int lo, int hi, int lowMask) {
        return ((long) (hi & highAddressBits(c)) << 32) | (lo & lowMask & 0xFFFFFFFFL);
    }

    /** A physical address with the A20 gate applied (bit 20 forced to 0 while the gate is closed). */
    private static long a20(CpuMemory c, long pa) {
        return pa & (c.a20Mask | 0xFFFFFFFF00000000L);
    }

    /** PAE paging (SDM Vol. 3A 4.4): PDPTE → PDE (PS: 2 MiB page) → PTE, 64-bit entries. */
    private static long walkPae(CpuMemory c, int lin, boolean write, boolean user, boolean fetch) {
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
        long pdeAddr = a20(c, address(c, pdpte, pdpteHi, 0xFFFFF000) | ((lin >>> 18) & 0xFF8));
        int pde = c.physRead(pdeAddr, 4);
        if ((pde & P) == 0) {
            throw pageFault(c, lin, write, user, fetch, 0);
        }
        int pdeHi = c.physRead(pdeAddr + 4, 4);
        checkHigh(c, lin, pdeHi, nxe, write, user, fetch);
        if ((pde & PS) != 0) {
            if ((pde & 0x1FE000) != 0) { // 2 MiB page: bits 20:13 reserved (4.4.2, Table 4-9)
                throw pageFault(c, lin, write, user, fetch, PF_RSVD);
            }
            check(c, lin, pde, write, user, fetch, nxe && pdeHi < 0);
            int upd = pde | A | (write ? D : 0);
            if (upd != pde) {
                c.physWrite(pdeAddr, 4, upd);
            }
            c.walkGlobal = global(c, pde);
            return a20(c, address(c, pde, pdeHi, 0xFFE00000) | (lin & 0x1FFFFF));
        }
        long pteAddr = a20(c, address(c, pde, pdeHi, 0xFFFFF000) | ((lin >>> 9) & 0xFF8));
        int pte = c.physRead(pteAddr, 4);
        if ((pte & P) == 0) {
            throw pageFault(c, lin, write, user, fetch, 0);
        }
        int pteHi = c.physRead(pteAddr + 4, 4);
        checkHigh(c, lin, pteHi, nxe, write, user, fetch);
        check(c, lin, pde & pte, write, user, fetch, nxe && (pdeHi < 0 || pteHi < 0));
        if ((pde & A) == 0) {
            c.physWrite(pdeAddr, 4, pde | A);
        }
        int upd = pte | A | (write ? D : 0);
        if (upd != pte) {
            c.physWrite(pteAddr, 4, upd);
        }
        c.walkGlobal = global(c, pte);
        return a20(c, address(c, pte, pteHi, 0xFFFFF000) | (lin & 0xFFF));
    }

    /** A leaf entry's translation is global: G (bit 8) with CR4.PGE (SDM Vol. 3A 4.10.2.4). */
    private static boolean global(CpuMemory c, int leaf) {
        return (leaf & G) != 0 && (c.cr4 & Cpu.CR4_PGE) != 0;
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
        c.walkUserPage = (bits & US) != 0;
        if (!user && c.walkUserPage && (c.cr4 & (Cpu.CR4_SMEP | Cpu.CR4_SMAP)) != 0
                && SupervisorProtection.refused(c, fetch)) {
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

    /** #PF: CR2 = the address; I/D only with CR4.SMEP or under PAE with NXE (4.7). A reserved-bit fault has P set too. */
    static CpuFault pageFault(CpuMemory c, int lin, boolean write, boolean user, boolean fetch, int bits) {
        c.cr2 = lin;
        int code = bits | ((bits & PF_RSVD) != 0 ? PF_P : 0) | (write ? PF_W : 0) | (user ? PF_U : 0);
        if (fetch && ((c.cr4 & Cpu.CR4_SMEP) != 0 || (c.cr4 & Cpu.CR4_PAE) != 0 && (c.msrEfer & Msrs.EFER_NXE) != 0)) {
            code |= PF_ID;
        }
        return c.fault(Vectors.PF, code);
    }
}
