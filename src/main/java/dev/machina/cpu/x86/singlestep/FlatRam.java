package dev.machina.cpu.x86.singlestep;

import dev.machina.memory.PhysicalMemory;
import java.util.BitSet;

/**
 * Plain RAM from address 0 (the suite assumes 16 MiB, all writable) that remembers which pages
 * the CPU was given for writing, so that a runner can put back only what a test may have changed.
 */
final class FlatRam implements PhysicalMemory {
    private final byte[] bytes;
    private final BitSet handedOut = new BitSet();

    FlatRam(int size) {
        bytes = new byte[size];
    }

    @Override
    public byte[] backing() {
        return bytes;
    }

    @Override
    public int pageOffset(long phys, boolean write) {
        if (phys < 0 || phys >= bytes.length) {
            return -1;
        }
        int page = (int) (phys >>> 12);
        if (write) {
            handedOut.set(page);
        }
        return page << 12;
    }

    @Override
    public int read(long phys, int size) {
        return size == 4 ? -1 : (1 << (8 * size)) - 1; // only beyond the end: nothing there
    }

    @Override
    public void write(long phys, int size, int value) {
    }

    /** Pages the CPU may have written since the last call (and forgets them). */
    int[] takeWrittenPages() {
        int[] pages = handedOut.stream().toArray();
        handedOut.clear();
        return pages;
    }

    void markWritten(int page) {
        handedOut.set(page);
    }
}
