package dev.machina;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives the test JVM a standard input that nobody types into, for the whole launcher session (registered in
 * META-INF/services). Tests run {@code machina run ... -serial stdio / -monitor stdio / -qmp stdio} in-process,
 * and those read {@code System.in}; in a Surefire fork that is Surefire's command channel, so a reader left
 * blocked on it took the bytes of the end-of-run acknowledgement and every fork waited 30 s for it ("Surefire is
 * going to kill self fork JVM. The exit has elapsed 30 seconds after System.exit(0)" in every verify). Reads of
 * this stream block as a quiet terminal's do, so what the tests see is what they saw before.
 */
public final class IdleStdin implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        System.setIn(new Quiet());
    }

    /** Never has a byte and never ends; a read waits until its thread is interrupted. */
    static final class Quiet extends InputStream {
        @Override
        public int read() throws InterruptedIOException {
            return read(new byte[1], 0, 1);
        }

        @Override
        public int read(byte[] b, int off, int len) throws InterruptedIOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            synchronized (this) {
                while (true) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("standard input read interrupted");
                    }
                }
            }
        }

        @Override
        public int available() {
            return 0;
        }
    }
}
