package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress lines: drawn on stderr only when it is a terminal, coloured unless {@code NO_COLOR},
 * erased at the end so that what the command prints afterwards starts on a clean line; a redirected
 * run's stderr has none of it. Checked on the line itself and on {@code machine snapshot}.
 */
class ProgressTest {
    @TempDir
    Path dir;

    private static Terminal tty(Map<String, String> env) {
        return new Terminal(false, true, env);
    }

    @Test
    void aBarCountsStepsAndIsErasedAtTheEnd() {
        StringWriter w = new StringWriter();
        try (Progress p = Progress.start(tty(Map.of("TERM", "xterm")), new PrintWriter(w), "docs", 4)) {
            assertEquals("docs [........................] 0/4", p.line(false));
            p.step("pc-q35-7.2");
            p.step(null);
            assertEquals("docs [############............] 2/4 pc-q35-7.2", p.line(false));
            p.restart("writing", 0);
            p.advance(7, null);
            assertEquals("writing 7", p.line(false));
        }
        String out = w.toString();
        assertTrue(out.startsWith("\rdocs ["), out);
        assertTrue(out.endsWith("\r"), "erased: the cursor is back at the start of an empty line");
        StringWriter done = new StringWriter();
        try (Progress p = Progress.start(tty(Map.of("TERM", "xterm")), new PrintWriter(done), "x", 1)) {
            p.step(null); // the last step is always drawn
        }
        assertTrue(done.toString().contains("\u001b[32m#"), "coloured on a terminal: " + done);
    }

    @Test
    void aPercentBarForBytes() {
        Progress p = Progress.startPercent(tty(Map.of()), new PrintWriter(new StringWriter()), "singlestep", 200);
        p.set(50);
        assertEquals("singlestep [######..................] 25%", p.line(false));
    }

    @Test
    void noColourWithNoColorAndNothingWithoutATerminal() {
        StringWriter w = new StringWriter();
        try (Progress p = Progress.start(tty(Map.of("NO_COLOR", "1")), new PrintWriter(w), "x", 2)) {
            p.step("a");
        }
        assertTrue(w.toString().contains("\rx ["), w.toString());
        assertFalse(w.toString().contains("\u001b"), "NO_COLOR: no escape sequences");

        StringWriter none = new StringWriter();
        try (Progress p = Progress.start(new Terminal(true, false, Map.of()), new PrintWriter(none), "x", 2)) {
            p.step("a");
            assertFalse(p.shown());
        }
        assertEquals("", none.toString(), "stderr not a terminal: nothing");
        StringWriter dumb = new StringWriter();
        try (Progress p = Progress.start(tty(Map.of("TERM", "dumb")), new PrintWriter(dumb), "x", 2)) {
            p.step("a");
        }
        assertEquals("", dumb.toString(), "TERM=dumb cannot redraw a line");
    }

    @Test
    void machineSnapshotShowsProgressOnlyOnATerminal() {
        String file = dir.resolve("s.json").toString();
        CliRunner onTty = CliRunner.run(new Context().withTerminal(tty(Map.of("TERM", "xterm", "NO_COLOR", "1"))),
                "machine", "snapshot", "-o", file);
        assertEquals(0, onTty.code(), onTty.err());
        assertTrue(onTty.err().startsWith("\rmachine types ["), onTty.err().substring(0, Math.min(80, onTty.err().length())));
        assertFalse(onTty.err().contains("\u001b"));
        String last = onTty.err().substring(onTty.err().lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("machina: wrote "), "the summary starts on a clean line: " + last);

        CliRunner redirected = CliRunner.run("machine", "snapshot", "-o", file);
        assertEquals(0, redirected.code());
        assertFalse(redirected.err().contains("\r"), redirected.err());
        assertTrue(redirected.err().startsWith("machina: wrote "), redirected.err());
    }
}
