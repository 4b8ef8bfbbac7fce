package dev.machina.hw.pci;

import static dev.machina.hw.pci.PciHeader.*;

import dev.machina.hw.core.PciConfig;
import dev.machina.memory.MemoryRegion;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration space of one PCI function: its bytes, the guest write mask and the
 * write-1-to-clear mask, its BARs, and the device's write hooks. Guest accesses
 * ({@link #read}/{@link #write}) follow QEMU 7.2's pci_default_read_config/pci_default_write_config
 * (hw/pci/pci.c): bytes outside the space are not reached (the access is cut at the end), each
 * byte takes {@code (old & ~wmask) | (new & wmask)} and then loses the bits a 1 is written to in
 * {@code w1cmask}; a write to a BAR, the ROM BAR or the command register recomputes where the BARs
 * decode. Reset values of the header follow pci_qdev_realize/pci_init_wmask/pci_do_device_reset.
 */
public final class PciConfigSpace implements PciConfig {
    /** Where the bus maps a BAR: {@code address} is {@link Bar#UNMAPPED} when it stops decoding. */
    interface BarMapper {
        void move(Bar bar, long address);
    }

    private final byte[] config;
    private final byte[] wmask;
    private final byte[] w1cmask;
    private final Bar[] bars = new Bar[6];
    private final List<WriteHook> hooks = new ArrayList<>();
    private BarMapper mapper = (b, a) -> { };
    /** What the guest sees of interrupt pins INTA..INTD asserted by the device (QEMU's irq_state). */
    private int irqState;

    public PciConfigSpace(int size) {
        if (size != 256 && size != 4096) {
            throw new IllegalArgumentException("PCI configuration space size " + size + " (256 or 4096)");
        }
        config = new byte[size];
        wmask = new byte[size];
        w1cmask = new byte[size];
        // pci_init_wmask / pci_init_w1cmask
        wmask[CACHE_LINE_SIZE] = (byte) 0xFF;
        wmask[INTERRUPT_LINE] = (byte) 0xFF;
        writable(COMMAND, 2, COMMAND_IO | COMMAND_MEMORY | COMMAND_MASTER | COMMAND_INTX_DISABLE | COMMAND_SERR);
        for (int i = HEADER_SIZE; i < size; i++) {
            wmask[i] = (byte) 0xFF;
        }
        writeOneToClear(STATUS, 2, STATUS_PARITY | STATUS_SIG_TARGET_ABORT | STATUS_REC_TARGET_ABORT
                | STATUS_REC_MASTER_ABORT | STATUS_SIG_SYSTEM_ERROR | STATUS_DETECTED_PARITY);
        set16(SUBSYSTEM_VENDOR_ID, QEMU_SUBSYSTEM_VENDOR);
        set16(SUBSYSTEM_ID, QEMU_SUBSYSTEM);
    }

    /**
     * Sets the identification registers a device's class_init gives QEMU; {@code classCode} is the
     * 24-bit class code (base class, subclass, programming interface), e.g. 0x010180 for an IDE
     * controller in compatibility mode with bus mastering.
     */
    public void identify(int vendor, int device, int revision, int classCode) {
        set16(VENDOR_ID, vendor);
        set16(DEVICE_ID, device);
        set8(REVISION_ID, revision);
        set8(CLASS_PROG, classCode & 0xFF);
        set16(CLASS_DEVICE, classCode >>> 8);
    }

    void mapper(BarMapper m) {
        this.mapper = m;
    }

    @Override
    public int size() {
        return config.length;
    }

    @Override
    public int get8(int a) {
        return config[a] & 0xFF;
    }

    @Override
    public int get16(int a) {
        return get8(a) | get8(a + 1) << 8;
    }

    @Override
    public int get32(int a) {
        return get16(a) | get16(a + 2) << 16;
    }

    @Override
    public void set8(int a, int v) {
        config[a] = (byte) v;
    }

    @Override
    public void set16(int a, int v) {
        set8(a, v);
        set8(a + 1, v >>> 8);
    }

    @Override
    public void set32(int a, int v) {
        set16(a, v);
        set16(a + 2, v >>> 16);
    }

    @Override
    public void writable(int addr, int len, int mask) {
        for (int i = 0; i < len; i++) {
            wmask[addr + i] = (byte) (mask >>> (8 * i));
        }
    }

    @Override
    public void writeOneToClear(int addr, int len, int mask) {
        for (int i = 0; i < len; i++) {
            w1cmask[addr + i] = (byte) (mask >>> (8 * i));
        }
    }

    int wmask8(int a) {
        return wmask[a] & 0xFF;
    }

    @Override
    public int addCapability(int id, int offset, int size) {
        if (offset < HEADER_SIZE || offset + size > config.length) {
            throw new IllegalArgumentException("capability 0x" + Integer.toHexString(id) + " at 0x" + Integer.toHexString(offset));
        }
        set8(offset, id);
        set8(offset + 1, get8(CAPABILITY_LIST));
        set8(CAPABILITY_LIST, offset);
        set16(STATUS, get16(STATUS) | STATUS_CAP_LIST);
        for (int i = 0; i < size; i++) {
            wmask[offset + i] = 0;
            w1cmask[offset + i] = 0;
        }
        return offset;
    }

    @Override
    public void onWrite(WriteHook hook) {
        hooks.add(hook);
    }

    // -- BARs --------------------------------------------------------------------------------

    /** One base address register and the region it decodes. */
    public static final class Bar {
        public static final long UNMAPPED = -1;
        final int index;
        final int type;
        final long size;
        final MemoryRegion region;
        long address = UNMAPPED;

        Bar(int index, int type, long size, MemoryRegion region) {
            this.index = index;
            this.type = type;
            this.size = size;
            this.region = region;
        }

        /** Which BAR (0..5). */
        public int index() {
            return index;
        }

        public boolean io() {
            return (type & BAR_SPACE_IO) != 0;
        }

        public long address() {
            return address;
        }

        public long size() {
            return size;
        }

        public MemoryRegion region() {
            return region;
        }

        boolean bits64() {
            return !io() && (type & BAR_MEM_TYPE_64) != 0;
        }
    }

    /** pci_register_bar: BAR {@code n} of {@code size} bytes (a power of two) with type bits {@code type}. */
    Bar registerBar(int n, int type, long size, MemoryRegion region) {
        if (n < 0 || n > 5 || bars[n] != null) {
            throw new IllegalArgumentException("BAR " + n + " is not 0..5 or is registered twice");
        }
        if (size <= 0 || (size & (size - 1)) != 0) {
            throw new IllegalArgumentException("BAR " + n + " size " + size + " is not a power of two");
        }
        Bar b = new Bar(n, type, size, region);
        bars[n] = b;
        int at = BASE_ADDRESS_0 + 4 * n;
        long mask = ~(size - 1);
        set32(at, type);
        if (b.bits64()) {
            writable(at, 4, (int) mask);
            writable(at + 4, 4, (int) (mask >>> 32));
        } else {
            writable(at, 4, (int) mask);
        }
        return b;
    }

    /** The registered BARs, in index order. */
    public List<Bar> bars() {
        List<Bar> l = new ArrayList<>();
        for (Bar b : bars) {
            if (b != null) {
                l.add(b);
            }
        }
        return l;
    }

    /** QEMU's pci_bar_address (pci_allow_0_address is false on every PC machine). */
    long barAddress(Bar b) {
        int cmd = get16(COMMAND);
        int at = BASE_ADDRESS_0 + 4 * b.index;
        if (b.io()) {
            if ((cmd & COMMAND_IO) == 0) {
                return Bar.UNMAPPED;
            }
            long a = (get32(at) & 0xFFFFFFFFL) & ~(b.size - 1);
            long last = a + b.size - 1;
            return last <= a || last >= 0xFFFFFFFFL || a == 0 ? Bar.UNMAPPED : a;
        }
        if ((cmd & COMMAND_MEMORY) == 0) {
            return Bar.UNMAPPED;
        }
        long a = get32(at) & 0xFFFFFFFFL;
        if (b.bits64()) {
            a |= (get32(at + 4) & 0xFFFFFFFFL) << 32;
        }
        a &= ~(b.size - 1);
        long last = a + b.size - 1;
        if (Long.compareUnsigned(last, a) <= 0 || last == -1L || a == 0) {
            return Bar.UNMAPPED;
        }
        if (!b.bits64() && last >= 0xFFFFFFFFL) {
            return Bar.UNMAPPED;
        }
        return a;
    }

    /** pci_update_mappings: moves every BAR whose decoded address changed. */
    void updateMappings() {
        for (Bar b : bars) {
            if (b == null) {
                continue;
            }
            long a = barAddress(b);
            if (a != b.address) {
                mapper.move(b, a);
                b.address = a;
            }
        }
    }

    // -- guest accesses ---------------------------------------------------------------------

    /** A guest read of {@code len} bytes at {@code addr}, cut at {@code limit} (pci_host_config_read_common). */
    public int read(int addr, int len, int limit) {
        int n = Math.min(len, limit - addr);
        int v = 0;
        for (int i = 0; i < n; i++) {
            v |= get8(addr + i) << (8 * i);
        }
        return v;
    }

    /** A guest write, cut at {@code limit}; then BAR remapping and the device's hooks. */
    public void write(int addr, int len, int value, int limit) {
        int n = Math.min(len, limit - addr);
        if (n <= 0) {
            return;
        }
        int v = value;
        for (int i = 0; i < n; i++, v >>>= 8) {
            int a = addr + i;
            int wm = wmask[a];
            int c = (config[a] & ~wm) | (v & wm);
            c &= ~(v & w1cmask[a]);
            config[a] = (byte) c;
        }
        boolean command = addr <= COMMAND && addr + n > COMMAND;
        if (overlaps(addr, n, BASE_ADDRESS_0, 24) || overlaps(addr, n, ROM_ADDRESS, 4) || command) {
            updateMappings();
        }
        int masked = n == 4 ? value : value & ((1 << (8 * n)) - 1);
        for (WriteHook h : hooks) {
            h.written(addr, n, masked);
        }
    }

    private static boolean overlaps(int a, int n, int start, int len) {
        return a < start + len && start < a + n;
    }

    /** pci_do_device_reset: clears command, status, interrupt line and cache line, restores the BAR type bits. */
    public void resetHeader() {
        set16(COMMAND, get16(COMMAND) & ~mask16(COMMAND));
        set16(STATUS, get16(STATUS) & ~mask16(STATUS));
        set8(INTERRUPT_LINE, get8(INTERRUPT_LINE) & ~((wmask[INTERRUPT_LINE] | w1cmask[INTERRUPT_LINE]) & 0xFF));
        set8(CACHE_LINE_SIZE, 0);
        for (Bar b : bars) {
            if (b != null) {
                int at = BASE_ADDRESS_0 + 4 * b.index;
                set32(at, b.type);
                if (b.bits64()) {
                    set32(at + 4, 0);
                }
            }
        }
        irqState = 0;
        updateMappings();
    }

    private int mask16(int a) {
        return (wmask[a] & 0xFF | (wmask[a + 1] & 0xFF) << 8) | (w1cmask[a] & 0xFF | (w1cmask[a + 1] & 0xFF) << 8);
    }

    int irqState() {
        return irqState;
    }

    void irqState(int s) {
        irqState = s;
    }

    /** The bytes, for tests and snapshots. */
    public byte[] bytes() {
        return config.clone();
    }
}
