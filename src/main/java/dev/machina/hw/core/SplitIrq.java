package dev.machina.hw.core;

/**
 * QEMU's {@code split-irq} (hw/core/split-irq.c): one input, {@code num-lines} outputs that all
 * follow it. The way one output reaches two inputs (an ISA IRQ to the 8259 and to the IOAPIC).
 *
 * <p>Pins: {@code unnamed-gpio-in[0]}; {@code unnamed-gpio-out[0..num-lines-1]}.
 */
public final class SplitIrq implements DeviceModel.Plain {
    private final int lines;

    public SplitIrq(int numLines) {
        if (numLines < 1 || numLines > 16) {
            throw new IllegalArgumentException("split-irq num-lines must be 1..16 (QEMU's MAX_SPLIT_LINES), not " + numLines);
        }
        this.lines = numLines;
    }

    @Override
    public void realize(DeviceSlot slot) {
        IrqLine[] out = slot.gpio().outputs(lines);
        slot.gpio().inputs(1, (i, level) -> {
            for (IrqLine o : out) {
                o.set(level);
            }
        });
    }
}
