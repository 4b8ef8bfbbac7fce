package dev.machina.hw.misc;

import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.IsaSlot;
import dev.machina.hw.core.MachineControl;
import dev.machina.memory.AccessRule;
import dev.machina.memory.RegionOps;

/**
 * {@code isa-debug-exit}: writing {@code v} ends the emulator with exit status {@code (v << 1) | 1}
 * (QEMU hw/misc/debugexit.c, which calls {@code exit()}); test guests report pass/fail through it.
 *
 * <h2>QEMU interface</h2>
 * <ul>
 *   <li>Properties: {@code iobase} (default 0x501), {@code iosize} (default 2).</li>
 *   <li>I/O: region {@code isa-debug-exit}, {@code iosize} ports at {@code iobase}; accesses of 1 to
 *       4 bytes; reads return 0.</li>
 *   <li>No IRQ, no reset state. The value is the access's {@code size} bytes; the status is an
 *       {@code int} (the host keeps its low 8 bits).</li>
 * </ul>
 */
public final class IsaDebugExit implements DeviceModel.Isa {
    private final int iobase;
    private final int iosize;

    public IsaDebugExit(int iobase, int iosize) {
        if (iosize < 1) {
            throw new IllegalArgumentException("isa-debug-exit: iosize must be at least 1, not " + iosize);
        }
        this.iobase = iobase;
        this.iosize = iosize;
    }

    /** The exit status for a written value (QEMU's {@code (val << 1) | 1}). */
    public static int status(long value) {
        return (int) ((value << 1) | 1);
    }

    @Override
    public void realize(IsaSlot slot) {
        MachineControl machine = slot.machine();
        slot.registerIo(iobase, slot.regions().io("isa-debug-exit", iosize,
                RegionOps.writeOnly((offset, size, value) -> machine.requestExit(status(value))), AccessRule.sizes(1, 4)));
    }
}
