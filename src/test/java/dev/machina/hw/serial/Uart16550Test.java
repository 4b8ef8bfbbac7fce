package dev.machina.hw.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.hw.FakeTimers;
import dev.machina.hw.IsaTestBoard;
import dev.machina.hw.QtestReplay;
import dev.machina.hw.core.InvalidStateException;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class Uart16550Test {
    private static final int RBR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5;
    private final FakeTimers timers = new FakeTimers();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean irq;
    private int readyCalls;
    private final Uart16550 uart = new Uart16550(level -> irq = level, out::write, timers, 115200,
            new Uart16550.Events() {
                @Override
                public void readyToReceive() {
                    readyCalls++;
                }
            });

    @TestFactory
    Stream<DynamicTest> behavesAsQemu72RecordedOverQtest() {
        return QtestReplay.transcripts("serial-").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName().toString(), () -> QtestReplay.replay(p, IsaTestBoard::new)));
    }

    @Test
    void transmitsWhatTheGuestWritesAtOnce() {
        for (char c : "Linux\n".toCharArray()) {
            assertEquals(0x60, uart.read(LSR) & 0x60, "THRE and TEMT before each byte");
            uart.write(0, c);
        }
        assertEquals("Linux\n", out.toString());
    }

    @Test
    void divisorLatchDoesNotTransmit() {
        uart.write(LCR, 0x80);
        uart.write(0, 0x01);
        uart.write(LCR, 0x03);
        assertEquals(0, out.size());
    }

    @Test
    void hostInputRaisesReceivedDataAndReadingLowersIt() {
        uart.write(IER, 0x01);
        assertEquals(1, uart.canReceive());
        uart.receive('x');
        assertTrue(irq);
        assertEquals(0x04, uart.read(IIR) & 0x0F);
        assertEquals(0, uart.canReceive(), "no FIFO: one byte at a time");
        assertEquals('x', uart.read(RBR));
        assertFalse(irq);
        assertEquals(1, readyCalls);
    }

    @Test
    void aHostFeedingOnlyWhatCanReceiveAllowsNeverOverruns() {
        uart.write(FCR, 0xC1); // FIFO, trigger 14
        uart.write(IER, 0x01);
        byte[] text = "a fast host typing into a slow guest".getBytes();
        StringBuilder got = new StringBuilder();
        int next = 0;
        while (got.length() < text.length) {
            for (int n = uart.canReceive(); n > 0 && next < text.length; n--) {
                uart.receive(text[next++]);
            }
            timers.advance(1_000_000); // the receive timeout hands the guest the tail
            while ((uart.read(LSR) & 0x01) != 0) {
                got.append((char) uart.read(RBR));
            }
            assertEquals(0, uart.read(LSR) & 0x02, "no overrun");
        }
        assertEquals(new String(text), got.toString());
    }

    @Test
    void fifoBelowTheTriggerLevelInterruptsAfterFourCharacterTimes() {
        uart.write(FCR, 0x81); // trigger 8
        uart.write(IER, 0x01);
        uart.receive('a');
        assertFalse(irq);
        // 9600 baud 8N1 after reset (divisor 12, as QEMU): 10 bits = 1.04 ms; four of them
        timers.advance(4 * 1_041_660 - 1);
        assertFalse(irq);
        timers.advance(1);
        assertTrue(irq);
        assertEquals(0xCC, uart.read(IIR), "character timeout");
        uart.read(RBR);
        assertFalse(irq);
    }

    @Test
    void loopbackReceivesWhatIsTransmitted() {
        uart.write(MCR, 0x10);
        uart.write(0, 0x5A);
        assertEquals(0, out.size());
        assertEquals(0x5A, uart.read(RBR));
    }

    @Test
    void thrEmptyInterruptComesBackAfterEachByte() {
        uart.write(IER, 0x02);
        assertTrue(irq);
        assertEquals(0x02, uart.read(IIR));
        assertFalse(irq, "reading IIR acknowledges THRE");
        uart.write(0, 'a');
        assertTrue(irq);
    }

    @Test
    void lineStatusInterruptOnOverrunClearedByReadingLsr() {
        uart.write(IER, 0x04);
        uart.receive(1);
        uart.receive(2);
        assertTrue(irq);
        assertEquals(0x06, uart.read(IIR) & 0x0F);
        assertEquals(0x02, uart.read(LSR) & 0x02);
        assertFalse(irq);
    }

    @Test
    void resetTwiceGivesTheSameState() {
        uart.write(FCR, 0x07);
        uart.receive(9);
        uart.reset();
        Uart16550State once = uart.save();
        uart.reset();
        assertEquals(once, uart.save());
    }

    @Test
    void snapshotCarriesTheFifoAndTheTimeout() {
        uart.write(FCR, 0xC1);
        uart.write(IER, 0x01);
        uart.receive('p');
        uart.receive('q');
        Uart16550State saved = uart.save();
        FakeTimers t2 = new FakeTimers(timers.now());
        boolean[] irq2 = {false};
        Uart16550 other = new Uart16550(level -> irq2[0] = level, b -> { }, t2, 115200);
        other.restore(saved);
        assertEquals(saved, other.save());
        t2.advance(10_000_000);
        assertTrue(irq2[0], "the timeout survived the snapshot");
        assertEquals('p', other.read(RBR));
        assertEquals('q', other.read(RBR));
    }

    @Test
    void restoreRejectsAnOverfullFifo() {
        Uart16550State s = uart.save();
        var bad = new Uart16550State(1, s.divider(), s.rbr(), s.ier(), s.iir(), s.lcr(), s.mcr(), s.lsr(), s.msr(),
                s.scr(), s.fcr(), false, false, false, 1, s.charTransmitTime(), "00".repeat(17), s.fifoTimeoutAt());
        assertEquals("recvFifo", assertThrows(InvalidStateException.class, () -> uart.restore(bad)).field());
    }

    @Test
    void survivesAnyWritesInAnyOrder() {
        Random r = new Random(16550);
        for (int i = 0; i < 200_000; i++) {
            switch (r.nextInt(5)) {
                case 0, 1 -> uart.write(r.nextInt(8), r.nextInt(256));
                case 2 -> uart.read(r.nextInt(8));
                case 3 -> uart.receive(r.nextInt(256));
                default -> timers.advance(r.nextInt(5_000_000));
            }
        }
    }
}
