package dev.machina.hw.core;

/**
 * The time a device model sees, in nanoseconds since the machine was powered on. In a running VM
 * this is the virtual clock (derived from retired instructions, so runs are repeatable); in a test
 * it is a fake clock the test advances. A model never reads the host's clock itself.
 */
@FunctionalInterface
public interface Clock {
    /** Nanoseconds since power-on; never decreases. */
    long nanos();
}
