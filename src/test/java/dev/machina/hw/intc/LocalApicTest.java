package dev.machina.hw.intc;

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

class LocalApicTest {
    private final FakeTimers timers = new FakeTimers();
    private boolean intr;
    private int nmis;
    private int picAcks;
    private final List<Integer> eois = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final LocalApic apic = new LocalApic(level -> intr = level, level -> {
        if (level) {
            nmis++;
        }
    }, timers, () -> {
        picAcks++;
        return 0x20;
    }, eois::add, 0, 0x14, true, new LocalApic.Events() {
        @Override
        public void initReceived() {
            events.add("INIT");
        }

        @Override
        public void globallyDisabled() {
            events.add("disabled");
        }
    });

    private void w(int reg, int value) {
        apic.write(reg, 4, value);
    }

    private int r(int reg) {
        return apic.read(reg, 4);
    }

    /** SeaBIOS's set-up: SVR enabled, LINT0 ExtINT, LINT1 NMI. */
    private void enable() {
        w(0xF0, 0x1FF);
        w(0x350, 0x8700);
        w(0x360, 0x400);
    }

    @TestFactory
    Stream<DynamicTest> behavesAsQemu72RecordedWithAGuest() {
        return QtestReplay.transcripts("lapic-").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName().toString(), () -> QtestReplay.replay(p, IsaTestBoard::new)));
    }

    @Test
    void the8259ReachesTheCpuThroughLint0ExtInt() {
        apic.setLint0(true);
        assertFalse(intr, "LINT0 is masked after reset");
        enable();
        assertTrue(intr);
        assertEquals(0x20, apic.acknowledge());
        assertEquals(1, picAcks);
        apic.setLint0(false);
        assertFalse(intr);
    }

    @Test
    void aGloballyDisabledApicPassesThe8259Through() {
        apic.writeBaseMsr(0xFEE00000L);
        assertEquals(List.of("disabled"), events);
        apic.setLint0(true);
        assertTrue(intr);
        assertEquals(0x20, apic.acknowledge());
        apic.writeBaseMsr(0xFEE00800L);
        assertEquals(0, apic.baseMsr() & 0x800, "stays disabled until reset, as QEMU");
        apic.reset();
        assertEquals(0xFEE00900L, apic.baseMsr());
    }

    @Test
    void ioapicMessageIsDeliveredAndLevelEoiIsBroadcast() {
        enable();
        apic.msi(0xFEE00000L, 0x8031); // level, vector 0x31
        assertTrue(intr);
        assertEquals(0x31, apic.acknowledge());
        assertFalse(intr);
        w(0xB0, 0);
        assertEquals(List.of(0x31), eois);
        apic.msi(0xFEE00000L, 0x0032); // edge: no broadcast
        apic.acknowledge();
        w(0xB0, 0);
        assertEquals(List.of(0x31), eois);
    }

    @Test
    void messageForAnotherApicIsIgnored() {
        enable();
        apic.msi(0xFEE05000L, 0x41);
        assertFalse(intr);
    }

    @Test
    void lint1DeliversNmi() {
        enable();
        apic.setLint1(true);
        apic.setLint1(false);
        assertEquals(1, nmis);
    }

    @Test
    void initIpiToSelfIsReported() {
        enable();
        w(0x300, 0x44500); // self, INIT, assert
        assertEquals(List.of("INIT"), events);
        w(0x300, 0xC4500); // all excluding self: nobody on one CPU
        assertEquals(List.of("INIT"), events);
    }

    @Test
    void oneShotTimerCountsDownAtTheDividedClock() {
        enable();
        w(0x3E0, 0x3); // divide by 16
        w(0x320, 0x30);
        w(0x380, 1000);
        timers.advance(8_000);
        assertEquals(500, r(0x390));
        assertFalse(intr);
        timers.advance(8_016);
        assertTrue(intr);
        assertEquals(0x30, apic.acknowledge());
        assertEquals(0, r(0x390));
    }

    @Test
    void periodicTimerReloads() {
        enable();
        w(0x3E0, 0xB); // divide by 1
        w(0x320, 0x20031);
        w(0x380, 999);
        int taken = 0;
        for (int i = 0; i < 10; i++) {
            timers.advance(1_000);
            if (intr) {
                assertEquals(0x31, apic.acknowledge());
                w(0xB0, 0);
                taken++;
            }
        }
        assertEquals(10, taken);
    }

    @Test
    void spuriousVectorWhenTheRequestIsHeldOffByTpr() {
        enable();
        w(0x300, 0x40050); // self, vector 0x50
        w(0x80, 0x50);
        assertFalse(intr, "TPR holds it off");
        assertEquals(0xFF, apic.acknowledge(), "a CPU that asks anyway gets the spurious vector");
    }

    @Test
    void resetTwiceGivesTheSameState() {
        enable();
        w(0x380, 5000);
        apic.reset();
        LocalApicState once = apic.save();
        apic.reset();
        assertEquals(once, apic.save());
    }

    @Test
    void snapshotKeepsTheTimerRunning() {
        enable();
        w(0x3E0, 0xB);
        w(0x320, 0x33);
        w(0x380, 5000);
        timers.advance(1000);
        LocalApicState saved = apic.save();
        FakeTimers t2 = new FakeTimers(timers.now());
        boolean[] intr2 = {false};
        LocalApic other = new LocalApic(level -> intr2[0] = level, level -> { }, t2, () -> 0, v -> { }, 0, 0x14, true,
                new LocalApic.Events() { });
        other.restore(saved);
        assertEquals(saved, other.save());
        t2.advance(4001);
        assertTrue(intr2[0]);
    }

    @Test
    void restoreRejectsAShortVectorSet() {
        LocalApicState s = apic.save();
        var bad = new LocalApicState(1, s.apicBase(), s.id(), s.tpr(), s.spuriousVec(), s.logDest(), s.destMode(),
                s.isr().subList(0, 7), s.tmr(), s.irr(), s.lvt(), s.esr(), s.icrLow(), s.icrHigh(), s.divideConf(),
                s.countShift(), s.initialCount(), s.loadTime(), s.nextTime(), false, false, false, false);
        assertEquals("isr", assertThrows(InvalidStateException.class, () -> apic.restore(bad)).field());
    }

    @Test
    void survivesAnyWritesInAnyOrder() {
        Random r = new Random(0xFEE);
        for (int i = 0; i < 200_000; i++) {
            switch (r.nextInt(7)) {
                case 0, 1 -> apic.write(r.nextInt(0x400) & ~3, 4, r.nextInt());
                case 2 -> apic.read(r.nextInt(0x1000), 1 << r.nextInt(3));
                case 3 -> apic.msi(0xFEE00000L | r.nextInt(0x100000), r.nextInt());
                case 4 -> apic.setLint0(r.nextBoolean());
                case 5 -> {
                    if (intr) {
                        apic.acknowledge();
                    }
                }
                default -> timers.advance(r.nextInt(100_000));
            }
        }
    }
}
