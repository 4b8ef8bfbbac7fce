package dev.machina.memory;

/**
 * The RAM backing array made ahead of the machine, on a thread of its own, while the run still reads the
 * machine data: Java zeroes a new array and the kernel faults in every page of it (about 90 ms for
 * 128 MiB on an idle machine, all on the start path before), and QEMU's guest RAM costs nothing until
 * touched. {@code run} knows the RAM size from its command line ({@code -m}, else the 128 MiB every
 * x86 machine type defaults to) long before the board assembly knows the exact size of RAM and ROM
 * together, so the array asked for is the RAM plus {@link #SLACK} for the ROMs; {@link RamArena#seal}
 * takes it when the memory it needs fits, else (a guess that was wrong: another size, a large firmware)
 * drops it and makes its own, as without a reservation. One reservation per process, taken or dropped
 * by the next seal.
 */
public final class BackingReserve {
    private BackingReserve() {}

    /** What a reservation adds to the RAM for the ROM regions (pc.rom 128 KiB, a 256 KiB firmware). */
    public static final long SLACK = 1L << 20;

    private static Thread maker;
    private static byte[][] made;

    /**
     * Starts making a backing array for {@code ramBytes} of RAM plus {@link #SLACK} (nothing when that is
     * more than one Java array holds); replaces a reservation not taken yet.
     */
    public static synchronized void reserve(long ramBytes) {
        long total = ((ramBytes + 0xFFF) & ~0xFFFL) + SLACK;
        if (ramBytes <= 0 || total > RamArena.MAX_BYTES) {
            return;
        }
        byte[][] box = new byte[1][];
        Thread t = new Thread(() -> {
            try {
                box[0] = new byte[(int) total];
            } catch (OutOfMemoryError e) {
                box[0] = null; // the seal makes its own and says what is wrong
            }
        }, "machina-ram");
        t.setDaemon(true);
        maker = t;
        made = box;
        t.start();
    }

    /**
     * The reserved array when it holds {@code needed} bytes with at most {@link #SLACK} to spare, else
     * null; either way the reservation is gone.
     */
    static byte[] take(long needed) {
        Thread t;
        byte[][] box;
        synchronized (BackingReserve.class) {
            t = maker;
            box = made;
            maker = null;
            made = null;
        }
        if (t == null) {
            return null;
        }
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        byte[] b = box[0];
        return b != null && b.length >= needed && b.length - needed <= SLACK ? b : null;
    }
}
