package dev.machina.hw.acpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Machina's ACPI files against QEMU 7.2's (tests/acpi/qemu72, dumped before any guest code ran, so
 * with PMBASE still 0 and MMCONFIG off): every table but the DSDT byte for byte once the loader
 * script has run, the loader script command for command, and the tables' checksums valid.
 */
class AcpiTablesTest {
    private static final Path DIR = Path.of("tests/acpi/qemu72");

    private static byte[] qemu(String machine, String file) throws IOException {
        return Files.readAllBytes(DIR.resolve(machine + "_smm-off.etc_" + file.replace("etc/", "").replace('/', '_')));
    }

    /** Runs the loader script as SeaBIOS does, with the tables at 0x7FE0000 and the RSDP at 0xF5000. */
    static Map<String, byte[]> load(byte[] loader, byte[] tables, byte[] rsdp) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(AcpiTables.TABLES, tables.clone());
        files.put(AcpiTables.RSDP, rsdp.clone());
        Map<String, Long> base = Map.of(AcpiTables.TABLES, 0x7FE0000L, AcpiTables.RSDP, 0xF5000L);
        ByteBuffer l = ByteBuffer.wrap(loader).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 128 <= loader.length; at += 128) {
            int cmd = l.getInt(at);
            if (cmd == 2) {
                byte[] dst = files.get(name(loader, at + 4));
                long src = base.get(name(loader, at + 60));
                int off = l.getInt(at + 116);
                int size = loader[at + 120];
                long v = 0;
                for (int i = 0; i < size; i++) {
                    v |= (dst[off + i] & 0xFFL) << (8 * i);
                }
                v += src;
                for (int i = 0; i < size; i++) {
                    dst[off + i] = (byte) (v >>> (8 * i));
                }
            } else if (cmd == 3) {
                byte[] f = files.get(name(loader, at + 4));
                AcpiTables.fixChecksum(f, l.getInt(at + 64), l.getInt(at + 68), l.getInt(at + 60));
            }
        }
        return files;
    }

    private static String name(byte[] b, int at) {
        int end = at;
        while (b[end] != 0) {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.US_ASCII);
    }

    /** Tables by signature, in blob order (FACS has no checksum). */
    static Map<String, byte[]> tables(byte[] blob) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (at + 8 <= blob.length && blob[at] != 0) {
            int len = b.getInt(at + 4);
            m.put(new String(blob, at, 4, StandardCharsets.US_ASCII), java.util.Arrays.copyOfRange(blob, at, at + len));
            at += len;
        }
        return m;
    }

    private static List<String> commands(byte[] loader) {
        List<String> l = new ArrayList<>();
        for (int at = 0; at + 128 <= loader.length; at += 128) {
            int cmd = loader[at];
            switch (cmd) {
                case 1 -> l.add("ALLOCATE " + name(loader, at + 4) + " align " + loader[at + 60] + " zone " + loader[at + 64]);
                case 2 -> l.add("ADD_POINTER " + name(loader, at + 4) + " <- " + name(loader, at + 60) + " size " + loader[at + 120]);
                case 3 -> l.add("ADD_CHECKSUM " + name(loader, at + 4));
                default -> { }
            }
        }
        return l;
    }

    private static AcpiTables.Config config(String machine) {
        return machine.equals("q35") ? AcpiTables.Config.q35(0, OptionalLong.empty(), 0) : AcpiTables.Config.pc(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pc", "q35"})
    void everyTableButTheDsdtIsQemusOnceLoaded(String machine) throws IOException {
        AcpiTables.Files ours = AcpiTables.build(config(machine));
        Map<String, byte[]> q = load(qemu(machine, AcpiTables.LOADER), qemu(machine, AcpiTables.TABLES), qemu(machine, AcpiTables.RSDP));
        Map<String, byte[]> m = load(ours.loader(), ours.tables(), ours.rsdp());
        Map<String, byte[]> qt = tables(q.get(AcpiTables.TABLES));
        Map<String, byte[]> mt = tables(m.get(AcpiTables.TABLES));
        assertEquals(List.copyOf(qt.keySet()), List.copyOf(mt.keySet()), "tables and their order");
        int dsdtDelta = mt.get("DSDT").length - qt.get("DSDT").length;
        for (String sig : qt.keySet()) {
            if (sig.equals("DSDT")) {
                continue;
            }
            byte[] expect = qt.get(sig).clone();
            byte[] got = mt.get(sig).clone();
            if (sig.equals("RSDT")) {
                // entries point past the DSDT, whose size is ours
                ByteBuffer e = ByteBuffer.wrap(expect).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 36; i < expect.length; i += 4) {
                    e.putInt(i, e.getInt(i) + dsdtDelta);
                }
                AcpiTables.fixChecksum(expect, 0, expect.length, 9);
            }
            assertArrayEquals(expect, got, sig);
        }
        byte[] qr = q.get(AcpiTables.RSDP).clone();
        ByteBuffer.wrap(qr).order(ByteOrder.LITTLE_ENDIAN).putInt(16, ByteBuffer.wrap(qr).order(ByteOrder.LITTLE_ENDIAN).getInt(16) + dsdtDelta);
        AcpiTables.fixChecksum(qr, 0, 20, 8);
        assertArrayEquals(qr, m.get(AcpiTables.RSDP), "RSDP");
        assertEquals(commands(qemu(machine, AcpiTables.LOADER)), commands(ours.loader()));
        assertEquals(qemu(machine, AcpiTables.TABLES).length, ours.tables().length);
        assertEquals(qemu(machine, AcpiTables.LOADER).length, ours.loader().length);
    }

    @Test
    void theFadtPointsAtThePmBlockTheFirmwareProgrammed() {
        AcpiTables.Files f = AcpiTables.build(AcpiTables.Config.pc(0x600));
        byte[] facp = tables(f.tables()).get("FACP");
        ByteBuffer b = ByteBuffer.wrap(facp).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x600, b.getInt(56));
        assertEquals(0x604, b.getInt(64));
        assertEquals(0x608, b.getInt(76));
        assertEquals(0xAFE0, b.getInt(80));
    }

    @Test
    void q35WithMmconfigOnHasAnMcfgBeforeWaet() {
        AcpiTables.Files f = AcpiTables.build(AcpiTables.Config.q35(0x600, OptionalLong.of(0xB0000000L), 256L << 20));
        Map<String, byte[]> t = tables(load(f.loader(), f.tables(), f.rsdp()).get(AcpiTables.TABLES));
        assertEquals(List.of("FACS", "DSDT", "FACP", "APIC", "HPET", "MCFG", "WAET", "RSDT"), List.copyOf(t.keySet()));
        ByteBuffer m = ByteBuffer.wrap(t.get("MCFG")).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xB0000000L, m.getLong(44));
        assertEquals(255, t.get("MCFG")[55] & 0xFF);
        for (byte[] table : t.values()) {
            if (table[0] != 'F' || table[1] != 'A') {
                int sum = 0;
                for (byte x : table) {
                    sum += x;
                }
                assertEquals(0, sum & 0xFF, new String(table, 0, 4, StandardCharsets.US_ASCII) + " checksum");
            }
        }
    }

    @Test
    void theDsdtNamesThePs2KeyboardAndTheS5SleepType() {
        byte[] dsdt = tables(AcpiTables.build(AcpiTables.Config.pc(0x600)).tables()).get("DSDT");
        String s = new String(dsdt, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains("_S5_"), "_S5");
        // EISAID("PNP0303") = 0x0303D041 as a DWordConst
        assertTrue(s.contains(new String(new byte[] {0x0C, 0x41, (byte) 0xD0, 0x03, 0x03}, StandardCharsets.ISO_8859_1)), "PNP0303");
    }
}
