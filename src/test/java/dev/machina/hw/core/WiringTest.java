package dev.machina.hw.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.memory.MemorySystem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WiringTest {
    private final Wiring w = new Wiring();
    private final List<String> seen = new ArrayList<>();

    private IrqLine out(String dev, String name) {
        return w.gpio(dev).outputs(name, 1)[0];
    }

    private void in(String dev, int n) {
        w.gpio(dev).inputs(n, (i, level) -> seen.add(dev + "[" + i + "]=" + level));
    }

    @Test
    void anOutputDrivesTheInputItIsWiredTo() {
        IrqLine o = out("/slave", null);
        in("/master", 8);
        w.connect(new Pin("/slave", "unnamed-gpio-out[0]"), new Pin("/master", "unnamed-gpio-in[2]"));
        o.raise();
        o.lower();
        assertEquals(List.of("/master[2]=true", "/master[2]=false"), seen);
    }

    @Test
    void anUnwiredOutputDrivesNothing() {
        out("/pit", null).pulse();
        assertEquals(List.of(), seen);
    }

    @Test
    void oneOutputOnTwoInputsNeedsASplit() {
        out("/rtc", null);
        in("/pic", 8);
        in("/ioapic", 24);
        w.connect(new Pin("/rtc", "unnamed-gpio-out[0]"), new Pin("/pic", "unnamed-gpio-in[0]"));
        WiringException e = assertThrows(WiringException.class,
                () -> w.connect(new Pin("/rtc", "unnamed-gpio-out[0]"), new Pin("/ioapic", "unnamed-gpio-in[8]")));
        assertInstanceOf(WiringError.FanOut.class, e.error());
        assertEquals("output /rtc unnamed-gpio-out[0] already drives /pic unnamed-gpio-in[0]; to drive /ioapic"
                + " unnamed-gpio-in[8] as well, wire it through a split-irq", e.getMessage());
    }

    @Test
    void twoOutputsOnOneInputNeedAnOr() {
        out("/a", null);
        out("/b", null);
        in("/pic", 8);
        w.connect(new Pin("/a", "unnamed-gpio-out[0]"), new Pin("/pic", "unnamed-gpio-in[5]"));
        WiringException e = assertThrows(WiringException.class,
                () -> w.connect(new Pin("/b", "unnamed-gpio-out[0]"), new Pin("/pic", "unnamed-gpio-in[5]")));
        assertInstanceOf(WiringError.FanIn.class, e.error());
    }

    @Test
    void anUnknownPinListsTheDevicesPins() {
        out("/port92", "a20");
        WiringException e = assertThrows(WiringException.class,
                () -> w.connect(new Pin("/port92", "a20[1]"), new Pin("/cpu", "x")));
        assertEquals("/port92 has no GPIO output a20[1]; it has a20[0]", e.getMessage());
    }

    @Test
    void aSplitFansOneLineOutAndAnOrCombinesLines() {
        Board board = Board.forTest(new MemorySystem(), new TimerQueue(() -> 0));
        new SplitIrq(2).realize(board.plainSlot("/split"));
        new OrIrq(2).realize(board.plainSlot("/or"));
        Wiring wr = board.wiring();
        IrqLine src = wr.gpio("/src").outputs(1)[0];
        boolean[] sink = new boolean[1];
        List<Boolean> other = new ArrayList<>();
        wr.gpio("/sink").inputs(2, (i, level) -> {
            if (i == 0) {
                sink[0] = level;
            } else {
                other.add(level);
            }
        });
        IrqLine second = wr.gpio("/src2").outputs(1)[0];
        wr.connect(new Pin("/src", "unnamed-gpio-out[0]"), new Pin("/split", "unnamed-gpio-in[0]"));
        wr.connect(new Pin("/split", "unnamed-gpio-out[0]"), new Pin("/or", "unnamed-gpio-in[0]"));
        wr.connect(new Pin("/split", "unnamed-gpio-out[1]"), new Pin("/sink", "unnamed-gpio-in[1]"));
        wr.connect(new Pin("/src2", "unnamed-gpio-out[0]"), new Pin("/or", "unnamed-gpio-in[1]"));
        wr.connect(new Pin("/or", "unnamed-gpio-out[0]"), new Pin("/sink", "unnamed-gpio-in[0]"));
        src.raise();
        assertTrue(sink[0]);
        assertEquals(List.of(true), other);
        second.raise();
        src.lower();
        assertTrue(sink[0], "the or stays high while the second input is");
        second.lower();
        assertFalse(sink[0]);
    }
}
