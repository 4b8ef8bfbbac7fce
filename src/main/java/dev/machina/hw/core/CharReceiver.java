package dev.machina.hw.core;

/**
 * A device's receiving side of a character device (QEMU's {@code fd_can_read}/{@code fd_read}
 * handlers): the host side delivers bytes only while the device says it can take them, so a UART's
 * FIFO is never overrun by a fast host (the bytes wait in the chardev instead).
 */
public interface CharReceiver {
    /** How many bytes the device can take now (0 when its receive buffer is full). */
    int canReceive();

    /** One byte from the host. Called only after {@link #canReceive()} allowed it. */
    void receive(int b);
}
