package dev.machina.hw.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.hw.FakeTimers;
import dev.machina.hw.IsaTestBoard;
import dev.machina.hw.QtestReplay;
import dev.machina.hw.core.InvalidStateException;
import dev.machina.hw.core.IrqLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class HpetTest {
    private static final int CFG = 0x10, STATUS = 0x20, COUNTER = 0xF0;
    private final FakeTimers timers = new FakeTimers();
    /** Rising edges per route, and each route's level. */
    private final int[] edges = new int[Hpet.ROUTES];
    private final boolean[] level = new boolean[Hpet.ROUTES];
    private boolean pitEnabled = true;
    private final List<long[]> fsb = new ArrayList<>();
    private final Hpet hpet;

    HpetTest() {
        IrqLine[] irqs = new IrqLine[Hpet.ROUTES];
        for (int i = 0; i < irqs.length; i++) {
            int n = i;
            irqs[i] = l -> {
                if (l && !level[n]) {
                    edges[n]++;
                }
                level[n] = l;
            };
        }
        hpet = new Hpet(irqs, l -> pitEnabled = l, (a, d) -> fsb.add(new long[] {a, d}), timers, 3, 0xFF0104, true);
    }

    private void w(int reg, long v) {
        hpet.write(reg, 4, (int) v);
    }

    private int r(int reg) {
        return hpet.read(reg, 4);
    }

    private long counter() {
        return (r(COUNTER) & 0xFFFFFFFFL) | (long) r(COUNTER + 4) << 32;
    }

    @TestFactory
    Stream<DynamicTest> behavesAsQemu72RecordedOverQtest() {
        return QtestReplay.transcripts("hpet-").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName().toString(), () -> QtestReplay.replay(p, IsaTestBoard::new)));
    }

    @Test
    void counterRunsAt100MegahertzOnlyWhileEnabled() {
        timers.advance(1_000);
        assertEquals(0, counter());
        w(CFG, 1);
        timers.advance(1_000_000);
        assertEquals(100_000, counter());
        w(CFG, 0);
        timers.advance(1_000_000);
        assertEquals(100_000, counter(), "halted");
        w(CFG, 1);
        timers.advance(10);
        assertEquals(100_001, counter(), "resumes where it halted");
    }

    @Test
    void oneShotEdgeTimerPulsesItsRouteAtTheComparator() {
        w(0x100, 2 << 9 | 0x4); // route 2, enabled, edge
        w(0x108, 1000);
        w(0x10C, 0);
        w(CFG, 1);
        timers.advance(9_990);
        assertEquals(0, edges[2]);
        timers.advance(10);
        assertEquals(1, edges[2]);
        assertFalse(level[2], "a pulse");
        timers.advance(100_000_000);
        assertEquals(1, edges[2], "one shot");
    }

    @Test
    void levelTimerHoldsItsRouteUntilTheStatusBitIsCleared() {
        w(0x120, 16 << 9 | 0x6); // timer 1, route 16, enabled, level
        w(0x128, 50);
        w(0x12C, 0);
        w(CFG, 1);
        timers.advance(500);
        assertTrue(level[16]);
        assertEquals(0x2, r(STATUS));
        w(STATUS, 0x2);
        assertFalse(level[16]);
        assertEquals(0, r(STATUS));
    }

    @Test
    void periodicTimerAsLinuxProgramsItFiresEveryPeriod() {
        // Linux's hpet_clkevt_set_state_periodic: enabled, periodic, SETVAL, 32-bit; comparator =
        // now + delta, then the period
        w(CFG, 1);
        w(0x100, 0x4 | 0x8 | 0x40 | 0x100 | 2 << 9);
        w(0x108, counter() + 100_000);
        w(0x108, 100_000); // 1 ms
        timers.advance(10_000_000 + 5);
        assertEquals(10, edges[2]);
    }

    @Test
    void legacyReplacementTakesIrq0AndIrq8FromThe8254AndRtc() {
        hpet.pitInput().raise();
        assertTrue(level[0], "the 8254 passes through");
        hpet.pitInput().lower();
        w(CFG, 3);
        assertFalse(pitEnabled);
        hpet.pitInput().raise();
        assertFalse(level[0], "cut off in legacy mode");
        hpet.rtcInput().raise();
        assertFalse(level[8]);
        int before = edges[0];
        w(0x100, 0x4); // timer 0: route field ignored, legacy route 0
        w(0x108, 10);
        w(0x10C, 0);
        timers.advance(200);
        assertEquals(before + 1, edges[0]);
        w(CFG, 1);
        assertTrue(pitEnabled);
        assertTrue(level[8], "the RTC's level comes back");
    }

    @Test
    void fsbDeliveryWritesTheMessage() {
        w(0x140, 0x4 | 1 << 14); // timer 2, FSB
        w(0x150, 0x41);
        w(0x154, 0xFEE00000L);
        w(0x148, 20);
        w(0x14C, 0);
        w(CFG, 1);
        timers.advance(1_000);
        assertEquals(1, fsb.size());
        assertEquals(0xFEE00000L, fsb.get(0)[0]);
        assertEquals(0x41, fsb.get(0)[1]);
    }

    @Test
    void thirtyTwoBitOneShotAlsoInterruptsAtTheWrap() {
        w(COUNTER, 0xFFFFFF00L);
        w(0x100, 0x4 | 0x100 | 2 << 9); // 32-bit, enabled
        w(0x108, 0x10);
        w(CFG, 1);
        timers.advance(0x100 * 10 + 10);
        assertEquals(1, edges[2], "the wrap");
        timers.advance(0x10 * 10);
        assertEquals(2, edges[2], "the comparator");
    }

    @Test
    void aTinyPeriodFarBehindTheCounterCatchesUpAtOnce() {
        // periodic, period 1 tick, comparator 1; the counter set 10^12 ticks ahead while halted:
        // QEMU would add the period 10^12 times
        w(0x100, 0x4 | 0x8 | 0x40 | 2 << 9);
        w(0x108, 1);
        w(0x10C, 0);
        w(0x108, 1);
        w(COUNTER, 0xE8D4A51000L & 0xFFFFFFFFL);
        w(COUNTER + 4, 0xE8);
        w(CFG, 1);
        timers.advance(100);
        assertTrue(edges[2] >= 9 && edges[2] <= 11, "about one per tick: " + edges[2]);
    }

    @Test
    void resetTwiceGivesTheSameState() {
        w(CFG, 3);
        w(0x108, 5);
        hpet.reset();
        HpetState once = hpet.save();
        hpet.reset();
        assertEquals(once, hpet.save());
        assertTrue(pitEnabled);
    }

    @Test
    void snapshotRestoresAndReArmsTimers() {
        w(0x100, 0x4 | 2 << 9);
        w(0x108, 100);
        w(0x10C, 0);
        w(CFG, 1);
        timers.advance(500);
        HpetState saved = hpet.save();
        FakeTimers t2 = new FakeTimers(timers.now());
        int[] got = {0};
        IrqLine[] irqs = new IrqLine[Hpet.ROUTES];
        for (int i = 0; i < irqs.length; i++) {
            irqs[i] = l -> {
                if (l) {
                    got[0]++;
                }
            };
        }
        Hpet other = new Hpet(irqs, l -> { }, (a, d) -> { }, t2, 3, 0xFF0104, true);
        other.restore(saved);
        assertEquals(saved, other.save());
        t2.advance(1_000);
        assertEquals(1, got[0]);
    }

    @Test
    void restoreRejectsTheWrongNumberOfTimers() {
        HpetState s = hpet.save();
        var bad = new HpetState(1, 0, 0, 0, 0, false, s.timers().subList(0, 2));
        assertEquals("timers", assertThrows(InvalidStateException.class, () -> hpet.restore(bad)).field());
    }

    @Test
    void survivesAnyWritesInAnyOrder() {
        Random r = new Random(0xFED);
        for (int i = 0; i < 100_000; i++) {
            switch (r.nextInt(4)) {
                case 0, 1 -> hpet.write(r.nextInt(0x400) & ~3, 4, r.nextInt());
                case 2 -> hpet.read(r.nextInt(0x400), 1 << r.nextInt(4));
                default -> timers.advance(r.nextInt(1_000_000));
            }
        }
    }
}
