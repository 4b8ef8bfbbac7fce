package dev.machina.memory;

/**
 * How an I/O region may be accessed (QEMU's {@code MemoryRegionOps.valid} and {@code .impl}).
 *
 * <ul>
 *   <li>{@code validMin..validMax}, {@code validUnaligned}: the accesses the device accepts. An
 *       access outside them reads 0 and its write is dropped, as QEMU's
 *       {@code memory_region_access_valid} failing does. When the access comes through an address
 *       space (port I/O, DMA, a sub-page dispatcher) it is first cut into pieces no wider than
 *       {@code validMax} and no wider than the alignment of their address (QEMU's
 *       {@code memory_access_size}), so e.g. an {@code inl} from a byte-wide port reads four
 *       consecutive ports.</li>
 *   <li>{@code implMin..implMax}: the sizes the model's callbacks are written for. A valid access
 *       of another size is split into {@code implMax}-wide pieces or widened to {@code implMin}
 *       (QEMU's {@code access_with_adjusted_size}), so a model sees only sizes it declared.</li>
 *   <li>{@code bigEndian}: the device's registers are big-endian (fw_cfg's DMA address); values
 *       are byte-swapped between the little-endian CPU and the model.</li>
 * </ul>
 * Sizes are 1, 2, 4 or 8 bytes.
 */
public record AccessRule(int validMin, int validMax, boolean validUnaligned, int implMin, int implMax,
                         boolean implUnaligned, boolean bigEndian) {
    /** QEMU's defaults: any size from 1 to 4, aligned only, callbacks of 1 to 4 bytes, little-endian. */
    public static final AccessRule DEFAULT = new AccessRule(1, 4, false, 1, 4, false, false);

    public AccessRule {
        check(validMin, "validMin");
        check(validMax, "validMax");
        check(implMin, "implMin");
        check(implMax, "implMax");
        if (validMin > validMax || implMin > implMax) {
            throw new IllegalArgumentException("access sizes: minimum above maximum in " + this);
        }
    }

    private static void check(int size, String what) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException(what + " must be 1, 2, 4 or 8, not " + size);
        }
    }

    /** Accesses of exactly {@code min..max} bytes, aligned; callbacks see the same sizes. */
    public static AccessRule sizes(int min, int max) {
        return new AccessRule(min, max, false, min, max, false, false);
    }

    /** Valid accesses of {@code min..max} bytes whose callbacks take only {@code implMin..implMax} bytes. */
    public static AccessRule sizes(int min, int max, int implMin, int implMax) {
        return new AccessRule(min, max, false, implMin, implMax, false, false);
    }

    public AccessRule unaligned() {
        return new AccessRule(validMin, validMax, true, implMin, implMax, true, bigEndian);
    }

    public AccessRule bigEndianRegisters() {
        return new AccessRule(validMin, validMax, validUnaligned, implMin, implMax, implUnaligned, true);
    }

    /** Whether the device accepts an access of {@code size} bytes at {@code offset} into its region. */
    boolean valid(long offset, int size) {
        if (!validUnaligned && (offset & (size - 1)) != 0) {
            return false;
        }
        return size >= validMin && size <= validMax;
    }

    /** The widest piece, at most {@code len} bytes, an address space sends at {@code offset} (QEMU's memory_access_size). */
    int pieceSize(long offset, int len) {
        int max = validMax;
        if (!implUnaligned) {
            long align = offset & -offset;
            if (align != 0 && align < max) {
                max = (int) align;
            }
        }
        int l = Math.min(len, max);
        return Integer.highestOneBit(l);
    }
}
