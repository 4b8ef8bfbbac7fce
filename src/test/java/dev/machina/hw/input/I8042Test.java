package dev.machina.hw.input;

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

class I8042Test {
    private boolean irq1;
    private boolean irq12;
    private boolean a20 = true;
    private int resets;
    private final List<Integer> leds = new ArrayList<>();
    private final I8042 kbc = new I8042(level -> irq1 = level, level -> irq12 = level, level -> a20 = level,
            level -> {
                if (level) {
                    resets++;
                }
            }, new I8042.Events() {
                @Override
                public void ledsChanged(int l) {
                    leds.add(l);
                }
            });

    /** Reads every byte the controller has, as a guest polling OBF does. */
    private List<Integer> drain() {
        List<Integer> out = new ArrayList<>();
        while ((kbc.readStatus() & 0x01) != 0) {
            out.add(kbc.readData());
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> behavesAsQemu72RecordedOverQtest() {
        return QtestReplay.transcripts("i8042-").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName().toString(), () -> QtestReplay.replay(p, IsaTestBoard::new)));
    }

    @Test
    void selfTestAnswers55AsSeaBiosExpects() {
        kbc.writeCommand(0xAA);
        assertEquals(List.of(0x55), drain());
        assertEquals(0x04, kbc.readStatus() & 0x04, "SYS after a passed self-test");
    }

    @Test
    void keyboardResetAnswersAckAndSelfTestPassed() {
        kbc.writeData(0xFF);
        assertEquals(List.of(0xFA, 0xAA), drain());
    }

    @Test
    void commandFeStrobesTheResetLine() {
        kbc.writeCommand(0xFE);
        assertEquals(1, resets);
        kbc.writeCommand(0xF0); // pulse all of bits 3-0, bit 0 among them
        assertEquals(2, resets);
        kbc.writeCommand(0xFF); // pulse none
        assertEquals(2, resets);
    }

    @Test
    void outputPortDrivesA20() {
        kbc.writeCommand(0xDD);
        assertFalse(a20);
        kbc.writeCommand(0xD1);
        kbc.writeData(0xDF);
        assertTrue(a20);
        assertTrue(kbc.a20());
        assertEquals(0, resets);
    }

    @Test
    void hostKeysArriveTranslatedToSet1WithTheDefaultCommandByte() {
        kbc.writeCommand(0x60);
        kbc.writeData(0x61); // translation, keyboard interrupt on, as a BIOS leaves it
        assertTrue(kbc.keyboard().key(0x1E, true)); // 'a'
        assertTrue(irq1);
        assertTrue(kbc.keyboard().key(0x1E, false));
        assertTrue(kbc.keyboard().key(0xE048, true)); // Up
        assertEquals(List.of(0x1E, 0x9E, 0xE0, 0x48), drain());
        assertFalse(irq1);
    }

    @Test
    void hostKeysInSet2WithoutTranslation() {
        kbc.writeCommand(0x60);
        kbc.writeData(0x01);
        kbc.keyboard().key(0x1E, true);
        kbc.keyboard().key(0x1E, false);
        kbc.keyboard().key(0xE048, false);
        assertEquals(List.of(0x1C, 0xF0, 0x1C, 0xE0, 0xF0, 0x75), drain());
    }

    @Test
    void hostKeysThatDoNotFitAreDroppedWhole() {
        int queued = 0;
        while (kbc.keyboard().key(0xE048, true)) {
            queued++;
        }
        assertEquals(8, queued, "16 bytes of 2-byte codes");
        assertEquals(16, drain().size());
    }

    @Test
    void noKeysWhileScanningIsDisabled() {
        kbc.writeData(0xF5);
        drain();
        assertFalse(kbc.keyboard().key(0x1E, true));
        kbc.writeData(0xF4);
        drain();
        assertTrue(kbc.keyboard().key(0x1E, true));
    }

    @Test
    void ledsReachTheHost() {
        kbc.writeData(0xED);
        assertEquals(List.of(0xFA), drain());
        kbc.writeData(0x02);
        assertEquals(List.of(0xFA), drain());
        assertEquals(List.of(2), leds);
    }

    @Test
    void mouseRepliesRaiseIrq12() {
        kbc.writeCommand(0xA8);
        kbc.writeCommand(0xD4);
        kbc.writeData(0xF2);
        assertTrue(irq12);
        assertEquals(0x21, kbc.readStatus() & 0x21);
        assertEquals(List.of(0xFA, 0x00), drain());
        assertFalse(irq12);
    }

    @Test
    void resetTwiceGivesTheSameState() {
        kbc.writeData(0xF2);
        kbc.writeCommand(0x60);
        kbc.writeData(0x47);
        kbc.reset();
        I8042State once = kbc.save();
        kbc.reset();
        assertEquals(once, kbc.save());
    }

    @Test
    void snapshotKeepsQueuedBytesInOrder() {
        kbc.writeData(0xF2);
        kbc.keyboard().key(0x10, true);
        I8042State saved = kbc.save();
        boolean[] irq = {false};
        I8042 other = new I8042(level -> irq[0] = level, level -> { }, level -> { }, level -> { });
        other.restore(saved);
        assertEquals(saved, other.save());
        List<Integer> got = new ArrayList<>();
        while ((other.readStatus() & 1) != 0) {
            got.add(other.readData());
        }
        assertEquals(List.of(0xFA, 0xAB, 0x83, 0x15), got);
    }

    @Test
    void restoreRejectsABadScanCodeSet() {
        I8042State s = kbc.save();
        var k = s.keyboard();
        var bad = new I8042State(1, s.status(), s.mode(), s.outport(), s.writeCmd(), s.ctrlPending(), s.ctrlAux(),
                s.ctrlData(), s.obsrc(), s.obdata(),
                new I8042State.Keyboard(k.scanEnabled(), 4, k.leds(), k.pendingCommand(), k.replies(), k.data()),
                s.mouse());
        assertEquals("keyboard.scancodeSet", assertThrows(InvalidStateException.class, () -> kbc.restore(bad)).field());
    }

    @Test
    void survivesAnyWritesInAnyOrder() {
        Random r = new Random(8042);
        for (int i = 0; i < 200_000; i++) {
            switch (r.nextInt(5)) {
                case 0 -> kbc.writeCommand(0x20 + r.nextInt(0xE0) & ~0x01 | 0x01); // odd commands: never reset
                case 1 -> kbc.writeData(r.nextInt(256));
                case 2 -> kbc.readData();
                case 3 -> kbc.readStatus();
                default -> kbc.keyboard().key(r.nextInt(0x60), r.nextBoolean());
            }
        }
    }
}
