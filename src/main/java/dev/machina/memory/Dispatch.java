package dev.machina.memory;

/**
 * One access to one terminal region, by QEMU's rules ({@code memory_region_dispatch_read/write}):
 * the access must be valid for the region's {@link AccessRule} (else a read gives 0 and a write is
 * dropped), is split or widened to the sizes the callbacks take, and byte-swapped for big-endian
 * registers. RAM regions read and write their bytes.
 */
final class Dispatch {
    private Dispatch() {}

    static long mask(int size) {
        return size >= 8 ? -1L : (1L << (8 * size)) - 1;
    }

    static long read(MemoryRegion mr, long offset, int size, boolean fromCpu) {
        if (mr.kind() == MemoryRegion.Kind.RAM) {
            return ramRead(mr.ramBlock(), offset, size);
        }
        AccessRule rule = mr.rule();
        if (!rule.valid(offset, size)) {
            return 0; // QEMU: unassigned_mem_read after memory_region_access_valid fails
        }
        RegionOps ops = mr.ops();
        int a = Math.max(Math.min(size, rule.implMax()), rule.implMin());
        long m = mask(a);
        long v = 0;
        for (int i = 0; i < size; i += a) {
            long t = ops.read(offset + i, a) & m;
            int shift = rule.bigEndian() ? (size - a - i) * 8 : i * 8;
            v |= shift >= 0 ? t << shift : t >>> -shift;
        }
        v &= mask(size);
        return rule.bigEndian() ? swap(v, size) : v;
    }

    static void write(MemoryRegion mr, long offset, int size, long value, boolean readonly) {
        if (mr.kind() == MemoryRegion.Kind.RAM) {
            if (!readonly) {
                ramWrite(mr.ramBlock(), offset, size, value);
            }
            return;
        }
        AccessRule rule = mr.rule();
        if (!rule.valid(offset, size)) {
            return;
        }
        long v = rule.bigEndian() ? swap(value & mask(size), size) : value;
        RegionOps ops = mr.ops();
        int a = Math.max(Math.min(size, rule.implMax()), rule.implMin());
        long m = mask(a);
        for (int i = 0; i < size; i += a) {
            int shift = rule.bigEndian() ? (size - a - i) * 8 : i * 8;
            long t = shift >= 0 ? v >>> shift : v << -shift;
            ops.write(offset + i, a, t & m);
        }
    }

    static long swap(long v, int size) {
        return switch (size) {
            case 2 -> Short.reverseBytes((short) v) & 0xFFFFL;
            case 4 -> Integer.reverseBytes((int) v) & 0xFFFFFFFFL;
            case 8 -> Long.reverseBytes(v);
            default -> v;
        };
    }

    static long ramRead(RamBlock b, long offset, int size) {
        byte[] mem = b.backing();
        int o = b.offset + (int) offset;
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (mem[o + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    static void ramWrite(RamBlock b, long offset, int size, long value) {
        byte[] mem = b.backing();
        int o = b.offset + (int) offset;
        for (int i = 0; i < size; i++) {
            mem[o + i] = (byte) (value >>> (8 * i));
        }
        b.written(o, size);
    }
}
