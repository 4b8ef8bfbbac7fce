package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Output that cannot be written is a failure, and colour follows NO_COLOR and TERM=dumb. */
class OutputStreamsTest {
    /** A disk that is full: every write fails, as on /dev/full. */
    private static final class Full extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"machine list", "machine show pc", "machine snapshot", "machine diff pc q35", "device list",
        "device show isa-serial", "config schema", "config write -M pc", "--help", "--version", "machine list --help",
        "-machine help", "run -device help"})
    void aCommandWhoseStdoutCannotBeWrittenFailsWithOneLine(String line) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(line.split(" "), new PrintStream(new Full(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new Context());
        assertEquals(1, code, line);
        assertEquals("machina: cannot write to standard output; the output is incomplete\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReasonIsGivenWhenTheStreamKnowsIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        StdStreamProbe out = new StdStreamProbe();
        assertEquals(1, Main.writeErrors(0, out.stream, errStream));
        assertEquals("machina: cannot write to standard output: No space left on device; the output is incomplete\n",
                err.toString(StandardCharsets.UTF_8));
    }

    /** A StdStream over /dev/full, written to once. */
    private static final class StdStreamProbe {
        final StdStream stream;

        StdStreamProbe() {
            try {
                stream = new StdStream(new java.io.FileOutputStream("/dev/full").getFD());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            stream.print("x");
        }
    }

    @Test
    void aFailedCommandKeepsItsOwnStatus() {
        PrintStream full = new PrintStream(new Full(), true, StandardCharsets.UTF_8);
        assertEquals(2, Main.writeErrors(2, full, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    private static String diff(Map<String, String> env, String... more) {
        Context c = new Context().withTerminal(new Terminal(true, true, env));
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("machine", "diff", "pc-i440fx-7.1", "pc-i440fx-7.2"),
                java.util.Arrays.stream(more)).toArray(String[]::new);
        return CliRunner.run(c, all).out();
    }

    @Test
    void machineDiffColoursOnATerminalUnlessNoColorOrADumbTerminal() {
        assertTrue(diff(Map.of("TERM", "xterm-256color")).contains("\u001b["), "colour on a terminal");
        assertFalse(diff(Map.of("TERM", "xterm", "NO_COLOR", "1")).contains("\u001b["), "NO_COLOR=1");
        assertFalse(diff(Map.of("TERM", "dumb")).contains("\u001b["), "TERM=dumb");
        assertTrue(diff(Map.of("TERM", "xterm", "NO_COLOR", "")).contains("\u001b["), "an empty NO_COLOR is not set");
        assertTrue(diff(Map.of("NO_COLOR", "1"), "--color", "always").contains("\u001b["), "--color always is asked for");
        assertFalse(CliRunner.run("machine", "diff", "pc-i440fx-7.1", "pc-i440fx-7.2").out().contains("\u001b["), "not a terminal");
    }
}
