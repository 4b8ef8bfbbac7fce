package dev.machina.hw.nvram;

import java.util.ArrayList;
import java.util.List;

/**
 * What a PC board puts into fw_cfg, as QEMU 7.2 does (hw/nvram/fw_cfg.c {@code fw_cfg_init1},
 * {@code fw_cfg_reboot}, {@code fw_cfg_machine_reset}; hw/i386/fw_cfg.c {@code fw_cfg_arch_create};
 * hw/i386/e820_memory_layout.c). Recorded on QEMU 7.2 isapc: files {@code etc/boot-fail-wait}(4),
 * {@code etc/e820}(20), {@code bootorder}(0), {@code bios-geometry}(0), in that order of addition;
 * SeaBIOS 1.16.2 selects 0x00, 0x01, 0x19, {@code etc/e820}, 0x0D, 0x0F, 0x8000, 0x8001, 0x04,
 * {@code etc/boot-fail-wait}, 0x05, 0x8002, 0x0E.
 *
 * <p>Not here (added by the code that owns them, through {@link FwCfg#addFile}): the ACPI tables
 * ({@code etc/table-loader}, {@code etc/acpi/rsdp}, {@code etc/acpi/tables}), SMBIOS
 * ({@code etc/smbios/*}), option ROMs ({@code genroms/*}). Without {@code etc/table-loader} SeaBIOS
 * builds its own tables, as with QEMU's {@code -machine acpi=off}.
 */
public final class PcFwCfg {
    /** An e820 entry type (hw/i386/e820_memory_layout.h). */
    public static final int E820_RAM = 1, E820_RESERVED = 2;
    /** Entries of the legacy FW_CFG_E820_TABLE (reservations only). */
    static final int E820_NR_ENTRIES = 16;
    /** Bytes of {@code struct hpet_fw_config}: a count and 8 packed 15-byte entries. */
    static final int HPET_CFG_BYTES = 1 + 8 * 15;

    private PcFwCfg() {}

    /** One e820 entry. */
    public record E820(long address, long length, int type) {}

    /**
     * The machine facts the items come from.
     *
     * @param ramSize       {@code -m} in bytes (FW_CFG_RAM_SIZE)
     * @param bootCpus      CPUs at start (FW_CFG_NB_CPUS)
     * @param apicIdLimit   highest APIC ID + 1 (FW_CFG_MAX_CPUS, and the size of FW_CFG_NUMA)
     * @param nographic     {@code -nographic} (FW_CFG_NOGRAPHIC: SeaBIOS then uses the serial port as its console)
     * @param bootMenu      {@code -boot menu=on}
     * @param rebootTimeout {@code -boot reboot-timeout=} in ms, -1 for none (etc/boot-fail-wait)
     * @param e820          the memory map in the order the board added it
     * @param hpetCfg       the 121 bytes of FW_CFG_HPET, or null for zeros (no HPET)
     */
    public record Facts(long ramSize, int bootCpus, int apicIdLimit, boolean nographic, boolean bootMenu, int rebootTimeout,
                        List<E820> e820, byte[] hpetCfg) {
        public Facts {
            e820 = List.copyOf(e820);
        }
    }

    /** Fills {@code f} as QEMU 7.2's PC does at machine creation (before reset). */
    public static void fill(FwCfg f, Facts facts) {
        // fw_cfg_init1
        f.setBytes(FwCfg.UUID, new byte[16]);
        f.setI16(FwCfg.NOGRAPHIC, facts.nographic() ? 1 : 0);
        f.setI16(FwCfg.BOOT_MENU, facts.bootMenu() ? 1 : 0);
        f.addFile("etc/boot-fail-wait", FwCfg.leBytes(facts.rebootTimeout(), 4));
        // fw_cfg_arch_create
        f.setI16(FwCfg.NB_CPUS, facts.bootCpus());
        f.setI16(FwCfg.MAX_CPUS, facts.apicIdLimit());
        f.setI64(FwCfg.RAM_SIZE, facts.ramSize());
        f.setBytes(FwCfg.ACPI_TABLES, new byte[0]);
        f.setI32(FwCfg.IRQ0_OVERRIDE, 1);
        f.setBytes(FwCfg.E820_TABLE, legacyE820(facts.e820()));
        f.addFile("etc/e820", e820File(facts.e820()));
        f.setBytes(FwCfg.HPET, facts.hpetCfg() == null ? new byte[HPET_CFG_BYTES] : facts.hpetCfg());
        f.setBytes(FwCfg.NUMA, new byte[8 * (1 + facts.apicIdLimit())]);
    }

    /**
     * What QEMU's {@code fw_cfg_machine_reset} adds at the first reset: {@code bootorder} (the
     * devices with a {@code bootindex}, none here) and {@code bios-geometry} (none).
     */
    public static void machineReset(FwCfg f, byte[] bootorder, byte[] biosGeometry) {
        f.setFile("bootorder", bootorder);
        f.setFile("bios-geometry", biosGeometry);
    }

    /** {@code etc/e820}: packed {le64 address, le64 length, le32 type} entries. */
    public static byte[] e820File(List<E820> entries) {
        byte[] b = new byte[20 * entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            put(b, 20 * i, entries.get(i));
        }
        return b;
    }

    /** FW_CFG_E820_TABLE: le32 count of the reserved entries, then 16 entry slots. */
    static byte[] legacyE820(List<E820> entries) {
        List<E820> reserved = new ArrayList<>();
        for (E820 e : entries) {
            if (e.type() != E820_RAM && reserved.size() < E820_NR_ENTRIES) {
                reserved.add(e);
            }
        }
        byte[] b = new byte[4 + 20 * E820_NR_ENTRIES];
        System.arraycopy(FwCfg.leBytes(reserved.size(), 4), 0, b, 0, 4);
        for (int i = 0; i < reserved.size(); i++) {
            put(b, 4 + 20 * i, reserved.get(i));
        }
        return b;
    }

    private static void put(byte[] b, int o, E820 e) {
        System.arraycopy(FwCfg.leBytes(e.address(), 8), 0, b, o, 8);
        System.arraycopy(FwCfg.leBytes(e.length(), 8), 0, b, o + 8, 8);
        System.arraycopy(FwCfg.leBytes(e.type(), 4), 0, b, o + 16, 4);
    }
}
