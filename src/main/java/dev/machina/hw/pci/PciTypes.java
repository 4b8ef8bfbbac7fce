package dev.machina.hw.pci;

import dev.machina.qom.PropertyDefault;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.TypeInfo;
import java.util.List;

/**
 * The PCI bus, the PCI device base with the properties every PCI device inherits, the interfaces
 * that tell conventional PCI from PCI Express devices, and {@code pci-testdev}. Names, types and
 * defaults from QEMU 7.2's {@code device-list-properties}; descriptions are ours.
 */
public final class PciTypes {
    private PciTypes() {}

    /**
     * QEMU's {@code pci-devfn}: "slot[.function]" in hex (e.g. {@code 1f.2}), or a plain integer devfn.
     * Introspection calls it int32; the text form is what users write. QEMU 7.2 reads the text with
     * {@code sscanf("%x.%x")} ({@code set_pci_devfn}, hw/core/qdev-properties-system.c), so each number
     * may have a {@code 0x} prefix and leading zeros: libvirt writes {@code 0x1.0x2}, and {@code 0x3.0x1}
     * is devfn 25. The slot is at most 0x1f, the function at most 7.
     */
    public static final PropertyType DEVFN = new PropertyType.StrType("pci-devfn",
            "-1|(0[xX])?0*1?[0-9a-fA-F](\\.(0[xX])?0*[0-7])?", "a PCI slot in hex with an optional function, e.g. 06, 1f.2 or 0x1.0x2");

    private static PropertySpec unknownDefault(String name, String description) {
        return new PropertySpec(name, PropertyType.BOOL, PropertyDefault.UNKNOWN, description, false);
    }

    public static List<TypeInfo> all() {
        return List.of(
                TypeInfo.builder("PCI").parent("bus").description("a conventional PCI bus").build(),
                TypeInfo.builder("PCIE").parent("PCI").description("a PCI Express bus").build(),
                TypeInfo.builder("conventional-pci-device").interfaceType()
                        .description("a device that can sit on a conventional PCI bus").build(),
                TypeInfo.builder("pci-express-device").interfaceType()
                        .description("a device that can sit on a PCI Express bus").build(),
                TypeInfo.builder("pci-device").parent("device").abstractType()
                        .description("base of every PCI function: configuration space, BARs, INTx and MSI")
                        .property("addr", DEVFN, "-1", "slot and function on the bus; -1 takes the next free slot")
                        .property("romfile", PropertyType.STR, null, "option ROM image")
                        .property("romsize", PropertyType.UINT32, "0xffffffff", "size of the option ROM BAR; unset uses the file's size")
                        .property("rombar", PropertyType.UINT32, "1", "0 hides the option ROM BAR")
                        .property("multifunction", PropertyType.BOOL, "off", "set the multifunction bit in the header type")
                        .property("x-pcie-lnksta-dllla", PropertyType.BOOL, "on", "report Data Link Layer Link Active (compat)")
                        .property("x-pcie-extcap-init", PropertyType.BOOL, "on", "initialise PCIe extended capabilities (compat)")
                        .property("failover_pair_id", PropertyType.STR, null, "id of the primary device of a failover pair")
                        .property("acpi-index", PropertyType.UINT32, "0", "index ACPI gives the guest for stable NIC names")
                        // named by compat sets but not in QEMU 7.2: added later (x-pcie-err-unc-mask 8.0,
                        // x-pcie-ari-nextfn-1 8.1, x-pcie-ext-tag 9.2) or removed before (command_serr_enable,
                        // QEMU <= 4.2); their defaults are what 7.2 cannot tell
                        .property(unknownDefault("x-pcie-err-unc-mask", "keep the AER uncorrectable-error mask register (compat)"))
                        .property(unknownDefault("x-pcie-ari-nextfn-1", "report ARI next function 1 instead of 0 (compat)"))
                        .property(unknownDefault("x-pcie-ext-tag", "advertise PCIe extended tags (compat)"))
                        .property(unknownDefault("command_serr_enable", "let the guest set SERR# in the command register (compat)"))
                        .build(),
                TypeInfo.builder("pci-testdev").parent("pci-device").implementing("conventional-pci-device")
                        .description("QEMU's PCI test device: I/O and memory BARs whose writes are counted")
                        .property("membar", PropertyType.SIZE, "0", "size of an extra 64-bit memory BAR; 0 for none")
                        .build());
    }
}
