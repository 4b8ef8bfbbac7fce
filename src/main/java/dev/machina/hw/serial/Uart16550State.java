package dev.machina.hw.serial;

import dev.machina.hw.core.InvalidStateException;
import java.util.HexFormat;

/**
 * Snapshot of a {@link Uart16550}: every register, the pending-interrupt latches, the receiver
 * FIFO's bytes (hex, oldest first) and the receive-timeout deadline on the machine's clock.
 */
public record Uart16550State(int version, int divider, int rbr, int ier, int iir, int lcr, int mcr, int lsr, int msr,
        int scr, int fcr, boolean thrIpending, boolean timeoutIpending, boolean lastBreak, int recvFifoItl,
        long charTransmitTime, String recvFifo, long fifoTimeoutAt) {
    public static final int VERSION = 1;
    /** {@link #fifoTimeoutAt} when no receive timeout is pending. */
    public static final long NO_TIMEOUT = Long.MIN_VALUE;
    private static final String DEV = "serial";

    static Uart16550State of(Uart16550 u, long timeoutAt) {
        return new Uart16550State(VERSION, u.divider, u.rbr, u.ier, u.iir, u.lcr, u.mcr, u.lsr, u.msr, u.scr, u.fcr,
                u.thrIpending, u.timeoutIpending, u.lastBreak, u.recvFifoItl, u.charTransmitTime,
                HexFormat.of().formatHex(u.recvFifo.toArray()), timeoutAt);
    }

    void validate() {
        InvalidStateException.checkVersion(DEV, version, 1, VERSION);
        InvalidStateException.checkRange(DEV, "divider", divider, 0, 0xFFFF);
        InvalidStateException.checkRange(DEV, "rbr", rbr, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "ier", ier, 0, 0x0F);
        InvalidStateException.checkRange(DEV, "iir", iir, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "lcr", lcr, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "mcr", mcr, 0, 0x1F);
        InvalidStateException.checkRange(DEV, "lsr", lsr, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "msr", msr, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "scr", scr, 0, 0xFF);
        InvalidStateException.checkRange(DEV, "fcr", fcr, 0, 0xFF);
        if (recvFifoItl != 1 && recvFifoItl != 4 && recvFifoItl != 8 && recvFifoItl != 14) {
            throw new InvalidStateException(DEV, "recvFifoItl", recvFifoItl + " is not a trigger level (1, 4, 8, 14)");
        }
        InvalidStateException.checkRange(DEV, "charTransmitTime", charTransmitTime, 0, Long.MAX_VALUE / 8);
        if (recvFifo == null || recvFifo.length() % 2 != 0 || recvFifo.length() > 2 * Uart16550.FIFO_LENGTH
                || !recvFifo.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw new InvalidStateException(DEV, "recvFifo", "must be at most 16 bytes as hex digits");
        }
    }

    void applyTo(Uart16550 u) {
        u.divider = divider;
        u.rbr = rbr;
        u.ier = ier;
        u.iir = iir;
        u.lcr = lcr;
        u.mcr = mcr;
        u.lsr = lsr;
        u.msr = msr;
        u.scr = scr;
        u.fcr = fcr;
        u.thrIpending = thrIpending;
        u.timeoutIpending = timeoutIpending;
        u.lastBreak = lastBreak;
        u.recvFifoItl = recvFifoItl;
        u.charTransmitTime = charTransmitTime;
        u.recvFifo.clear();
        for (byte b : HexFormat.of().parseHex(recvFifo)) {
            u.recvFifo.push(b);
        }
    }
}
