package dev.machina.hw.rtc;

/**
 * The CMOS bytes a PC board fills for its firmware, as QEMU 7.2's {@code pc_cmos_init} and
 * {@code x86_rtc_set_cpus_count} do (hw/i386/pc.c, hw/i386/x86.c); SeaBIOS reads them when
 * fw_cfg has no {@code etc/e820} (src/fw/paravirt.c) and for the boot order.
 */
public final class PcCmos {
    /** Equipment byte 0x14 bits: a math coprocessor, a PS/2 mouse. */
    public static final int EQUIPMENT_FPU = 0x02, EQUIPMENT_PS2_MOUSE = 0x04;
    public static final int EQUIPMENT = 0x14;
    private static final long KIB = 1024, MIB = 1024 * KIB;

    private PcCmos() {}

    /**
     * Memory sizes: 0x15/0x16 base memory in KiB (at most 640), 0x17/0x18 and 0x30/0x31 KiB above
     * 1 MiB (at most 65535), 0x34/0x35 64 KiB units above 16 MiB (at most 65535), 0x5B-0x5D 64 KiB
     * units above 4 GiB.
     */
    public static void setMemory(Mc146818 rtc, long below4g, long above4g) {
        long base = Math.min(below4g / KIB, 640);
        word(rtc, 0x15, base);
        long ext = Math.min(below4g > MIB ? (below4g - MIB) / KIB : 0, 65535);
        word(rtc, 0x17, ext);
        word(rtc, 0x30, ext);
        long high = Math.min(below4g > 16 * MIB ? (below4g - 16 * MIB) / (64 * KIB) : 0, 65535);
        word(rtc, 0x34, high);
        long above = above4g / (64 * KIB);
        rtc.setByte(0x5B, (int) above);
        rtc.setByte(0x5C, (int) (above >> 8));
        rtc.setByte(0x5D, (int) (above >> 16));
    }

    /** 0x5F: the number of CPUs minus one (SeaBIOS waits for that many APs). */
    public static void setCpuCount(Mc146818 rtc, int cpus) {
        rtc.setByte(0x5F, cpus - 1);
    }

    /** 0x14: QEMU's pc sets FPU and PS/2 mouse; the floppy bits are added with the drives. */
    public static void setEquipment(Mc146818 rtc, int bits) {
        rtc.setByte(EQUIPMENT, bits);
    }

    /**
     * 0x3D and 0x38: up to three boot devices of {@code -boot order=} ('a'/'b' floppy 1, 'c' disk
     * 2, 'd' CD-ROM 3, 'n' network 4) and, in bit 0 of 0x38, "skip the floppy boot signature
     * check" ({@code fd_bootchk} off).
     *
     * @throws IllegalArgumentException for more than three devices or another letter (QEMU:
     *     "Too many boot devices for PC" / "Invalid boot device for PC: 'x'")
     */
    public static void setBootOrder(Mc146818 rtc, String order, boolean floppySignatureCheck) {
        if (order.length() > 3) {
            throw new IllegalArgumentException("Too many boot devices for PC: '" + order + "' (at most 3)");
        }
        int[] nibbles = new int[3];
        for (int i = 0; i < order.length(); i++) {
            nibbles[i] = switch (order.charAt(i)) {
                case 'a', 'b' -> 1;
                case 'c' -> 2;
                case 'd' -> 3;
                case 'n' -> 4;
                default -> throw new IllegalArgumentException("Invalid boot device for PC: '" + order.charAt(i)
                        + "' (one of a, b, c, d, n)");
            };
        }
        rtc.setByte(0x3D, nibbles[1] << 4 | nibbles[0]);
        rtc.setByte(0x38, nibbles[2] << 4 | (floppySignatureCheck ? 0 : 1));
    }

    private static void word(Mc146818 rtc, int addr, long v) {
        rtc.setByte(addr, (int) v);
        rtc.setByte(addr + 1, (int) (v >> 8));
    }
}
