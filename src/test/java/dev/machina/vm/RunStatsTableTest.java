package dev.machina.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the {@code --stats} table starts: on its own line, whatever the guest's console last wrote. */
class RunStatsTableTest {
    private static RunStats stats() {
        RunStats s = new RunStats(List.of());
        s.attach(phase -> new RunStats.Snapshot(phase, 1, 4, 5, 6, 0, 0, 0, 0, 0));
        return s;
    }

    private static void console(RunStats s, String text) {
        for (char c : text.toCharArray()) {
            s.output(c);
        }
    }

    @Test
    void tableStartsWithALineBreakAfterGuestOutputWithoutOne() {
        RunStats s = stats();
        console(s, "No bootable device.  Retrying in 0 seconds.\nRebooting");
        s.end("end of the run");

        String table = s.render();
        assertEquals("", table.lines().findFirst().orElseThrow(), table);
        assertTrue(table.lines().skip(1).allMatch(l -> l.startsWith("machina stats: ")), table);
    }

    @Test
    void tableStartsAtOnceAfterALineTheGuestEnded() {
        RunStats s = stats();
        console(s, "SeaBIOS\n");
        s.end("end of the run");

        assertTrue(s.render().startsWith("machina stats: phase "), s.render());
    }

    @Test
    void tableStartsAtOnceWhenTheGuestWroteNothing() {
        RunStats s = stats();
        s.end("end of the run");

        assertTrue(s.render().startsWith("machina stats: phase "), s.render());
    }
}
