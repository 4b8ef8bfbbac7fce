package dev.machina.qmp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * QMP events: each is sent, with a host-clock timestamp, to every client that has finished capabilities
 * negotiation (QEMU sends none before it), as {@code {"timestamp": {"seconds", "microseconds"}, "event",
 * "data"}}.
 */
public final class Events {
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    void listen(Consumer<String> l) {
        listeners.add(l);
    }

    void unlisten(Consumer<String> l) {
        listeners.remove(l);
    }

    /** Emits an event with no data. */
    public void emit(String name) {
        emit(name, null);
    }

    /** Emits an event; {@code data} null means none (QEMU leaves the member out). */
    public void emit(String name, ObjectNode data) {
        java.time.Instant now = java.time.Instant.now();
        ObjectNode e = QmpJson.object();
        ObjectNode ts = e.putObject("timestamp");
        ts.put("seconds", now.getEpochSecond());
        ts.put("microseconds", now.getNano() / 1000);
        e.put("event", name);
        if (data != null) {
            e.set("data", data);
        }
        String line = QmpJson.write(e);
        for (Consumer<String> l : listeners) {
            l.accept(line);
        }
    }

    /** The data of SHUTDOWN and RESET: {@code {"guest": ..., "reason": ...}}. */
    public static ObjectNode cause(boolean guest, String reason) {
        ObjectNode d = QmpJson.object();
        d.put("guest", guest);
        d.put("reason", reason);
        return d;
    }
}
