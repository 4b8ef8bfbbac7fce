package dev.machina.memory;

/** A memory-mapped device region: accesses of 1, 2 or 4 bytes at an offset into the region. */
public interface MmioHandler {
    int read(long offset, int size);

    void write(long offset, int size, int value);
}
