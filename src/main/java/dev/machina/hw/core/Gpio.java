package dev.machina.hw.core;

/**
 * A device's named interrupt and signal pins (QEMU's qdev GPIOs). Inputs are declared with the
 * handler that receives them; outputs are lines the device drives and the board connects to some
 * other device's input according to the machine's {@code wires:} data (before or after realize).
 * Names are QEMU's: an input array {@code name} has pins {@code name[0]..name[n-1]}; a null name
 * means QEMU's unnamed pins ({@code unnamed-gpio-in[N]}, {@code unnamed-gpio-out[N]}); a sysbus
 * device's interrupt outputs are {@code sysbus-irq[N]}.
 *
 * <p>An output that the wiring leaves unconnected drives nothing (QEMU leaves it NULL).
 */
public interface Gpio {
    /** QEMU's {@code qdev_init_gpio_in_named}: {@code count} inputs delivered to {@code handler}. */
    void inputs(String name, int count, IrqHandler handler);

    /** QEMU's {@code qdev_init_gpio_out_named}: {@code count} output lines for the device to drive. */
    IrqLine[] outputs(String name, int count);

    /** The unnamed inputs ({@code unnamed-gpio-in[N]}). */
    default void inputs(int count, IrqHandler handler) {
        inputs(null, count, handler);
    }

    /** The unnamed outputs ({@code unnamed-gpio-out[N]}). */
    default IrqLine[] outputs(int count) {
        return outputs(null, count);
    }
}
