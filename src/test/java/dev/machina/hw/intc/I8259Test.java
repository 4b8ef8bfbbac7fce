package dev.machina.hw.intc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.hw.IsaTestBoard;
import dev.machina.hw.QtestReplay;
import dev.machina.hw.core.InvalidStateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class I8259Test {
    /** The pair as the CPU sees it: INTR recorded, ports decoded as on a PC. */
    private final List<Boolean> intr = new ArrayList<>();
    private final I8259Pair pic = new I8259Pair(intr::add);

    /** SeaBIOS's and Linux's initialization: master base 0x08, slave base 0x70, cascade on IR2. */
    private void init(int masterBase, int slaveBase, int icw4) {
        pic.master().write(0, 0x11);
        pic.master().write(1, masterBase);
        pic.master().write(1, 0x04);
        pic.master().write(1, icw4);
        pic.slave().write(0, 0x11);
        pic.slave().write(1, slaveBase);
        pic.slave().write(1, 0x02);
        pic.slave().write(1, icw4);
        pic.master().write(1, 0x00);
        pic.slave().write(1, 0x00);
    }

    private boolean intrLevel() {
        return !intr.isEmpty() && intr.get(intr.size() - 1);
    }

    @TestFactory
    Stream<DynamicTest> behavesAsQemu72RecordedOverQtest() {
        return QtestReplay.transcripts("pic-").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName().toString(), () -> QtestReplay.replay(p, IsaTestBoard::new)));
    }

    @Nested
    class Acknowledge {
        @Test
        void returnsTheVectorOfAMasterRequestAndRaisesIntrUntilThen() {
            init(0x08, 0x70, 0x01);
            pic.irq(0).pulse();
            assertTrue(intrLevel());
            assertEquals(0x08, pic.acknowledge());
            assertFalse(intrLevel());
            pic.master().write(0, 0x0B);
            assertEquals(0x01, pic.master().read(0), "IR0 in service until EOI");
        }

        @Test
        void returnsTheSlaveVectorThroughTheCascade() {
            init(0x08, 0x70, 0x01);
            pic.irq(14).pulse();
            assertTrue(intrLevel());
            assertEquals(0x76, pic.acknowledge());
            pic.master().write(0, 0x0B);
            pic.slave().write(0, 0x0B);
            assertEquals(0x04, pic.master().read(0));
            assertEquals(0x40, pic.slave().read(0));
        }

        @Test
        void givesTheSpuriousIrq7WhenTheRequestWentAway() {
            init(0x08, 0x70, 0x01);
            pic.master().writeElcr(0x08);
            pic.irq(3).raise();
            pic.irq(3).lower();
            assertEquals(0x0F, pic.acknowledge(), "master spurious IRQ 7");
            pic.master().write(0, 0x0B);
            assertEquals(0, pic.master().read(0), "a spurious IRQ sets no ISR bit");
        }

        @Test
        void givesTheSlaveSpuriousVectorWhenOnlyTheCascadeIsLeft() {
            init(0x08, 0x70, 0x01);
            pic.irq(8).raise();
            pic.slave().write(1, 0x01); // masked again: the slave's INT falls, the master's IR2 edge stays latched
            assertEquals(0x77, pic.acknowledge());
        }
    }

    @Test
    void levelTriggeredInputStaysRequestedAfterEoiWhileTheLineIsHigh() {
        init(0x08, 0x70, 0x01);
        pic.slave().writeElcr(0x08);
        pic.irq(11).raise();
        assertEquals(0x73, pic.acknowledge());
        pic.slave().write(0, 0x20);
        pic.master().write(0, 0x20);
        assertTrue(intrLevel());
        assertEquals(0x73, pic.acknowledge());
    }

    @Test
    void resetClearsTheElcrButIcw1DoesNot() {
        pic.master().writeElcr(0xF8);
        pic.master().write(0, 0x11);
        assertEquals(0xF8, pic.master().readElcr());
        pic.reset();
        assertEquals(0, pic.master().readElcr());
    }

    @Test
    void resetTwiceGivesTheSameState() {
        init(0x20, 0x28, 0x03);
        pic.irq(5).raise();
        pic.reset();
        I8259.State once = pic.master().save();
        pic.reset();
        assertEquals(once, pic.master().save());
    }

    @Test
    void snapshotRoundTripsAndRestoresTheOutput() {
        init(0x08, 0x70, 0x01);
        pic.master().write(1, 0xF0);
        pic.irq(2 + 1).raise();
        I8259.State saved = pic.master().save();
        I8259Pair other = new I8259Pair(level -> { });
        other.master().restore(saved);
        assertEquals(saved, other.master().save());
        assertTrue(other.intr());
        assertEquals(0x0B, other.acknowledge());
    }

    @Test
    void restoreRejectsAStateTheChipCannotBeIn() {
        I8259.State good = pic.master().save();
        var bad = new I8259.State(good.version(), 0x100, good.imr(), good.isr(), good.lines(), good.priorityAdd(),
                good.irqBase(), good.readIsr(), good.poll(), good.specialMask(), good.initState(), good.autoEoi(),
                good.rotateOnAutoEoi(), good.specialFullyNested(), good.init4(), good.singleMode(), good.elcr());
        var e = assertThrows(InvalidStateException.class, () -> pic.master().restore(bad));
        assertEquals("irr", e.field());
        var future = new I8259.State(99, 0, 0, 0, 0, 0, 0, false, false, false, 0, false, false, false, false, false, 0);
        assertEquals("version", assertThrows(InvalidStateException.class, () -> pic.master().restore(future)).field());
        var slaveElcr = new I8259.State(1, 0, 0, 0, 0, 0, 0, false, false, false, 0, false, false, false, false,
                false, 0x01);
        assertEquals("elcr", assertThrows(InvalidStateException.class, () -> pic.slave().restore(slaveElcr)).field());
    }

    @Test
    void survivesAnyWritesInAnyOrder() {
        Random r = new Random(8259);
        for (int i = 0; i < 200_000; i++) {
            int op = r.nextInt(6);
            switch (op) {
                case 0 -> pic.master().write(r.nextInt(2), r.nextInt(256));
                case 1 -> pic.slave().write(r.nextInt(2), r.nextInt(256));
                case 2 -> pic.irq(r.nextInt(16)).set(r.nextBoolean());
                case 3 -> assertVector(pic.acknowledge());
                case 4 -> pic.master().read(r.nextInt(2));
                default -> pic.slave().writeElcr(r.nextInt(256));
            }
        }
    }

    private static void assertVector(int v) {
        assertTrue(v >= 0 && v <= 0xFF, "vector " + v);
    }
}
