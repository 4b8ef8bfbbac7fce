package dev.machina.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MemorySystemTest {
    private final MemorySystem ms = new MemorySystem();
    private final List<String> log = new ArrayList<>();

    /** A device that logs its accesses and reads back its offset (plus a tag) so tests see which piece went where. */
    private RegionOps logging(String tag, int readValue) {
        return new RegionOps() {
            @Override
            public long read(long offset, int size) {
                log.add(tag + " r" + offset + "/" + size);
                return readValue + offset;
            }

            @Override
            public void write(long offset, int size, long value) {
                log.add(tag + " w" + offset + "/" + size + "=" + Long.toHexString(value));
            }
        };
    }

    @Nested
    class Rendering {
        @Test
        void higherPriorityShowsAndTheRegionFillsTheGapsAroundItsSubregions() {
            MemoryRegion rtc = ms.io("/rtc", "rtc", 2, logging("rtc", 0), AccessRule.DEFAULT);
            rtc.addSubregion(0, ms.io("/rtc", "rtc-index", 1, logging("idx", 0), AccessRule.DEFAULT));
            ms.ioRoot().addSubregion(0x70, rtc);
            List<FlatRange> r = ms.io().flatView().ranges();
            assertEquals(4, r.size());
            assertEquals("io", r.get(0).region().name());
            assertEquals("rtc-index", r.get(1).region().name());
            assertEquals(0x70, r.get(1).start());
            assertEquals("rtc", r.get(2).region().name());
            assertEquals(1, r.get(2).offsetInRegion(), "the rtc region's own byte at 0x71 is its offset 1");
            assertEquals(0x72, r.get(3).start());
            assertEquals(0x72, r.get(3).offsetInRegion(), "the root fills the rest");
        }

        @Test
        void anAliasShowsItsTargetFromItsOffsetAndTheNewestOfEqualPrioritiesWins() {
            MemoryRegion ram = ms.ram("/machine", "pc.ram", 0x100000);
            MemoryRegion bios = ms.rom("/machine", "pc.bios", 0x40000);
            MemoryRegion sys = ms.systemRoot();
            sys.addSubregion(0, ms.alias("/machine", "ram-below-4g", ram, 0, 0x100000));
            MemoryRegion pci = ms.container64("/machine", "pci");
            sys.addSubregionOverlap(0, pci, -1);
            pci.addSubregion(0xFFFC0000L, bios);
            pci.addSubregionOverlap(0xE0000, ms.alias("/machine", "isa-bios", bios, 0x20000, 0x20000), 1);
            FlatView fv = ms.memory().flatView();
            FlatRange low = fv.find(0xE0000);
            assertEquals("pc.ram", low.region().name(), "RAM (prio 0 in system) hides pci (prio -1)");
            sys.addSubregionOverlap(0xE0000, ms.alias("/i440fx", "pam-pci", pci, 0xE0000, 0x20000), 1);
            FlatRange shadowed = ms.memory().flatView().find(0xE0000);
            assertEquals("pc.bios", shadowed.region().name());
            assertEquals(0x20000, shadowed.offsetInRegion());
            assertTrue(shadowed.readonly(), "a ROM is read-only through every alias");
        }

        @Test
        void aDisabledRegionAndItsSubtreeAreNotMapped() {
            MemoryRegion c = ms.container("/d", "box", 0x1000);
            c.addSubregion(0, ms.io("/d", "reg", 0x10, logging("reg", 0), AccessRule.DEFAULT));
            ms.systemRoot().addSubregion(0xFEC00000L, c);
            assertEquals("reg", ms.memory().flatView().find(0xFEC00000L).region().name());
            c.setEnabled(false);
            assertEquals(null, ms.memory().flatView().find(0xFEC00000L));
        }
    }

    @Nested
    class Claims {
        @Test
        void twoDevicesOnOnePortNameBothOwners() {
            ms.ioRoot().addSubregion(0x402, ms.io("/machine/peripheral/dbg", "isa-debugcon", 1, logging("a", 0), AccessRule.DEFAULT));
            MemoryException e = assertThrows(MemoryException.class, () -> ms.ioRoot().addSubregion(0x400,
                    ms.io("/machine/peripheral-anon/device[0]", "isa-debug-exit", 4, logging("b", 0), AccessRule.DEFAULT)));
            assertEquals("I/O ports 0x400-0x403 of 'isa-debug-exit' of /machine/peripheral-anon/device[0] overlap 0x402-0x402"
                    + " of 'isa-debugcon' of /machine/peripheral/dbg in 'io'", e.getMessage());
        }

        @Test
        void anIntendedOverlapIsAllowed() {
            ms.ioRoot().addSubregion(0xCF8, ms.io("/i440fx", "pci-conf-idx", 4, logging("idx", 0), AccessRule.DEFAULT));
            ms.ioRoot().addSubregionOverlap(0xCF9, ms.io("/piix3", "piix3-reset-control", 1, logging("rc", 0), AccessRule.DEFAULT), 1);
            assertEquals("piix3-reset-control", ms.io().flatView().find(0xCF9).region().name());
        }

        @Test
        void aSubregionMustFitItsContainer() {
            MemoryException e = assertThrows(MemoryException.class,
                    () -> ms.ioRoot().addSubregion(0xFFFE, ms.io("/d", "wide", 4, logging("w", 0), AccessRule.DEFAULT)));
            assertTrue(e.getMessage().startsWith("'wide' of /d at 0xfffe (size 0x4) does not fit in 'io'"), e.getMessage());
        }
    }

    @Nested
    class AccessRules {
        @Test
        void aDwordAtTheStartOfAnIoRegionReachesItWholeUnderAHigherPriorityByte() {
            // QEMU 7.2 pc: pci-conf-idx (4 bytes at 0xcf8) under piix3-reset-control (1 byte at 0xcf9, priority 1)
            ms.ioRoot().addSubregion(0xCF8, ms.io("/host", "pci-conf-idx", 4, logging("idx", 0), AccessRule.DEFAULT));
            ms.ioRoot().addSubregionOverlap(0xCF9, ms.io("/piix3", "piix3-reset-control", 1, logging("rcr", 0),
                    AccessRule.sizes(1, 1)), 1);
            ms.io().write(0xCF8, 4, 0x80000000L);
            ms.io().ports().out(0xCF8, 4, 0x80000004);
            ms.io().write(0xCF9, 1, 0);
            ms.io().read(0xCFA, 2);
            assertEquals(List.of("idx w0/4=80000000", "idx w0/4=80000004", "rcr w0/1=0", "idx r2/2"), log);
        }

        @Test
        void aDwordReadOfByteWidePortsReadsFourPorts() {
            ms.ioRoot().addSubregion(0x60, ms.io("/kbd", "data", 1, logging("data", 0x10), AccessRule.sizes(1, 1)));
            IoPorts io = ms.io().ports();
            int v = io.in(0x60, 4);
            assertEquals(0xFFFFFF10, v, "port 0x60 gives 0x10, 0x61..0x63 are unassigned (all ones)");
            assertEquals(List.of("data r0/1"), log);
        }

        @Test
        void aDeviceThatTakesOnlyBytesSeesAWordWriteAsTwoBytes() {
            ms.ioRoot().addSubregion(0x1F0, ms.io("/ide", "ide", 8, logging("ide", 0), AccessRule.sizes(1, 4, 1, 1)));
            ms.io().ports().out(0x1F2, 2, 0xBEEF);
            assertEquals(List.of("ide w2/1=ef", "ide w3/1=be"), log);
        }

        @Test
        void aNarrowAccessIsWidenedToTheSmallestCallbackSize() {
            ms.ioRoot().addSubregion(0x608, ms.io("/pm", "acpi-tmr", 4, logging("tmr", 0x12345600), AccessRule.sizes(1, 4, 4, 4)));
            assertEquals(0x00, ms.io().ports().in(0x608, 1), "low byte of the 32-bit register");
            assertEquals(List.of("tmr r0/4"), log);
        }

        @Test
        void anAccessTheDeviceRejectsReadsZeroAndIsDropped() {
            ms.systemRoot().addSubregion(0xFEC00000L, ms.io("/ioapic", "ioapic", 0x1000, logging("ioapic", 7), AccessRule.sizes(4, 4)));
            PhysicalMemory pm = ms.memory().physical();
            assertEquals(0, pm.read(0xFEC00000L, 1));
            pm.write(0xFEC00000L, 2, 5);
            assertEquals(7, pm.read(0xFEC00000L, 4));
            assertEquals(List.of("ioapic r0/4"), log);
        }

        @Test
        void bigEndianRegistersAreByteSwapped() {
            ms.ioRoot().addSubregion(0x514, ms.io("/fw", "fwcfg.dma", 8, logging("dma", 0), AccessRule.sizes(1, 8).bigEndianRegisters()));
            ms.io().ports().out(0x518, 4, 0x00100000); // SeaBIOS writes cpu_to_be32(addr)
            assertEquals(List.of("dma w4/4=1000"), log);
        }
    }

    @Nested
    class CpuView {
        @Test
        void ramPagesAreInTheBackingArrayAndRomPagesRefuseFastWrites() {
            MemoryRegion ram = ms.ram("/machine", "pc.ram", 0x20000);
            MemoryRegion bios = ms.rom("/machine", "pc.bios", 0x10000);
            bios.load(0xFFF0, new byte[] {(byte) 0xEA});
            ms.systemRoot().addSubregion(0, ram);
            ms.systemRoot().addSubregion(0xFFFF0000L, bios);
            PhysicalMemory pm = ms.memory().physical();
            assertEquals(0x20000, pm.pageOffset(0xFFFF0000L, false), "ROM follows RAM in the backing array");
            assertEquals(-1, pm.pageOffset(0xFFFF0000L, true));
            assertEquals(0xEA, pm.read(0xFFFFFFF0L, 1), "contents loaded before the array existed are there");
            pm.write(0xFFFFFFF0L, 1, 0);
            assertEquals(0xEA, pm.read(0xFFFFFFF0L, 1), "ROM drops writes");
            assertEquals(0, pm.read(0xE0000000L, 4), "unassigned memory reads 0 (QEMU 7.2's unassigned_mem_read)");
        }

        @Test
        void aRemapChangesThePageTableAndTellsTheListeners() {
            MemoryRegion ram = ms.ram("/machine", "pc.ram", 0x100000);
            MemoryRegion bios = ms.rom("/machine", "pc.bios", 0x20000);
            ms.systemRoot().addSubregion(0, ms.alias("/machine", "ram-below-4g", ram, 0, 0x100000));
            MemoryRegion shadow = ms.alias("/machine", "isa-bios", bios, 0, 0x20000);
            ms.systemRoot().addSubregionOverlap(0xE0000, shadow, 1);
            PhysicalMemory pm = ms.memory().physical();
            int[] flushes = {0};
            ms.memory().onRemap(() -> flushes[0]++);
            int romPage = pm.pageOffset(0xE0000, false);
            shadow.setEnabled(false); // PAM: RAM read/write
            assertEquals(1, flushes[0]);
            assertNotEquals(romPage, pm.pageOffset(0xE0000, false));
            assertEquals(0xE0000, pm.pageOffset(0xE0000, true), "now the RAM below it, writable");
            ms.transaction(() -> {
                shadow.setEnabled(true);
                shadow.setReadonly(true);
            });
            assertEquals(2, flushes[0], "a transaction is one remap");
            assertEquals(romPage, pm.pageOffset(0xE0000, false));
        }

        @Test
        void aChangeThatLeavesTheFlatViewAsItWasKeepsTheTablesAndFlushesNothing() {
            MemoryRegion ram = ms.ram("/machine", "pc.ram", 0x100000);
            MemoryRegion bios = ms.rom("/machine", "pc.bios", 0x20000);
            ms.systemRoot().addSubregion(0, ms.alias("/machine", "ram-below-4g", ram, 0, 0x100000));
            MemoryRegion shadow = ms.alias("/machine", "isa-bios", bios, 0, 0x20000);
            ms.systemRoot().addSubregionOverlap(0xE0000, shadow, 1);
            MemoryRegion dev = ms.io("/dev", "dev", 0x10, logging("dev", 0x40), AccessRule.DEFAULT);
            ms.ioRoot().addSubregion(0x510, dev);
            PhysicalMemory pm = ms.memory().physical();
            IoPorts ports = ms.io().ports();
            int[] flushes = {0};
            ms.memory().onRemap(() -> flushes[0]++);
            int romPage = pm.pageOffset(0xE0000, false);
            // a PCI BAR written while decoding is off, a command write with the bits already set: a commit, same map
            ms.transaction(() -> shadow.setEnabled(true));
            ms.transaction(() -> {
                shadow.setEnabled(false);
                shadow.setEnabled(true);
            });
            assertEquals(0, flushes[0], "the map did not change: the CPU keeps its translations");
            assertEquals(romPage, pm.pageOffset(0xE0000, false));
            assertEquals(-1, pm.pageOffset(0xE0000, true), "still the ROM, writes dropped");
            assertEquals(0x43, ports.in(0x513, 1), "the port table still reaches the device");
            shadow.setEnabled(false); // a real change after the skipped ones
            assertEquals(1, flushes[0]);
            assertEquals(0xE0000, pm.pageOffset(0xE0000, true), "now the RAM below it, writable");
            dev.setEnabled(false);
            assertEquals(0xFF, ports.in(0x513, 1), "the device's ports are gone from the port table");
        }

        @Test
        void devicesSharingAPageAreEachReachedThroughTheSubPageDispatcher() {
            ms.systemRoot().addSubregion(0xFED00000L, ms.io("/hpet", "hpet", 0x400, logging("hpet", 0x100), AccessRule.DEFAULT));
            ms.systemRoot().addSubregion(0xFED00800L, ms.io("/x", "other", 0x10, logging("other", 0x200), AccessRule.DEFAULT));
            PhysicalMemory pm = ms.memory().physical();
            assertEquals(0x104, pm.read(0xFED00004L, 4));
            assertEquals(0x208, pm.read(0xFED00808L, 4));
            assertEquals(0, pm.read(0xFED00500L, 4));
            assertEquals(-1, pm.pageOffset(0xFED00000L, false));
        }

        @Test
        void dmaWritesToRamAreAnnouncedAndRomIsLeftAlone() {
            MemoryRegion ram = ms.ram("/machine", "pc.ram", 0x10000);
            MemoryRegion rom = ms.rom("/machine", "rom", 0x1000);
            ms.systemRoot().addSubregion(0, ram);
            ms.systemRoot().addSubregion(0x10000, rom);
            List<String> written = new ArrayList<>();
            ms.onRamWritten((off, len) -> written.add(off + "+" + len));
            ms.memory().physical();
            ms.memory().write(0x0FFE, new byte[] {1, 2, 3, 4}, 0, 4);
            ms.memory().write(0x10000, new byte[] {9}, 0, 1);
            assertEquals(List.of("4094+4"), written);
            byte[] back = new byte[4];
            ms.memory().read(0x0FFE, back, 0, 4);
            assertArrayEquals(new byte[] {1, 2, 3, 4}, back);
            assertEquals(0, rom.contents(0, 1)[0]);
        }

        @Test
        void noRamCanBeMadeOnceTheCpuRunsOnIt() {
            ms.memory().physical();
            assertThrows(IllegalStateException.class, () -> ms.ram("/machine", "late", 0x1000));
        }
    }

    @Test
    void infoMtreeOfIsapcsMemoryIsQemus() throws IOException {
        MemoryRegion ram = ms.ram("/machine", "pc.ram", 128 << 20);
        MemoryRegion sys = ms.systemRoot();
        sys.addSubregion(0, ms.alias("/machine", "ram-below-4g", ram, 0, 128 << 20));
        sys.addSubregionOverlap(0xC0000, ms.ram("/machine", "pc.rom", 0x20000), 1);
        MemoryRegion bios = ms.ram("/machine", "pc.bios", 0x20000);
        sys.addSubregionOverlap(0xE0000, ms.alias("/machine", "isa-bios", bios, 0, 0x20000), 1);
        sys.addSubregion(0xFFFE0000L, bios);
        String ours = Mtree.render(ms, false);
        String qemu = Files.readString(Path.of("tests/runtime/qemu72/mtree-isapc.txt"));
        assertEquals(section(qemu, "address-space: memory"), section(ours, "address-space: memory"));
        assertEquals(section(qemu, "memory-region: pc.bios"), section(ours, "memory-region: pc.bios"));
        String flat = Mtree.render(ms, true);
        String qemuFlat = Files.readString(Path.of("tests/runtime/qemu72/mtree-f-isapc.txt"));
        assertEquals(section(qemuFlat, " Root memory region: system"), section(flat, " Root memory region: system"));
    }

    /** The lines from {@code header} to the next empty line. */
    static String section(String text, String header) {
        int i = text.indexOf(header + "\n");
        assertTrue(i >= 0, "no '" + header + "' in\n" + text);
        int end = text.indexOf("\n\n", i);
        return text.substring(i, end < 0 ? text.length() : end);
    }
}
