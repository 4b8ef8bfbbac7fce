package dev.machina.vm.boot;

import dev.machina.hw.nvram.FwCfg;
import dev.machina.memory.AddressSpace;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What SeaBIOS does with fw_cfg's {@code etc/table-loader} (src/fw/romfile_loader.c), done by the
 * firmware-less path so that Linux finds the board's ACPI tables: the BIOS linker-loader script of
 * QEMU (hw/acpi/bios-linker-loader.c; 128-byte commands: ALLOCATE 1, ADD_POINTER 2, ADD_CHECKSUM 3,
 * WRITE_POINTER 4) run against the fw_cfg files it names. Every allocation goes into the area at the
 * top of RAM below 4 GiB that the machine reserves for firmware ACPI data (acpi_data_size, which the
 * e820 map reports as reserved); the FSEG zone too, since there is no BIOS segment to put it in: the
 * kernel learns the RSDP's address from boot_params.acpi_rsdp_addr instead of scanning for it.
 */
final class TableLoader {
    static final int ALLOCATE = 1, ADD_POINTER = 2, ADD_CHECKSUM = 3, WRITE_POINTER = 4;
    static final int ENTRY = 128, NAME = 56;

    /** The files placed, by name, with their guest addresses; the RSDP's address. */
    record Result(Map<String, Long> addresses, long rsdp) {}

    private TableLoader() {}

    /**
     * Runs the script of {@code f}'s {@code etc/table-loader} into {@code [areaStart, areaEnd)} of
     * {@code memory}; empty addresses when fw_cfg has no script (-machine acpi=off).
     *
     * @throws IllegalStateException when the script names a missing file or the files do not fit (a bug in the tables)
     */
    static Result run(FwCfg f, AddressSpace memory, long areaStart, long areaEnd) {
        if (!f.files().contains("etc/table-loader")) {
            return new Result(Map.of(), 0);
        }
        byte[] script = file(f, "etc/table-loader");
        Map<String, byte[]> data = new LinkedHashMap<>();
        Map<String, Long> at = new LinkedHashMap<>();
        long next = areaEnd;
        for (int o = 0; o + ENTRY <= script.length; o += ENTRY) {
            int cmd = (int) BzImage.le(script, o, 4);
            switch (cmd) {
                case ALLOCATE -> {
                    String name = name(script, o + 4);
                    long align = Math.max(1, BzImage.le(script, o + 60, 4));
                    byte[] d = file(f, name);
                    next = (next - d.length) & -align;
                    if (next < areaStart) {
                        throw new IllegalStateException("ACPI data (" + name + ", " + d.length + " bytes) does not fit in the "
                                + (areaEnd - areaStart) + " bytes reserved for it");
                    }
                    data.put(name, d);
                    at.put(name, next);
                }
                case ADD_POINTER -> {
                    byte[] dest = need(data, name(script, o + 4));
                    long src = need(at, name(script, o + 60));
                    int off = (int) BzImage.le(script, o + 116, 4);
                    int size = script[o + 120] & 0xFF;
                    long v = BzImage.le(dest, off, size) + src;
                    for (int i = 0; i < size; i++) {
                        dest[off + i] = (byte) (v >>> (8 * i));
                    }
                }
                case ADD_CHECKSUM -> {
                    byte[] d = need(data, name(script, o + 4));
                    int off = (int) BzImage.le(script, o + 60, 4);
                    int start = (int) BzImage.le(script, o + 64, 4);
                    int len = (int) BzImage.le(script, o + 68, 4);
                    int sum = 0;
                    d[off] = 0;
                    for (int i = start; i < start + len; i++) {
                        sum += d[i];
                    }
                    d[off] = (byte) -sum;
                }
                case WRITE_POINTER -> {
                    // a pointer back into fw_cfg's writable file (vmgenid, etc/vmcoreinfo): none of these here
                }
                default -> {
                    // 0: padding; unknown commands are skipped, as SeaBIOS does
                }
            }
        }
        for (Map.Entry<String, byte[]> e : data.entrySet()) {
            memory.write(at.get(e.getKey()), e.getValue(), 0, e.getValue().length);
        }
        return new Result(at, at.getOrDefault("etc/acpi/rsdp", 0L));
    }

    /** A file's bytes as the firmware would read them: selecting it first (the board rebuilds its ACPI files then). */
    private static byte[] file(FwCfg f, String name) {
        int i = f.files().indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("etc/table-loader names fw_cfg file " + name + ", which does not exist");
        }
        f.select(FwCfg.FILE_FIRST + i);
        f.select(0);
        return f.file(name).orElseThrow();
    }

    private static <T> T need(Map<String, T> m, String name) {
        T v = m.get(name);
        if (v == null) {
            throw new IllegalStateException("etc/table-loader uses " + name + " before allocating it");
        }
        return v;
    }

    private static String name(byte[] b, int o) {
        int n = 0;
        while (n < NAME && b[o + n] != 0) {
            n++;
        }
        return new String(b, o, n, StandardCharsets.US_ASCII);
    }
}
