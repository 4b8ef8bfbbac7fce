package dev.machina.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * One machine's memory: the regions its board and devices make, the address spaces that show them
 * ({@code memory} and {@code I/O} as QEMU names them, plus any a device adds), and the backing
 * array of its RAM and ROM. Every change of a region re-flattens the address spaces at once, or at
 * the end of the outermost {@link #transaction} (QEMU's memory_region_transaction_begin/commit).
 * Nothing here is static: two machines in one JVM share nothing.
 */
public final class MemorySystem {
    /** The owner of regions the board makes itself. */
    public static final String MACHINE = "/machine";

    private final RamArena arena = new RamArena();
    private final List<AddressSpace> spaces = new ArrayList<>();
    private final MemoryRegion system;
    private final MemoryRegion io;
    private final AddressSpace memory;
    private final AddressSpace ioSpace;
    private int depth;
    private boolean pending;

    public MemorySystem() {
        system = container64(MACHINE, "system");
        io = new MemoryRegion(this, MemoryRegion.Kind.IO, MACHINE, "io", 0xFFFF, null, RegionOps.UNASSIGNED_IO,
                AccessRule.DEFAULT, null, 0, false);
        memory = addressSpace("memory", system);
        ioSpace = addressSpace("I/O", io);
    }

    /** The root of the CPU's physical address space (QEMU's {@code system}). */
    public MemoryRegion systemRoot() {
        return system;
    }

    /** The root of the I/O port space (QEMU's {@code io}, 64 KiB; unassigned ports read all ones). */
    public MemoryRegion ioRoot() {
        return io;
    }

    public AddressSpace memory() {
        return memory;
    }

    public AddressSpace io() {
        return ioSpace;
    }

    public List<AddressSpace> addressSpaces() {
        return List.copyOf(spaces);
    }

    /** A further address space over {@code root} (a bus master's view, SMM's view). */
    public AddressSpace addressSpace(String name, MemoryRegion root) {
        AddressSpace as = new AddressSpace(this, name, root);
        spaces.add(as);
        return as;
    }

    // -- regions ----------------------------------------------------------------------------

    private static long lastOf(long size, String name) {
        if (size <= 0) {
            throw new IllegalArgumentException("memory region " + name + " needs a positive size, not " + size);
        }
        return size - 1;
    }

    /** A container of {@code size} bytes: nothing of its own, only its subregions show. */
    public MemoryRegion container(String owner, String name, long size) {
        return new MemoryRegion(this, MemoryRegion.Kind.CONTAINER, owner, name, lastOf(size, name), null, null, null, null, 0, false);
    }

    /** A container spanning the whole 64-bit space (QEMU's UINT64_MAX-sized {@code system} and {@code pci}). */
    public MemoryRegion container64(String owner, String name) {
        return new MemoryRegion(this, MemoryRegion.Kind.CONTAINER, owner, name, -1L, null, null, null, null, 0, false);
    }

    /** Zero-filled RAM. */
    public MemoryRegion ram(String owner, String name, long size) {
        return new MemoryRegion(this, MemoryRegion.Kind.RAM, owner, name, lastOf(size, name), arena.allocate(name, size),
                null, null, null, 0, false);
    }

    /** ROM: RAM the guest cannot write; its contents come from {@link MemoryRegion#load}. */
    public MemoryRegion rom(String owner, String name, long size) {
        return new MemoryRegion(this, MemoryRegion.Kind.RAM, owner, name, lastOf(size, name), arena.allocate(name, size),
                null, null, null, 0, true);
    }

    /** Device registers: accesses go to {@code ops} under {@code rule}. */
    public MemoryRegion io(String owner, String name, long size, RegionOps ops, AccessRule rule) {
        return new MemoryRegion(this, MemoryRegion.Kind.IO, owner, name, lastOf(size, name), null, ops, rule, null, 0, false);
    }

    /** {@code size} bytes of {@code target} from {@code offset}, to be mapped elsewhere. */
    public MemoryRegion alias(String owner, String name, MemoryRegion target, long offset, long size) {
        return new MemoryRegion(this, MemoryRegion.Kind.ALIAS, owner, name, lastOf(size, name), null, null, null, target, offset, false);
    }

    /** An alias of all 2^64 bytes of {@code target} (QEMU's alias of a UINT64_MAX-sized root, as a PCI bus master's). */
    public MemoryRegion alias64(String owner, String name, MemoryRegion target) {
        return new MemoryRegion(this, MemoryRegion.Kind.ALIAS, owner, name, -1L, null, null, null, target, 0, false);
    }

    // -- changes ---------------------------------------------------------------------------

    /** Runs {@code changes} as one remap: the address spaces are re-flattened once, at the end. */
    public void transaction(Runnable changes) {
        begin();
        try {
            changes.run();
        } finally {
            commit();
        }
    }

    void begin() {
        depth++;
        pending = true;
    }

    void commit() {
        if (--depth == 0 && pending) {
            pending = false;
            for (AddressSpace as : spaces) {
                as.changed();
            }
        }
    }

    // -- backing ---------------------------------------------------------------------------

    /** Makes the backing array (once); afterwards no RAM or ROM region can be made. */
    byte[] seal() {
        return arena.seal();
    }

    public boolean sealed() {
        return arena.sealed();
    }

    /**
     * Told of every write into RAM that does not come from the CPU's own stores (DMA, loaders):
     * the machine drops decoded code there. Offsets are into the backing array.
     */
    public void onRamWritten(RamWriteListener l) {
        arena.setWriteListener(l::written);
    }

    /** See {@link #onRamWritten}. */
    @FunctionalInterface
    public interface RamWriteListener {
        void written(int backingOffset, int length);
    }
}
