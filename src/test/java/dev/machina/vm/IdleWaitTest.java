package dev.machina.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.machina.hw.core.TimerQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A halted CPU's wait for its next timer (-icount sleep=on), driven by a host clock of the test's own
 * that moves only when the wait sleeps: the host waits the guest time left to the deadline, as QEMU
 * 7.2's icount warp timer does, never the lead a fast guest has over host time.
 */
class IdleWaitTest {
    private static final long MS = 1_000_000L;
    private static final long MAX_SLEEP = 50 * MS;

    /** Host time that passes only in park; {@code cut} (when ≥ 0) ends the next park after that long, as input would. */
    private static final class FakeHost implements IdleWait.HostTime {
        long now;
        long cut = -1;
        final List<Long> parks = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void park(long nanos) {
            long slept = cut >= 0 ? Math.min(cut, nanos) : nanos;
            cut = -1;
            parks.add(slept);
            now += slept;
        }
    }

    private final long[] instructions = {0};
    private final VirtualClock clock = new VirtualClock(() -> instructions[0], VirtualClock.DEFAULT_SHIFT);
    private final TimerQueue timers = new TimerQueue(clock);
    private final FakeHost host = new FakeHost();
    private final List<Long> fired = new ArrayList<>();

    private void haltUntilTheTimerFires(IdleWait wait) {
        for (int i = 0; i < 1000 && fired.isEmpty(); i++) {
            wait.step(false);
        }
    }

    @Test
    void aGuestAheadOfHostTimeWaitsOnlyTheTimeLeftToItsTimer() {
        instructions[0] = 2_250_000_000L; // 9 s of guest time at 4 ns an instruction, retired in no host time
        timers.newTimer("tick", () -> fired.add(clock.nanos())).armAt(9_000 * MS + MS);
        IdleWait wait = new IdleWait(host, clock, timers, true, MAX_SLEEP);

        haltUntilTheTimerFires(wait);

        assertEquals(List.of(9_001 * MS), fired, "the timer fires at its deadline");
        assertEquals(MS, host.now, "the host waited 1 ms (the time left to the timer), not the guest's 9 s lead");
        assertEquals(MS, wait.parkedNanos());
        assertEquals(MS, wait.skippedNanos());
        assertEquals(1, wait.jumps());
    }

    @Test
    void aLongWaitIsTakenInSlicesAndTheClockFollowsTheHostBetweenThem() {
        timers.newTimer("sleep 120 ms", () -> fired.add(clock.nanos())).armAt(120 * MS);
        IdleWait wait = new IdleWait(host, clock, timers, true, MAX_SLEEP);

        wait.step(false);
        assertEquals(50 * MS, clock.nanos(), "after one slice the guest's clock has moved by the host time waited");
        haltUntilTheTimerFires(wait);

        assertEquals(List.of(120 * MS), fired);
        assertEquals(List.of(50 * MS, 50 * MS, 20 * MS), host.parks);
        assertEquals(1, wait.jumps(), "one jump reached a deadline");
    }

    @Test
    void inputThatEndsTheWaitEarlyMovesTheClockOnlyByTheHostTimeWaited() {
        timers.newTimer("tick", () -> fired.add(clock.nanos())).armAt(10 * MS);
        IdleWait wait = new IdleWait(host, clock, timers, true, MAX_SLEEP);
        host.cut = 3 * MS; // a key pressed 3 ms into the wait

        wait.step(false);

        assertEquals(3 * MS, clock.nanos(), "the guest sees the key 3 ms later");
        assertEquals(List.of(), fired, "its timer is still 7 ms away");
        wait.step(true); // the input waits: no sleep, no move, until the loop has delivered it
        assertEquals(3 * MS, clock.nanos());
        assertEquals(List.of(3 * MS), host.parks);
    }

    @Test
    void withSleepOffTheClockJumpsToTheDeadlineWithoutWaiting() {
        timers.newTimer("tick", () -> fired.add(clock.nanos())).armAt(2_000 * MS);
        IdleWait wait = new IdleWait(host, clock, timers, false, MAX_SLEEP);

        wait.step(false);

        assertEquals(List.of(2_000 * MS), fired);
        assertEquals(0, host.now, "no host time passed");
        assertEquals(List.of(), host.parks);
    }
}
