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
    static final Prop<Long> S4_VAL = Prop.u8("s4_val");

    public static final ModelBinding<DeviceModel> I440FX_PCIHOST = ModelBinding.of("i440FX-pcihost", v -> new I440fxHost());
    public static final ModelBinding<DeviceModel> I440FX = ModelBinding.of("i440FX", v -> new I440fx());
    public static final ModelBinding<DeviceModel> PIIX3 = ModelBinding.of("PIIX3", v -> new Piix3());
    public static final ModelBinding<DeviceModel> PIIX3_IDE = ModelBinding.of("piix3-ide", v -> new PiixIde());
    /**
     * PIIX4_PM: {@code smm-enabled} is not read. The pc board sets it from the machine's SMM (on
     * under TCG), but Machina has no SMM, so the function always behaves as QEMU 7.2 does with
     * {@code -machine smm=off} (APMC_EN preset, SCI_EN always on): with SMM claimed and no SMI
     * handler SeaBIOS would wait forever in smm_setup. For the type data: no-effect.
     */
    public static final ModelBinding<DeviceModel> PIIX4_PM = ModelBinding.of("PIIX4_PM",
            v -> new Piix4Pm((int) (long) SMB_IO_BASE.get(v), false, (int) (long) S4_VAL.get(v)),
            SMB_IO_BASE, S4_VAL);

    static final Prop<Long> BELOW_4G = Prop.size("below-4g-mem-size");
    static final Prop<Long> EXT_TSEG_MBYTES = Prop.u16("extended-tseg-mbytes");
    static final Prop<Boolean> SMBASE_SMRAM = Prop.bool("smbase-smram");
    static final dev.machina.hw.core.OptionalProp<Boolean> ENABLE_TCO = Prop.bool("enable_tco").optional();

    public static final ModelBinding<DeviceModel> Q35_PCIHOST = ModelBinding.of("q35-pcihost",
            v -> new Q35Host(BELOW_4G.get(v)), BELOW_4G);
    public static final ModelBinding<DeviceModel> MCH = ModelBinding.of("mch",
            v -> new Mch((int) (long) EXT_TSEG_MBYTES.get(v), SMBASE_SMRAM.get(v)), EXT_TSEG_MBYTES, SMBASE_SMRAM);
    /** ICH9-LPC: QEMU passes SMM on from the machine (no property); Machina has no SMM, so it is off. */
    public static final ModelBinding<DeviceModel> ICH9_LPC = ModelBinding.of("ICH9-LPC",
            v -> new Ich9Lpc(false, (int) (long) S4_VAL.get(v), ENABLE_TCO.get(v).orElse(true)), S4_VAL, ENABLE_TCO);
    public static final ModelBinding<DeviceModel> ICH9_AHCI = ModelBinding.of("ich9-ahci", v -> new Ich9Ahci());
    public static final ModelBinding<DeviceModel> ICH9_SMB = ModelBinding.of("ICH9-SMB", v -> new Ich9Smbus());

    /** Every binding of this package. */
    public static List<ModelBinding<DeviceModel>> all() {
        return List.of(I440FX_PCIHOST, I440FX, PIIX3, PIIX3_IDE, PIIX4_PM, Q35_PCIHOST, MCH, ICH9_LPC, ICH9_AHCI, ICH9_SMB);
    }
}
