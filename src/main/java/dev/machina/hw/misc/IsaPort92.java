package dev.machina.hw.misc;

import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.IsaSlot;
import dev.machina.memory.AccessRule;
import dev.machina.memory.RegionOps;

/**
 * {@code port92}: binds {@link Port92} to an ISA slot.
 *
 * <h2>QEMU interface</h2>
 * <ul>
 *   <li>No properties.</li>
 *   <li>I/O: region {@code port92}, port 0x92 (PORT92 fixed by hw/isa/port92.c); callbacks are 1 byte
 *       ({@code .impl} 1..1), wider accesses are split.</li>
 *   <li>GPIO out: {@code a20[0]} (PORT92_A20_LINE), wired by the board to the CPU's A20 gate.</li>
 *   <li>Reset request on a rising bit 0 (SHUTDOWN_CAUSE_GUEST_RESET).</li>
 * </ul>
 */
public final class IsaPort92 implements DeviceModel.Isa {
    /** The port (hw/isa/port92.c maps its region at 0x92). */
    public static final int PORT = 0x92;

    private Port92 model;

    @Override
    public void realize(IsaSlot slot) {
        IrqLine a20 = slot.gpio().outputs("a20", 1)[0];
        Port92 m = new Port92(a20, slot.machine());
        model = m;
        slot.registerIo(PORT, slot.regions().io("port92", 1, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return m.read();
            }

            @Override
            public void write(long offset, int size, long value) {
                m.write((int) value);
            }
        }, AccessRule.sizes(1, 4, 1, 1)));
    }

    @Override
    public void reset() {
        if (model != null) {
            model.reset();
        }
    }
}
