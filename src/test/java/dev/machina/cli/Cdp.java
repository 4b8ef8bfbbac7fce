package dev.machina.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A headless Chromium driven over its DevTools protocol: the browser is started with
 * {@code --remote-debugging-port=0} (it picks a free port and prints its WebSocket address on
 * stderr), and commands and events are JSON messages on that WebSocket ({@code java.net.http}),
 * parsed with Jackson. One page target, attached in flat mode (commands carry its session id).
 *
 * <p>Why this and not Selenium: it needs no dependency beyond the JDK and the Jackson the build
 * already has, and no chromedriver whose version must match the browser's; the few commands a test
 * needs (navigate, evaluate, screenshot, console events) are the protocol's own.
 */
final class Cdp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A console error, an uncaught exception or a failed load, as the browser reported it. */
    record Problem(String kind, String text) {}

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private String session;

    private record Waiter(String method, Predicate<JsonNode> test, CompletableFuture<JsonNode> done) {}

    /** The browser executable: {@code MACHINA_CHROMIUM}, else {@code chromium} on the PATH; null if there is none. */
    static Path find() {
        String env = System.getenv("MACHINA_CHROMIUM");
        if (env != null && !env.isEmpty()) {
            return Files.isExecutable(Path.of(env)) ? Path.of(env) : null;
        }
        String path = System.getenv("PATH");
        for (String d : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(d.isEmpty() ? "." : d, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private Cdp(Process process, WebSocket.Builder builder, URI uri) {
        this.process = process;
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    /** Starts the browser (headless, a fresh profile in {@code profile}, a window of the given size) and opens a page. */
    static Cdp start(Path chromium, Path profile, int width, int height) throws IOException {
        Files.createDirectories(profile);
        List<String> cmd = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--no-default-browser-check", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "--remote-debugging-port=0", "about:blank");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String ws = null;
        String line;
        while ((line = err.readLine()) != null) {
            seen.append(line).append('\n');
            int at = line.indexOf("ws://");
            if (line.startsWith("DevTools listening on ") && at >= 0) {
                ws = line.substring(at).trim();
                break;
            }
        }
        if (ws == null) {
            p.destroyForcibly();
            throw new IOException("chromium ended without a DevTools address; it said:\n" + seen);
        }
        Cdp c = new Cdp(p, HttpClient.newHttpClient().newWebSocketBuilder(), URI.create(ws));
        c.stderr.append(seen);
        Thread drain = new Thread(() -> {
            try {
                String l;
                while ((l = err.readLine()) != null) {
                    synchronized (c.stderr) {
                        c.stderr.append(l).append('\n');
                    }
                }
            } catch (IOException e) {
                // the browser has gone
            }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        String target = c.call("Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
        c.session = c.call("Target.attachToTarget", Map.of("targetId", target, "flatten", true)).get("sessionId").asText();
        c.call("Page.enable", Map.of());
        c.call("Runtime.enable", Map.of());
        c.call("Log.enable", Map.of());
        c.call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", false));
        return c;
    }

    /** A command to the page (or, before a page is attached, to the browser); its result, or an error. */
    JsonNode call(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (session != null) {
            msg.put("sessionId", session);
        }
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        synchronized (socket) {
            socket.sendText(msg.toString(), true).join();
        }
        JsonNode reply = f.join();
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.get("result");
    }

    /** Opens a URL and returns once its load event has fired. */
    void navigate(String url) {
        CompletableFuture<JsonNode> loaded = event("Page.loadEventFired", e -> true);
        JsonNode r = call("Page.navigate", Map.of("url", url));
        if (r.has("errorText")) {
            throw new IllegalStateException("cannot open " + url + ": " + r.get("errorText").asText());
        }
        loaded.join();
    }

    /** A JavaScript expression's value in the page (awaited if it is a promise). */
    JsonNode evaluate(String expression) {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw: " + r.get("exceptionDetails"));
        }
        return r.get("result").get("value");
    }

    /** A PNG of what the page shows. */
    byte[] screenshot() {
        return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png")).get("data").asText());
    }

    /** What the browser reported as wrong so far: console errors, exceptions, error log entries. */
    synchronized List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** What the browser wrote on stderr (for a failure message). */
    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private synchronized CompletableFuture<JsonNode> event(String method, Predicate<JsonNode> test) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        waiters.add(new Waiter(method, test, f));
        return f;
    }

    private synchronized void onEvent(JsonNode msg) {
        events.add(msg);
        String method = msg.get("method").asText();
        JsonNode params = msg.get("params");
        switch (method) {
            case "Runtime.exceptionThrown" -> problems.add(new Problem("exception", params.path("exceptionDetails").toString()));
            case "Runtime.consoleAPICalled" -> {
                String type = params.path("type").asText();
                if (type.equals("error") || type.equals("assert")) {
                    problems.add(new Problem("console." + type, params.path("args").toString()));
                }
            }
            case "Log.entryAdded" -> {
                if (params.path("entry").path("level").asText().equals("error")) {
                    problems.add(new Problem("log", params.path("entry").toString()));
                }
            }
            default -> { }
        }
        waiters.removeIf(w -> {
            if (w.method().equals(method) && w.test().test(params)) {
                w.done().complete(params);
                return true;
            }
            return false;
        });
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                String text = part.toString();
                part.setLength(0);
                try {
                    JsonNode msg = JSON.readTree(text);
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else if (msg.has("method")) {
                        onEvent(msg);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            IllegalStateException e = new IllegalStateException("the browser closed the DevTools connection: " + reason);
            pending.values().forEach(f -> f.completeExceptionally(e));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }

    /** Asks the browser to close, then ends it and what it started (its renderer and helper processes). */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            session = null;
            call("Browser.close", Map.of());
        } catch (RuntimeException e) {
            // it may close the connection before answering
        }
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
