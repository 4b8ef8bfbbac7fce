package dev.machina.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * A 32-bit physical address space built from regions with 4 KiB granularity. Regions added later
 * take precedence over earlier ones where they overlap (as a higher QEMU MemoryRegion priority
 * does), so a PC map is: RAM everywhere, then a hole for VGA, then the BIOS alias on top.
 *
 * <ul>
 *   <li>{@code ram(base, size)}: writable memory, zero-filled;</li>
 *   <li>{@code rom(base, image)}: read-only memory holding a copy of the image;</li>
 *   <li>{@code romAlias(base, romBase, size)}: the same bytes as part of an earlier ROM, read-only
 *       (the PC's BIOS shadow below 1 MiB);</li>
 *   <li>{@code mmio(base, size, handler)}: a device region;</li>
 *   <li>{@code hole(base, size)}: nothing (reads all ones, writes dropped).</li>
 * </ul>
 * The whole map is fixed once built: {@link #pageOffset} answers from a page table.
 */
public final class MemoryMap implements PhysicalMemory {
    private static final int UNASSIGNED = -1;
    private static final int READ_ONLY = 1;
    private static final int MMIO = 2;
    private static final int PAGES = 1 << 20; // 4 GiB / 4 KiB

    private final byte[] backing;
    /** Per page: backing offset | READ_ONLY, or (handler index << 12) | MMIO, or UNASSIGNED. Two levels of 1024. */
    private final int[][] pages;
    private final MmioHandler[] handlers;
    private final long[] handlerBase;

    private MemoryMap(byte[] backing, int[][] pages, MmioHandler[] handlers, long[] handlerBase) {
        this.backing = backing;
        this.pages = pages;
        this.handlers = handlers;
        this.handlerBase = handlerBase;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public byte[] backing() {
        return backing;
    }

    private int entry(long phys) {
        if (phys < 0 || phys >= (1L << 32)) {
            return UNASSIGNED;
        }
        int page = (int) (phys >>> 12);
        int[] second = pages[page >>> 10];
        return second == null ? UNASSIGNED : second[page & 1023];
    }

    @Override
    public int pageOffset(long phys, boolean write) {
        int e = entry(phys);
        if (e == UNASSIGNED || (e & MMIO) != 0 || (write && (e & READ_ONLY) != 0)) {
            return -1;
        }
        return e & ~0xFFF;
    }

    @Override
    public int read(long phys, int size) {
        int e = entry(phys);
        if (e == UNASSIGNED) {
            return size == 4 ? -1 : (1 << (size * 8)) - 1;
        }
        if ((e & MMIO) != 0) {
            int h = e >>> 12;
            return handlers[h].read(phys - handlerBase[h], size);
        }
        int off = (e & ~0xFFF) | (int) (phys & 0xFFF);
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= (backing[off + i] & 0xFF) << (8 * i);
        }
        return v;
    }

    @Override
    public void write(long phys, int size, int value) {
        int e = entry(phys);
        if (e == UNASSIGNED || (e & READ_ONLY) != 0) {
            return;
        }
        if ((e & MMIO) != 0) {
            int h = e >>> 12;
            handlers[h].write(phys - handlerBase[h], size, value);
            return;
        }
        int off = (e & ~0xFFF) | (int) (phys & 0xFFF);
        for (int i = 0; i < size; i++) {
            backing[off + i] = (byte) (value >>> (8 * i));
        }
    }

    /** Copies bytes into RAM or ROM pages directly (a loader's or test's write; ROM included). */
    public void load(long phys, byte[] data) {
        for (int i = 0; i < data.length; i++) {
            int e = entry(phys + i);
            if (e == UNASSIGNED || (e & MMIO) != 0) {
                throw new IllegalArgumentException("no RAM or ROM at 0x" + Long.toHexString(phys + i));
            }
            backing[(e & ~0xFFF) | (int) ((phys + i) & 0xFFF)] = data[i];
        }
    }

    /** Collects regions; {@link #build()} allocates the backing array and the page table. */
    public static final class Builder {
        private record Region(char kind, long base, long size, byte[] image, long aliasOf, MmioHandler handler) {}

        private final List<Region> regions = new ArrayList<>();

        public Builder ram(long base, long size) {
            return add(new Region('r', base, size, null, 0, null));
        }

        public Builder rom(long base, byte[] image) {
            return add(new Region('o', base, image.length, image, 0, null));
        }

        public Builder romAlias(long base, long romAddress, long size) {
            return add(new Region('a', base, size, null, romAddress, null));
        }

        public Builder mmio(long base, long size, MmioHandler handler) {
            return add(new Region('m', base, size, null, 0, handler));
        }

        public Builder hole(long base, long size) {
            return add(new Region('h', base, size, null, 0, null));
        }

        private Builder add(Region r) {
            if ((r.base & 0xFFF) != 0 || (r.size & 0xFFF) != 0 || r.size <= 0 || r.base + r.size > (1L << 32)) {
                throw new IllegalArgumentException("region 0x" + Long.toHexString(r.base) + "+0x" + Long.toHexString(r.size)
                        + " is not page-aligned inside 4 GiB");
            }
            regions.add(r);
            return this;
        }

        public MemoryMap build() {
            long total = 0;
            for (Region r : regions) {
                if (r.kind == 'r' || r.kind == 'o') {
                    total += r.size;
                }
            }
            if (total > Integer.MAX_VALUE - PAGE_SIZE) {
                throw new IllegalArgumentException("RAM and ROM together exceed 2 GiB");
            }
            byte[] backing = new byte[(int) total];
            int[][] pages = new int[PAGES >>> 10][];
            List<MmioHandler> handlers = new ArrayList<>();
            List<Long> handlerBase = new ArrayList<>();
            int next = 0;
            for (Region r : regions) {
                int first = (int) (r.base >>> 12);
                int count = (int) (r.size >>> 12);
                switch (r.kind) {
                    case 'r', 'o' -> {
                        if (r.image != null) {
                            System.arraycopy(r.image, 0, backing, next, r.image.length);
                        }
                        for (int i = 0; i < count; i++) {
                            set(pages, first + i, (next + i * PAGE_SIZE) | (r.kind == 'o' ? READ_ONLY : 0));
                        }
                        next += (int) r.size;
                    }
                    case 'a' -> {
                        for (int i = 0; i < count; i++) {
                            int src = get(pages, (int) (r.aliasOf >>> 12) + i);
                            if (src == UNASSIGNED || (src & MMIO) != 0) {
                                throw new IllegalArgumentException("alias at 0x" + Long.toHexString(r.base) + " does not point at ROM or RAM");
                            }
                            set(pages, first + i, src | READ_ONLY);
                        }
                    }
                    case 'm' -> {
                        handlers.add(r.handler);
                        handlerBase.add(r.base);
                        for (int i = 0; i < count; i++) {
                            set(pages, first + i, ((handlers.size() - 1) << 12) | MMIO);
                        }
                    }
                    default -> {
                        for (int i = 0; i < count; i++) {
                            set(pages, first + i, UNASSIGNED);
                        }
                    }
                }
            }
            long[] hb = new long[handlerBase.size()];
            for (int i = 0; i < hb.length; i++) {
                hb[i] = handlerBase.get(i);
            }
            return new MemoryMap(backing, pages, handlers.toArray(new MmioHandler[0]), hb);
        }

        private static void set(int[][] pages, int page, int value) {
            int[] second = pages[page >>> 10];
            if (second == null) {
                second = new int[1024];
                java.util.Arrays.fill(second, UNASSIGNED);
                pages[page >>> 10] = second;
            }
            second[page & 1023] = value;
        }

        private static int get(int[][] pages, int page) {
            int[] second = pages[page >>> 10];
            return second == null ? UNASSIGNED : second[page & 1023];
        }
    }
}
