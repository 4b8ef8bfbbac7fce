package dev.machina.hw.core;

/**
 * Where a device model's output bytes go (a UART's transmitter, a debug console): the host side
 * (a chardev) implements it. A sink never blocks the guest and never throws: a host that cannot
 * take the byte drops it, as a serial line with nobody listening does.
 */
@FunctionalInterface
public interface ByteSink {
    void write(int b);

    ByteSink DISCARD = b -> { };
}
