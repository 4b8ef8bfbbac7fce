package dev.machina.hw.pci;

import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.ModelBinding;
import dev.machina.hw.core.Prop;
import java.util.List;

/**
 * The model bindings of the PC chipsets' PCI functions and host bridges, under QEMU's type names,
 * for the board's {@link dev.machina.hw.core.ModelCatalog}. What each binding reads is what changes
 * its behaviour; the other properties of these types (hotplug switches, {@code disable_s3},
 * {@code pci-hole64-size}, ...) shape the ACPI tables and fw_cfg files QEMU builds, not the device
 * registers, and are for the type data to mark {@code no-effect} (or for hw.acpi to read).
 * The PCI slot properties every function inherits ({@code addr}, {@code multifunction},
 * {@code romfile}, ...) are the bus's, read once for {@code pci-device} by the board.
 */
public final class PciModels {
    private PciModels() {}

    static final Prop<Long> SMB_IO_BASE = Prop.u32("smb_io_base");
    static final Prop<Boolean> SMM_ENABLED = Prop.bool("smm-enabled");
    static final Prop<Long> S4_VAL = Prop.u8("s4_val");

    public static final ModelBinding<DeviceModel> I440FX_PCIHOST = ModelBinding.of("i440FX-pcihost", v -> new I440fxHost());
    public static final ModelBinding<DeviceModel> I440FX = ModelBinding.of("i440FX", v -> new I440fx());
    public static final ModelBinding<DeviceModel> PIIX3 = ModelBinding.of("PIIX3", v -> new Piix3());
    public static final ModelBinding<DeviceModel> PIIX3_IDE = ModelBinding.of("piix3-ide", v -> new PiixIde());
    public static final ModelBinding<DeviceModel> PIIX4_PM = ModelBinding.of("PIIX4_PM",
            v -> new Piix4Pm((int) (long) SMB_IO_BASE.get(v), SMM_ENABLED.get(v), (int) (long) S4_VAL.get(v)),
            SMB_IO_BASE, SMM_ENABLED, S4_VAL);

    /** Every binding of this package. */
    public static List<ModelBinding<DeviceModel>> all() {
        return List.of(I440FX_PCIHOST, I440FX, PIIX3, PIIX3_IDE, PIIX4_PM);
    }
}
