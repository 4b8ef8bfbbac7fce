package dev.machina.hw;

import dev.machina.hw.core.IrqLine;
import dev.machina.hw.intc.I8259Pair;

/**
 * A test board wired as QEMU 7.2's {@code pc,hpet=off} wires its ISA devices, for replaying qtest
 * transcripts: the 8259 pair at 0x20/0xA0 with its ELCR at 0x4D0/0x4D1, its output to a CPU INTR
 * that only records. Roles are the recorder's ({@code tools/qtest/record.py}).
 */
public final class IsaTestBoard implements QtestReplay.Target {
    /** A wire that can be tapped by a transcript's irq_intercept. */
    private static final class Tap implements IrqLine {
        private final int n;
        private QtestReplay.IrqLog log;

        Tap(int n) {
            this.n = n;
        }

        @Override
        public void set(boolean level) {
            if (log != null) {
                log.set(n, level);
            }
        }
    }

    private final Tap picOut = new Tap(0);
    public final I8259Pair pic = new I8259Pair(picOut);

    @Override
    public long in(int port, int size) {
        return switch (port) {
            case 0x20, 0x21 -> pic.master().read(port & 1);
            case 0xA0, 0xA1 -> pic.slave().read(port & 1);
            case 0x4D0 -> pic.master().readElcr();
            case 0x4D1 -> pic.slave().readElcr();
            default -> throw new IllegalArgumentException("no device at port 0x" + Integer.toHexString(port));
        };
    }

    @Override
    public void out(int port, int size, long value) {
        int v = (int) value;
        switch (port) {
            case 0x20, 0x21 -> pic.master().write(port & 1, v);
            case 0xA0, 0xA1 -> pic.slave().write(port & 1, v);
            case 0x4D0 -> pic.master().writeElcr(v);
            case 0x4D1 -> pic.slave().writeElcr(v);
            default -> throw new IllegalArgumentException("no device at port 0x" + Integer.toHexString(port));
        }
    }

    @Override
    public long read(long addr, int size) {
        throw new IllegalArgumentException("no device at 0x" + Long.toHexString(addr));
    }

    @Override
    public void write(long addr, int size, long value) {
        throw new IllegalArgumentException("no device at 0x" + Long.toHexString(addr));
    }

    @Override
    public void setIrqIn(String role, String name, int n, boolean level) {
        switch (role) {
            case "pic-master" -> pic.master().setIrq(n, level);
            case "pic-slave" -> pic.slave().setIrq(n, level);
            default -> throw new IllegalArgumentException("no inputs on " + role);
        }
    }

    @Override
    public void intercept(boolean out, String role, QtestReplay.IrqLog log) {
        if (out && role.equals("pic-master")) {
            picOut.log = log;
            return;
        }
        throw new IllegalArgumentException("cannot intercept " + (out ? "outputs" : "inputs") + " of " + role);
    }
}
