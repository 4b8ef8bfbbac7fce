package dev.machina.cpu.x86;

import java.util.ArrayList;

/**
 * Decoded blocks by (physical address, EIP, mode, CS limit), and which backing pages hold decoded
 * code. A write to such a page (seen on the slow write path: the TLB never gives a fast write entry
 * for a code page) drops every block on it; when the running block is among them, its remaining
 * instructions are replaced by exits so the new bytes are decoded before they run.
 */
final class CodeCache {
    private static final int HASH_BITS = 16;
    /** Past this many blocks the cache is emptied (a guest that generates code endlessly). */
    private static final int MAX_BLOCKS = 1 << 17;

    private final CpuMemory cpu;
    private final Block[] table = new Block[1 << HASH_BITS];
    private final ArrayList<Block>[] pages;
    /** Every block added since the last flush (some may have been dropped since): a flush touches only these. */
    private final ArrayList<Block> added = new ArrayList<>();
    private int count;

    @SuppressWarnings("unchecked")
    CodeCache(CpuMemory cpu, int backingPages) {
        this.cpu = cpu;
        this.pages = new ArrayList[backingPages];
    }

    private static int hash(int physOff, int eip) {
        return ((physOff * 0x9E3779B1) ^ (eip * 0x85EBCA6B)) >>> (32 - HASH_BITS);
    }

    Block find(int physOff, int eip, int mode, int csLimit) {
        for (Block b = table[hash(physOff, eip)]; b != null; b = b.hashNext) {
            if (b.physOff == physOff && b.eip == eip && b.mode == mode && b.csLimit == csLimit) {
                if (b.page2 >= 0 && !secondPageStill(b)) {
                    continue;
                }
                return b;
            }
        }
        return null;
    }

    /** A block that crosses a page is only valid while its second linear page maps to the same backing page. */
    private boolean secondPageStill(Block b) {
        int lastLin = cpu.base[Cpu.CS] + b.endEip - 1;
        try {
            long p = cpu.translate(lastLin, false, cpu.cpl == 3, true);
            int po = cpu.phys.pageOffset(p, false);
            return po >= 0 && (po >>> 12) == b.page2;
        } catch (CpuFault f) {
            return false;
        }
    }

    void add(Block b) {
        if (!b.cacheable) {
            return;
        }
        if (++count > MAX_BLOCKS) {
            flush();
            count = 1;
        }
        int h = hash(b.physOff, b.eip);
        b.hashNext = table[h];
        table[h] = b;
        if (added.size() > 2 * count + 1024) {
            added.removeIf(x -> !x.valid);
        }
        added.add(b);
        addToPage(b.physOff >>> 12, b);
        if (b.page2 >= 0) {
            addToPage(b.page2, b);
        }
    }

    private void addToPage(int page, Block b) {
        ArrayList<Block> list = pages[page];
        if (list == null) {
            list = new ArrayList<>(4);
            pages[page] = list;
            cpu.codePageAdded(page);
        }
        list.add(b);
    }

    boolean hasCode(int page) {
        return page < pages.length && pages[page] != null;
    }

    /** A write of size bytes at offset into a backing page. */
    void written(int page, int offset, int size) {
        if (pages[page] != null) {
            invalidatePage(page);
        }
        if (offset + size > 4096 && page + 1 < pages.length && pages[page + 1] != null) {
            invalidatePage(page + 1);
        }
    }

    void invalidatePage(int page) {
        ArrayList<Block> list = pages[page];
        if (list == null) {
            return;
        }
        pages[page] = null;
        for (Block b : list) {
            if (b.valid) {
                drop(b);
            }
        }
    }

    private void drop(Block b) {
        b.valid = false;
        count--;
        int h = hash(b.physOff, b.eip);
        Block prev = null;
        for (Block x = table[h]; x != null; prev = x, x = x.hashNext) {
            if (x == b) {
                if (prev == null) {
                    table[h] = x.hashNext;
                } else {
                    prev.hashNext = x.hashNext;
                }
                break;
            }
        }
        if (b.serial == cpu.curBlock) {
            b.poison();
        }
    }

    /** Drops everything (reset, cache full). Costs in proportion to the blocks there are. */
    void flush() {
        for (Block b : added) {
            b.valid = false;
            if (b.serial == cpu.curBlock) {
                b.poison();
            }
            table[hash(b.physOff, b.eip)] = null;
            pages[b.physOff >>> 12] = null;
            if (b.page2 >= 0) {
                pages[b.page2] = null;
            }
        }
        added.clear();
        count = 0;
    }
}
