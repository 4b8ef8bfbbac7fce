package dev.machina.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the {@code --stats} table starts: on its own line, whatever the guest's console last wrote; and
 * the warm-up row, "first second", taken once at the first slice boundary at or past one second of host time.
 */
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

    @Test
    void firstSecondIsARowOfItsOwnTakenOnceWhenTheRunPassesOneSecond() {
        RunStats s = new RunStats(List.of());
        long[] insns = {0};
        s.attach(phase -> new RunStats.Snapshot(phase, insns[0], 0, 0, 0, 0, 0, 0, 0, 0));
        insns[0] = 100;
        s.hostTime(RunStats.SECOND_NANOS - 1);
        assertTrue(s.rows().isEmpty(), "no row before one second: " + s.rows());
        insns[0] = 250;
        console(s, "x");
        insns[0] = 300;
        s.hostTime(RunStats.SECOND_NANOS + 2_000_000);
        insns[0] = 900;
        s.hostTime(3 * RunStats.SECOND_NANOS);
        s.end("end of the run");

        assertEquals(List.of("first console output", "first second", "end of the run"),
                s.rows().stream().map(RunStats.Snapshot::phase).toList());
        assertEquals(300, s.rows().get(1).instructions(), "the figures at the first slice past one second");
        assertTrue(s.render().contains("machina stats: first second "), s.render());
    }
}
