package dev.machina.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands out page-aligned slices of one byte array for a machine's RAM and ROM regions. The array
 * is made once, by {@link #seal()}, after every region exists (a CPU keeps a reference to it for
 * its fast path, so it never changes); regions made after that are refused. A Java array limits
 * RAM and ROM together to a little under 2 GiB.
 */
final class RamArena {
    /** Largest backing array (a Java array index is an int; the CPU's offsets are page-aligned ints). */
    static final long MAX_BYTES = Integer.MAX_VALUE - 0xFFFL;

    private final List<RamBlock> blocks = new ArrayList<>();
    private long next;
    private byte[] backing;
    private WriteListener listener = (off, len) -> { };

    /** Told about writes into the backing array that do not come from the CPU (loads, DMA). */
    @FunctionalInterface
    interface WriteListener {
        void written(int backingOffset, int length);
    }

    RamBlock allocate(String name, long size) {
        if (backing != null) {
            throw new IllegalStateException("RAM region " + name + " made after the machine's memory was sealed");
        }
        if (size <= 0) {
            throw new IllegalArgumentException("RAM region " + name + " needs a positive size");
        }
        long pages = (size + 0xFFF) & ~0xFFFL;
        if (next + pages > MAX_BYTES) {
            throw new MemoryException(new MemoryError.TooMuchRam(name, size, next, MAX_BYTES));
        }
        RamBlock b = new RamBlock(this, name, (int) next, size);
        next += pages;
        blocks.add(b);
        return b;
    }

    boolean sealed() {
        return backing != null;
    }

    byte[] seal() {
        if (backing == null) {
            byte[] ahead = BackingReserve.take(next); // made while the run read its data, when it fits
            backing = ahead != null ? ahead : new byte[(int) next];
            for (RamBlock b : blocks) {
                b.sealInto(backing);
            }
        }
        return backing;
    }

    byte[] backingOrNull() {
        return backing;
    }

    void setWriteListener(WriteListener l) {
        listener = l;
    }

    void written(int offset, int length) {
        listener.written(offset, length);
    }
}
