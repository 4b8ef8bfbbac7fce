package dev.machina.hw.intc;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class IoApicTest {
    private final FakeTimers timers = new FakeTimers();
    private final List<long[]> messages = new ArrayList<>();
    private int extIntAcks;
    private final IoApic ioapic = new IoApic((addr, data) -> messages.add(new long[] {addr, data}), timers, () -> {
        extIntAcks++;
        return 0x08;
    }, 0x20);

    private void entry(int pin, long value) {
        ioapic.write(0, 4, 0x10 + 2 * pin);
        ioapic.write(0x10, 4, (int) value);
        ioapic.write(0, 4, 0x11 + 2 * pin);
        ioapic.write(0x10, 4, (int) (value >>> 32));
    }

    private long entry(int pin) {
        ioapic.write(0, 4, 0x10 + 2 * pin);
        long lo = ioapic.read(0x10, 4) & 0xFFFFFFFFL;
        ioapic.write(0, 4, 0x11 + 2 * pin);
        return lo | (long) ioapic.read(0x10, 4) << 32;
    }

    @TestFactory
    Stream<DynamicTest> behavesAsQemu72RecordedOverQtest() {
        return QtestReplay.transcripts("ioapic-").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName().toString(), () -> QtestReplay.replay(p, IsaTestBoard::new)));
    }

    @Test
    void edgeEntryDeliversAnMsiToItsDestination() {
        entry(4, 0x0300_0000_0000_0034L); // APIC ID 3, physical, fixed, edge, vector 0x34
        ioapic.setIrq(4, true);
        assertEquals(1, messages.size());
        assertEquals(0xFEE03000L, messages.get(0)[0]);
        assertEquals(0x34, messages.get(0)[1]);
        ioapic.setIrq(4, false);
        ioapic.setIrq(4, true);
        assertEquals(2, messages.size());
        ioapic.setIrq(4, true);
        assertEquals(3, messages.size(), "as QEMU 7.2: no edge detector, a line driven high again delivers again");
    }

    @Test
    void isaIrq0IsPin2AsTheMadtOverrideSays() {
        entry(2, 0x30);
        ioapic.setIrq(0, true);
        assertEquals(0x30, messages.get(0)[1]);
    }

    @Test
    void levelEntryWaitsForTheEoiAndRedeliversWhileTheLineIsHigh() {
        entry(11, 0x0000_0000_0000_8000L | 0x41 | 1L << 11); // logical destination, level
        ioapic.setIrq(11, true);
        ioapic.setIrq(11, true);
        assertEquals(1, messages.size());
        assertEquals(0xFEE00004L, messages.get(0)[0], "destination mode in bit 2");
        assertEquals(0x8041, messages.get(0)[1], "trigger mode in bit 15");
        assertTrue((entry(11) & IoApic.REMOTE_IRR) != 0);
        ioapic.eoi(0x41);
        assertEquals(2, messages.size(), "still high: delivered again");
        ioapic.setIrq(11, false);
        ioapic.eoi(0x41);
        assertEquals(0, entry(11) & IoApic.REMOTE_IRR);
        assertEquals(2, messages.size());
    }

    @Test
    void extIntEntryTakesItsVectorFromThe8259() {
        entry(0 + 2, 0x700);
        ioapic.setIrq(2, true);
        assertEquals(1, extIntAcks);
        assertEquals(0x708, messages.get(0)[1]);
    }

    @Test
    void anInterruptStormIsSlowedDownAfter10000Eois() {
        entry(9, 0x8039);
        ioapic.setIrq(9, true);
        for (int i = 0; i < 9_999; i++) {
            ioapic.eoi(0x39);
        }
        assertEquals(10_000, messages.size());
        ioapic.eoi(0x39);
        assertEquals(10_000, messages.size(), "the 10,000th EOI in a row waits");
        timers.advance(10_000_000);
        assertEquals(10_001, messages.size());
    }

    @Test
    void resetMasksEveryEntry() {
        entry(5, 0x25);
        ioapic.reset();
        for (int i = 0; i < IoApic.PINS; i++) {
            assertEquals(IoApic.MASKED, entry(i));
        }
    }

    @Test
    void resetTwiceGivesTheSameState() {
        entry(3, 0x8033);
        ioapic.setIrq(3, true);
        ioapic.reset();
        IoApic.State once = ioapic.save();
        ioapic.reset();
        assertEquals(once, ioapic.save());
    }

    @Test
    void snapshotRoundTrips() {
        entry(7, 0x8037);
        ioapic.setIrq(7, true);
        IoApic.State saved = ioapic.save();
        IoApic other = new IoApic((a, d) -> { }, new FakeTimers(), () -> 0, 0x20);
        other.restore(saved);
        assertEquals(saved, other.save());
    }

    @Test
    void restoreRejectsAShortTable() {
        IoApic.State s = ioapic.save();
        var bad = new IoApic.State(1, 0, 0, 0, s.redirectionTable().subList(0, 16), s.irqEoi(), IoApic.State.NONE);
        assertThrows(InvalidStateException.class, () -> ioapic.restore(bad));
    }

    @Test
    void survivesAnyWritesInAnyOrder() {
        Random r = new Random(82093);
        for (int i = 0; i < 200_000; i++) {
            switch (r.nextInt(5)) {
                case 0 -> ioapic.write(r.nextInt(0x100), 1 << r.nextInt(3), r.nextInt());
                case 1 -> ioapic.write(r.nextBoolean() ? 0 : 0x10, 4, r.nextInt());
                case 2 -> ioapic.read(r.nextInt(0x100), 1 << r.nextInt(3));
                case 3 -> ioapic.setIrq(r.nextInt(30) - 3, r.nextBoolean());
                default -> ioapic.eoi(r.nextInt(256));
            }
        }
    }
}
