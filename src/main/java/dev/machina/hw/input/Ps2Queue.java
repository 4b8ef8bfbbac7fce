package dev.machina.hw.input;

/**
 * The byte queue between a PS/2 device and the i8042, as QEMU 7.2's ps2.c keeps it: at most 16
 * bytes of device data (scan codes, mouse packets), and in front of them the replies to the
 * last command byte, which the controller reads first; a new command byte discards replies the
 * guest has not read yet (QEMU's {@code ps2_cqueue_reset}).
 */
final class Ps2Queue {
    /** Device data the queue holds at most (QEMU's PS2_QUEUE_SIZE). */
    static final int SIZE = 16;

    private final byte[] replies = new byte[MAX_REPLIES];
    private int replyHead;
    private int replyCount;
    private final byte[] data = new byte[SIZE];
    private int dataHead;
    private int dataCount;

    int size() {
        return replyCount + dataCount;
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** Room for {@code n} more bytes of device data. */
    boolean fits(int n) {
        return size() + n <= SIZE;
    }

    /** Appends device data; dropped when the queue is full (as QEMU's ps2_queue). */
    void add(int b) {
        if (size() >= SIZE) {
            return;
        }
        data[(dataHead + dataCount) % SIZE] = (byte) b;
        dataCount++;
    }

    /** Starts the replies to a new command byte: unread replies to the previous one go. */
    void startReply() {
        replyHead = 0;
        replyCount = 0;
    }

    /** Appends a command reply (read before any device data). */
    void reply(int b) {
        if (replyCount < replies.length) {
            replies[replyCount++] = (byte) b;
        }
    }

    /** The next byte; the caller checks the queue is not empty. */
    int next() {
        if (replyCount > 0) {
            replyCount--;
            return replies[replyHead++] & 0xFF;
        }
        int b = data[dataHead] & 0xFF;
        dataHead = (dataHead + 1) % SIZE;
        dataCount--;
        return b;
    }

    void clear() {
        replyHead = 0;
        replyCount = 0;
        dataHead = 0;
        dataCount = 0;
    }

    /** The unread command replies (for a snapshot). */
    byte[] replyBytes() {
        byte[] out = new byte[replyCount];
        System.arraycopy(replies, replyHead, out, 0, replyCount);
        return out;
    }

    /** The queued device data, oldest first (for a snapshot). */
    byte[] dataBytes() {
        byte[] out = new byte[dataCount];
        for (int i = 0; i < dataCount; i++) {
            out[i] = data[(dataHead + i) % SIZE];
        }
        return out;
    }

    /** Replaces the contents (a snapshot's; the caller checked the sizes). */
    void load(byte[] replyBytes, byte[] dataBytes) {
        clear();
        for (byte b : replyBytes) {
            reply(b);
        }
        for (byte b : dataBytes) {
            add(b);
        }
    }

    /** Largest number of unread replies a command leaves (QEMU's longest: ACK + 3 bytes of status). */
    static final int MAX_REPLIES = 8;
}
