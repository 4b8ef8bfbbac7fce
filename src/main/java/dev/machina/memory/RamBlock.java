package dev.machina.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bytes of one RAM or ROM region: a page-aligned slice of the machine's single backing array
 * (the array the CPU's fast path reads). Before the array exists ({@link RamArena#seal}) loaded
 * contents are kept and copied in when it is made.
 */
final class RamBlock {
    private final RamArena arena;
    final String name;
    final int offset;
    final long size;
    private List<Pending> pending = new ArrayList<>();

    private record Pending(long at, byte[] data) {}

    RamBlock(RamArena arena, String name, int offset, long size) {
        this.arena = arena;
        this.name = name;
        this.offset = offset;
        this.size = size;
    }

    void load(long at, byte[] data) {
        if (at < 0 || at + data.length > size) {
            throw new IllegalArgumentException(data.length + " bytes at offset 0x" + Long.toHexString(at)
                    + " do not fit in " + name + " (0x" + Long.toHexString(size) + " bytes)");
        }
        byte[] b = arena.backingOrNull();
        if (b == null) {
            pending.add(new Pending(at, data.clone()));
        } else {
            System.arraycopy(data, 0, b, offset + (int) at, data.length);
            arena.written(offset + (int) at, data.length);
        }
    }

    byte[] read(long at, int length) {
        if (at < 0 || at + length > size) {
            throw new IllegalArgumentException(length + " bytes at offset 0x" + Long.toHexString(at) + " are outside " + name);
        }
        byte[] b = arena.backingOrNull();
        if (b != null) {
            return Arrays.copyOfRange(b, offset + (int) at, offset + (int) at + length);
        }
        byte[] out = new byte[length];
        for (Pending p : pending) {
            long from = Math.max(at, p.at), to = Math.min(at + length, p.at + p.data.length);
            if (from < to) {
                System.arraycopy(p.data, (int) (from - p.at), out, (int) (from - at), (int) (to - from));
            }
        }
        return out;
    }

    /** The sealed backing array (the machine runs, so it exists). */
    byte[] backing() {
        return arena.seal();
    }

    /** Tells the arena's listener that bytes at a backing offset changed behind the CPU's back. */
    void written(int backingOffset, int length) {
        arena.written(backingOffset, length);
    }

    void sealInto(byte[] backing) {
        for (Pending p : pending) {
            System.arraycopy(p.data, 0, backing, offset + (int) p.at, p.data.length);
        }
        pending = List.of();
    }
}
