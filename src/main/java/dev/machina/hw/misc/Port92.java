package dev.machina.hw.misc;

import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.MachineControl;
import dev.machina.hw.core.ShutdownCause;

/**
 * System control port A at 0x92 (the "fast A20 and reset" port of PS/2-era chipsets; QEMU
 * hw/isa/port92.c): bit 1 drives the A20 gate, a rising bit 0 resets the machine; a read returns
 * the last value written. Reset clears bit 0 and keeps the rest (port92_reset), so A20 stays as the
 * guest left it until the CPU's own reset turns it on.
 */
public final class Port92 {
    private final IrqLine a20;
    private final MachineControl machine;
    private int outport;

    public Port92(IrqLine a20, MachineControl machine) {
        this.a20 = a20;
        this.machine = machine;
    }

    public int read() {
        return outport;
    }

    public void write(int value) {
        int old = outport;
        outport = value & 0xFF;
        a20.set((value & 2) != 0);
        if ((value & 1) != 0 && (old & 1) == 0) {
            machine.requestReset(ShutdownCause.GUEST_RESET);
        }
    }

    public void reset() {
        outport &= ~1;
    }
}
