package dev.machina.vm;

/**
 * A device's place on a PCI bus: slot 0..31 and function 0..7, written {@code 01.3} as QEMU's
 * {@code addr} property is.
 */
public record PciAddress(int slot, int function) {
    public PciAddress {
        if (slot < 0 || slot > 31 || function < 0 || function > 7) {
            throw new IllegalArgumentException("PCI address " + slot + "." + function);
        }
    }

    /** From QEMU's devfn number ({@code slot << 3 | function}). */
    public static PciAddress ofDevfn(int devfn) {
        return new PciAddress(devfn >> 3, devfn & 7);
    }

    /**
     * Parses {@code SLOT[.FUNCTION]} with the slot in hex ({@code 1f.2}, {@code 3}), as QEMU's
     * {@code pci-devfn} property does; empty when the text is not one.
     */
    public static java.util.Optional<PciAddress> parse(String text) {
        // sscanf("%x.%x") as QEMU 7.2's set_pci_devfn: a 0x prefix and leading zeros are allowed (0x1.0x2)
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:0[xX])?0*([0-9a-fA-F]{1,2})(?:\\.(?:0[xX])?0*([0-7]))?")
                .matcher(text.trim());
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        int slot = Integer.parseInt(m.group(1), 16);
        int fn = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return slot > 31 ? java.util.Optional.empty() : java.util.Optional.of(new PciAddress(slot, fn));
    }

    public int devfn() {
        return slot << 3 | function;
    }

    @Override
    public String toString() {
        // "%02x.%d" written out: String.format's first call at start-up (parsing the format, loading the
        // formatter) cost more than the rest of placing the board's PCI devices
        return (slot < 16 ? "0" : "") + Integer.toHexString(slot) + "." + function;
    }
}
