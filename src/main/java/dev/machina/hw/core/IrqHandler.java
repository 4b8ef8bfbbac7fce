package dev.machina.hw.core;

/**
 * The receiving side of a device's numbered GPIO inputs (QEMU's {@code qemu_irq_handler}): called
 * with the input's index and its new level whenever the line driving it is set.
 */
@FunctionalInterface
public interface IrqHandler {
    void set(int index, boolean level);
}
