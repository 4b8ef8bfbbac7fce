package dev.machina.hw.core;

/**
 * A PCI function's configuration space as its device model sees it (QEMU's {@code PCIDevice.config},
 * {@code wmask}, {@code w1cmask} and the {@code config_write} hook). The bus keeps the bytes and
 * applies a guest write byte by byte through the masks (standard header semantics: BARs, command,
 * status), then calls the model's hooks, as QEMU's device {@code config_write} functions call
 * {@code pci_default_write_config} first.
 *
 * <p>{@code set*} store values as the device itself does (identification, read-only registers,
 * reset values), ignoring the masks. Offsets are bytes into the space (0..{@link #size()}-1);
 * values are little-endian.
 */
public interface PciConfig {
    /** 256 for a conventional function, 4096 for PCI Express. */
    int size();

    int get8(int addr);

    int get16(int addr);

    int get32(int addr);

    void set8(int addr, int value);

    void set16(int addr, int value);

    void set32(int addr, int value);

    /** Which bits of the {@code len} bytes at {@code addr} the guest may write (QEMU's {@code wmask}). */
    void writable(int addr, int len, int mask);

    /** Which bits a guest write of 1 clears (QEMU's {@code w1cmask}; such bits are not {@link #writable}). */
    void writeOneToClear(int addr, int len, int mask);

    /** Adds a capability of {@code size} bytes at {@code offset} to the list (pci_add_capability); returns the offset. */
    int addCapability(int id, int offset, int size);

    /** Called after every guest write, once the masks have applied it ({@code len} 1, 2 or 4 bytes). */
    void onWrite(WriteHook hook);

    /** A device's reaction to a guest configuration write. */
    @FunctionalInterface
    interface WriteHook {
        void written(int addr, int len, int value);
    }
}
