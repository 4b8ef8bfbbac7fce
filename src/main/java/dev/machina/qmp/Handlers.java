package dev.machina.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Java side of the schema's commands: one handler per command name. A command in the schema
 * without a handler is not offered (query-commands leaves it out, calling it is CommandNotFound), so the
 * schema can declare what is coming without promising it.
 */
final class Handlers {
    /** One call: the server, the calling session and the validated arguments. */
    record Call(QmpServer server, Session session, ObjectNode args) {
        String str(String name) {
            JsonNode v = args.get(name);
            return v == null ? null : v.textValue();
        }

        boolean bool(String name, boolean dflt) {
            JsonNode v = args.get(name);
            return v == null ? dflt : v.booleanValue();
        }
    }

    interface Handler {
        JsonNode run(Call c);
    }

    private final Map<String, Handler> handlers = new TreeMap<>();

    Handlers add(String name, Handler h) {
        handlers.put(name, h);
        return this;
    }

    boolean has(String name) {
        return handlers.containsKey(name);
    }

    JsonNode run(String name, Call c) {
        return handlers.get(name).run(c);
    }

    java.util.Set<String> names() {
        return handlers.keySet();
    }
}
