package dev.machina.qmp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The human monitor on a character device ({@code -monitor stdio}, {@code -mon chardev=ID}): QEMU's
 * banner, the {@code (qemu) } prompt, one command per line.
 */
final class HmpSession implements QmpServer.Client {
    private final QmpServer server;
    private final InputStream in;
    private final OutputStream out;
    private final Runnable onClose;
    private volatile boolean closed;

    HmpSession(QmpServer server, InputStream in, OutputStream out, Runnable onClose) {
        this.server = server;
        this.in = in;
        this.out = out;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        Hmp hmp = new Hmp(server.context());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            write("QEMU " + MonitorContext.QEMU_MAJOR + "." + MonitorContext.QEMU_MINOR + "." + MonitorContext.QEMU_MICRO
                    + " monitor - type 'help' for more information\n(qemu) ");
            server.greeted();
            String line;
            while (!closed && (line = r.readLine()) != null) {
                String reply = hmp.run(line);
                write(reply);
                if (server.context().exitRequested()) {
                    server.quitRequested();
                    return;
                }
                write("(qemu) ");
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            close();
        }
    }

    private void write(String s) throws IOException {
        out.write(s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            in.close();
            out.close();
        } catch (IOException e) {
            // already gone
        }
        onClose.run();
    }
}
