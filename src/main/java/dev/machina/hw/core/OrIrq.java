package dev.machina.hw.core;

/**
 * QEMU's {@code or-irq} (hw/core/or-irq.c): {@code num-lines} inputs, one output that is high while
 * any input is. The way two outputs share one input (level-triggered sharing, e.g. SCI and a PCI
 * interrupt on one line).
 *
 * <p>Pins: {@code unnamed-gpio-in[0..num-lines-1]}; {@code unnamed-gpio-out[0]}.
 */
public final class OrIrq implements DeviceModel.Plain {
    private final boolean[] levels;
    private IrqLine out = IrqLine.none();

    public OrIrq(int numLines) {
        if (numLines < 1 || numLines > 48) {
            throw new IllegalArgumentException("or-irq num-lines must be 1..48 (QEMU's MAX_OR_LINES), not " + numLines);
        }
        this.levels = new boolean[numLines];
    }

    @Override
    public void realize(DeviceSlot slot) {
        out = slot.gpio().outputs(1)[0];
        slot.gpio().inputs(levels.length, (i, level) -> {
            levels[i] = level;
            out.set(any());
        });
    }

    private boolean any() {
        for (boolean l : levels) {
            if (l) {
                return true;
            }
        }
        return false;
    }
}
