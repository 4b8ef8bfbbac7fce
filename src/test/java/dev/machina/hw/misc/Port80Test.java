package dev.machina.hw.misc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.machina.hw.core.InvalidStateException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Port80Test {
    private final List<Integer> codes = new ArrayList<>();
    private final Port80 port = new Port80(new Port80.Events() {
        @Override
        public void postCode(int value) {
            codes.add(value);
        }
    });

    @Test
    void readsAllOnesAsQemusIoport80() {
        port.write(0x55);
        assertEquals(0xFF, port.read());
    }

    @Test
    void reportsEveryPostCodeAndKeepsTheLast() {
        port.write(0x10);
        port.write(0x1FF);
        assertEquals(List.of(0x10, 0xFF), codes);
        assertEquals(0xFF, port.lastCode());
    }

    @Test
    void resetTwiceAndSnapshot() {
        port.write(7);
        port.reset();
        assertEquals(port.save(), new Port80().save());
        port.write(9);
        Port80 other = new Port80();
        other.restore(port.save());
        assertEquals(port.save(), other.save());
        assertThrows(InvalidStateException.class, () -> other.restore(new Port80.State(1, 256)));
    }
}
