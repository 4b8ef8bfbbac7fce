package dev.machina.memory;

/**
 * One piece of a flattened address space: addresses {@code start} (inclusive) to {@code end}
 * (exclusive) go to {@code region} (RAM or I/O) at {@code offsetInRegion}; {@code readonly} when
 * a read-only region or alias on the way drops writes.
 */
public record FlatRange(long start, long end, MemoryRegion region, long offsetInRegion, boolean readonly) {
    public long size() {
        return end - start;
    }

    boolean contains(long a) {
        return a >= start && a < end;
    }

    boolean isRam() {
        return region.kind() == MemoryRegion.Kind.RAM;
    }
}
