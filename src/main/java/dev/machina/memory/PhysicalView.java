package dev.machina.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU's view of a memory address space: a page table over the first 4 GiB, rebuilt from the
 * flat view when the map changes (one int per 4 KiB page, two levels of 1024).
 *
 * <p>A page entry is either a backing-array offset (RAM or ROM mapped page-aligned; bit 0 set when
 * writes are dropped) or a slow-path marker (bit 1) with a section index in its upper bits:
 * section 0 sends the access through the address space (unassigned memory, several ranges sharing
 * the page, RAM at an unaligned offset), a section above 0 is an I/O range covering the whole page,
 * dispatched straight to its region (as QEMU's TCG does: an access of a size the device rejects
 * reads 0). Addresses above 4 GiB go through the address space.
 */
final class PhysicalView implements PhysicalMemory {
    private static final int READ_ONLY = 1, SLOW = 2;
    private static final int GENERIC = SLOW; // section 0
    private static final int TOP_PAGES = 1 << 20; // 4 GiB / 4 KiB

    private final AddressSpace space;
    private final byte[] backing;
    private int[][] pages = new int[TOP_PAGES >>> 10][];
    private FlatRange[] sections = new FlatRange[1];

    PhysicalView(AddressSpace space, byte[] backing) {
        this.space = space;
        this.backing = backing;
    }

    @Override
    public byte[] backing() {
        return backing;
    }

    private int entry(long phys) {
        if ((phys >>> 32) != 0) {
            return GENERIC;
        }
        int page = (int) (phys >>> 12);
        int[] second = pages[page >>> 10];
        return second == null ? GENERIC : second[page & 1023];
    }

    @Override
    public int pageOffset(long phys, boolean write) {
        int e = entry(phys);
        if ((e & SLOW) != 0 || (write && (e & READ_ONLY) != 0)) {
            return -1;
        }
        return e & ~0xFFF;
    }

    @Override
    public int read(long phys, int size) {
        int e = entry(phys);
        if ((e & SLOW) == 0) {
            int o = (e & ~0xFFF) | (int) (phys & 0xFFF);
            int v = 0;
            for (int i = 0; i < size; i++) {
                v |= (backing[o + i] & 0xFF) << (8 * i);
            }
            return v;
        }
        int s = e >>> 12;
        if (s == 0) {
            return (int) space.read(phys, size);
        }
        FlatRange r = sections[s];
        return (int) Dispatch.read(r.region(), r.offsetInRegion() + (phys - r.start()), size, true);
    }

    @Override
    public void write(long phys, int size, int value) {
        int e = entry(phys);
        if ((e & SLOW) == 0) {
            if ((e & READ_ONLY) == 0) {
                int o = (e & ~0xFFF) | (int) (phys & 0xFFF);
                for (int i = 0; i < size; i++) {
                    backing[o + i] = (byte) (value >>> (8 * i));
                }
            }
            return;
        }
        int s = e >>> 12;
        if (s == 0) {
            space.write(phys, size, value & 0xFFFFFFFFL);
            return;
        }
        FlatRange r = sections[s];
        Dispatch.write(r.region(), r.offsetInRegion() + (phys - r.start()), size, value & 0xFFFFFFFFL, r.readonly());
    }

    /** Rebuilds the page table from the flat view. */
    void rebuild(FlatView fv) {
        int[][] table = new int[TOP_PAGES >>> 10][];
        List<FlatRange> secs = new ArrayList<>();
        secs.add(null);
        for (FlatRange r : fv.ranges()) {
            if (r.start() >= (1L << 32)) {
                break;
            }
            long end = Math.min(r.end(), 1L << 32);
            long firstFull = (r.start() + 0xFFF) & ~0xFFFL;
            long lastFull = end & ~0xFFFL; // exclusive
            long ramDelta = 0; // backing offset − address, for RAM ranges
            boolean ramAligned = false;
            if (r.isRam()) {
                ramDelta = r.region().ramBlock().offset + r.offsetInRegion() - r.start();
                ramAligned = (ramDelta & 0xFFF) == 0;
            }
            int section = 0;
            if (!r.isRam() && firstFull < lastFull) {
                section = secs.size();
                secs.add(r);
            }
            int entry = !r.isRam() ? (section << 12) | SLOW : !ramAligned ? GENERIC : (r.readonly() ? READ_ONLY : 0);
            boolean offsets = r.isRam() && ramAligned; // entries count up a page at a time, else all the same
            for (long p = firstFull; p < lastFull; ) { // a second-level table at a time
                int page = (int) (p >>> 12);
                int[] second = second(table, page >>> 10);
                int from = page & 1023, to = (int) Math.min(1024, from + ((lastFull - p) >>> 12));
                if (offsets) {
                    int e = (int) (ramDelta + p) | entry;
                    for (int k = from; k < to; k++, e += 0x1000) {
                        second[k] = e;
                    }
                } else {
                    fill(second, from, to, entry);
                }
                p += (long) (to - from) << 12;
            }
            // pages the range covers only in part stay GENERIC (the default): shared or partial pages
        }
        // a page another range shares partly must not be a whole-page entry of its neighbour: the
        // loop above only writes pages a range covers entirely, and ranges do not overlap, so it holds
        this.sections = secs.toArray(new FlatRange[0]);
        this.pages = table;
    }

    /** A second-level table that reads GENERIC where nothing was set. */
    private static final int[] ALL_GENERIC = new int[1024];

    static {
        Arrays.fill(ALL_GENERIC, GENERIC);
    }

    private static int[] second(int[][] table, int i) {
        int[] second = table[i];
        if (second == null) {
            second = ALL_GENERIC.clone();
            table[i] = second;
        }
        return second;
    }

    /*
     * fill: a[from, to) = v by doubling copies. System.arraycopy is native in every JIT tier, so 64 Ki ports
     * (the I/O space's catch-all range) cost 16 copies, not 65,536 rounds of a loop that the JVM interprets
     * at start-up and then compiles on-stack: the map is rebuilt nine times in a SeaBIOS boot, its first
     * rebuilds before anything of this package is compiled.
     */

    /** a[from, to) = v. */
    static void fill(Object[] a, int from, int to, Object v) {
        if (from >= to) {
            return;
        }
        a[from] = v;
        for (int n = 1; n < to - from; n <<= 1) {
            System.arraycopy(a, from, a, from + n, Math.min(n, to - from - n));
        }
    }

    /** a[from, to) = v. */
    static void fill(int[] a, int from, int to, int v) {
        if (from >= to) {
            return;
        }
        a[from] = v;
        for (int n = 1; n < to - from; n <<= 1) {
            System.arraycopy(a, from, a, from + n, Math.min(n, to - from - n));
        }
    }
}
