package dev.machina.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Standard output or error as a PrintStream that keeps the first write error, to say why it failed. */
final class StdStream extends PrintStream {
    private final Recorder recorder;

    StdStream(java.io.FileDescriptor fd) {
        this(new Recorder(new java.io.FileOutputStream(fd)));
    }

    private StdStream(Recorder r) {
        super(r, true, StandardCharsets.UTF_8);
        this.recorder = r;
    }

    java.io.IOException failure() {
        return recorder.failure;
    }

    /** From now on the bytes go nowhere (a daemon's stderr once it is initialised: QEMU's dup2 of /dev/null). */
    void detach() {
        synchronized (this) {
            flush();
            recorder.detach();
        }
    }

    /** Passes bytes through and remembers the first IOException (PrintStream keeps only a flag). */
    private static final class Recorder extends java.io.FilterOutputStream {
        java.io.IOException failure;

        Recorder(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws java.io.IOException {
            try {
                out.write(b);
            } catch (java.io.IOException e) {
                throw keep(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            try {
                out.write(b, off, len);
            } catch (java.io.IOException e) {
                throw keep(e);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            try {
                out.flush();
            } catch (java.io.IOException e) {
                throw keep(e);
            }
        }

        void detach() {
            out = java.io.OutputStream.nullOutputStream();
        }

        private java.io.IOException keep(java.io.IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }
    }
}
