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
        try (OutputStream in = p.getOutputStream()) {
            in.write(dot.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // dot ended early: its status and stderr say why
        }
        copy(p.getInputStream(), out);
        int code;
        try {
            code = p.waitFor();
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

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // the process's status reports the failure
        }
    }
}
