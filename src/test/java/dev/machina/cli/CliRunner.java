package dev.machina.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code machina} in-process with captured output, for CLI tests. */
public record CliRunner(int code, String out, String err) {
    public static CliRunner run(String... args) {
        return run(new Context(), args);
    }

    /** With a context shared by several runs, as one test class shares the loaded data. */
    static CliRunner run(Context context, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), context);
        return new CliRunner(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
