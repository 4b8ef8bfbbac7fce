package dev.machina.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A node of a machine's memory tree (QEMU's {@code MemoryRegion}): a container of subregions, RAM
 * (or ROM: read-only RAM), an I/O region whose accesses go to a device's {@link RegionOps}, or an
 * alias showing part of another region at another address. Made by a {@link MemorySystem}, which
 * re-flattens every address space after each change (a remap costs the CPU a TLB flush).
 *
 * <h2>Rules (QEMU's)</h2>
 * <ul>
 *   <li>A subregion sits at an offset in its container with a priority; where siblings overlap the
 *       higher priority shows, and among equal priorities the one added last. A container's own
 *       range shows through where no subregion covers it (an I/O region with subregions, like the
 *       RTC's, dispatches the gaps to itself; a pure container leaves them unassigned).</li>
 *   <li>{@link #addSubregion} claims its range: a sibling added the same way that intersects it is a
 *       {@link MemoryException} naming both regions and their owners' QOM paths (QEMU has no such
 *       guard; two devices on one I/O port are a configuration error here).
 *       {@link #addSubregionOverlap} is for intended overlaps (PAM, SMRAM, PCI BARs, the LAPIC).</li>
 *   <li>A disabled region and everything under it is not mapped; a read-only alias of RAM maps the
 *       RAM for reading and drops writes.</li>
 * </ul>
 * Sizes and offsets are in bytes; a region may span the whole 64-bit space ({@link MemorySystem#container64}).
 */
public final class MemoryRegion {
    /** What a region is. */
    public enum Kind { CONTAINER, RAM, IO, ALIAS }

    private final MemorySystem system;
    private final Kind kind;
    private final String owner;
    private final String name;
    /** Size − 1 (so that a region of 2^64 bytes is representable: last = 0xFFFF_FFFF_FFFF_FFFF). */
    private final long last;
    private final RamBlock ram;
    private final RegionOps ops;
    private final AccessRule rule;
    private final MemoryRegion aliasTarget;
    private long aliasOffset;
    private boolean readonly;
    private boolean enabled = true;

    // position in the parent
    private MemoryRegion container;
    private long addr;
    private int priority;
    private boolean mayOverlap;
    /** Subregions, highest priority first, the newest first among equal priorities (QEMU's order). */
    private final List<MemoryRegion> subregions = new ArrayList<>();

    MemoryRegion(MemorySystem system, Kind kind, String owner, String name, long last, RamBlock ram, RegionOps ops,
                 AccessRule rule, MemoryRegion aliasTarget, long aliasOffset, boolean readonly) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a memory region needs a name");
        }
        this.system = system;
        this.kind = kind;
        this.owner = owner;
        this.name = name;
        this.last = last;
        this.ram = ram;
        this.ops = ops;
        this.rule = rule;
        this.aliasTarget = aliasTarget;
        this.aliasOffset = aliasOffset;
        this.readonly = readonly;
    }

    public Kind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    /** QOM path of the object that made the region ({@code /machine} for the board's own). */
    public String owner() {
        return owner;
    }

    /** Size − 1: the offset of the last byte (0xFFFFFFFFFFFFFFFF for a region of the whole 64-bit space). */
    public long lastOffset() {
        return last;
    }

    /** Size in bytes; a region of 2^64 bytes reports {@link Long#MAX_VALUE}. */
    public long size() {
        return last == -1L ? Long.MAX_VALUE : last + 1;
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean readonly() {
        return readonly;
    }

    public int priority() {
        return priority;
    }

    /** Offset in the container it was added to (0 when it is not a subregion). */
    public long address() {
        return addr;
    }

    public Optional<MemoryRegion> container() {
        return Optional.ofNullable(container);
    }

    public List<MemoryRegion> subregions() {
        return Collections.unmodifiableList(subregions);
    }

    /** The aliased region; only for {@link Kind#ALIAS}. */
    public MemoryRegion aliasTarget() {
        requireKind(Kind.ALIAS);
        return aliasTarget;
    }

    public long aliasOffset() {
        requireKind(Kind.ALIAS);
        return aliasOffset;
    }

    RamBlock ramBlock() {
        return ram;
    }

    RegionOps ops() {
        return ops;
    }

    AccessRule rule() {
        return rule;
    }

    /** "rom" for read-only RAM, "ram", or "i/o"; an alias shows its target's kind (QEMU's memory_region_type). */
    public String typeName() {
        return switch (kind) {
            case ALIAS -> aliasTarget.typeName();
            case RAM -> readonly ? "rom" : "ram";
            default -> "i/o";
        };
    }

    private void requireKind(Kind k) {
        if (kind != k) {
            throw new IllegalStateException(name + " is not " + k);
        }
    }

    // -- tree changes ------------------------------------------------------------------------

    /** Maps {@code sub} at {@code offset}, priority 0, claiming its range (see the class rules). */
    public void addSubregion(long offset, MemoryRegion sub) {
        add(offset, sub, 0, false);
    }

    /** Maps {@code sub} at {@code offset} with a priority, allowed to overlap its siblings. */
    public void addSubregionOverlap(long offset, MemoryRegion sub, int priority) {
        add(offset, sub, priority, true);
    }

    private void add(long offset, MemoryRegion sub, int prio, boolean overlap) {
        if (kind == Kind.ALIAS) {
            throw new IllegalStateException("an alias (" + name + ") has no subregions");
        }
        if (sub.system != system) {
            throw new IllegalArgumentException(sub.name + " belongs to another machine's memory");
        }
        if (sub.container != null) {
            throw new IllegalStateException(sub.name + " is already mapped in " + sub.container.name);
        }
        for (MemoryRegion r = this; r != null; r = r.container) {
            if (r == sub) {
                throw new IllegalArgumentException(sub.name + " cannot be mapped inside itself");
            }
        }
        if (Long.compareUnsigned(offset, last) > 0 || Long.compareUnsigned(sub.last, last - offset) > 0) {
            throw new MemoryException(new MemoryError.OutOfRange(sub.name, sub.owner, offset, sub.last, name, owner, last));
        }
        if (!overlap) {
            for (MemoryRegion other : subregions) {
                if (!other.mayOverlap && intersects(offset, sub.last, other.addr, other.last)) {
                    throw new MemoryException(new MemoryError.Overlap(name, sub.name, sub.owner, offset, offset + sub.last,
                            other.name, other.owner, other.addr, other.addr + other.last));
                }
            }
        }
        system.begin();
        try {
            sub.container = this;
            sub.addr = offset;
            sub.priority = prio;
            sub.mayOverlap = overlap;
            int i = 0;
            while (i < subregions.size() && subregions.get(i).priority > prio) {
                i++;
            }
            subregions.add(i, sub);
        } finally {
            system.commit();
        }
    }

    private static boolean intersects(long a, long aLast, long b, long bLast) {
        long aEnd = a + aLast; // inclusive ends; subregions lie inside a container, so no wrap past 2^64
        long bEnd = b + bLast;
        return Long.compareUnsigned(a, bEnd) <= 0 && Long.compareUnsigned(b, aEnd) <= 0;
    }

    /** Unmaps {@code sub}; it may be added again, anywhere. */
    public void removeSubregion(MemoryRegion sub) {
        if (sub.container != this) {
            throw new IllegalArgumentException(sub.name + " is not a subregion of " + name);
        }
        system.begin();
        try {
            subregions.remove(sub);
            sub.container = null;
        } finally {
            system.commit();
        }
    }

    /** Shows or hides the region (QEMU's memory_region_set_enabled). */
    public void setEnabled(boolean on) {
        if (on != enabled) {
            system.begin();
            enabled = on;
            system.commit();
        }
    }

    /** Moves the region inside its container, keeping its priority (memory_region_set_address). */
    public void setAddress(long offset) {
        if (offset == addr) {
            return;
        }
        MemoryRegion c = container;
        if (c == null) {
            addr = offset;
            return;
        }
        system.begin();
        try {
            int prio = priority;
            boolean overlap = mayOverlap;
            c.removeSubregion(this);
            c.add(offset, this, prio, overlap);
        } finally {
            system.commit();
        }
    }

    /** Points an alias at another offset of its target (memory_region_set_alias_offset). */
    public void setAliasOffset(long offset) {
        requireKind(Kind.ALIAS);
        if (offset != aliasOffset) {
            system.begin();
            aliasOffset = offset;
            system.commit();
        }
    }

    /** A read-only RAM region or alias drops writes (memory_region_set_readonly). */
    public void setReadonly(boolean ro) {
        if (ro != readonly) {
            system.begin();
            readonly = ro;
            system.commit();
        }
    }

    // -- RAM contents --------------------------------------------------------------------------

    /** Copies bytes into this RAM or ROM region at {@code offset} (a loader's write; ROM included). */
    public void load(long offset, byte[] data) {
        requireKind(Kind.RAM);
        ram.load(offset, data);
    }

    /** Reads bytes of this RAM or ROM region (for tests, dumps and device models that own RAM). */
    public byte[] contents(long offset, int length) {
        requireKind(Kind.RAM);
        return ram.read(offset, length);
    }

    @Override
    public String toString() {
        return name + (owner == null ? "" : " (" + owner + ")");
    }
}
