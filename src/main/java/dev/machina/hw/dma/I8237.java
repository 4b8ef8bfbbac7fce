package dev.machina.hw.dma;

import dev.machina.hw.core.InvalidStateException;

/**
 * One Intel 8237A DMA controller with its page registers, as QEMU 7.2's {@code i8257} models it
 * (hw/dma/i8257.c). A PC has two: the 8-bit controller (channels 0-3, ports 0x00-0x0F, pages
 * 0x81-0x83/0x87, {@code dshift} 0) and the 16-bit one cascaded on its channel 0 (channels 4-7,
 * ports 0xC0-0xDE at even addresses, pages 0x89-0x8B/0x8F, {@code dshift} 1).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Channel registers (offset 0-7 in units of {@code 1 << dshift}): base address (even) and
 *       base count (odd) of channel {@code offset / 2}, written and read a byte at a time through
 *       the byte-pointer flip-flop; reads return the current address and the count left.</li>
 *   <li>Control registers (offset 8-15): status (read; clears the terminal-count bits) / command
 *       (write; only 0 and "controller disable" are accepted, as QEMU, other values are reported
 *       and ignored), request, single mask, mode, clear flip-flop, master clear (write) / (read
 *       0), clear masks, write all masks. A read of offset 9 returns the masks, as QEMU's.</li>
 *   <li>Page registers: one byte per channel ({@link #readPage}); the high page registers of
 *       0x481-0x48B likewise ({@link #readHighPage}).</li>
 *   <li>Reset (master clear): flip-flop cleared, all channels masked, status and command 0; the
 *       channel registers keep their values.</li>
 * </ul>
 *
 * <p>No transfers: nothing on a PC board here asserts DREQ (no floppy controller, no ISA sound
 * card), so the model keeps the registers SeaBIOS and Linux program (master clear, masks, mode,
 * cascade) and never moves memory. A request written by the guest is recorded in the status
 * register and goes no further.
 */
public final class I8237 {
    /** Page register ports (offset from the page base) of channels 0-3: 0x87, 0x83, 0x81, 0x82 on the 8-bit controller. */
    private static final int[] CHANNEL_OF_PAGE_PORT = {-1, 2, 3, 1, -1, -1, -1, 0};
    private static final int CMD_SUPPORTED = 0x04;

    /** What the controller reports besides its registers; the default ignores everything. */
    public interface Events {
        /** A command register value QEMU 7.2 does not support either (memory-to-memory, priorities, ...). */
        default void unsupportedCommand(int value) {
        }
    }

    private final int dshift;
    private final Events events;
    final int[] baseAddr = new int[4];
    final int[] baseCount = new int[4];
    final int[] nowAddr = new int[4];
    final int[] nowCount = new int[4];
    final int[] mode = new int[4];
    final int[] page = new int[4];
    final int[] highPage = new int[4];
    int status;
    int command;
    int mask;
    boolean flipFlop;

    /** @param dshift 0 for the 8-bit controller, 1 for the 16-bit one (QEMU's {@code dshift}) */
    public I8237(int dshift) {
        this(dshift, new Events() { });
    }

    public I8237(int dshift, Events events) {
        this.dshift = dshift;
        this.events = events;
        reset();
    }

    public void reset() {
        masterClear();
    }

    private void masterClear() {
        flipFlop = false;
        mask = 0xFF;
        status = 0;
        command = 0;
    }

    /** Toggles the byte-pointer flip-flop and says whether this access is the high byte. */
    private boolean highByte() {
        boolean ff = flipFlop;
        flipFlop = !ff;
        return ff;
    }

    /** Offsets 0-7 (already divided by {@code 1 << dshift}): address and count registers. */
    public int readChannel(int offset) {
        int ch = (offset & 7) >> 1;
        boolean count = (offset & 1) != 0;
        int dir = (mode[ch] & 0x20) != 0 ? -1 : 1;
        int shift = dshift + (highByte() ? 8 : 0);
        int val = count ? (baseCount[ch] << dshift) - nowCount[ch] : nowAddr[ch] + nowCount[ch] * dir;
        return (val >> shift) & 0xFF;
    }

    public void writeChannel(int offset, int value) {
        int ch = (offset & 7) >> 1;
        boolean count = (offset & 1) != 0;
        int[] reg = count ? baseCount : baseAddr;
        if (highByte()) {
            reg[ch] = (reg[ch] & 0xFF) | ((value << 8) & 0xFF00);
            nowAddr[ch] = baseAddr[ch] << dshift;
            nowCount[ch] = 0;
        } else {
            reg[ch] = (reg[ch] & 0xFF00) | (value & 0xFF);
        }
    }

    /** Offsets 8-15 given as 0-7: status/command ... write all masks. */
    public int readControl(int offset) {
        switch (offset & 7) {
            case 0 -> {
                int val = status;
                status &= 0xF0;
                return val;
            }
            case 1 -> {
                return mask & 0xFF;
            }
            default -> {
                return 0;
            }
        }
    }

    public void writeControl(int offset, int value) {
        int data = value & 0xFF;
        switch (offset & 7) {
            case 0 -> {
                if (data != 0 && (data & ~CMD_SUPPORTED) != 0) {
                    events.unsupportedCommand(data);
                    return;
                }
                command = data;
            }
            case 1 -> { // request register: recorded, never served
                int ch = data & 3;
                if ((data & 4) != 0) {
                    status |= 1 << (ch + 4);
                } else {
                    status &= ~(1 << (ch + 4));
                }
                status &= ~(1 << ch);
            }
            case 2 -> {
                if ((data & 4) != 0) {
                    mask |= 1 << (data & 3);
                } else {
                    mask &= ~(1 << (data & 3));
                }
            }
            case 3 -> mode[data & 3] = data;
            case 4 -> flipFlop = false;
            case 5 -> masterClear();
            case 6 -> mask = 0;
            default -> mask = data;
        }
    }

    /** A page register port, as an offset from the page base (1-3 and 7); others read 0. */
    public int readPage(int offset) {
        int ch = CHANNEL_OF_PAGE_PORT[offset & 7];
        return ch < 0 ? 0 : page[ch];
    }

    public void writePage(int offset, int value) {
        int ch = CHANNEL_OF_PAGE_PORT[offset & 7];
        if (ch >= 0) {
            page[ch] = value & 0xFF;
        }
    }

    public int readHighPage(int offset) {
        int ch = CHANNEL_OF_PAGE_PORT[offset & 7];
        return ch < 0 ? 0 : highPage[ch];
    }

    public void writeHighPage(int offset, int value) {
        int ch = CHANNEL_OF_PAGE_PORT[offset & 7];
        if (ch >= 0) {
            highPage[ch] = value & 0xFF;
        }
    }

    /** Whether channel {@code ch} (0-3) is masked. */
    public boolean masked(int ch) {
        return (mask & (1 << (ch & 3))) != 0;
    }

    /** The mode register of channel {@code ch} (bits 7-6 mode, 5 decrement, 4 auto-init, 3-2 transfer type). */
    public int mode(int ch) {
        return mode[ch & 3];
    }

    // ---------------------------------------------------------------------------------- state

    /** Snapshot; the arrays are per channel (four entries each). */
    public record State(int version, java.util.List<Integer> baseAddr, java.util.List<Integer> baseCount,
            java.util.List<Integer> nowAddr, java.util.List<Integer> nowCount, java.util.List<Integer> mode,
            java.util.List<Integer> page, java.util.List<Integer> highPage, int status, int command, int mask,
            boolean flipFlop) {
        public static final int VERSION = 1;
    }

    private static java.util.List<Integer> list(int[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }

    public State save() {
        return new State(State.VERSION, list(baseAddr), list(baseCount), list(nowAddr), list(nowCount), list(mode),
                list(page), list(highPage), status, command, mask, flipFlop);
    }

    public void restore(State s) {
        String dev = "i8257";
        InvalidStateException.checkVersion(dev, s.version(), 1, State.VERSION);
        check(dev, "baseAddr", s.baseAddr(), 0xFFFF);
        check(dev, "baseCount", s.baseCount(), 0xFFFF);
        check(dev, "nowAddr", s.nowAddr(), 0x1FFFE);
        check(dev, "nowCount", s.nowCount(), 0x1FFFE);
        check(dev, "mode", s.mode(), 0xFF);
        check(dev, "page", s.page(), 0xFF);
        check(dev, "highPage", s.highPage(), 0xFF);
        InvalidStateException.checkRange(dev, "status", s.status(), 0, 0xFF);
        InvalidStateException.checkRange(dev, "command", s.command(), 0, 0xFF);
        InvalidStateException.checkRange(dev, "mask", s.mask(), 0, 0xFF);
        for (int i = 0; i < 4; i++) {
            baseAddr[i] = s.baseAddr().get(i);
            baseCount[i] = s.baseCount().get(i);
            nowAddr[i] = s.nowAddr().get(i);
            nowCount[i] = s.nowCount().get(i);
            mode[i] = s.mode().get(i);
            page[i] = s.page().get(i);
            highPage[i] = s.highPage().get(i);
        }
        status = s.status();
        command = s.command();
        mask = s.mask();
        flipFlop = s.flipFlop();
    }

    private static void check(String dev, String field, java.util.List<Integer> v, int max) {
        if (v == null || v.size() != 4) {
            throw new InvalidStateException(dev, field, "must have 4 entries (one per channel)");
        }
        for (int i = 0; i < 4; i++) {
            InvalidStateException.checkRange(dev, field + "[" + i + "]", v.get(i), 0, max);
        }
    }
}
