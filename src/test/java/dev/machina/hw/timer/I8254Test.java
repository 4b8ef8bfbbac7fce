package dev.machina.hw.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.hw.FakeTimers;
import dev.machina.hw.IsaTestBoard;
import dev.machina.hw.QtestReplay;
import dev.machina.hw.core.InvalidStateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class I8254Test {
    private final FakeTimers timers = new FakeTimers();
    /** Times (ns) of IRQ 0's rising edges. */
    private final List<Long> rises = new ArrayList<>();
    private boolean irq0;
    private final I8254 pit = new I8254(level -> {
        if (level && !irq0) {
            rises.add(timers.now());
        }
        irq0 = level;
    }, timers);
    private final PcSpeaker port61 = new PcSpeaker(pit);

    private void program(int counter, int modeBits, int count) {
        pit.write(3, (counter << 6) | 0x30 | modeBits);
        pit.write(counter, count & 0xFF);
        pit.write(counter, (count >> 8) & 0xFF);
    }

    private int readCount(int counter) {
        pit.write(3, counter << 6); // counter latch
        return pit.read(counter) | pit.read(counter) << 8;
    }

    @TestFactory
    Stream<DynamicTest> behavesAsQemu72RecordedOverQtest() {
        return QtestReplay.transcripts("pit-").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName().toString(), () -> QtestReplay.replay(p, IsaTestBoard::new)));
    }

    @Test
    void rateGeneratorRaisesIrq0OncePerPeriod() {
        program(0, 0x04, 11932); // mode 2, Linux's LATCH for HZ=100
        timers.advance(1_000_100_000L);
        assertEquals(100, rises.size(), "100 Hz for one second");
        long period = rises.get(1) - rises.get(0);
        assertEquals(10_000_000, period, 10_000, "a 10 ms period");
    }

    @Test
    void resetRunsCounter0InMode3At18Hz() {
        timers.advance(1_000_000_000L);
        // as QEMU: the line is first driven at the first half period (high: the first edge), then
        // rises every 65536 ticks (54.9 ms)
        assertEquals(27_462_700, rises.get(0), 1); // 32768 ticks
        assertEquals(54_925_401, rises.get(2) - rises.get(1), 1);
        assertEquals(19, rises.size());
    }

    @Test
    void counterCountsDownAtTheInputClock() {
        program(0, 0x00, 50000); // mode 0
        timers.advance(10_000_000); // 10 ms = 11931.82 ticks
        assertEquals(50000 - 11931, readCount(0));
    }

    @Test
    void squareWaveCountsByTwo() {
        program(0, 0x06, 1000);
        timers.advance(ticks(100));
        assertEquals(800, readCount(0));
    }

    @Test
    void mode0RaisesIrq0AtTerminalCountAndStaysHigh() {
        program(0, 0x00, 1193); // ~1 ms
        timers.advance(999_000);
        assertTrue(rises.isEmpty());
        timers.advance(2_000);
        assertEquals(1, rises.size());
        timers.advance(100_000_000);
        assertEquals(1, rises.size());
        assertTrue(irq0);
    }

    @Test
    void bcdCounterCountsInDecimal() {
        pit.write(3, 0x31); // counter 0, LSB/MSB, mode 0, BCD
        pit.write(0, 0x00);
        pit.write(0, 0x10); // 1000 decimal
        timers.advance(ticks(1));
        assertEquals(0x0999, readCount(0));
    }

    @Test
    void port61ShowsCounter2OutForTscCalibrationAsLinuxPollsIt() {
        // Linux pit_calibrate_tsc: gate on, speaker off, mode 0 on counter 2, poll bit 5
        port61.write((port61.read() & ~0x02) | 0x01);
        program(2, 0x00, 11932); // 10 ms
        assertEquals(0, port61.read() & 0x20);
        timers.advance(10_000_000 + 1_000);
        assertEquals(0x20, port61.read() & 0x20);
    }

    @Test
    void risingGateRestartsMode1() {
        program(2, 0x02, 1000);
        timers.advance(ticks(600));
        assertEquals(400, readCount(2));
        port61.write(0x01);
        assertEquals(1000, readCount(2), "retriggered by the rising gate");
        timers.advance(ticks(10));
        port61.write(0x01);
        assertEquals(990, readCount(2), "a gate that stays high does not retrigger");
    }

    @Test
    void refreshBitTogglesOnEveryRead() {
        int a = port61.read() & 0x10;
        int b = port61.read() & 0x10;
        assertEquals(0x10, a ^ b);
    }

    @Test
    void hpetLegacyRouteDisconnectsIrq0() {
        program(0, 0x04, 1193);
        pit.irqEnable().lower();
        assertFalse(irq0);
        timers.advance(100_000_000);
        assertTrue(rises.isEmpty());
        pit.irqEnable().raise();
        timers.advance(100_000_000);
        assertEquals(100, rises.size(), 1);
    }

    @Test
    void resetTwiceGivesTheSameState() {
        program(1, 0x04, 1234);
        pit.reset();
        I8254.State once = pit.save();
        pit.reset();
        assertEquals(once, pit.save());
    }

    @Test
    void snapshotRestoresTheCounterAndItsTimer() {
        program(0, 0x04, 11932);
        timers.advance(5_000_000);
        I8254.State saved = pit.save();
        FakeTimers t2 = new FakeTimers(timers.now());
        List<Long> edges = new ArrayList<>();
        I8254 other = new I8254(level -> {
            if (level) {
                edges.add(t2.now());
            }
        }, t2);
        other.restore(saved);
        assertEquals(saved, other.save());
        t2.advance(100_000_000);
        assertEquals(10, edges.size(), 1);
    }

    @Test
    void restoreRejectsImpossibleCounters() {
        I8254.State s = pit.save();
        var c = s.channels().get(1);
        var bad = new I8254.ChannelState(0x10001, c.latchedCount(), c.countLatched(), c.statusLatched(), c.status(),
                c.readState(), c.writeState(), c.writeLatch(), c.rwMode(), c.mode(), c.bcd(), c.gate(), c.loadTime());
        var st = new I8254.State(1, List.of(s.channels().get(0), bad, s.channels().get(2)), false, 0);
        var e = assertThrows(InvalidStateException.class, () -> pit.restore(st));
        assertEquals("channels[1].count", e.field());
        assertThrows(InvalidStateException.class, () -> pit.restore(new I8254.State(1, List.of(c), false, 0)));
    }

    @Test
    void survivesAnyWritesInAnyOrder() {
        Random r = new Random(8254);
        for (int i = 0; i < 100_000; i++) {
            switch (r.nextInt(5)) {
                case 0 -> pit.write(r.nextInt(4), r.nextInt(256));
                case 1 -> pit.read(r.nextInt(4));
                case 2 -> port61.write(r.nextInt(256));
                case 3 -> port61.read();
                default -> timers.advance(r.nextInt(100_000));
            }
        }
    }

    /** Nanoseconds of {@code n} ticks of the 8254's clock, plus one so the tick has surely passed. */
    private static long ticks(int n) {
        return n * 1_000_000_000L / I8254.FREQUENCY_HZ + 1;
    }
}
