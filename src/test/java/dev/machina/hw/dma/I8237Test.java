package dev.machina.hw.dma;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class I8237Test {
    private final List<Integer> unsupported = new ArrayList<>();
    private final I8237 dma = new I8237(0, new I8237.Events() {
        @Override
        public void unsupportedCommand(int value) {
            unsupported.add(value);
        }
    });

    @TestFactory
    Stream<DynamicTest> behavesAsQemu72RecordedOverQtest() {
        return QtestReplay.transcripts("dma-").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName().toString(), () -> QtestReplay.replay(p, IsaTestBoard::new)));
    }

    @Test
    void resetMasksEveryChannel() {
        for (int ch = 0; ch < 4; ch++) {
            assertTrue(dma.masked(ch));
        }
        dma.writeControl(6, 0);
        assertFalse(dma.masked(2));
        dma.reset();
        assertTrue(dma.masked(2));
    }

    @Test
    void cascadeModeAsSeaBiosSetsIt() {
        I8237 high = new I8237(1);
        high.writeControl(5, 0);
        high.writeControl(3, 0xC0);
        high.writeControl(2, 0x00);
        assertEquals(0xC0, high.mode(0));
        assertFalse(high.masked(0));
        assertTrue(high.masked(1));
    }

    @Test
    void memoryToMemoryCommandIsReportedAndIgnored() {
        dma.writeControl(0, 0x01);
        assertEquals(List.of(0x01), unsupported);
    }

    @Test
    void resetTwiceGivesTheSameState() {
        dma.writeChannel(2, 0x12);
        dma.writeControl(3, 0x46);
        dma.reset();
        I8237.State once = dma.save();
        dma.reset();
        assertEquals(once, dma.save());
    }

    @Test
    void snapshotRoundTripsAndIsValidated() {
        dma.writeChannel(4, 0x34);
        dma.writeChannel(4, 0x12);
        dma.writePage(1, 0x05);
        I8237.State s = dma.save();
        I8237 other = new I8237(0);
        other.restore(s);
        assertEquals(s, other.save());
        var bad = new I8237.State(1, s.baseAddr(), s.baseCount(), s.nowAddr(), s.nowCount(), s.mode(),
                List.of(1, 2, 3), s.highPage(), 0, 0, 0, false);
        assertEquals("page", assertThrows(InvalidStateException.class, () -> dma.restore(bad)).field());
    }

    @Test
    void survivesAnyWritesInAnyOrder() {
        Random r = new Random(8237);
        for (int i = 0; i < 100_000; i++) {
            int off = r.nextInt(16);
            switch (r.nextInt(4)) {
                case 0 -> dma.writeChannel(off, r.nextInt(256));
                case 1 -> dma.writeControl(off, r.nextInt(256));
                case 2 -> dma.readChannel(off);
                default -> dma.readControl(off);
            }
            dma.writePage(r.nextInt(8), r.nextInt(256));
        }
    }
}
