package dev.machina.hw.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The ACPI tables QEMU 7.2 hands the firmware through fw_cfg (hw/i386/acpi-build.c, hw/acpi/
 * aml-build.c), as three files: {@code etc/acpi/tables} (FACS, DSDT, FACP, APIC, HPET, MCFG when
 * MMCONFIG is on, WAET, RSDT, one after the other, padded to 128 KiB), {@code etc/acpi/rsdp} (an
 * ACPI 1.0 RSDP, 20 bytes) and {@code etc/table-loader} (the BIOS linker script SeaBIOS runs:
 * allocate the files, patch the pointers, fix the checksums; 128-byte commands, padded to 4 KiB).
 *
 * <p>Every table but the DSDT has QEMU 7.2's bytes for the same machine
 * (tests/acpi/qemu72, dumped by tools/qemu72/dump_fwcfg_acpi.py). The DSDT is Machina's own and
 * small: {@code \_SB.PCI0} (PNP0A03, or PNP0A08 with _CID PNP0A03 on q35) with the ISA/LPC bridge
 * holding the PS/2 keyboard (PNP0303, which SeaBIOS looks for before it initialises the keyboard)
 * and mouse (PNP0F13), and {@code \_S5} = 0 (the PM1_CNT sleep type that powers off).
 *
 * <p>QEMU rebuilds the tables when the firmware first reads one of the files, after it has
 * programmed PMBASE and PCIEXBAR; a board should call {@link #build} at that moment with the
 * chipset's current values (PM base, MMCONFIG).
 */
public final class AcpiTables {
    public static final String TABLES = "etc/acpi/tables";
    public static final String RSDP = "etc/acpi/rsdp";
    public static final String LOADER = "etc/table-loader";
    /** ACPI_BUILD_TABLE_SIZE for current machine types, and the loader's padding. */
    static final int TABLES_SIZE = 0x20000;
    static final int LOADER_SIZE = 0x1000;
    static final byte[] OEM_ID = "BOCHS ".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OEM_TABLE_ID = "BXPC    ".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CREATOR = "BXPC".getBytes(StandardCharsets.US_ASCII);

    /** The chipset facts the tables describe. */
    public record Config(
            boolean q35,
            int pmBase,
            int gpe0Base,
            int gpe0Length,
            int sciIrq,
            boolean hpet,
            OptionalLong mcfgBase,
            long mcfgSize,
            int cpus,
            long ioapicAddress,
            int ioapicId) {

        /** QEMU 7.2 pc (PIIX4 PM): GPE0 at 0xAFE0, 4 bytes, SCI on IRQ 9, HPET on, one CPU. */
        public static Config pc(int pmBase) {
            return new Config(false, pmBase, 0xAFE0, 4, 9, true, OptionalLong.empty(), 0, 1, 0xFEC00000L, 0);
        }

        /** QEMU 7.2 q35 (ICH9): GPE0 at PMBASE+0x20, 16 bytes, SCI on IRQ 9, HPET on, one CPU. */
        public static Config q35(int pmBase, OptionalLong mcfgBase, long mcfgSize) {
            return new Config(true, pmBase, pmBase + 0x20, 16, 9, true, mcfgBase, mcfgSize, 1, 0xFEC00000L, 0);
        }
    }

    /** The three fw_cfg files. */
    public record Files(byte[] tables, byte[] rsdp, byte[] loader) {}

    private final ByteArrayOutputStream blob = new ByteArrayOutputStream();
    private final Loader loader = new Loader();

    private AcpiTables() {}

    public static Files build(Config c) {
        return new AcpiTables().make(c);
    }

    private Files make(Config c) {
        loader.allocate(RSDP, 16, Loader.ZONE_FSEG);
        loader.allocate(TABLES, 64, Loader.ZONE_HIGH);
        int facs = add(facs());
        int dsdt = add(table("DSDT", 1, Dsdt.build(c.q35())));
        loader.checksum(TABLES, dsdt, dsdtLength);
        int fadt = blob.size();
        add(table("FACP", c.q35() ? 3 : 1, fadtBody(c, facs, dsdt)));
        loader.pointer(TABLES, TABLES, fadt + 36, 4);
        loader.pointer(TABLES, TABLES, fadt + 40, 4);
        if (c.q35()) {
            loader.pointer(TABLES, TABLES, fadt + 140, 8);
        }
        List<Integer> rsdtEntries = new ArrayList<>();
        rsdtEntries.add(fadt);
        loader.checksum(TABLES, fadt, lastLength);
        rsdtEntries.add(addChecked(table("APIC", 1, madtBody(c))));
        if (c.hpet()) {
            rsdtEntries.add(addChecked(table("HPET", 1, hpetBody())));
        }
        if (c.mcfgBase().isPresent()) {
            rsdtEntries.add(addChecked(table("MCFG", 1, mcfgBody(c))));
        }
        rsdtEntries.add(addChecked(table("WAET", 1, le32(2))));
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        for (int e : rsdtEntries) {
            r.writeBytes(le32(e));
        }
        int rsdt = blob.size();
        add(table("RSDT", 1, r.toByteArray()));
        for (int i = 0; i < rsdtEntries.size(); i++) {
            loader.pointer(TABLES, TABLES, rsdt + 36 + 4 * i, 4);
        }
        loader.checksum(TABLES, rsdt, lastLength);
        byte[] rsdp = rsdp(rsdt);
        loader.pointer(RSDP, TABLES, 16, 4);
        loader.checksumRsdp();
        byte[] tables = Arrays.copyOf(blob.toByteArray(), Math.max(TABLES_SIZE, blob.size()));
        return new Files(tables, rsdp, loader.bytes());
    }

    private int lastLength;
    private int dsdtLength;

    private int add(byte[] t) {
        int at = blob.size();
        blob.writeBytes(t);
        lastLength = t.length;
        if (t[0] == 'D' && t[1] == 'S') {
            dsdtLength = t.length;
        }
        return at;
    }

    private int addChecked(byte[] t) {
        int at = add(t);
        loader.checksum(TABLES, at, t.length);
        return at;
    }

    // -- tables -----------------------------------------------------------------------------

    /** A table: the 36-byte header (checksum 0, the loader sets it) and its body. */
    static byte[] table(String signature, int revision, byte[] body) {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.writeBytes(signature.getBytes(StandardCharsets.US_ASCII));
        t.writeBytes(le32(36 + body.length));
        t.write(revision);
        t.write(0);
        t.writeBytes(OEM_ID);
        t.writeBytes(OEM_TABLE_ID);
        t.writeBytes(le32(1));
        t.writeBytes(CREATOR);
        t.writeBytes(le32(1));
        t.writeBytes(body);
        return t.toByteArray();
    }

    static byte[] facs() {
        byte[] f = new byte[64];
        System.arraycopy("FACS".getBytes(StandardCharsets.US_ASCII), 0, f, 0, 4);
        f[4] = 64;
        return f;
    }

    /** FADT (FACP) body as build_fadt writes it: rev 1 (116 bytes) for pc, rev 3 (244) for q35. */
    static byte[] fadtBody(Config c, int facs, int dsdt) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(le32(facs));              // 36 FIRMWARE_CTRL (patched)
        b.writeBytes(le32(dsdt));              // 40 DSDT (patched)
        b.write(1);                            // 44 INT_MODEL (ACPI 1.0) / reserved
        b.write(0);                            // 45 Preferred_PM_Profile
        b.writeBytes(le16(c.sciIrq()));        // 46 SCI_INT
        b.writeBytes(le32(0));                 // 48 SMI_CMD: 0, ACPI is always on (no SMM)
        b.write(0);                            // 52 ACPI_ENABLE
        b.write(0);                            // 53 ACPI_DISABLE
        b.write(0);                            // 54 S4BIOS_REQ
        b.write(0);                            // 55 PSTATE_CNT
        b.writeBytes(le32(c.pmBase()));        // 56 PM1a_EVT_BLK
        b.writeBytes(le32(0));                 // 60 PM1b_EVT_BLK
        b.writeBytes(le32(c.pmBase() + 4));    // 64 PM1a_CNT_BLK
        b.writeBytes(le32(0));                 // 68 PM1b_CNT_BLK
        b.writeBytes(le32(0));                 // 72 PM2_CNT_BLK
        b.writeBytes(le32(c.pmBase() + 8));    // 76 PM_TMR_BLK
        b.writeBytes(le32(c.gpe0Base()));      // 80 GPE0_BLK
        b.writeBytes(le32(0));                 // 84 GPE1_BLK
        b.write(4);                            // 88 PM1_EVT_LEN
        b.write(2);                            // 89 PM1_CNT_LEN
        b.write(0);                            // 90 PM2_CNT_LEN
        b.write(4);                            // 91 PM_TMR_LEN
        b.write(c.gpe0Length());               // 92 GPE0_BLK_LEN
        b.write(0);                            // 93 GPE1_BLK_LEN
        b.write(0);                            // 94 GPE1_BASE
        b.write(0);                            // 95 CST_CNT
        b.writeBytes(le16(0x0FFF));            // 96 P_LVL2_LAT: C2 not supported
        b.writeBytes(le16(0x0FFF));            // 98 P_LVL3_LAT: C3 not supported
        b.writeBytes(le16(0));                 // 100 FLUSH_SIZE
        b.writeBytes(le16(0));                 // 102 FLUSH_STRIDE
        b.write(0);                            // 104 DUTY_OFFSET
        b.write(0);                            // 105 DUTY_WIDTH
        b.write(0);                            // 106 DAY_ALRM
        b.write(0);                            // 107 MON_ALRM
        b.write(0x32);                         // 108 CENTURY: the RTC's CMOS byte
        b.writeBytes(le16(c.q35() ? 0x0002 : 0)); // 109 IAPC_BOOT_ARCH: 8042 on q35
        b.write(0);                            // 111 reserved
        // 112 Flags: WBINVD, PROC_C1, SLP_BUTTON, RTC_S4, RESET_REG_SUP (q35), USE_PLATFORM_CLOCK
        b.writeBytes(le32(c.q35() ? 0x000084A5 : 0x000080A5));
        if (c.q35()) {
            b.writeBytes(gas(1, 8, 0xCF9));    // 116 RESET_REG: RST_CNT
            b.write(0x0F);                     // 128 RESET_VALUE
            b.writeBytes(new byte[3]);         // 129 ARM_BOOT_ARCH, FADT minor version
            b.writeBytes(le64(0));             // 132 X_FIRMWARE_CTRL
            b.writeBytes(le64(dsdt));          // 140 X_DSDT (patched)
            b.writeBytes(gas(1, 32, c.pmBase()));      // 148 X_PM1a_EVT_BLK
            b.writeBytes(gas(0, 0, 0));                // 160 X_PM1b_EVT_BLK
            b.writeBytes(gas(1, 16, c.pmBase() + 4));  // 172 X_PM1a_CNT_BLK
            b.writeBytes(gas(0, 0, 0));                // 184 X_PM1b_CNT_BLK
            b.writeBytes(gas(0, 0, 0));                // 196 X_PM2_CNT_BLK
            b.writeBytes(gas(1, 32, c.pmBase() + 8));  // 208 X_PM_TMR_BLK
            b.writeBytes(gas(1, c.gpe0Length() * 8, c.gpe0Base())); // 220 X_GPE0_BLK
            b.writeBytes(gas(0, 0, 0));                // 232 X_GPE1_BLK
        }
        return b.toByteArray();
    }

    /** MADT: the local APIC of each CPU, the I/O APIC, ISA overrides (IRQ0 to GSI 2; 5, 9, 10, 11 level high), LINT1 NMI. */
    static byte[] madtBody(Config c) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(le32(0xFEE00000));        // local APIC address
        b.writeBytes(le32(1));                 // PCAT_COMPAT
        for (int i = 0; i < c.cpus(); i++) {
            b.write(0);
            b.write(8);
            b.write(i);                        // ACPI processor id
            b.write(i);                        // APIC id
            b.writeBytes(le32(1));             // enabled
        }
        b.write(1);
        b.write(12);
        b.write(c.ioapicId());
        b.write(0);
        b.writeBytes(le32((int) c.ioapicAddress()));
        b.writeBytes(le32(0));                 // GSI base
        iso(b, 0, 2, 0);
        for (int irq : new int[] {5, 9, 10, 11}) {
            iso(b, irq, irq, 0x0D);            // active high, level triggered
        }
        b.write(4);
        b.write(6);
        b.write(0xFF);                         // all processors
        b.writeBytes(le16(0));
        b.write(1);                            // LINT1
        return b.toByteArray();
    }

    private static void iso(ByteArrayOutputStream b, int source, int gsi, int flags) {
        b.write(2);
        b.write(10);
        b.write(0);                            // ISA
        b.write(source);
        b.writeBytes(le32(gsi));
        b.writeBytes(le16(flags));
    }

    /** HPET: the block QEMU's hpet has (id 0x8086A201: 3 timers, 64-bit, legacy capable) at 0xFED00000. */
    static byte[] hpetBody() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(le32(0x8086A201));
        b.writeBytes(gas(0, 0, 0xFED00000L));
        b.write(0);                            // HPET number
        b.writeBytes(le16(0));                 // minimum tick
        b.write(0);                            // page protection
        return b.toByteArray();
    }

    static byte[] mcfgBody(Config c) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(le64(0));                 // reserved
        b.writeBytes(le64(c.mcfgBase().getAsLong()));
        b.writeBytes(le16(0));                 // segment
        b.write(0);                            // start bus
        b.write((int) (c.mcfgSize() >> 20) - 1); // end bus
        b.writeBytes(le32(0));
        return b.toByteArray();
    }

    static byte[] rsdp(int rsdt) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("RSD PTR ".getBytes(StandardCharsets.US_ASCII));
        b.write(0);                            // checksum (the loader sets it)
        b.writeBytes(OEM_ID);
        b.write(0);                            // revision 0: ACPI 1.0
        b.writeBytes(le32(rsdt));
        return b.toByteArray();
    }

    /** A Generic Address Structure: space (0 memory, 1 I/O), bit width, address. */
    static byte[] gas(int space, int bitWidth, long address) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(space);
        b.write(bitWidth);
        b.write(0);
        b.write(0);
        b.writeBytes(le64(address));
        return b.toByteArray();
    }

    static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /** Sums {@code data} into byte {@code at} so the bytes add to 0 (what the loader's ADD_CHECKSUM does). */
    public static void fixChecksum(byte[] data, int start, int length, int at) {
        data[at] = 0;
        int sum = 0;
        for (int i = start; i < start + length; i++) {
            sum += data[i];
        }
        data[at] = (byte) -sum;
    }

    /** The BIOS linker-loader script (QEMU hw/acpi/bios-linker-loader.c). */
    static final class Loader {
        static final int ALLOCATE = 1;
        static final int ADD_POINTER = 2;
        static final int ADD_CHECKSUM = 3;
        static final int ZONE_HIGH = 1;
        static final int ZONE_FSEG = 2;
        static final int FILE_NAME = 56;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private byte[] entry(int command) {
            byte[] e = new byte[128];
            e[0] = (byte) command;
            return e;
        }

        private static void name(byte[] e, int at, String file) {
            byte[] n = file.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(n, 0, e, at, Math.min(n.length, FILE_NAME - 1));
        }

        private static void put32(byte[] e, int at, int v) {
            System.arraycopy(le32(v), 0, e, at, 4);
        }

        void allocate(String file, int align, int zone) {
            byte[] e = entry(ALLOCATE);
            name(e, 4, file);
            put32(e, 60, align);
            e[64] = (byte) zone;
            out.writeBytes(e);
        }

        void pointer(String dest, String src, int offset, int size) {
            byte[] e = entry(ADD_POINTER);
            name(e, 4, dest);
            name(e, 60, src);
            put32(e, 116, offset);
            e[120] = (byte) size;
            out.writeBytes(e);
        }

        void checksum(String file, int start, int length) {
            byte[] e = entry(ADD_CHECKSUM);
            name(e, 4, file);
            put32(e, 60, start + 9);
            put32(e, 64, start);
            put32(e, 68, length);
            out.writeBytes(e);
        }

        void checksumRsdp() {
            byte[] e = entry(ADD_CHECKSUM);
            name(e, 4, RSDP);
            put32(e, 60, 8);
            put32(e, 64, 0);
            put32(e, 68, 20);
            out.writeBytes(e);
        }

        byte[] bytes() {
            return Arrays.copyOf(out.toByteArray(), Math.max(LOADER_SIZE, out.size()));
        }
    }
}
