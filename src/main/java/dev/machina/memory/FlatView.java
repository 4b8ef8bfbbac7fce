package dev.machina.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An address space flattened: the ranges that show, in address order, none overlapping. Built the
 * way QEMU's {@code render_memory_region} does: subregions in priority order fill the view first,
 * then the region itself fills the gaps that are left; aliases render their target shifted;
 * disabled regions render nothing. Adjacent ranges of one region at consecutive offsets are merged
 * ({@code flatview_simplify}).
 */
public final class FlatView {
    /** Addresses rendered: below 2^62 (a PC's physical space is 2^36..2^52; the I/O space 2^16). */
    static final long CAP = 1L << 62;

    private final List<FlatRange> ranges;

    private FlatView(List<FlatRange> ranges) {
        this.ranges = ranges;
    }

    public List<FlatRange> ranges() {
        return Collections.unmodifiableList(ranges);
    }

    /** The range holding {@code addr}, or null where nothing is mapped. */
    public FlatRange find(long addr) {
        int lo = 0, hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            FlatRange r = ranges.get(mid);
            if (addr < r.start()) {
                hi = mid - 1;
            } else if (addr >= r.end()) {
                lo = mid + 1;
            } else {
                return r;
            }
        }
        return null;
    }

    /** Flattens the tree under {@code root} for addresses 0 to {@code limit} (exclusive). */
    static FlatView render(MemoryRegion root, long limit) {
        List<FlatRange> out = new ArrayList<>();
        render(out, root, 0, 0, Math.min(limit, CAP), false);
        return new FlatView(simplify(out));
    }

    private static long sizeCapped(MemoryRegion mr) {
        long last = mr.lastOffset();
        return last < 0 || last >= CAP ? CAP : last + 1;
    }

    /**
     * Renders {@code mr}, whose container starts at {@code base}, clipped to [clipStart, clipEnd).
     * {@code base} may be negative for an alias showing a target from a high offset.
     */
    private static void render(List<FlatRange> view, MemoryRegion mr, long base, long clipStart, long clipEnd, boolean readonly) {
        if (!mr.enabled()) {
            return;
        }
        base += mr.address();
        readonly |= mr.readonly();
        long start = base, end = base + sizeCapped(mr);
        long cs = Math.max(clipStart, start), ce = Math.min(clipEnd, end);
        if (cs >= ce) {
            return;
        }
        if (mr.kind() == MemoryRegion.Kind.ALIAS) {
            MemoryRegion t = mr.aliasTarget();
            render(view, t, base - t.address() - mr.aliasOffset(), cs, ce, readonly);
            return;
        }
        for (MemoryRegion sub : mr.subregions()) {
            render(view, sub, base, cs, ce, readonly);
        }
        if (mr.kind() == MemoryRegion.Kind.CONTAINER) {
            return;
        }
        // fill the gaps [cs, ce) leaves between the ranges already in the view
        long offset = cs - base;
        long at = cs;
        int i = firstEndingAfter(view, at);
        while (at < ce) {
            long gapEnd = i < view.size() ? Math.min(ce, view.get(i).start()) : ce;
            if (at < gapEnd) {
                view.add(i, new FlatRange(at, gapEnd, mr, offset + (at - cs), readonly));
                i++;
                at = gapEnd;
            }
            if (i < view.size() && at < ce) {
                at = Math.max(at, view.get(i).end());
                i++;
            }
        }
    }

    private static int firstEndingAfter(List<FlatRange> view, long a) {
        int lo = 0, hi = view.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (view.get(mid).end() <= a) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static List<FlatRange> simplify(List<FlatRange> in) {
        List<FlatRange> out = new ArrayList<>(in.size());
        for (FlatRange r : in) {
            if (!out.isEmpty()) {
                FlatRange p = out.get(out.size() - 1);
                if (p.region() == r.region() && p.end() == r.start() && p.readonly() == r.readonly()
                        && p.offsetInRegion() + p.size() == r.offsetInRegion()) {
                    out.set(out.size() - 1, new FlatRange(p.start(), r.end(), p.region(), p.offsetInRegion(), p.readonly()));
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }
}
