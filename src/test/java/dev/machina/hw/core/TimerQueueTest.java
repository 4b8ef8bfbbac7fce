package dev.machina.hw.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerQueueTest {
    private long now;
    private final TimerQueue q = new TimerQueue(() -> now);
    private final List<String> fired = new ArrayList<>();

    @Test
    void dueTimersFireInDeadlineOrderAndCreationOrderBreaksTies() {
        Timer a = q.newTimer("a", () -> fired.add("a"));
        Timer b = q.newTimer("b", () -> fired.add("b"));
        Timer c = q.newTimer("c", () -> fired.add("c"));
        c.armAt(100);
        b.armAt(50);
        a.armAt(50);
        assertEquals(50, q.nextDeadline());
        now = 49;
        assertEquals(0, q.runDue());
        now = 100;
        q.runDue();
        assertEquals(List.of("a", "b", "c"), fired);
        assertEquals(Long.MAX_VALUE, q.nextDeadline());
        assertFalse(a.armed());
    }

    @Test
    void aPeriodicTimerReArmsFromItsCallbackAndCatchesUp() {
        Timer[] t = new Timer[1];
        t[0] = q.newTimer("tick", () -> {
            fired.add("tick@" + t[0].deadline());
            t[0].armAt(t[0].deadline() + 10);
        });
        t[0].armAt(10);
        now = 35;
        q.runDue();
        assertEquals(List.of("tick@10", "tick@20", "tick@30"), fired);
        assertEquals(40, q.nextDeadline());
    }

    @Test
    void aCancelledOrReArmedTimerMovesTheNextDeadline() {
        Timer a = q.newTimer("a", () -> fired.add("a"));
        Timer b = q.newTimer("b", () -> fired.add("b"));
        a.armAt(10);
        b.armAt(20);
        a.cancel();
        assertEquals(20, q.nextDeadline());
        b.armAt(30);
        assertEquals(30, q.nextDeadline());
    }

    @Test
    void aZeroPeriodCannotStallTheLoop() {
        Timer[] t = new Timer[1];
        t[0] = q.newTimer("storm", () -> t[0].armAt(now));
        t[0].armAt(0);
        assertEquals(TimerQueue.MAX_FIRINGS, q.runDue());
    }
}
