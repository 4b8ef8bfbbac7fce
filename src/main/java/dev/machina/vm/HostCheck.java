package dev.machina.vm;

import dev.machina.config.Entry;
import dev.machina.config.Origin;
import dev.machina.config.Section;
import dev.machina.config.VmConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What QEMU 7.2 opens or looks up on the host when it starts, checked by {@code run} only: {@code config write} and
 * {@code config check} write and check a file for the host that will run it, so they do not look at this one (beyond
 * the files issue 14 item 13 made errors everywhere: VmSpec.checkFiles). Each case was run with qemu-system-x86_64
 * 7.2.22, which refuses it at start with the words quoted; where Machina cannot do what the option asks at all (a TCG
 * plugin, chroot, a change of user, a snapshot, a vmstate dump), {@code run} says so instead of ignoring it.
 */
public final class HostCheck {
    private HostCheck() {}

    /** The largest ACPI table QEMU 7.2 takes (hw/acpi/core.c acpi_table_add: the length is a 16-bit field here). */
    private static final long ACPI_MAX = 65535;
    /** pc_system_flash_map's limit on -pflash images together (hw/i386/pc_sysfw.c FLASH_SIZE_LIMIT). */
    private static final long FLASH_LIMIT = 8L << 20;

    /** @throws VmException naming the option and what would be right */
    public static void check(VmConfig config) {
        long flash = 0;
        for (Section s : config.sections()) {
            switch (s.group()) {
                case "machina-mem-path" -> s.entry("path").ifPresent(e -> {
                    if (!Files.isDirectory(Path.of(e.value())) && !Files.exists(Path.of(e.value()))) {
                        fail(s, e, "can't open backing store " + e.value() + " for guest RAM: No such file or directory (QEMU 7.2's words)");
                    }
                });
                case "tpmdev" -> {
                    if (s.get("type").filter("passthrough"::equals).isPresent()) {
                        String dev = s.get("path").orElse("/dev/tpm0");
                        if (!Files.exists(Path.of(dev))) {
                            fail(s, null, "Cannot access TPM device using '" + dev + "': No such file or directory (QEMU 7.2's words)");
                        }
                    }
                }
                case "machina-D" -> s.entry("file").ifPresent(e -> {
                    Path parent = Path.of(e.value().isEmpty() ? "." : e.value()).toAbsolutePath().getParent();
                    if (e.value().isEmpty() || parent == null || !Files.isDirectory(parent)) {
                        fail(s, e, "Error opening logfile " + e.value() + ": No such file or directory (QEMU 7.2's words)");
                    }
                });
                case "machina-pidfile" -> s.entry("file").filter(e -> e.value().isEmpty()).ifPresent(e -> fail(s, e,
                        "cannot create PID file: Could not create '': No such file or directory (QEMU 7.2's words)"));
                case "machina-acpitable" -> {
                    long size = 36; // the table header QEMU builds around data=
                    for (Entry e : s.entries()) {
                        if (e.key().equals("data")) {
                            for (String f : e.value().split(":")) {
                                try {
                                    size += Files.size(Path.of(f));
                                } catch (java.io.IOException | RuntimeException x) {
                                    fail(s, e, "can't open file " + f + ": No such file or directory (QEMU 7.2's words)");
                                }
                            }
                        }
                    }
                    if (s.get("data").isPresent() && size > ACPI_MAX) {
                        fail(s, null, "ACPI table too big, requested: " + size + ", max: " + ACPI_MAX + " (QEMU 7.2's words)");
                    }
                }
                case "drive" -> {
                    if (s.get("if").filter("pflash"::equals).isPresent()) {
                        try {
                            flash += Files.size(Path.of(s.get("file").orElse("")));
                        } catch (java.io.IOException | RuntimeException x) {
                            // a missing file is VmSpec.checkFiles' to report; an empty one QEMU reports as no medium
                        }
                        if (flash > FLASH_LIMIT) {
                            fail(s, null, "combined size of system firmware exceeds " + FLASH_LIMIT + " bytes (QEMU 7.2's words)");
                        }
                    }
                }
                case "machina-plugin" -> fail(s, null, "Machina has no TCG plugin interface (QEMU 7.2 would load "
                        + s.get("file").orElse("the plugin") + "); remove -plugin");
                case "machina-chroot" -> fail(s, null, "Machina cannot chroot (a Java process cannot); remove -chroot, or run Machina "
                        + "inside the chroot");
                case "machina-runas" -> fail(s, null, "Machina cannot change its user (a Java process cannot); remove -runas, or start "
                        + "Machina as that user");
                case "machina-loadvm" -> fail(s, null, "Machina has no snapshots to load (QEMU 7.2 loads it from a qcow2 image); remove -loadvm");
                case "machina-dump-vmstate" -> fail(s, null, "Machina has no migration state to describe (QEMU 7.2 writes its vmstate "
                        + "JSON); remove -dump-vmstate");
                default -> { }
            }
        }
    }

    private static void fail(Section s, Entry e, String problem) {
        Origin at = e == null || e.origin() == Origin.NONE ? s.origin() : e.origin();
        throw new VmException(new VmError.BadOption(at.describe(), problem));
    }
}
