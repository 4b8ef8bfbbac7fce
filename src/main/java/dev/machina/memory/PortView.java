package dev.machina.memory;

/**
 * The CPU's view of the I/O address space: a table from port to flat range, rebuilt when the map
 * changes. An IN or OUT goes through the same cutting as any address-space access (QEMU's
 * {@code cpu_inb/inw/inl} are address-space reads): at range edges and into the pieces a region
 * accepts.
 */
final class PortView implements IoPorts {
    private static final int PORTS = 0x10000;

    private final AddressSpace space;
    private FlatRange[] byPort = new FlatRange[PORTS];

    PortView(AddressSpace space) {
        this.space = space;
    }

    void rebuild(FlatView fv) {
        FlatRange[] t = new FlatRange[PORTS];
        for (FlatRange r : fv.ranges()) {
            if (r.start() >= PORTS) {
                break;
            }
            PhysicalView.fill(t, (int) r.start(), (int) Math.min(r.end(), PORTS), r);
        }
        byPort = t;
    }

    @Override
    public int in(int port, int size) {
        port &= 0xFFFF;
        FlatRange r = byPort[port];
        if (r != null && !r.isRam()) {
            long off = r.offsetInRegion() + (port - r.start());
            // the whole access goes to the region at its first port (AddressSpace.pieceLength)
            if (off + size <= r.region().size() && r.region().rule().pieceSize(off, size) == size) {
                return (int) Dispatch.read(r.region(), off, size, true);
            }
        }
        return (int) space.read(port, size);
    }

    @Override
    public void out(int port, int size, int value) {
        port &= 0xFFFF;
        FlatRange r = byPort[port];
        if (r != null && !r.isRam()) {
            long off = r.offsetInRegion() + (port - r.start());
            // the whole access goes to the region at its first port (AddressSpace.pieceLength)
            if (off + size <= r.region().size() && r.region().rule().pieceSize(off, size) == size) {
                Dispatch.write(r.region(), off, size, value & 0xFFFFFFFFL, false);
                return;
            }
        }
        space.write(port, size, value & 0xFFFFFFFFL);
    }
}
