package dev.machina.hw.misc;

import dev.machina.hw.core.CharFrontend;
import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.IsaSlot;
import dev.machina.memory.AccessRule;
import dev.machina.memory.RegionOps;

/**
 * {@code isa-debugcon}: one I/O port whose writes go to a chardev (QEMU hw/char/debugcon.c).
 *
 * <h2>QEMU interface</h2>
 * <ul>
 *   <li>Properties: {@code iobase} (default 0xe9), {@code chardev} (id; none: output dropped),
 *       {@code readback} (default 0xe9).</li>
 *   <li>I/O: region {@code debugcon}, 1 port at {@code iobase}; any access size is valid, callbacks
 *       see 1 to 4 bytes ({@code .valid.min_access_size = 1}, {@code .impl.min_access_size = 1}).</li>
 *   <li>No IRQ, no DMA, no reset state.</li>
 * </ul>
 * The reference binding for other devices: read the properties, make the register model, make the
 * region, map it.
 */
public final class IsaDebugcon implements DeviceModel.Isa {
    /** QEMU's debugcon_ops: any size valid (valid.max 0), callbacks 1..4 bytes. */
    static final AccessRule RULE = new AccessRule(1, 8, false, 1, 4, false, false);

    private final int iobase;
    private final int readback;
    private final String chardevId;

    /**
     * @param chardevId the {@code chardev} property, or null when unset
     */
    public IsaDebugcon(int iobase, int readback, String chardevId) {
        this.iobase = iobase;
        this.readback = readback;
        this.chardevId = chardevId;
    }

    @Override
    public void realize(IsaSlot slot) {
        CharFrontend chr = chardevId == null ? CharFrontend.NONE
                : slot.chardev(chardevId).orElseThrow(() -> new IllegalArgumentException(
                        "Property 'isa-debugcon.chardev' can't find value '" + chardevId + "'"));
        Debugcon model = new Debugcon(readback, chr);
        slot.registerIo(iobase, slot.regions().io("debugcon", 1, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return model.read();
            }

            @Override
            public void write(long offset, int size, long value) {
                model.write(value);
            }
        }, RULE));
    }
}
