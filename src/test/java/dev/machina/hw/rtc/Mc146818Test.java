package dev.machina.hw.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.hw.FakeTimers;
import dev.machina.hw.IsaTestBoard;
import dev.machina.hw.QtestReplay;
import dev.machina.hw.core.InvalidStateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class Mc146818Test {
    private static final long SECOND = 1_000_000_000L;
    private final FakeTimers timers = new FakeTimers();
    private final List<Long> irqRises = new ArrayList<>();
    private boolean irq;
    private final Mc146818 rtc = new Mc146818(level -> {
        if (level && !irq) {
            irqRises.add(timers.now());
        }
        irq = level;
    }, timers, Instant.parse("2023-12-31T23:59:58Z").getEpochSecond(), 0);

    private int reg(int index) {
        rtc.write(0, index);
        return rtc.read(1);
    }

    private void set(int index, int value) {
        rtc.write(0, index);
        rtc.write(1, value);
    }

    @TestFactory
    Stream<DynamicTest> behavesAsQemu72RecordedOverQtest() {
        return QtestReplay.transcripts("rtc-").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName().toString(), () -> QtestReplay.replay(p, IsaTestBoard::new)));
    }

    @Test
    void showsTheBaseTimeInBcdAndAdvancesWithTheClock() {
        assertEquals(0x58, reg(0));
        assertEquals(0x59, reg(2));
        assertEquals(0x23, reg(4));
        assertEquals(0x31, reg(7));
        assertEquals(0x12, reg(8));
        assertEquals(0x23, reg(9));
        assertEquals(0x20, reg(0x32));
        timers.advance(3 * SECOND);
        assertEquals(0x01, reg(0), "2024-01-01T00:00:01");
        assertEquals(0x00, reg(4));
        assertEquals(0x01, reg(7));
        assertEquals(0x01, reg(8));
        assertEquals(0x24, reg(9));
        assertEquals(0x02, reg(6), "a Monday: Sunday is 1");
    }

    @Test
    void updateInProgressIsSetInTheLast244MicrosecondsOfEachSecond() {
        timers.advance(SECOND - 244_141 - 1);
        assertEquals(0, reg(0x0A) & 0x80);
        timers.advance(2);
        assertEquals(0x80, reg(0x0A) & 0x80);
        timers.advance(244_140);
        assertEquals(0, reg(0x0A) & 0x80, "cleared by the update");
    }

    @Test
    void periodicInterruptFollowsTheRateOfRegisterA() {
        set(0x0A, 0x26); // 1024 Hz
        set(0x0B, 0x42); // PIE
        for (int i = 1; i <= 1024; i++) {
            timers.advanceTo(i * SECOND / 1024 + 1);
            assertTrue(irq, "tick " + i);
            assertEquals(0xC0, reg(0x0C) & 0xC0, "IRQF and PF; reading C clears them");
            assertFalse(irq);
        }
        assertEquals(1024, irqRises.size());
    }

    @Test
    void updateEndedInterruptEverySecondWhenEnabled() {
        set(0x0B, 0x12); // UIE, 24 h, BCD
        timers.advance(SECOND * 5 / 2);
        assertEquals(1, irqRises.size(), "raised once; stays high until C is read");
        assertEquals(0x90, reg(0x0C) & 0x90, "IRQF and UF (AF too: the alarm bytes are 0 and midnight passed)");
        timers.advance(SECOND);
        assertEquals(2, irqRises.size());
    }

    @Test
    void alarmInterruptFiresAtTheMatchingSecond() {
        set(0x01, 0x05); // 00:00:05
        set(0x03, 0x00);
        set(0x05, 0x00);
        set(0x0B, 0x22); // AIE
        timers.advance(6 * SECOND);
        assertTrue(irqRises.isEmpty(), "23:59:58 + 6 s = 00:00:04: not yet");
        timers.advance(SECOND);
        assertEquals(1, irqRises.size());
        assertEquals(0xB0, reg(0x0C), "IRQF, AF and UF");
    }

    @Test
    void alarmWithDontCareFieldsFiresEveryMinute() {
        set(0x01, 0x30);
        set(0x03, 0xC0);
        set(0x05, 0xC0);
        set(0x0B, 0x22);
        for (int i = 0; i < 3; i++) {
            timers.advance(60 * SECOND);
            reg(0x0C);
        }
        assertEquals(3, irqRises.size());
    }

    @Test
    void binaryTwelveHourFormatShowsPmInBit7() {
        set(0x0B, 0x04); // binary, 12 h
        assertEquals(0x80 | 11, reg(4));
        timers.advance(3 * SECOND);
        assertEquals(12, reg(4), "midnight is 12 AM");
    }

    @Test
    void setBitFreezesTheRegistersAndClearingItRestartsFromThem() {
        set(0x0B, 0x82);
        set(0x00, 0x30);
        timers.advance(10 * SECOND);
        assertEquals(0x30, reg(0));
        set(0x0B, 0x02);
        timers.advance(2 * SECOND);
        assertEquals(0x32, reg(0));
    }

    @Test
    void enablingAnInterruptWhoseFlagIsSetInterruptsAtOnce() {
        timers.advance(SECOND * 3 / 2); // UF set, not enabled
        assertTrue(irqRises.isEmpty());
        set(0x0B, 0x12);
        assertEquals(1, irqRises.size());
    }

    @Test
    void resetDisablesInterruptsAndKeepsTheSuspendMarker() {
        set(0x0B, 0x72);
        set(0x0F, 0xFE);
        rtc.reset();
        assertEquals(0x12, reg(0x0B), "UIE stays, as in QEMU");
        assertEquals(0xFE, reg(0x0F));
        set(0x0F, 0x05);
        rtc.reset();
        assertEquals(0, reg(0x0F));
    }

    @Test
    void pcCmosWritesQemusMemoryBytes() {
        PcCmos.setMemory(rtc, 3L << 30, 2L << 30);
        assertEquals(640, rtc.byteAt(0x15) | rtc.byteAt(0x16) << 8);
        assertEquals(65535, rtc.byteAt(0x30) | rtc.byteAt(0x31) << 8);
        assertEquals((3 * 1024 - 16) * 16, rtc.byteAt(0x34) | rtc.byteAt(0x35) << 8);
        assertEquals(2 * 1024 * 16, rtc.byteAt(0x5B) | rtc.byteAt(0x5C) << 8 | rtc.byteAt(0x5D) << 16);
        assertThrows(IllegalArgumentException.class, () -> PcCmos.setBootOrder(rtc, "cadn", true));
        assertThrows(IllegalArgumentException.class, () -> PcCmos.setBootOrder(rtc, "x", true));
    }

    @Test
    void resetTwiceGivesTheSameState() {
        set(0x0B, 0x52);
        rtc.reset();
        Mc146818State once = rtc.save();
        rtc.reset();
        assertEquals(once, rtc.save());
    }

    @Test
    void snapshotCarriesTheTimeAndTheTimers() {
        set(0x0B, 0x42);
        set(0x33, 0x77);
        timers.advance(SECOND / 3);
        Mc146818State saved = rtc.save();
        FakeTimers t2 = new FakeTimers(timers.now());
        Mc146818 other = new Mc146818(level -> { }, t2, 0, 0);
        other.restore(saved);
        assertEquals(saved, other.save());
        t2.advance(SECOND);
        other.write(0, 0);
        assertEquals(0x59, other.read(1));
        assertEquals(0x77, other.byteAt(0x33));
    }

    @Test
    void restoreRejectsACorruptRecord() {
        Mc146818State s = rtc.save();
        var shortCmos = new Mc146818State(1, "00", s.index(), false, s.baseRtc(), s.lastUpdate(), s.offset(),
                s.nextPeriodicTime(), s.period(), s.nextAlarmTime());
        assertEquals("cmos", assertThrows(InvalidStateException.class, () -> rtc.restore(shortCmos)).field());
        var badPeriod = new Mc146818State(1, s.cmos(), s.index(), false, s.baseRtc(), s.lastUpdate(), s.offset(),
                s.nextPeriodicTime(), 3, s.nextAlarmTime());
        assertEquals("period", assertThrows(InvalidStateException.class, () -> rtc.restore(badPeriod)).field());
    }

    @Test
    void survivesAnyWritesInAnyOrder() {
        Random r = new Random(146818);
        for (int i = 0; i < 100_000; i++) {
            switch (r.nextInt(4)) {
                case 0 -> rtc.write(0, r.nextInt(256));
                case 1 -> rtc.write(1, r.nextInt(256));
                case 2 -> rtc.read(r.nextInt(2));
                default -> timers.advance(r.nextInt(50_000_000));
            }
        }
    }
}
