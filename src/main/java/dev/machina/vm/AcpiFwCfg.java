package dev.machina.vm;

import dev.machina.hw.acpi.AcpiTables;
import dev.machina.hw.nvram.FwCfg;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The ACPI files of a PC's fw_cfg ({@code etc/acpi/tables}, {@code etc/acpi/rsdp},
 * {@code etc/table-loader}), as QEMU 7.2's acpi_setup/acpi_build_update keep them: added at
 * machine creation, rebuilt from the chipset's current state (PMBASE, MMCONFIG) when the firmware
 * first selects one of them after each reset, at the same sizes. With {@code -machine acpi=off}
 * the board does not install them, and SeaBIOS builds its own tables.
 *
 * <p>For the board: {@code AcpiFwCfg.install(fwCfg, () -> AcpiTables.Config.pc(pm.pmBase()), resets::add)}
 * (q35: {@code Config.q35(lpc.pmBase(), mmconfig base, size)}), after the PM function is realized.
 */
final class AcpiFwCfg {
    private AcpiFwCfg() {}

    static void install(FwCfg f, Supplier<AcpiTables.Config> config, Consumer<Runnable> onReset) {
        AcpiTables.Files first = AcpiTables.build(config.get());
        f.addFile(AcpiTables.TABLES, first.tables());
        f.addFile(AcpiTables.RSDP, first.rsdp());
        f.addFile(AcpiTables.LOADER, first.loader());
        boolean[] patched = {false};
        Runnable update = () -> {
            if (patched[0]) {
                return;
            }
            patched[0] = true;
            AcpiTables.Files now = AcpiTables.build(config.get());
            f.setFile(AcpiTables.TABLES, now.tables());
            f.setFile(AcpiTables.RSDP, now.rsdp());
            f.setFile(AcpiTables.LOADER, now.loader());
        };
        f.onSelect(AcpiTables.TABLES, update);
        f.onSelect(AcpiTables.RSDP, update);
        f.onSelect(AcpiTables.LOADER, update);
        onReset.accept(() -> patched[0] = false);
    }
}
