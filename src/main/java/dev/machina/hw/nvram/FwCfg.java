package dev.machina.hw.nvram;

import dev.machina.memory.AddressSpace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The fw_cfg register model (QEMU 7.2 hw/nvram/fw_cfg.c): items selected by a 16-bit key and read
 * byte by byte through the data port or by DMA.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Keys: bit 15 selects the architecture-local table ({@code 0x8000..}), bit 14 is the (ignored)
 *       write channel; the rest indexes the table. Keys from {@link #FILE_FIRST} are files, numbered
 *       by their place in the directory ({@link #FILE_DIR}, kept sorted by name as QEMU does for
 *       current machine types, or in insertion order with {@code legacyOrder}). A key at or beyond
 *       {@code FILE_FIRST + fileSlots} selects nothing.</li>
 *   <li>{@link #select}: resets the read offset. {@link #readData}: the next {@code size} bytes of
 *       the item as a big-endian number, zero-padded past the end; 0 when nothing is selected.
 *       Writes to the data register are ignored (QEMU removed write support in 2.4).</li>
 *   <li>{@link #writeDmaAddress}: QEMU's DMA interface. A write of the low half (or of all 8 bytes)
 *       reads the descriptor {@code {be32 control, be32 length, be64 address}} from guest memory and
 *       performs it: select (bit 3, key in bits 31:16), then read (bit 1), write (bit 4: refused, no
 *       item is writable here) or skip (bit 2); the control word is written back as 0, or with the
 *       error bit (0) set. Reading past an item's end fills zeros. The address register reads back
 *       {@code "QEMU CFG"}.</li>
 * </ul>
 */
public final class FwCfg {
    public static final int SIGNATURE = 0x00, ID = 0x01, UUID = 0x02, RAM_SIZE = 0x03, NOGRAPHIC = 0x04,
            NB_CPUS = 0x05, MACHINE_ID = 0x06, NUMA = 0x0D, BOOT_MENU = 0x0E, MAX_CPUS = 0x0F, FILE_DIR = 0x19,
            FILE_FIRST = 0x20;
    /** The architecture-local keys of x86 (hw/i386/fw_cfg.h). */
    public static final int ACPI_TABLES = 0x8000, SMBIOS_ENTRIES = 0x8001, IRQ0_OVERRIDE = 0x8002, E820_TABLE = 0x8003,
            HPET = 0x8004;
    static final int ARCH_LOCAL = 0x8000, WRITE_CHANNEL = 0x4000, ENTRY_MASK = ~(ARCH_LOCAL | WRITE_CHANNEL) & 0xFFFF;
    static final int INVALID = 0xFFFF;
    /** FW_CFG_VERSION and FW_CFG_VERSION_DMA: the bits of the ID item. */
    public static final int VERSION_TRADITIONAL = 1, VERSION_DMA = 2;
    /** Control bits of a DMA descriptor. */
    static final int DMA_ERROR = 1, DMA_READ = 2, DMA_SKIP = 4, DMA_SELECT = 8, DMA_WRITE = 16;
    /** What the DMA address register reads as: "QEMU CFG", big-endian. */
    public static final long DMA_SIGNATURE = 0x51454d5520434647L;
    /** The longest file name, with its terminating NUL (FW_CFG_MAX_FILE_PATH). */
    public static final int MAX_FILE_PATH = 56;

    private final int maxEntry;
    private final byte[][][] entries;
    private final boolean legacyOrder;
    private final AddressSpace dma;
    private final List<String> fileNames = new ArrayList<>();
    private final List<byte[]> fileData = new ArrayList<>();
    private int cur = INVALID;
    private int offset;
    private long dmaAddress;

    /**
     * @param fileSlots   the {@code x-file-slots} property (32 on current machine types)
     * @param dmaEnabled  the {@code dma_enabled} property: sets the DMA bit of the ID item
     * @param legacyOrder files in insertion order (QEMU's legacy order of old machine types)
     * @param dma         guest memory for DMA transfers
     */
    public FwCfg(int fileSlots, boolean dmaEnabled, boolean legacyOrder, AddressSpace dma) {
        if (fileSlots < 0 || fileSlots > 0x3FFF - FILE_FIRST) {
            throw new IllegalArgumentException("fw_cfg: x-file-slots must be 0.." + (0x3FFF - FILE_FIRST) + ", not " + fileSlots);
        }
        this.maxEntry = FILE_FIRST + fileSlots;
        this.entries = new byte[2][maxEntry][];
        this.legacyOrder = legacyOrder;
        this.dma = dma;
        setBytes(SIGNATURE, "QEMU".getBytes(StandardCharsets.US_ASCII));
        setI32(ID, VERSION_TRADITIONAL | (dmaEnabled ? VERSION_DMA : 0));
        rebuildDirectory();
    }

    public boolean dmaEnabled() {
        return (le(item(ID), 4) & VERSION_DMA) != 0;
    }

    // -- items (what the board puts in) ------------------------------------------------------------

    /** Sets a numbered item (QEMU's fw_cfg_add_bytes); replaces an earlier value. */
    public void setBytes(int key, byte[] data) {
        int k = key & ENTRY_MASK;
        if (k >= maxEntry || k >= FILE_FIRST && (key & ARCH_LOCAL) == 0) {
            throw new IllegalArgumentException("fw_cfg key 0x" + Integer.toHexString(key) + " is not a numbered item");
        }
        entries[(key & ARCH_LOCAL) != 0 ? 1 : 0][k] = data.clone();
    }

    public void setI16(int key, int v) {
        setBytes(key, leBytes(v, 2));
    }

    public void setI32(int key, long v) {
        setBytes(key, leBytes(v, 4));
    }

    public void setI64(int key, long v) {
        setBytes(key, leBytes(v, 8));
    }

    /**
     * Adds a file (QEMU's fw_cfg_add_file): the directory is kept sorted by name (unless in legacy
     * order), so files after it move to the next key, as in QEMU.
     *
     * @throws IllegalArgumentException for a name already present, one too long, or no free slot
     */
    public void addFile(String name, byte[] data) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length >= MAX_FILE_PATH || name.isEmpty()) {
            throw new IllegalArgumentException("fw_cfg file name '" + name + "' must be 1 to " + (MAX_FILE_PATH - 1) + " bytes");
        }
        if (fileNames.contains(name)) {
            throw new IllegalArgumentException("fw_cfg: duplicate file name '" + name + "'");
        }
        if (fileNames.size() >= maxEntry - FILE_FIRST) {
            throw new IllegalArgumentException("fw_cfg: no free file slot for '" + name + "' (x-file-slots is "
                    + (maxEntry - FILE_FIRST) + ")");
        }
        int at = fileNames.size();
        if (!legacyOrder) {
            while (at > 0 && compare(fileNames.get(at - 1), name) > 0) {
                at--;
            }
        }
        fileNames.add(at, name);
        fileData.add(at, data.clone());
        rebuildDirectory();
    }

    /** Replaces a file's contents (QEMU's fw_cfg_modify_file); adds it when absent. */
    public void setFile(String name, byte[] data) {
        int i = fileNames.indexOf(name);
        if (i < 0) {
            addFile(name, data);
        } else {
            fileData.set(i, data.clone());
            rebuildDirectory();
        }
    }

    /** The files in directory order. */
    public List<String> files() {
        return List.copyOf(fileNames);
    }

    public Optional<byte[]> file(String name) {
        int i = fileNames.indexOf(name);
        return i < 0 ? Optional.empty() : Optional.of(fileData.get(i).clone());
    }

    /** The contents of a key (a copy), or empty when the key selects nothing. */
    public Optional<byte[]> item(int key) {
        byte[] e = entry(key);
        return e == null ? Optional.empty() : Optional.of(e.clone());
    }

    private static int compare(String a, String b) {
        // QEMU compares with strcmp: bytes, unsigned
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return Arrays.compareUnsigned(x, y);
    }

    private void rebuildDirectory() {
        for (int i = 0; i < maxEntry - FILE_FIRST; i++) {
            entries[0][FILE_FIRST + i] = i < fileData.size() ? fileData.get(i) : null;
        }
        byte[] dir = new byte[4 + 64 * fileNames.size()];
        putBe(dir, 0, fileNames.size(), 4);
        for (int i = 0; i < fileNames.size(); i++) {
            int o = 4 + 64 * i;
            putBe(dir, o, fileData.get(i).length, 4);
            putBe(dir, o + 4, FILE_FIRST + i, 2);
            byte[] n = fileNames.get(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(n, 0, dir, o + 8, n.length);
        }
        entries[0][FILE_DIR] = dir;
    }

    private byte[] entry(int key) {
        if (key == INVALID) {
            return null;
        }
        int k = key & ENTRY_MASK;
        return k < maxEntry ? entries[(key & ARCH_LOCAL) != 0 ? 1 : 0][k] : null;
    }

    // -- registers ---------------------------------------------------------------------------------

    private final java.util.Map<String, Runnable> selectCallbacks = new java.util.HashMap<>();

    /**
     * Runs {@code callback} whenever file {@code name} is selected, before it is read (QEMU's
     * fw_cfg_add_file_callback select_cb: the ACPI tables are rebuilt then).
     */
    public void onSelect(String name, Runnable callback) {
        selectCallbacks.put(name, callback);
    }

    /** The selector register: selects an item and rewinds it (fw_cfg_select). */
    public void select(int key) {
        key &= 0xFFFF;
        int file = (key & ENTRY_MASK) - FILE_FIRST;
        if ((key & ARCH_LOCAL) == 0 && file >= 0 && file < fileNames.size()) {
            Runnable cb = selectCallbacks.get(fileNames.get(file));
            if (cb != null) {
                cb.run();
            }
        }
        offset = 0;
        cur = (key & ENTRY_MASK) >= maxEntry ? INVALID : key;
    }

    /** The key selected, or 0xFFFF when none. */
    public int selected() {
        return cur;
    }

    /** {@code size} (1..8) bytes of the selected item as a big-endian number, zeros past its end. */
    public long readData(int size) {
        byte[] e = entry(cur);
        long v = 0;
        if (e != null && offset < e.length) {
            int n = size;
            do {
                v = v << 8 | (e[offset++] & 0xFF);
            } while (--n > 0 && offset < e.length);
            v <<= 8 * n;
        }
        return v;
    }

    /** What the DMA address register reads: bytes {@code offset..offset+size-1} of the signature, big-endian. */
    public static long readDmaAddress(int offset, int size) {
        int shift = (8 - offset - size) * 8;
        long v = DMA_SIGNATURE >>> shift;
        return size == 8 ? v : v & ((1L << (8 * size)) - 1);
    }

    /**
     * A write to the DMA address register ({@code offset} 0 or 4 of the big-endian 64-bit register,
     * 4 bytes; or 0 with 8): the high half is remembered, the low half (or all 8 bytes) starts the
     * transfer. Other writes are ignored (QEMU's access check refuses them).
     */
    public void writeDmaAddress(int offset, int size, long value) {
        if (size == 4 && offset == 0) {
            dmaAddress = value << 32;
        } else if (size == 4 && offset == 4) {
            dmaAddress |= value & 0xFFFFFFFFL;
            transfer();
        } else if (size == 8 && offset == 0) {
            dmaAddress = value;
            transfer();
        }
    }

    private void transfer() {
        long at = dmaAddress;
        dmaAddress = 0;
        byte[] d = new byte[16];
        dma.read(at, d, 0, 16);
        long control = be(d, 0, 4);
        long length = be(d, 4, 4);
        long address = be(d, 8, 8);
        if ((control & DMA_SELECT) != 0) {
            select((int) (control >>> 16));
        }
        boolean read = false, write = false;
        if ((control & DMA_READ) != 0) {
            read = true;
        } else if ((control & DMA_WRITE) != 0) {
            write = true;
        } else if ((control & DMA_SKIP) == 0) {
            length = 0;
        }
        long status = 0;
        byte[] e = entry(cur);
        while (length > 0 && (status & DMA_ERROR) == 0) {
            long len;
            if (e == null || offset >= e.length) {
                len = length;
                if (read) {
                    zero(address, len);
                }
                if (write) {
                    status |= DMA_ERROR;
                }
            } else {
                len = Math.min(length, e.length - offset);
                if (read) {
                    dma.write(address, e, offset, (int) len);
                }
                if (write) {
                    status |= DMA_ERROR; // no item here is writable
                }
                offset += (int) len;
            }
            address += len;
            length -= len;
        }
        byte[] c = new byte[4];
        putBe(c, 0, status, 4);
        dma.write(at, c, 0, 4);
    }

    private void zero(long address, long len) {
        byte[] z = new byte[(int) Math.min(len, 4096)];
        while (len > 0) {
            int n = (int) Math.min(len, z.length);
            dma.write(address, z, 0, n);
            address += n;
            len -= n;
        }
    }

    /** Power-on/system reset: nothing selected (fw_cfg_reset). */
    public void reset() {
        select(0);
        dmaAddress = 0;
    }

    // -- byte helpers ------------------------------------------------------------------------------

    static byte[] leBytes(long v, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static long le(Optional<byte[]> b, int n) {
        long v = 0;
        if (b.isPresent()) {
            for (int i = 0; i < Math.min(n, b.get().length); i++) {
                v |= (b.get()[i] & 0xFFL) << (8 * i);
            }
        }
        return v;
    }

    private static void putBe(byte[] b, int o, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[o + i] = (byte) (v >>> (8 * (n - 1 - i)));
        }
    }

    private static long be(byte[] b, int o, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (b[o + i] & 0xFF);
        }
        return v;
    }
}
