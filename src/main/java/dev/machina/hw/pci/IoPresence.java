package dev.machina.hw.pci;

import dev.machina.memory.MemoryRegion;

/** QEMU's memory_region_present: does any enabled region under {@code root} (not root itself) cover {@code addr}? */
final class IoPresence {
    private IoPresence() {}

    static boolean present(MemoryRegion root, long addr) {
        for (MemoryRegion sub : root.subregions()) {
            if (!sub.enabled()) {
                continue;
            }
            long off = addr - sub.address();
            if (off < 0 || off >= sub.size()) {
                continue;
            }
            if (sub.kind() != MemoryRegion.Kind.CONTAINER || present(sub, off)) {
                return true;
            }
        }
        return false;
    }
}
