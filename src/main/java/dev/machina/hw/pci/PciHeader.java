package dev.machina.hw.pci;

/**
 * Offsets and bits of the PCI type 0 configuration header (PCI Local Bus Specification 3.0,
 * section 6.1; QEMU's include/standard-headers/linux/pci_regs.h uses the same names).
 */
public final class PciHeader {
    private PciHeader() {}

    public static final int VENDOR_ID = 0x00;
    public static final int DEVICE_ID = 0x02;
    public static final int COMMAND = 0x04;
    public static final int STATUS = 0x06;
    public static final int REVISION_ID = 0x08;
    public static final int CLASS_PROG = 0x09;
    public static final int CLASS_DEVICE = 0x0A;
    public static final int CACHE_LINE_SIZE = 0x0C;
    public static final int LATENCY_TIMER = 0x0D;
    public static final int HEADER_TYPE = 0x0E;
    public static final int BASE_ADDRESS_0 = 0x10;
    public static final int SUBSYSTEM_VENDOR_ID = 0x2C;
    public static final int SUBSYSTEM_ID = 0x2E;
    public static final int ROM_ADDRESS = 0x30;
    public static final int CAPABILITY_LIST = 0x34;
    public static final int INTERRUPT_LINE = 0x3C;
    public static final int INTERRUPT_PIN = 0x3D;
    /** End of the standard header; device-specific registers follow. */
    public static final int HEADER_SIZE = 0x40;

    public static final int COMMAND_IO = 0x0001;
    public static final int COMMAND_MEMORY = 0x0002;
    public static final int COMMAND_MASTER = 0x0004;
    public static final int COMMAND_SERR = 0x0100;
    public static final int COMMAND_INTX_DISABLE = 0x0400;

    public static final int STATUS_INTERRUPT = 0x0008;
    public static final int STATUS_CAP_LIST = 0x0010;
    public static final int STATUS_66MHZ = 0x0020;
    public static final int STATUS_FAST_BACK = 0x0080;
    public static final int STATUS_PARITY = 0x0100;
    public static final int STATUS_DEVSEL_MEDIUM = 0x0200;
    public static final int STATUS_SIG_TARGET_ABORT = 0x0800;
    public static final int STATUS_REC_TARGET_ABORT = 0x1000;
    public static final int STATUS_REC_MASTER_ABORT = 0x2000;
    public static final int STATUS_SIG_SYSTEM_ERROR = 0x4000;
    public static final int STATUS_DETECTED_PARITY = 0x8000;

    public static final int HEADER_TYPE_MULTIFUNCTION = 0x80;

    public static final int BAR_SPACE_IO = 0x01;
    public static final int BAR_MEM_TYPE_64 = 0x04;
    public static final int BAR_MEM_PREFETCH = 0x08;

    /** QEMU's PCI_SUBVENDOR_ID_REDHAT_QUMRANET and PCI_SUBDEVICE_ID_QEMU (pci_set_default_subsystem_id). */
    public static final int QEMU_SUBSYSTEM_VENDOR = 0x1AF4;
    public static final int QEMU_SUBSYSTEM = 0x1100;

    public static final int VENDOR_INTEL = 0x8086;
}
