package dev.machina.hw.nvram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.machina.hw.core.Board;
import dev.machina.hw.core.TimerQueue;
import dev.machina.memory.AddressSpace;
import dev.machina.memory.IoPorts;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.MemorySystem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * fw_cfg as SeaBIOS 1.16.2 uses it on QEMU 7.2 (src/fw/paravirt.c): the signature and ID over the
 * I/O ports, everything else by DMA; the file directory sorted by name with keys from 0x20; the PC
 * items of an isapc with 128 MiB as QEMU 7.2 made them (../shared/x86/pc-boot/README.md 1.5).
 */
class FwCfgTest {
    private final MemorySystem ms = new MemorySystem();
    private final MemoryRegion ram = ms.ram(MemorySystem.MACHINE, "ram", 1 << 20);
    private final IoPorts io;
    private final AddressSpace mem;
    private final FwCfg f;

    FwCfgTest() {
        ms.systemRoot().addSubregion(0, ram);
        Board board = Board.forTest(ms, new TimerQueue(() -> 0));
        FwCfgIo dev = new FwCfgIo(true, 32, false);
        dev.realize(board.sysBusSlot("/machine/fw_cfg"));
        f = dev.fwCfg();
        io = ms.io().ports();
        mem = ms.memory();
        dev.reset();
    }

    private String pio(int key, int n) {
        io.out(0x510, 2, key);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) io.in(0x511, 1));
        }
        return s.toString();
    }

    /** SeaBIOS's qemu_cfg_dma_transfer: descriptor at 0x1000, big-endian, address written low half to 0x518. */
    private byte[] dma(int control, int length, long address) {
        byte[] d = new byte[16];
        putBe(d, 0, control, 4);
        putBe(d, 4, length, 4);
        putBe(d, 8, address, 8);
        mem.write(0x1000, d, 0, 16);
        io.out(0x518, 4, Integer.reverseBytes(0x1000)); // outl(cpu_to_be32(addr), 0x518)
        byte[] out = new byte[length];
        mem.read(address, out, 0, length);
        return out;
    }

    private long controlAfter() {
        return Integer.toUnsignedLong(Integer.reverseBytes((int) mem.read(0x1000, 4)));
    }

    @Test
    void signatureAndIdOverTheIoPorts() {
        assertEquals("QEMU", pio(FwCfg.SIGNATURE, 4));
        io.out(0x510, 2, FwCfg.ID);
        assertEquals(3, io.in(0x511, 1)); // traditional | DMA
        assertEquals(0, io.in(0x511, 1));
        assertEquals("QEMU", pio(FwCfg.SIGNATURE, 4) .substring(0, 4));
        // past the end of an item: zeros
        io.out(0x510, 2, FwCfg.SIGNATURE);
        pio(FwCfg.SIGNATURE, 4);
        assertEquals(0, io.in(0x511, 1));
        // a key beyond the file slots selects nothing
        io.out(0x510, 2, 0x3000);
        assertEquals(0, io.in(0x511, 1));
    }

    @Test
    void theDmaAddressRegisterReadsQemuCfg() {
        StringBuilder s = new StringBuilder();
        for (int p = 0x514; p < 0x51C; p++) {
            s.append((char) io.in(p, 1));
        }
        assertEquals("QEMU CFG", s.toString());
        assertEquals(0x51454d55, Integer.reverseBytes(io.in(0x514, 4))); // "QEMU" in memory order
    }

    @Test
    void withoutDmaTheIdSaysSoAndThePortIsUnassigned() {
        MemorySystem m2 = new MemorySystem();
        FwCfgIo dev = new FwCfgIo(false, 32, false);
        dev.realize(Board.forTest(m2, new TimerQueue(() -> 0)).sysBusSlot("/machine/fw_cfg"));
        m2.io().ports().out(0x510, 2, FwCfg.ID);
        assertEquals(1, m2.io().ports().in(0x511, 1));
        assertEquals(0xFF, m2.io().ports().in(0x514, 1));
    }

    @Test
    void filesAreSortedWithKeysFrom0x20AndTheDirectoryIsBigEndian() {
        f.addFile("etc/e820", new byte[20]);
        f.addFile("bootorder", new byte[0]);
        f.addFile("etc/boot-fail-wait", new byte[] {-1, -1, -1, -1});
        assertEquals(List.of("bootorder", "etc/boot-fail-wait", "etc/e820"), f.files());
        byte[] dir = dma(0x19 << 16 | 8 | 2, 4 + 3 * 64, 0x2000);
        assertEquals(0, controlAfter());
        assertEquals(3, be(dir, 0, 4));
        assertEquals(0, be(dir, 4, 4));
        assertEquals(0x20, be(dir, 8, 2));
        assertEquals("bootorder", name(dir, 4 + 8));
        assertEquals(4, be(dir, 4 + 64, 4));
        assertEquals(0x21, be(dir, 4 + 64 + 4, 2));
        assertEquals(20, be(dir, 4 + 128, 4));
        assertEquals(0x22, be(dir, 4 + 128 + 4, 2));
        assertEquals("etc/e820", name(dir, 4 + 128 + 8));
    }

    @Test
    void legacyOrderKeepsInsertionOrder() {
        FwCfg l = new FwCfg(32, true, true, mem);
        l.addFile("z", new byte[1]);
        l.addFile("a", new byte[1]);
        assertEquals(List.of("z", "a"), l.files());
    }

    @Test
    void dmaReadPastTheEndFillsZerosAndSkipMovesTheOffset() {
        f.addFile("etc/boot-fail-wait", new byte[] {1, 2, 3, 4});
        mem.write(0x3000, new byte[] {9, 9, 9, 9, 9, 9}, 0, 6);
        byte[] got = dma(0x20 << 16 | 8 | 2, 6, 0x3000);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 0, 0}, got);
        dma(0x20 << 16 | 8 | 4, 2, 0x3000); // select and skip 2
        assertArrayEquals(new byte[] {3, 4}, dma(2, 2, 0x3100)); // read on, no select
        assertEquals(0, controlAfter());
    }

    @Test
    void aDmaWriteIsAnError() {
        f.addFile("etc/boot-fail-wait", new byte[4]);
        dma(0x20 << 16 | 8 | 16, 4, 0x3000);
        assertEquals(1, controlAfter());
    }

    @Test
    void theIsapcItemsAsQemu72MadeThem() {
        PcFwCfg.fill(f, new PcFwCfg.Facts(128L << 20, 1, 1, true, false, -1,
                List.of(new PcFwCfg.E820(0, 128L << 20, PcFwCfg.E820_RAM)), null));
        PcFwCfg.machineReset(f, new byte[0], new byte[0]);
        // QEMU 7.2 isapc: etc/boot-fail-wait(4), etc/e820(20), bootorder(0), bios-geometry(0); SeaBIOS selected
        // 0x23 for etc/e820 and 0x22 for etc/boot-fail-wait
        assertEquals(List.of("bios-geometry", "bootorder", "etc/boot-fail-wait", "etc/e820"), f.files());
        byte[] e820 = dma(0x23 << 16 | 8 | 2, 20, 0x2000);
        assertEquals(0, be(e820, 0, 8));
        assertEquals(128L << 20, Long.reverseBytes(be(e820, 8, 8)));
        assertEquals(1, e820[16]);
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, dma(0x22 << 16 | 8 | 2, 4, 0x2000));
        assertEquals(128L << 20, Long.reverseBytes(be(dma(FwCfg.RAM_SIZE << 16 | 8 | 2, 8, 0x2000), 0, 8)));
        assertArrayEquals(new byte[] {1, 0}, dma(FwCfg.NOGRAPHIC << 16 | 8 | 2, 2, 0x2000));
        assertArrayEquals(new byte[] {1, 0}, dma(FwCfg.NB_CPUS << 16 | 8 | 2, 2, 0x2000));
        assertArrayEquals(new byte[] {1, 0, 0, 0}, dma(FwCfg.IRQ0_OVERRIDE << 16 | 8 | 2, 4, 0x2000));
        assertEquals(16, f.item(FwCfg.NUMA).orElseThrow().length);
        assertEquals(0, f.item(FwCfg.ACPI_TABLES).orElseThrow().length);
        assertEquals(324, f.item(FwCfg.E820_TABLE).orElseThrow().length);
        assertEquals(121, f.item(FwCfg.HPET).orElseThrow().length);
    }

    @Test
    void badFilesAreRefused() {
        f.addFile("a", new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> f.addFile("a", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> f.addFile("x".repeat(56), new byte[0]));
        FwCfg small = new FwCfg(1, true, false, mem);
        small.addFile("one", new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> small.addFile("two", new byte[0]));
    }

    private static String name(byte[] b, int o) {
        int e = o;
        while (b[e] != 0) {
            e++;
        }
        return new String(b, o, e - o, StandardCharsets.UTF_8);
    }

    private static long be(byte[] b, int o, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (b[o + i] & 0xFF);
        }
        return v;
    }

    private static void putBe(byte[] b, int o, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[o + i] = (byte) (v >>> (8 * (n - 1 - i)));
        }
    }
}
