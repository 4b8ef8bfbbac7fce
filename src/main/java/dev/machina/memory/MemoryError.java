package dev.machina.memory;

/**
 * What can be wrong with a memory or I/O map a machine asks for; each says which regions and whose
 * (QOM paths of their owners) so a board or device error names both sides.
 */
public sealed interface MemoryError {
    String message();

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String who(String region, String owner) {
        return "'" + region + "'" + (owner == null ? "" : " of " + owner);
    }

    /** Two claimed subregions of one container intersect (two devices on one port or range). */
    record Overlap(String container, String region, String owner, long first, long last,
                   String otherRegion, String otherOwner, long otherFirst, long otherLast) implements MemoryError {
        @Override
        public String message() {
            String space = container.equals("io") ? "I/O ports " : "addresses ";
            return space + hex(first) + "-" + hex(last) + " of " + who(region, owner) + " overlap " + hex(otherFirst) + "-"
                    + hex(otherLast) + " of " + who(otherRegion, otherOwner) + " in '" + container + "'";
        }
    }

    /** A subregion does not fit in its container. */
    record OutOfRange(String region, String owner, long offset, long last, String container, String containerOwner,
                      long containerLast) implements MemoryError {
        @Override
        public String message() {
            return who(region, owner) + " at " + hex(offset) + " (size " + hex(last + 1) + ") does not fit in "
                    + who(container, containerOwner) + " (size " + hex(containerLast + 1) + ")";
        }
    }

    /** RAM and ROM together exceed what one backing array holds. */
    record TooMuchRam(String region, long size, long allocated, long max) implements MemoryError {
        @Override
        public String message() {
            return "RAM region '" + region + "' of " + size + " bytes does not fit: RAM and ROM together are limited to "
                    + max + " bytes (" + allocated + " already used)";
        }
    }
}
