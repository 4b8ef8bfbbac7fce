package dev.machina.cpu.x86;

import dev.machina.memory.IoPorts;
import dev.machina.memory.PhysicalMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Memory as the processor reaches it: segment offset → linear address (with the segment checks)
 * → physical address (paging, through a software TLB) → the RAM/ROM backing array, or the slow
 * path of the {@link PhysicalMemory}; plus the stack helpers. The fast paths are small final
 * methods the JIT inlines into the ops. Part of {@link Cpu} (see {@link CpuState}).
 */
abstract class CpuMemory extends CpuState {
    /** Software TLB: 1024 entries per privilege half (supervisor, user), direct-mapped by linear page. */
    static final int TLB_BITS = 10, TLB_SIZE = 1 << TLB_BITS, TLB_MASK = TLB_SIZE - 1;
    private static final int TLB_INVALID = 1; // a tag with a low bit set never matches a page address
    private static final long TLB_INVALID_ENTRY = (long) TLB_INVALID << 32;

    /** A TLB entry of tlbR/tlbW: the tag (a linear page address, or TLB_INVALID) and the backing-array offset. */
    static long tlbEntry(int tag, int off) {
        return (long) tag << 32 | (off & 0xFFFFFFFFL);
    }

    /** The tag of a TLB entry. */
    static int tlbTag(long e) {
        return (int) (e >>> 32);
    }

    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);


    final PhysicalMemory phys;
    final byte[] mem;
    final IoPorts io;
    final CodeCache code;
    /**
     * The {@link Block#serial} of the block being executed, 0 for none (self-modifying code needs to
     * know). An int, not the Block: the block loop sets it on every block it enters, and a reference
     * store there costs G1's cross-region write barrier (a StoreLoad fence) each time.
     */
    int curBlock;

    // ---- TLB ----
    /**
     * Read and write entries, one long each: the linear page (the tag) in the high half, the page's offset in
     * the backing array in the low half ({@link #tlbEntry}), so a lookup is one array access (one bounds check,
     * one cache line) and the compiled blocks keep one array per direction in a local.
     */
    final long[] tlbR = new long[2 * TLB_SIZE], tlbW = new long[2 * TLB_SIZE];
    /** Instruction-fetch tags: set (with tlbR's offset) only where the page may be executed (no XD). */
    final int[] tlbXTag = new int[2 * TLB_SIZE];
    /** 0 for supervisor accesses (CPL 0-2), TLB_SIZE for user (CPL 3). */
    int tlbUser;
    boolean paging;
    /**
     * Per TLB entry: its translation is global (CR4.PGE and G in the leaf entry, or paging off), so a MOV
     * to CR3 keeps it (SDM Vol. 3A 4.10.2.4, 4.10.4.1); INVLPG and a CR4.PGE change drop it.
     */
    final boolean[] tlbGlobal = new boolean[2 * TLB_SIZE];
    /** The leaf entry of the last {@link Paging#walk} had G with CR4.PGE set. */
    boolean walkGlobal;
    /** The last {@link Paging#walk} found a user-mode page (U/S set at every level). */
    boolean walkUserPage;
    /**
     * Bumped whenever the linear-to-physical mapping of code a block link leads to may have changed: block
     * links made before are not followed. A flush or INVLPG that cannot have changed such a mapping leaves it.
     */
    int mapGen;
    /**
     * Linear pages (hashed, {@link #FETCH_SLOTS} slots: a collision only costs a needless bump) code was
     * looked up from in this {@link #mapGen}, with paging on: an INVLPG of any other page leaves the links.
     * Made at the first lookup with paging on.
     */
    private int[] fetchGen;
    static final int FETCH_SLOTS = 1 << 16;
    /** Code was looked up from a page that is not global in this mapGen: a MOV to CR3 then drops the links. */
    private boolean nonGlobalFetched = true;

    CpuMemory(CpuModel model, PhysicalMemory phys, IoPorts io) {
        super(model);
        this.phys = phys;
        this.mem = phys.backing();
        this.io = io;
        this.code = new CodeCache(this, mem.length >>> 12);
    }

    // =====================================================================================
    // memory: fast paths (segment offset → RAM backing array through the TLB)
    // =====================================================================================

    final int rd8(int s, int ea) {
        if ((ea & 0xFFFFFFFFL) <= rdLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            long e = tlbR[i];
            if (tlbTag(e) == (lin & 0xFFFFF000)) {
                return mem[(int) e | (lin & 0xFFF)] & 0xFF;
            }
        }
        return readSlow(s, ea, 1);
    }

    final int rd16(int s, int ea) {
        if ((ea & 0xFFFFFFFFL) + 1 <= rdLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            long e = tlbR[i];
            if (tlbTag(e) == ((lin + 1) & 0xFFFFF000)) { // same entry for the first and last byte ⇒ same page
                return (short) I16.get(mem, (int) e | (lin & 0xFFF)) & 0xFFFF;
            }
        }
        return readSlow(s, ea, 2);
    }

    final int rd32(int s, int ea) {
        if ((ea & 0xFFFFFFFFL) + 3 <= rdLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            long e = tlbR[i];
            if (tlbTag(e) == ((lin + 3) & 0xFFFFF000)) {
                return (int) I32.get(mem, (int) e | (lin & 0xFFF));
            }
        }
        return readSlow(s, ea, 4);
    }

    final void wr8(int s, int ea, int v) {
        if ((ea & 0xFFFFFFFFL) <= wrLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            long e = tlbW[i];
            if (tlbTag(e) == (lin & 0xFFFFF000)) {
                mem[(int) e | (lin & 0xFFF)] = (byte) v;
                return;
            }
        }
        writeSlow(s, ea, 1, v);
    }

    final void wr16(int s, int ea, int v) {
        if ((ea & 0xFFFFFFFFL) + 1 <= wrLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            long e = tlbW[i];
            if (tlbTag(e) == ((lin + 1) & 0xFFFFF000)) {
                I16.set(mem, (int) e | (lin & 0xFFF), (short) v);
                return;
            }
        }
        writeSlow(s, ea, 2, v);
    }

    final void wr32(int s, int ea, int v) {
        if ((ea & 0xFFFFFFFFL) + 3 <= wrLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            long e = tlbW[i];
            if (tlbTag(e) == ((lin + 3) & 0xFFFFF000)) {
                I32.set(mem, (int) e | (lin & 0xFFF), v);
                return;
            }
        }
        writeSlow(s, ea, 4, v);
    }

    /** Read of the destination of a read-modify-write: checked for writing first, so the write cannot fault. */
    final int rdw(int size, int s, int ea) {
        if ((ea & 0xFFFFFFFFL) + size - 1 <= wrLim[s]) {
            int lin = base[s] + ea;
            int i = ((lin >>> 12) & TLB_MASK) | tlbUser;
            long e = tlbW[i];
            if (tlbTag(e) == ((lin + size - 1) & 0xFFFFF000)) {
                int o = (int) e | (lin & 0xFFF);
                return size == 4 ? (int) I32.get(mem, o) : size == 2 ? (short) I16.get(mem, o) & 0xFFFF : mem[o] & 0xFF;
            }
        }
        checkSeg(s, ea, size, true);
        int lin = base[s] + ea;
        boolean user = cpl == 3;
        translate(lin, true, user);
        if (((lin & 0xFFF) + size) > 0x1000) {
            translate((lin + size - 1) & 0xFFFFF000, true, user);
        }
        return readLin(lin, size, user);
    }

    final int rd(int size, int s, int ea) {
        return size == 4 ? rd32(s, ea) : size == 2 ? rd16(s, ea) : rd8(s, ea);
    }

    final void wr(int size, int s, int ea, int v) {
        if (size == 4) {
            wr32(s, ea, v);
        } else if (size == 2) {
            wr16(s, ea, v);
        } else {
            wr8(s, ea, v);
        }
    }

    // =====================================================================================
    // memory: slow paths
    // =====================================================================================

    final int readSlow(int s, int ea, int size) {
        checkSeg(s, ea, size, false);
        return readLin(base[s] + ea, size, cpl == 3);
    }

    final void writeSlow(int s, int ea, int size, int v) {
        checkSeg(s, ea, size, true);
        writeLin(base[s] + ea, size, v, cpl == 3);
    }

    /** Raises what a write of size bytes at s:ea would raise (segment checks, #PF), writing nothing. */
    final void probeWrite(int s, int ea, int size) {
        checkSeg(s, ea, size, true);
        int lin = base[s] + ea;
        boolean user = cpl == 3;
        translate(lin, true, user);
        if ((lin & 0xFFF) + size > 0x1000) {
            translate(lin + size - 1, true, user);
        }
    }

    /** Reads at a linear address with the access rights of a user (CPL 3) or supervisor access. */
    final int readLin(int lin, int size, boolean user) {
        if ((lin & 0xFFF) + size <= 0x1000) {
            return physRead(translate(lin, false, user), size);
        }
        // crosses a page: both pages must be accessible before anything is read
        int n1 = 0x1000 - (lin & 0xFFF);
        long p1 = translate(lin, false, user);
        long p2 = translate(lin + n1, false, user);
        int v = 0;
        for (int k = 0; k < size; k++) {
            v |= physRead(k < n1 ? p1 + k : p2 + k - n1, 1) << (8 * k);
        }
        return v;
    }

    final void writeLin(int lin, int size, int v, boolean user) {
        if ((lin & 0xFFF) + size <= 0x1000) {
            physWrite(translate(lin, true, user), size, v);
            return;
        }
        int n1 = 0x1000 - (lin & 0xFFF);
        long p1 = translate(lin, true, user);
        long p2 = translate(lin + n1, true, user);
        for (int k = 0; k < size; k++) {
            physWrite(k < n1 ? p1 + k : p2 + k - n1, 1, v >>> (8 * k));
        }
    }

    /** Supervisor-mode (implicit) accesses to system structures: GDT, LDT, IDT, TSS (SDM Vol. 3A 4.6). */
    final int sysRead(int lin, int size) {
        return readLin(lin, size, false);
    }

    final void sysWrite(int lin, int size, int v) {
        writeLin(lin, size, v, false);
    }

    /** A physical read at a 32-bit address (an int, taken unsigned). */
    final int physRead(int p, int size) {
        return physRead(p & 0xFFFFFFFFL, size);
    }

    final void physWrite(int p, int size, int v) {
        physWrite(p & 0xFFFFFFFFL, size, v);
    }

    /** A physical read at any address within the model's width (above 4 GiB through the slow path). */
    final int physRead(long pa, int size) {
        int p = (int) pa;
        int po = phys.pageOffset(pa, false);
        if (po >= 0) {
            int o = po | (p & 0xFFF);
            return size == 4 ? (int) I32.get(mem, o) : size == 2 ? (short) I16.get(mem, o) & 0xFFFF : mem[o] & 0xFF;
        }
        return phys.read(pa, size);
    }

    final void physWrite(long pa, int size, int v) {
        int p = (int) pa;
        int po = phys.pageOffset(pa, true);
        if (po >= 0) {
            code.written(po >>> 12, p & 0xFFF, size);
            int o = po | (p & 0xFFF);
            if (size == 4) {
                I32.set(mem, o, v);
            } else if (size == 2) {
                I16.set(mem, o, (short) v);
            } else {
                mem[o] = (byte) v;
            }
            return;
        }
        phys.write(pa, size, v);
    }

    // =====================================================================================
    // address translation and the TLB
    // =====================================================================================

    /**
     * Linear → physical for an access (paging per SDM Vol. 3A 4.3 when CR0.PG is set), filling the
     * TLB when the page is RAM/ROM. Raises #PF.
     */
    final long translate(int lin, boolean write, boolean user) {
        return translate(lin, write, user, false);
    }

    /** As {@link #translate(int, boolean, boolean)}, for an instruction fetch when {@code fetch}. */
    final long translate(int lin, boolean write, boolean user, boolean fetch) {
        long p = paging ? Paging.walk(this, lin, write, user, fetch) : lin & a20Mask & 0xFFFFFFFFL;
        long pageP = p & ~0xFFFL;
        int po = phys.pageOffset(pageP, false);
        if (po >= 0) {
            int i = ((lin >>> 12) & TLB_MASK) | (user ? TLB_SIZE : 0);
            int tag = lin & 0xFFFFF000;
            tlbR[i] = tlbEntry(tag, po);
            tlbGlobal[i] = !paging || walkGlobal;
            // executable unless execute-disable can apply (PAE with NXE): then only after a checked fetch
            tlbXTag[i] = fetch || !paging || (cr4 & CR4_PAE) == 0 || (msrEfer & Msrs.EFER_NXE) == 0 ? tag : TLB_INVALID;
            // with paging, a write entry only after a write access succeeded (so the dirty bit is set)
            if (write || !paging) {
                int wo = phys.pageOffset(pageP, true);
                tlbW[i] = tlbEntry(wo >= 0 && !code.hasCode(wo >>> 12) ? tag : TLB_INVALID, wo);
            } else if (tlbTag(tlbW[i]) != tag) {
                tlbW[i] = TLB_INVALID_ENTRY; // another page's: the entry's global flag is this page's now
            }
            if (!user && paging && walkUserPage && (cr4 & (CR4_SMEP | CR4_SMAP)) != 0) {
                // a supervisor translation of a user page: under SMAP whether it may be used depends on
                // EFLAGS.AC and CPL at each access, so it is not cached (each access walks); under SMEP
                // alone it may be read and written, never executed (SupervisorProtection)
                if ((cr4 & CR4_SMAP) != 0) {
                    tlbR[i] = TLB_INVALID_ENTRY;
                    tlbW[i] = TLB_INVALID_ENTRY;
                    tlbGlobal[i] = false;
                }
                tlbXTag[i] = TLB_INVALID;
            }
        }
        return p;
    }

    /** Drops every translation, global ones too, and the block links. */
    final void flushTlb() {
        java.util.Arrays.fill(tlbR, TLB_INVALID_ENTRY);
        java.util.Arrays.fill(tlbW, TLB_INVALID_ENTRY);
        java.util.Arrays.fill(tlbXTag, TLB_INVALID);
        newMapGen();
    }

    /**
     * A MOV to CR3 (SDM Vol. 3A 4.10.4.1): drops every translation that is not global. The block links
     * stay when all code looked up since they were made came from global pages (a kernel's own text,
     * which every address space maps alike; the OS changes such a mapping with INVLPG or a CR4.PGE toggle).
     */
    final void flushNonGlobal() {
        for (int i = 0; i < tlbR.length; i++) {
            if (!tlbGlobal[i]) {
                tlbR[i] = TLB_INVALID_ENTRY;
                tlbW[i] = TLB_INVALID_ENTRY;
                tlbXTag[i] = TLB_INVALID;
            }
        }
        if (nonGlobalFetched) {
            newMapGen();
        }
    }

    private void newMapGen() {
        mapGen++;
        nonGlobalFetched = false;
    }

    /**
     * Block lookup found code at linear address lin (its page's TLB entry at index idx filled, or
     * {@code filled} false): links to it hold while this page's mapping does.
     */
    final void codeFetchedFrom(int lin, int idx, boolean filled) {
        if (!paging) {
            return; // without paging only flushTlb (CR0, A20) changes a mapping
        }
        if (fetchGen == null) {
            fetchGen = new int[FETCH_SLOTS]; // nothing was looked up with paging on before: no slot is marked
            java.util.Arrays.fill(fetchGen, mapGen - 1);
        }
        fetchGen[(lin >>> 12) & (FETCH_SLOTS - 1)] = mapGen;
        if (!filled || !tlbGlobal[idx]) {
            nonGlobalFetched = true;
        }
    }

    final void invlpg(int lin) {
        int page = lin & 0xFFFFF000;
        for (int half = 0; half < 2; half++) {
            int i = ((lin >>> 12) & TLB_MASK) | (half * TLB_SIZE);
            if (tlbTag(tlbR[i]) == page) {
                tlbR[i] = TLB_INVALID_ENTRY;
            }
            if (tlbTag(tlbW[i]) == page) {
                tlbW[i] = TLB_INVALID_ENTRY;
            }
            if (tlbXTag[i] == page) {
                tlbXTag[i] = TLB_INVALID;
            }
        }
        // the links only depend on pages code was looked up from (without paging, no mapping changes)
        if (paging && (fetchGen == null || fetchGen[(lin >>> 12) & (FETCH_SLOTS - 1)] == mapGen)) {
            newMapGen();
        }
    }

    /** A backing page now holds decoded code: writes to it must take the slow path (to see self-modifying code). */
    final void codePageAdded(int backingPage) {
        int off = backingPage << 12;
        for (int i = 0; i < tlbW.length; i++) {
            if ((int) tlbW[i] == off) {
                tlbW[i] = TLB_INVALID_ENTRY;
            }
        }
    }

    final void setCpl(int newCpl) {
        cpl = newCpl;
        tlbUser = newCpl == 3 ? TLB_SIZE : 0;
    }

    // =====================================================================================
    // stack
    // =====================================================================================

    final void push16(int v) {
        int sp = r[ESP];
        int nsp = sp - 2;
        wr16(SS, nsp & spMask, v);
        r[ESP] = (sp & ~spMask) | (nsp & spMask);
    }

    final void push32(int v) {
        int sp = r[ESP];
        int nsp = sp - 4;
        wr32(SS, nsp & spMask, v);
        r[ESP] = (sp & ~spMask) | (nsp & spMask);
    }

    final void push(int size, int v) {
        if (size == 4) {
            push32(v);
        } else {
            push16(v);
        }
    }

    final int pop16() {
        int sp = r[ESP];
        int v = rd16(SS, sp & spMask);
        r[ESP] = (sp & ~spMask) | ((sp + 2) & spMask);
        return v;
    }

    final int pop32() {
        int sp = r[ESP];
        int v = rd32(SS, sp & spMask);
        r[ESP] = (sp & ~spMask) | ((sp + 4) & spMask);
        return v;
    }

    final int pop(int size) {
        return size == 4 ? pop32() : pop16();
    }

    /** Reads the stack at SP + offset without moving SP (for instructions that pop several values atomically). */
    final int peek(int size, int offset) {
        return rd(size, SS, (r[ESP] + offset) & spMask);
    }

    final void addSp(int n) {
        int sp = r[ESP];
        r[ESP] = (sp & ~spMask) | ((sp + n) & spMask);
    }

}
