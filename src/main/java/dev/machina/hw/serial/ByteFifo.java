package dev.machina.hw.serial;

/** A bounded first-in first-out queue of bytes (the 16550A's 16-byte receiver FIFO). */
final class ByteFifo {
    private final byte[] buf;
    private int head;
    private int size;

    ByteFifo(int capacity) {
        buf = new byte[capacity];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Appends {@code b}; the caller checks there is room. */
    void push(int b) {
        buf[(head + size) % buf.length] = (byte) b;
        size++;
    }

    int pop() {
        int b = buf[head] & 0xFF;
        head = (head + 1) % buf.length;
        size--;
        return b;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    /** The bytes, oldest first. */
    byte[] toArray() {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = buf[(head + i) % buf.length];
        }
        return out;
    }
}
