package dev.machina.qmp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a QMP input stream into messages as QEMU's JSON streamer does: a message is one top-level JSON
 * value (an object or array ends when its brackets balance; strings may use single quotes); whitespace
 * between messages is skipped. QEMU's limits apply (qobject/json-streamer.c): a message over 64 MiB or
 * nested deeper than 1024 is answered with an error and the streamer starts afresh.
 */
final class JsonStreamer {
    static final int MAX_SIZE = 64 << 20;
    static final int MAX_NESTING = 1024;

    interface Sink {
        void message(String text);

        void error(String desc);
    }

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private int depth;
    private byte quote; // 0 outside a string
    private boolean escape;
    private boolean scalar; // inside a top-level number or keyword
    private final Sink sink;

    JsonStreamer(Sink sink) {
        this.sink = sink;
    }

    /** Bytes not yet part of a complete message (a client that sends half a message holds this much). */
    int pending() {
        return buf.size();
    }

    void feed(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (quote != 0) {
                buf.write(c);
                if (escape) {
                    escape = false;
                } else if (c == '\\') {
                    escape = true;
                } else if (c == quote) {
                    quote = 0;
                    if (depth == 0) {
                        emit();
                    }
                }
            } else if (scalar && (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '{' || c == '['
                    || c == '"' || c == '\'' || c == '}' || c == ']')) {
                emit();
                i--; // this byte starts the next message
                continue;
            } else if (c == '"' || c == '\'') {
                quote = c;
                buf.write(c);
            } else if (c == '{' || c == '[') {
                if (scalar) {
                    emit();
                }
                depth++;
                buf.write(c);
                if (depth > MAX_NESTING) {
                    reset();
                    sink.error("JSON nesting depth limit exceeded");
                    continue;
                }
            } else if (c == '}' || c == ']') {
                buf.write(c);
                depth--;
                if (depth <= 0) {
                    emit();
                }
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (depth > 0) {
                    buf.write(c);
                }
            } else {
                buf.write(c);
                if (depth == 0) {
                    scalar = true;
                }
            }
            if (buf.size() > MAX_SIZE) {
                reset();
                sink.error("JSON token size limit exceeded");
            }
        }
    }

    /** The end of the input: a pending top-level scalar is a message; an unfinished object is dropped. */
    void end() {
        if (scalar) {
            emit();
        }
        reset();
    }

    private void emit() {
        String text = buf.toString(StandardCharsets.UTF_8);
        reset();
        sink.message(text);
    }

    private void reset() {
        buf.reset();
        depth = 0;
        quote = 0;
        escape = false;
        scalar = false;
    }
}
