package dev.machina.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * An address space: what a root region's tree looks like from one side (the CPU's physical memory,
 * the x86 I/O ports, a PCI device's bus-master view). Accesses through it are cut at the edges of
 * the flattened ranges and into pieces each region accepts (QEMU's {@code flatview_read_continue}:
 * a 4-byte read across two devices' ports reads from both; addresses nothing covers read as
 * unassigned: 0 for memory, all ones for the I/O root's unassigned ports).
 *
 * <p>{@link #physical()} and {@link #ports()} are the CPU's fast views (a page table and a port
 * table), rebuilt when the tree changes; {@link #onRemap} listeners (the CPU's TLB flush) run after.
 * Device DMA goes through {@link #read(long, byte[], int, int)} / {@link #write(long, byte[], int, int)},
 * which tell the machine's code-invalidation listener about RAM they change.
 */
public final class AddressSpace {
    private final MemorySystem system;
    private final String name;
    private final MemoryRegion root;
    private FlatView view;
    private PhysicalView physical;
    private PortView ports;
    private final List<Runnable> remapListeners = new ArrayList<>();

    AddressSpace(MemorySystem system, String name, MemoryRegion root) {
        this.system = system;
        this.name = name;
        this.root = root;
    }

    public String name() {
        return name;
    }

    public MemoryRegion root() {
        return root;
    }

    /** The flattened view as of the last change. */
    public FlatView flatView() {
        if (view == null) {
            view = FlatView.render(root, FlatView.CAP);
        }
        return view;
    }

    /**
     * The tree changed: re-flatten, rebuild the fast views, tell the listeners. A change that leaves the
     * flattened view as it was (the same ranges of the same regions at the same offsets, e.g. a PCI
     * command write that sets the bits already set, or a remap of a space no fast view shows) keeps the
     * fast views and tells no one: the views are made from the flat ranges alone, so they would come out
     * the same. SeaBIOS's boot commits the map 41 times; 15 of the 24 rebuilds of the CPU's page and
     * port tables were of an unchanged view.
     */
    void changed() {
        FlatView old = view;
        view = null;
        if (old != null && (physical != null || ports != null) && sameRanges(old.ranges(), flatView().ranges())) {
            return;
        }
        if (physical != null) {
            physical.rebuild(flatView());
        }
        if (ports != null) {
            ports.rebuild(flatView());
        }
        for (Runnable r : remapListeners) {
            r.run();
        }
    }

    /**
     * Whether two flat views have the same ranges: field by field, not the record's equals (an invokedynamic
     * of ObjectMethods, whose method handles the JVM spins at run time: the ahead-of-time cache keeps none).
     */
    private static boolean sameRanges(List<FlatRange> a, List<FlatRange> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            FlatRange x = a.get(i), y = b.get(i);
            if (x.start() != y.start() || x.end() != y.end() || x.region() != y.region()
                    || x.offsetInRegion() != y.offsetInRegion() || x.readonly() != y.readonly()) {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code r} after every change of the map (e.g. the CPU flushing its TLB). */
    public void onRemap(Runnable r) {
        remapListeners.add(r);
    }

    /**
     * The page-table view the CPU runs on (RAM and ROM pages straight into the backing array,
     * everything else through the slow path). Seals the machine's RAM: no RAM region can be made
     * afterwards.
     */
    public PhysicalMemory physical() {
        if (physical == null) {
            physical = new PhysicalView(this, system.seal());
            physical.rebuild(flatView());
        }
        return physical;
    }

    /** The I/O port view the CPU's IN and OUT use. */
    public IoPorts ports() {
        if (ports == null) {
            ports = new PortView(this);
            ports.rebuild(flatView());
        }
        return ports;
    }

    // -- accesses -----------------------------------------------------------------------------

    /** Reads {@code size} (1..8) bytes, little-endian. */
    public long read(long addr, int size) {
        long v = 0;
        int done = 0;
        FlatView fv = flatView();
        while (done < size) {
            long a = addr + done;
            FlatRange r = fv.find(a);
            int l;
            long piece;
            if (r == null) {
                l = size - done;
                piece = 0;
            } else {
                long off = r.offsetInRegion() + (a - r.start());
                l = pieceLength(r, a, off, size - done);
                piece = Dispatch.read(r.region(), off, l, false);
            }
            v |= (piece & Dispatch.mask(l)) << (8 * done);
            done += l;
        }
        return v;
    }

    /** Writes {@code size} (1..8) bytes, little-endian. */
    public void write(long addr, int size, long value) {
        int done = 0;
        FlatView fv = flatView();
        while (done < size) {
            long a = addr + done;
            FlatRange r = fv.find(a);
            int l;
            if (r == null) {
                l = size - done;
            } else {
                long off = r.offsetInRegion() + (a - r.start());
                l = pieceLength(r, a, off, size - done);
                Dispatch.write(r.region(), off, l, value >>> (8 * done), r.readonly());
            }
            done += l;
        }
    }

    /**
     * How many of {@code want} bytes at {@code a} one callback or RAM copy takes. RAM stops at the
     * flat range's end; an I/O region takes the whole access, up to its own end, even where a
     * higher-priority region covers a later byte: QEMU's address_space_translate_internal clamps
     * only RAM sections, so QEMU 7.2's {@code outl 0xcf8} reaches pci-conf-idx whole although
     * PIIX3/ICH9's 1-byte reset control register sits on 0xcf9 (recorded in
     * tests/chipset/qemu72/pci-conf-mechanism.txt).
     */
    private static int pieceLength(FlatRange r, long a, long off, int want) {
        if (r.isRam()) {
            return (int) Math.min(want, r.end() - a);
        }
        int l = (int) Math.min(want, Math.max(1, r.region().size() - off));
        return r.region().rule().pieceSize(off, l);
    }

    /** DMA read of {@code len} bytes at {@code addr} into {@code dst[off..]}; device registers are read as a CPU would. */
    public void read(long addr, byte[] dst, int off, int len) {
        int done = 0;
        FlatView fv = flatView();
        while (done < len) {
            long a = addr + done;
            FlatRange r = fv.find(a);
            if (r != null && r.isRam()) {
                int l = (int) Math.min(len - done, r.end() - a);
                RamBlock b = r.region().ramBlock();
                System.arraycopy(b.backing(), b.offset + (int) (r.offsetInRegion() + a - r.start()), dst, off + done, l);
                done += l;
            } else {
                int l = Math.min(len - done, 4);
                long v = read(a, pieceAt(a, l));
                int n = pieceAt(a, l);
                for (int i = 0; i < n; i++) {
                    dst[off + done + i] = (byte) (v >>> (8 * i));
                }
                done += n;
            }
        }
    }

    /** DMA write of {@code len} bytes; RAM writes drop decoded code of the pages they touch. */
    public void write(long addr, byte[] src, int off, int len) {
        int done = 0;
        FlatView fv = flatView();
        while (done < len) {
            long a = addr + done;
            FlatRange r = fv.find(a);
            if (r != null && r.isRam()) {
                int l = (int) Math.min(len - done, r.end() - a);
                if (!r.readonly()) {
                    RamBlock b = r.region().ramBlock();
                    int o = b.offset + (int) (r.offsetInRegion() + a - r.start());
                    System.arraycopy(src, off + done, b.backing(), o, l);
                    b.written(o, l);
                }
                done += l;
            } else {
                int n = pieceAt(a, Math.min(len - done, 4));
                long v = 0;
                for (int i = 0; i < n; i++) {
                    v |= (src[off + done + i] & 0xFFL) << (8 * i);
                }
                write(a, n, v);
                done += n;
            }
        }
    }

    /** The widest naturally aligned piece of at most {@code max} bytes at {@code a}. */
    private static int pieceAt(long a, int max) {
        int n = Integer.highestOneBit(max);
        while (n > 1 && (a & (n - 1)) != 0) {
            n >>= 1;
        }
        return n;
    }

    @Override
    public String toString() {
        return "address-space " + name;
    }
}
