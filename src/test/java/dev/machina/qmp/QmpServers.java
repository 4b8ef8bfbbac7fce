package dev.machina.qmp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The QMP servers one test starts ({@link QmpClient#serveNone}), closed after the test whatever its outcome, so a
 * failed assertion never leaves a listening socket or its threads behind for the next test. Register it as an
 * instance field: {@code @RegisterExtension final QmpServers servers = new QmpServers();}.
 */
final class QmpServers implements AfterEachCallback {
    private final List<QmpServer> started = new ArrayList<>();

    /** A server on {@code sock} with no machine (as {@code -machine none}), answering from {@code data}. */
    QmpServer serveNone(Path sock, dev.machina.cli.Context data) throws IOException {
        QmpServer s = QmpClient.serveNone(sock, data);
        started.add(s);
        return s;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (QmpServer s : started) {
            s.close();
        }
        started.clear();
    }
}
