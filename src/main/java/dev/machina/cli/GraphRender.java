package dev.machina.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lays out and draws DOT with Graphviz's {@code dot} (Debian's {@code graphviz} package): its
 * hierarchical layout keeps buses and the devices on them in ranks, which is what a device graph
 * needs, and no Java library on Maven Central draws one as well. {@code dot} is looked up on the
 * PATH, or taken from {@code MACHINA_DOT}; a missing one is a user error saying what to install.
 */
final class GraphRender {
    private GraphRender() {}

    /** The {@code dot} command to run. */
    static String dotCommand() {
        String env = System.getenv("MACHINA_DOT");
        return env == null || env.isEmpty() ? "dot" : env;
    }

    /** {@code dot -T<format>} of the text: the SVG or PNG bytes. */
    static byte[] render(String dot, String format) {
        return render(dot, format, dotCommand());
    }

    /** {@link #render(String, String)} with the given {@code dot} command. */
    static byte[] render(String dot, String format, String command) {
        Process p;
        try {
            p = new ProcessBuilder(command, "-T" + format).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new UserError("--format " + format + " needs Graphviz's 'dot' to lay the graph out, and '" + command
                    + "' cannot be run (" + e.getMessage() + "); install Graphviz (Debian: apt-get install graphviz),"
                    + " or use --format dot or json, which need nothing");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err), "dot-stderr");
        errReader.start();
        // the input is written by its own thread: dot starts writing its output before it has read all
        // of a long input (many graphs), and would block on a full pipe that nobody reads
        Thread writer = new Thread(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(dot.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // dot ended early: its status and stderr say why
            }
        }, "dot-stdin");
        writer.start();
        copy(p.getInputStream(), out);
        int code;
        try {
            code = p.waitFor();
            writer.join();
            errReader.join();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while Graphviz's dot was drawing the graph");
        }
        if (code != 0) {
            throw new IllegalStateException("dot -T" + format + " failed with status " + code + ": "
                    + err.toString(StandardCharsets.UTF_8).strip());
        }
        return out.toByteArray();
    }

    /**
     * Many graphs drawn as SVG at once: split into {@code processes} batches, each fed to one
     * {@code dot -Tsvg} (which draws every graph of its input, one SVG document after another), the
     * batches in parallel. One process per batch instead of one per graph saves the start of
     * {@code dot} a hundred times over; {@code onDone} is told how many graphs each finished batch had.
     * A batch whose output cannot be split into its graphs is drawn again one graph at a time.
     */
    static java.util.List<String> renderAllSvg(java.util.List<String> dots, int processes,
            java.util.function.IntConsumer onDone) {
        String command = dotCommand();
        int n = dots.size();
        String[] out = new String[n];
        if (n == 0) {
            return java.util.List.of();
        }
        int batches = Math.max(1, Math.min(processes, n));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(batches, r -> {
            Thread t = new Thread(r, "dot-batch");
            t.setDaemon(true);
            return t;
        });
        try {
            java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int k = 0; k < batches; k++) {
                int from = (int) ((long) n * k / batches);
                int to = (int) ((long) n * (k + 1) / batches);
                futures.add(pool.submit(() -> {
                    StringBuilder in = new StringBuilder();
                    for (int i = from; i < to; i++) {
                        in.append(dots.get(i));
                    }
                    String all = new String(render(in.toString(), "svg", command), StandardCharsets.UTF_8);
                    java.util.List<String> parts = splitSvgs(all);
                    if (parts.size() == to - from) {
                        for (int i = from; i < to; i++) {
                            out[i] = parts.get(i - from);
                        }
                    } else {
                        for (int i = from; i < to; i++) {
                            out[i] = new String(render(dots.get(i), "svg", command), StandardCharsets.UTF_8);
                        }
                    }
                    synchronized (onDone) {
                        onDone.accept(to - from);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UserError("interrupted while Graphviz's dot was drawing the graphs");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return java.util.Arrays.asList(out);
    }

    /** The SVG documents of one {@code dot -Tsvg} output, each starting at its XML declaration. */
    static java.util.List<String> splitSvgs(String all) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        int at = all.indexOf("<?xml");
        while (at >= 0) {
            int next = all.indexOf("<?xml", at + 5);
            parts.add(all.substring(at, next < 0 ? all.length() : next));
            at = next;
        }
        return parts;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // the process's status reports the failure
        }
    }
}
