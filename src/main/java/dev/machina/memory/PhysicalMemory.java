package dev.machina.memory;

/**
 * A physical address space as the CPU sees it.
 *
 * <p>RAM and ROM live in one {@link #backing()} array so that the CPU's fast path is a plain array
 * access: {@link #pageOffset} tells, for one 4 KiB page, where it starts in that array (or that the
 * page must go through {@link #read}/{@link #write}: MMIO, unassigned addresses, writes to ROM).
 * The answer for a page never changes while the map exists, so the CPU may cache it (its TLB).
 */
public interface PhysicalMemory {
    /** Page size of the mapping granularity (x86 small page, SDM Vol. 3A 4.3). */
    int PAGE_SIZE = 4096;

    /** The array holding every RAM and ROM page. */
    byte[] backing();

    /**
     * Offset in {@link #backing()} of the page containing {@code phys} for a read ({@code write}
     * false) or a write, or -1 when that access must take the slow path.
     */
    int pageOffset(long phys, boolean write);

    /** Reads 1, 2 or 4 bytes (little-endian) within one page; unassigned addresses read all ones. */
    int read(long phys, int size);

    /** Writes 1, 2 or 4 bytes (little-endian) within one page; writes to ROM or unassigned addresses are dropped. */
    void write(long phys, int size, int value);
}
