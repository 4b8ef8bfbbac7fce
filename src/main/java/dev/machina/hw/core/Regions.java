package dev.machina.hw.core;

import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.MemorySystem;
import dev.machina.memory.RegionOps;

/**
 * Makes memory regions owned by one device (its QOM path is their owner, so an overlap names it).
 * Mapping them is the bus slot's job ({@link IsaSlot#registerIo}, {@link SysBusSlot#initMmio}) or,
 * for a chipset, the device's own ({@link BoardMemory}).
 */
public final class Regions {
    private final MemorySystem memory;
    private final String owner;

    public Regions(MemorySystem memory, String owner) {
        this.memory = memory;
        this.owner = owner;
    }

    public String owner() {
        return owner;
    }

    /** Device registers of {@code size} bytes with QEMU's default access rule (1 to 4 bytes, aligned). */
    public MemoryRegion io(String name, long size, RegionOps ops) {
        return memory.io(owner, name, size, ops, AccessRule.DEFAULT);
    }

    public MemoryRegion io(String name, long size, RegionOps ops, AccessRule rule) {
        return memory.io(owner, name, size, ops, rule);
    }

    public MemoryRegion container(String name, long size) {
        return memory.container(owner, name, size);
    }

    public MemoryRegion ram(String name, long size) {
        return memory.ram(owner, name, size);
    }

    public MemoryRegion rom(String name, long size) {
        return memory.rom(owner, name, size);
    }

    public MemoryRegion alias(String name, MemoryRegion target, long offset, long size) {
        return memory.alias(owner, name, target, offset, size);
    }

    /** Runs {@code changes} as one remap (e.g. all four PAM segments a register write changes). */
    public void transaction(Runnable changes) {
        memory.transaction(changes);
    }
}
