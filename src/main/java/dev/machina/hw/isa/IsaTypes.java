package dev.machina.hw.isa;

import dev.machina.qom.PropertyType;
import dev.machina.qom.TypeInfo;
import java.util.List;

/**
 * The ISA bus, its device base and the ISA devices declared so far. Property names, types and
 * defaults are those QEMU 7.2's {@code device-list-properties} reports (e.g. isa-serial's
 * {@code iobase} defaults to 0xffffffff, "pick the next free COM port"); descriptions are ours.
 * These are declarations: the device models that give them behaviour come with the PC device set.
 */
public final class IsaTypes {
    private IsaTypes() {}

    private static final PropertyType CHR = new PropertyType.StrType("str");

    public static List<TypeInfo> all() {
        return List.of(
                TypeInfo.builder("ISA").parent("bus").description("the ISA bus").build(),
                TypeInfo.builder("isa-device").parent("device").abstractType()
                        .description("base of devices on the ISA bus: I/O ports, ISA IRQs and DMA channels").build(),
                TypeInfo.builder("isa-serial").parent("isa-device")
                        .description("16550A UART on the ISA bus (COM1..COM4)")
                        .property("index", PropertyType.UINT32, "0xffffffff", "COM port number 0..3; unset takes the next free one")
                        .property("iobase", PropertyType.UINT32, "0xffffffff", "I/O base; unset uses the index's standard port (0x3f8, 0x2f8, 0x3e8, 0x2e8)")
                        .property("irq", PropertyType.UINT32, "0xffffffff", "ISA IRQ; unset uses the index's standard IRQ (4, 3, 4, 3)")
                        .property("wakeup", PropertyType.BOOL, "off", "wake the guest from suspend on input")
                        .property("chardev", CHR, null, "id of the character device behind the port")
                        .property("baudbase", PropertyType.UINT32, "115200", "UART input clock divided by 16")
                        .build(),
                TypeInfo.builder("isa-debugcon").parent("isa-device")
                        .description("debug console: bytes written to one I/O port go to a character device (Bochs port 0xe9)")
                        .property("iobase", PropertyType.UINT32, "0xe9", "I/O port")
                        .property("chardev", CHR, null, "id of the character device that receives the output")
                        .property("readback", PropertyType.UINT32, "0xe9", "value a read of the port returns")
                        .build(),
                TypeInfo.builder("isa-debug-exit").parent("isa-device")
                        .description("writing a value v to the port ends the emulator with exit status (v << 1) | 1")
                        .property("iobase", PropertyType.UINT32, "0x501", "I/O port")
                        .property("iosize", PropertyType.UINT32, "0x02", "width of the port in bytes")
                        .build());
    }
}
