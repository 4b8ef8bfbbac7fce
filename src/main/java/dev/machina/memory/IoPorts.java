package dev.machina.memory;

/**
 * The x86 I/O port space (64 Ki byte-addressed ports, SDM Vol. 1 18.3): IN and OUT of 1, 2 or 4
 * bytes. A port nobody decodes reads all ones, as on a PC's ISA bus.
 */
public interface IoPorts {
    int in(int port, int size);

    void out(int port, int size, int value);

    /** No devices at all: every read is all ones, every write is dropped. */
    IoPorts NONE = new IoPorts() {
        @Override
        public int in(int port, int size) {
            return size == 4 ? -1 : (1 << (size * 8)) - 1;
        }

        @Override
        public void out(int port, int size, int value) {
        }
    };
}
