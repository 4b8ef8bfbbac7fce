package dev.machina.hw.acpi;

import dev.machina.hw.core.Regions;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.RegionOps;
import java.util.function.IntConsumer;

/**
 * The Advanced Power Management control ports (QEMU 7.2 hw/isa/apm.c): APMC at 0xB2 (a write is
 * handed to the chipset, which turns ACPI on or off or raises an SMI) and APMS at 0xB3, a plain
 * scratch byte; both read back what was written. Region {@code apm-io}, 2 bytes, byte callbacks.
 */
public final class Apm {
    public static final int PORT = 0xB2;

    private final IntConsumer onCommand;
    private int apmc;
    private int apms;

    public Apm(IntConsumer onCommand) {
        this.onCommand = onCommand;
    }

    public int read(int offset) {
        return offset == 0 ? apmc : apms;
    }

    public void write(int offset, int v) {
        if (offset == 0) {
            apmc = v & 0xFF;
            onCommand.accept(apmc);
        } else {
            apms = v & 0xFF;
        }
    }

    public MemoryRegion region(Regions r) {
        return r.io("apm-io", 2, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return Apm.this.read((int) offset);
            }

            @Override
            public void write(long offset, int size, long value) {
                Apm.this.write((int) offset, (int) value);
            }
        }, AccessRule.sizes(1, 4, 1, 1));
    }

    public void reset() {
        // QEMU's APMState has no reset handler: APMC/APMS keep their values
    }
}
