package dev.machina.memory;

/**
 * A device's register callbacks behind an I/O region (MMIO or port I/O): QEMU's
 * {@code MemoryRegionOps.read/write}. Offsets are into the region; sizes are those the region's
 * {@link AccessRule} declares for the callbacks ({@code implMin..implMax}); values hold
 * {@code size} bytes, little-endian, in the low bits. Called on the guest thread only.
 */
public interface RegionOps {
    long read(long offset, int size);

    void write(long offset, int size, long value);

    /** Reads all ones and ignores writes (an unassigned I/O port on a PC's ISA bus). */
    RegionOps UNASSIGNED_IO = new RegionOps() {
        @Override
        public long read(long offset, int size) {
            return -1L;
        }

        @Override
        public void write(long offset, int size, long value) {
        }
    };

    /** A write-only register block: reads 0 (QEMU's default for a missing read callback), writes go to {@code w}. */
    static RegionOps writeOnly(Writer w) {
        return new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
                w.write(offset, size, value);
            }
        };
    }

    /**
     * A register block at most 32 bits wide whose model reads and writes {@code int}s: the value read is
     * zero-extended, the value written truncated to 32 bits.
     */
    static RegionOps of32(Reader32 r, Writer32 w) {
        return new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return r.read(offset, size) & 0xFFFFFFFFL;
            }

            @Override
            public void write(long offset, int size, long value) {
                w.write(offset, size, (int) value);
            }
        };
    }

    /** The read half of a 32-bit register block. */
    @FunctionalInterface
    interface Reader32 {
        int read(long offset, int size);
    }

    /** The write half of a 32-bit register block. */
    @FunctionalInterface
    interface Writer32 {
        void write(long offset, int size, int value);
    }

    /** The write half of a register block. */
    @FunctionalInterface
    interface Writer {
        void write(long offset, int size, long value);
    }
}
