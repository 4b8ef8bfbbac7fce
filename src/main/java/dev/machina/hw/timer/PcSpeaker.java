package dev.machina.hw.timer;

/**
 * Port 0x61 of a PC as QEMU 7.2's {@code isa-pcspk} models it (hw/audio/pcspk.c): the PIIX's "NMI
 * status and control" register, the PC/AT's port B, as far as it concerns the 8254.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Write: bit 0 is GATE of counter 2, bit 1 enables the speaker data (counter 2's OUT to the
 *       speaker); the other bits have no effect.</li>
 *   <li>Read: bit 0 GATE of counter 2, bit 1 speaker data enable, bit 4 the refresh toggle, bit 5
 *       OUT of counter 2; bits 2, 3, 6 and 7 read 0 (no NMI sources). As in QEMU 7.2, the refresh
 *       bit flips on every read rather than every 15 µs: a guest that waits for it to change (the
 *       BIOS's and Linux's short delays) sees a change at once.</li>
 *   <li>No sound: {@link #speakerOn()} says whether a tone would play.</li>
 * </ul>
 */
public final class PcSpeaker {
    private static final int GATE = 0x01, DATA = 0x02, REFRESH = 0x10, OUT2 = 0x20;

    private final I8254 pit;
    private boolean dataOn;
    private int refresh;

    public PcSpeaker(I8254 pit) {
        this.pit = pit;
    }

    public void reset() {
        dataOn = false;
        refresh = 0;
    }

    public int read() {
        refresh ^= REFRESH;
        return (pit.gate(2) ? GATE : 0) | (dataOn ? DATA : 0) | refresh | (pit.out(2) ? OUT2 : 0);
    }

    public void write(int value) {
        dataOn = (value & DATA) != 0;
        pit.setGate(2, (value & GATE) != 0);
    }

    /** Whether the speaker would sound: data enabled and counter 2 gated on. */
    public boolean speakerOn() {
        return dataOn && pit.gate(2);
    }

    /** Snapshot: the speaker-data bit and the refresh toggle (counter 2's gate is the 8254's). */
    public record State(int version, boolean dataOn, boolean refresh) {
        public static final int VERSION = 1;
    }

    public State save() {
        return new State(State.VERSION, dataOn, refresh != 0);
    }

    public void restore(State s) {
        dev.machina.hw.core.InvalidStateException.checkVersion("pcspk", s.version(), 1, State.VERSION);
        dataOn = s.dataOn();
        refresh = s.refresh() ? REFRESH : 0;
    }
}
