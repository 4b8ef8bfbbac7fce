package dev.machina.hw.core;

/**
 * What a device gets for its {@code chardev} property (QEMU's {@code CharBackend}): it writes bytes
 * to the host side and, if it takes input, registers a {@link CharReceiver}. The host side (a file,
 * stdio, a socket, the console multiplexer) never blocks the guest: output the host cannot take is
 * dropped, as on a serial line nobody listens to.
 */
public interface CharFrontend extends ByteSink {
    /** Registers the device's receiver (replacing any earlier one). */
    void setReceiver(CharReceiver receiver);

    /** A chardev connected to nothing: output is dropped, no input ever comes. */
    CharFrontend NONE = new CharFrontend() {
        @Override
        public void write(int b) {
        }

        @Override
        public void setReceiver(CharReceiver receiver) {
        }
    };
}
