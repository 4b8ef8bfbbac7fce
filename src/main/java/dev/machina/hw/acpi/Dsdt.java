package dev.machina.hw.acpi;

import java.io.ByteArrayOutputStream;

/**
 * Machina's DSDT body (the AML after the table header): the smallest namespace that serves
 * SeaBIOS and Linux on pc and q35, written with {@link Aml}.
 * <pre>
 * Scope (\_SB) {
 *   Device (PCI0) {                       // PNP0A03; q35: PNP0A08 with _CID PNP0A03
 *     Name (_ADR, 0)  Name (_UID, 0)
 *     Device (ISA) {                      // PIIX3 00:01.0, or ICH9 LPC 00:1f.0
 *       Name (_ADR, 0x00010000 | 0x001F0000)
 *       Device (KBD) { _HID PNP0303, _STA 0xF, _CRS IO 0x60, IO 0x64, IRQ 1 }
 *       Device (MOU) { _HID PNP0F13, _STA 0xF, _CRS IRQ 12 }
 *     }
 *   }
 * }
 * Name (\_S5, Package (4) {0, 0, 0, 0})   // SLP_TYP 0 powers off (hw.acpi.AcpiPm)
 * </pre>
 * SeaBIOS initialises the PS/2 keyboard only when the DSDT names a PNP0303 device.
 */
final class Dsdt {
    private Dsdt() {}

    static byte[] build(boolean q35) {
        Aml.Container pci = Aml.device("PCI0");
        if (q35) {
            pci.add(Aml.name("_HID", Aml.eisaId("PNP0A08")));
            pci.add(Aml.name("_CID", Aml.eisaId("PNP0A03")));
        } else {
            pci.add(Aml.name("_HID", Aml.eisaId("PNP0A03")));
        }
        pci.add(Aml.name("_ADR", Aml.integer(0)));
        pci.add(Aml.name("_UID", Aml.integer(0)));
        Aml.Container isa = Aml.device("ISA");
        isa.add(Aml.name("_ADR", Aml.integer(q35 ? 0x001F0000 : 0x00010000)));
        isa.add(Aml.device("KBD").add(Aml.name("_HID", Aml.eisaId("PNP0303")))
                .add(Aml.name("_STA", Aml.integer(0xF)))
                .add(Aml.name("_CRS", Aml.buffer(resources(new int[] {0x60, 0x64}, 1)))));
        isa.add(Aml.device("MOU").add(Aml.name("_HID", Aml.eisaId("PNP0F13")))
                .add(Aml.name("_STA", Aml.integer(0xF)))
                .add(Aml.name("_CRS", Aml.buffer(resources(new int[0], 12)))));
        pci.add(isa);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Aml.scope("\\_SB").add(pci).bytes());
        out.writeBytes(Aml.name("\\_S5", Aml.packageOf(Aml.integer(0), Aml.integer(0), Aml.integer(0), Aml.integer(0))).bytes());
        return out.toByteArray();
    }

    /** A resource template: one-byte I/O ranges at {@code ports}, then IRQ {@code irq}, then the end tag. */
    static byte[] resources(int[] ports, int irq) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int p : ports) {
            // I/O port descriptor (small item 0x08, length 7): 16-bit decode, min = max = p, align 1, length 1
            b.writeBytes(new byte[] {0x47, 0x01, (byte) p, (byte) (p >> 8), (byte) p, (byte) (p >> 8), 0x01, 0x01});
        }
        // IRQ descriptor (small item 0x04, length 2): the IRQ mask
        b.writeBytes(new byte[] {0x22, (byte) (1 << irq), (byte) ((1 << irq) >> 8)});
        // end tag (small item 0x0F, length 1), checksum 0 ("treat as correct")
        b.writeBytes(new byte[] {0x79, 0x00});
        return b.toByteArray();
    }
}
