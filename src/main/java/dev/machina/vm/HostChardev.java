package dev.machina.vm;

import dev.machina.hw.core.CharFrontend;
import dev.machina.hw.core.CharReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The host side of one {@code -chardev} (QEMU's {@code Chardev}): what a device writes goes to an
 * output stream (never blocking the guest for long: a stream that fails is dropped, as a serial
 * line nobody listens to), and bytes from the host wait in a queue until the run loop
 * ({@link #deliver}) hands them to the device's receiver as fast as it takes them.
 */
class HostChardev implements CharFrontend {
    final String id;
    private final OutputStream out;
    private final boolean flushEachByte;
    private final ConcurrentLinkedQueue<Integer> input = new ConcurrentLinkedQueue<>();
    private CharReceiver receiver;
    private boolean broken;
    /** Sees every byte a device writes (the run's {@link RunStats}), or null. */
    java.util.function.IntConsumer tap;

    HostChardev(String id, OutputStream out, boolean flushEachByte) {
        this.id = id;
        this.out = out;
        this.flushEachByte = flushEachByte;
    }

    @Override
    public void write(int b) {
        if (tap != null) {
            tap.accept(b);
        }
        if (out == null || broken) {
            return;
        }
        try {
            out.write(b);
            if (flushEachByte || b == '\n') {
                out.flush();
            }
        } catch (IOException e) {
            broken = true; // the reader went away (a closed pipe): the guest keeps running
        }
    }

    @Override
    public void setReceiver(CharReceiver r) {
        this.receiver = r;
    }

    /** Bytes from the host (any thread). */
    void offer(int b) {
        input.add(b & 0xFF);
    }

    boolean hasInput() {
        return !input.isEmpty();
    }

    /** On the guest thread: hands queued input to the device while it can take it. */
    void deliver() {
        CharReceiver r = receiver;
        if (r == null) {
            return;
        }
        while (!input.isEmpty() && r.canReceive() > 0) {
            Integer b = input.poll();
            if (b == null) {
                break;
            }
            r.receive(b);
        }
    }

    void flush() {
        if (out != null && !broken) {
            try {
                out.flush();
            } catch (IOException e) {
                broken = true;
            }
        }
    }

    void close() {
        flush();
    }

    /** Starts a daemon thread copying {@code in} into this chardev's input (stdio, a pipe). */
    void readFrom(InputStream in, String what, Runnable onByte) {
        Thread t = new Thread(() -> {
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    offer(b);
                    onByte.run();
                }
            } catch (IOException e) {
                // the host side closed: no more input
            }
        }, "machina-chardev-" + what);
        t.setDaemon(true);
        t.start();
    }
}
