package dev.machina.memory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text of QEMU's {@code info mtree} (HMP, {@code monitor/hmp-cmds.c} → {@code mtree_info} in
 * softmmu/memory.c) for one machine: every address space's tree, then each region an alias shows
 * ("memory-region: NAME"); with {@code flat}, every distinct flat view ({@code info mtree -f}).
 *
 * <p>Line format as QEMU 7.2 prints it: {@code START-LAST (prio P, TYPE): NAME}, or
 * {@code ... : alias NAME @TARGET OFFSET-LAST} for an alias, two spaces of indent per level;
 * subregions in address order (higher priority first at one address). Disabled regions are left
 * out but their subregions are listed (as QEMU 7.2 does without {@code -D}). Address spaces are
 * listed in the order they were made (QEMU's order is that of a hash table); spaces sharing a root
 * are listed together above it, in the order of their names.
 */
public final class Mtree {
    private Mtree() {}

    public static String render(MemorySystem ms, boolean flat) {
        StringBuilder sb = new StringBuilder();
        Map<MemoryRegion, List<AddressSpace>> byRoot = new LinkedHashMap<>();
        for (AddressSpace as : ms.addressSpaces()) {
            byRoot.computeIfAbsent(as.root(), k -> new ArrayList<>()).add(as);
        }
        // mtree_info_as: the spaces of one root in strcmp order of their names (g_slist_insert_sorted)
        byRoot.values().forEach(l -> l.sort((a, b) -> a.name().compareTo(b.name())));
        if (flat) {
            // flatviews_init/generate_memory_topology: spaces whose roots lead to the same flat-view root share one
            // FlatView; listed in the order the spaces were made
            Map<Optional<MemoryRegion>, List<AddressSpace>> byView = new LinkedHashMap<>();
            for (AddressSpace as : ms.addressSpaces()) {
                byView.computeIfAbsent(flatViewRoot(as.root()), k -> new ArrayList<>()).add(as);
            }
            int n = 0;
            for (Map.Entry<Optional<MemoryRegion>, List<AddressSpace>> e : byView.entrySet()) {
                sb.append("FlatView #").append(n++).append('\n');
                for (AddressSpace as : e.getValue()) {
                    sb.append(" AS \"").append(as.name()).append("\", root: ").append(as.root().name()).append('\n');
                }
                sb.append(" Root memory region: ").append(e.getKey().map(MemoryRegion::name).orElse("(none)")).append('\n');
                List<FlatRange> ranges = e.getKey().isEmpty() ? List.of() : e.getValue().get(0).flatView().ranges();
                if (ranges.isEmpty()) {
                    sb.append("  No rendered FlatView\n");
                }
                for (FlatRange r : ranges) {
                    sb.append("  ").append(hex(r.start())).append('-').append(hex(r.end() - 1))
                            .append(" (prio ").append(r.region().priority()).append(", ")
                            .append(r.readonly() ? "rom" : r.region().typeName()).append("): ").append(r.region().name());
                    if (r.offsetInRegion() != 0) {
                        sb.append(" @").append(hex(r.offsetInRegion()));
                    }
                    sb.append('\n');
                }
                sb.append('\n');
            }
            return sb.toString();
        }
        List<MemoryRegion> aliased = new ArrayList<>();
        for (Map.Entry<MemoryRegion, List<AddressSpace>> e : byRoot.entrySet()) {
            for (AddressSpace as : e.getValue()) {
                sb.append("address-space: ").append(as.name()).append('\n');
            }
            print(sb, e.getKey(), 1, 0, aliased);
            sb.append('\n');
        }
        for (int i = 0; i < aliased.size(); i++) {
            MemoryRegion mr = aliased.get(i);
            sb.append("memory-region: ").append(mr.name()).append('\n');
            print(sb, mr, 1, 0, aliased);
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * QEMU's {@code memory_region_get_flatview_root}: down through an alias of the whole of its target and
     * through a container whose one enabled subregion covers it from offset 0; empty for a disabled region
     * or a container with nothing enabled ("Root memory region: (none)").
     */
    static Optional<MemoryRegion> flatViewRoot(MemoryRegion mr) {
        while (mr.enabled()) {
            if (mr.kind() == MemoryRegion.Kind.ALIAS) {
                if (mr.aliasOffset() == 0 && Long.compareUnsigned(mr.lastOffset(), mr.aliasTarget().lastOffset()) >= 0) {
                    mr = mr.aliasTarget();
                    continue;
                }
            } else if (mr.kind() == MemoryRegion.Kind.CONTAINER) {
                int found = 0;
                MemoryRegion next = null;
                for (MemoryRegion child : mr.subregions()) {
                    if (child.enabled()) {
                        if (++found > 1) {
                            next = null;
                            break;
                        }
                        if (child.address() == 0 && Long.compareUnsigned(mr.lastOffset(), child.lastOffset()) >= 0) {
                            next = child;
                        }
                    }
                }
                if (found == 0) {
                    return Optional.empty();
                }
                if (next != null) {
                    mr = next;
                    continue;
                }
            }
            return Optional.of(mr);
        }
        return Optional.empty();
    }

    private static void print(StringBuilder sb, MemoryRegion mr, int level, long base, List<MemoryRegion> aliased) {
        long start = base + mr.address();
        long last = start + mr.lastOffset();
        if (mr.kind() == MemoryRegion.Kind.ALIAS && !aliased.contains(mr.aliasTarget())) {
            aliased.add(mr.aliasTarget());
        }
        if (mr.enabled()) {
            sb.append("  ".repeat(level)).append(hex(start)).append('-').append(hex(last))
                    .append(" (prio ").append(mr.priority()).append(", ").append(mr.typeName()).append("): ");
            if (mr.kind() == MemoryRegion.Kind.ALIAS) {
                sb.append("alias ").append(mr.name()).append(" @").append(mr.aliasTarget().name()).append(' ')
                        .append(hex(mr.aliasOffset())).append('-').append(hex(mr.aliasOffset() + mr.lastOffset()));
            } else {
                sb.append(mr.name());
            }
            sb.append('\n');
        }
        List<MemoryRegion> subs = new ArrayList<>(mr.subregions());
        // address order; at one address the higher priority first; otherwise the subregion list's order
        subs.sort((a, b) -> a.address() != b.address() ? Long.compareUnsigned(a.address(), b.address())
                : Integer.compare(b.priority(), a.priority()));
        for (MemoryRegion s : subs) {
            print(sb, s, level + 1, start, aliased);
        }
    }

    private static String hex(long v) {
        return String.format("%016x", v);
    }
}
