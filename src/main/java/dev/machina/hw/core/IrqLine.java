package dev.machina.hw.core;

/**
 * One interrupt wire as a device model sees it: the output side drives a level, the input side
 * reacts to it (QEMU's {@code qemu_irq}). A model gets its output lines in its constructor and
 * never knows what is on the other end (a PIC pin, an or-gate, a split to the 8259 and the IOAPIC,
 * or nothing).
 *
 * <p>Edge-triggered inputs see a rising edge when the level goes from low to high; {@link #pulse()}
 * is a raise followed by a lower, as QEMU's {@code qemu_irq_pulse}.
 */
@FunctionalInterface
public interface IrqLine {
    /** Drives the line high ({@code true}) or low. Setting the level it already has is allowed. */
    void set(boolean level);

    default void raise() {
        set(true);
    }

    default void lower() {
        set(false);
    }

    /** A raise followed by a lower: one edge for an edge-triggered input. */
    default void pulse() {
        set(true);
        set(false);
    }

    /**
     * A line connected to nothing (QEMU leaves an unwired GPIO output NULL; driving it does nothing). A method,
     * not a constant: an interface with a static initializer cannot have the lambdas that implement it kept in
     * the JVM's ahead-of-time cache ("Cannot aot-resolve Lambda proxy of interface type IrqLine"), and a PC's
     * interrupt wiring is 13 of them, each otherwise spun as a class at every start.
     */
    static IrqLine none() {
        return UnwiredIrq.LINE;
    }
}
