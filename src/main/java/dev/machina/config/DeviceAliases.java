package dev.machina.config;

import java.util.Map;
import java.util.Optional;

/**
 * The other names QEMU 7.2 gives device types on the command line ({@code -device lsi} is
 * {@code lsi53c895a}): {@code qdev_alias_table} in softmmu/qdev-monitor.c, as qemu-system-x86_64 7.2
 * lists them in {@code -device help} ({@code tests/qemu72/device-help.txt}, a test holds the two
 * together). A configuration keeps the name as written; checks look the type up by its real name.
 */
public final class DeviceAliases {
    private DeviceAliases() {}

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("ahci", "ich9-ahci"), Map.entry("lsi", "lsi53c895a"), Map.entry("virtio-9p", "virtio-9p-pci"),
            Map.entry("virtio-blk", "virtio-blk-pci"), Map.entry("virtio-scsi", "virtio-scsi-pci"),
            Map.entry("e1000-82540em", "e1000"), Map.entry("virtio-net", "virtio-net-pci"),
            Map.entry("virtio-input-host", "virtio-input-host-pci"), Map.entry("virtio-keyboard", "virtio-keyboard-pci"),
            Map.entry("virtio-mouse", "virtio-mouse-pci"), Map.entry("virtio-serial", "virtio-serial-pci"),
            Map.entry("virtio-tablet", "virtio-tablet-pci"), Map.entry("virtio-gpu-gl", "virtio-gpu-gl-pci"),
            Map.entry("virtio-gpu", "virtio-gpu-pci"), Map.entry("ac97", "AC97"), Map.entry("es1370", "ES1370"),
            Map.entry("virtio-balloon", "virtio-balloon-pci"), Map.entry("virtio-iommu", "virtio-iommu-pci"),
            Map.entry("virtio-rng", "virtio-rng-pci"));

    /** The type an alias stands for; the name itself when it is none. */
    public static String resolve(String driver) {
        return ALIASES.getOrDefault(driver, driver);
    }

    /** alias → type, for help output and the test against QEMU's list. */
    public static Map<String, String> all() {
        return ALIASES;
    }

    static Optional<String> aliasOf(String type) {
        return ALIASES.entrySet().stream().filter(e -> e.getValue().equals(type)).map(Map.Entry::getKey).findFirst();
    }
}
