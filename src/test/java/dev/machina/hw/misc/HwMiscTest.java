package dev.machina.hw.misc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.machina.hw.core.Board;
import dev.machina.hw.core.CharFrontend;
import dev.machina.hw.core.CharReceiver;
import dev.machina.hw.core.MachineControl;
import dev.machina.hw.core.Pin;
import dev.machina.hw.core.ShutdownCause;
import dev.machina.hw.core.TimerQueue;
import dev.machina.memory.IoPorts;
import dev.machina.memory.MemoryException;
import dev.machina.memory.MemorySystem;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reference bindings on a board, as a machine realizes them. */
class HwMiscTest {
    private final MemorySystem ms = new MemorySystem();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final List<String> requests = new ArrayList<>();
    private final Board board = new Board(ms, new TimerQueue(() -> 0), new MachineControl() {
        @Override
        public void requestReset(ShutdownCause cause) {
            requests.add("reset " + cause.qapiName());
        }

        @Override
        public void requestShutdown(ShutdownCause cause) {
            requests.add("shutdown " + cause.qapiName());
        }

        @Override
        public void requestExit(int status) {
            requests.add("exit " + status);
        }
    }, id -> id.equals("d") ? Optional.of(new CharFrontend() {
        @Override
        public void write(int b) {
            console.write(b);
        }

        @Override
        public void setReceiver(CharReceiver r) {
        }
    }) : Optional.empty());
    private final Board.IsaBus isa = board.isaBus("/machine/isa.0");
    private final IoPorts io = ms.io().ports();

    @Test
    void debugconWritesTheLowByteAndReadsBackE9() {
        new IsaDebugcon(0x402, 0xE9, "d").realize(board.isaSlot("/machine/peripheral/dbg", isa));
        io.out(0x402, 1, 'O');
        io.out(0x402, 2, 0x4B4B); // a word write: the low byte to the port, the high one to 0x403 (nothing)
        assertEquals("OK", console.toString());
        assertEquals(0xE9, io.in(0x402, 1), "SeaBIOS's QEMU_DEBUGCON_READBACK");
    }

    @Test
    void debugconNamesAMissingChardevAsQemuDoes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IsaDebugcon(0x402, 0xE9, "nope").realize(board.isaSlot("/machine/peripheral/dbg", isa)));
        assertEquals("Property 'isa-debugcon.chardev' can't find value 'nope'", e.getMessage());
    }

    @Test
    void debugExitExitsWithTheValueShiftedAndOrOne() {
        new IsaDebugExit(0xF4, 4).realize(board.isaSlot("/machine/peripheral-anon/device[0]", isa));
        io.out(0xF4, 1, 0x10);
        io.out(0xF4, 4, 0);
        assertEquals(List.of("exit 33", "exit 1"), requests);
        assertEquals(0, io.in(0xF4, 1), "reads return 0");
    }

    @Test
    void debugExitOnATakenPortIsAnErrorNamingBothDevices() {
        new IsaDebugcon(0x501, 0xE9, null).realize(board.isaSlot("/machine/peripheral/dbg", isa));
        MemoryException e = assertThrows(MemoryException.class,
                () -> new IsaDebugExit(0x501, 2).realize(board.isaSlot("/machine/peripheral/exit", isa)));
        assertEquals("I/O ports 0x501-0x502 of 'isa-debug-exit' of /machine/peripheral/exit overlap 0x501-0x501 of"
                + " 'debugcon' of /machine/peripheral/dbg in 'io'", e.getMessage());
    }

    @Test
    void port92DrivesA20AndResetsOnARisingBit0() {
        IsaPort92 p = new IsaPort92();
        p.realize(board.isaSlot("/machine/unattached/device[13]", isa));
        List<Boolean> a20 = new ArrayList<>();
        board.wiring().gpio("/cpu").inputs("a20", 1, (i, level) -> a20.add(level));
        board.wiring().connect(new Pin("/machine/unattached/device[13]", "a20[0]"), new Pin("/cpu", "a20[0]"));
        assertEquals(0x00, io.in(0x92, 1), "QEMU's port 92 reads 0 until written");
        io.out(0x92, 1, 0x02);
        io.out(0x92, 1, 0x03);
        io.out(0x92, 1, 0x03);
        assertEquals(List.of(true, true, true), a20);
        assertEquals(List.of("reset guest-reset"), requests, "only the rising edge of bit 0 resets");
        p.reset();
        assertEquals(0x02, io.in(0x92, 1), "reset clears bit 0 only");
    }
}
