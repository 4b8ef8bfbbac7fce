package dev.machina.vm.boot;

/**
 * A Linux x86 kernel image (bzImage) as its setup header describes it: the real-mode setup (the
 * first {@code (setup_sects + 1) × 512} bytes) and the protected-mode kernel after it. Offsets and
 * meanings are the Linux boot protocol's (Documentation/arch/x86/boot.rst, "The real-mode kernel
 * header"); what QEMU 7.2 reads of it is hw/i386/x86.c {@code x86_load_linux}.
 *
 * @param file         the whole image
 * @param protocol     the boot protocol version (0x206; 0x215 for Linux 6.1)
 * @param setupSize    bytes of the real-mode part, the boot sector included
 * @param loadflags    0x211 (bit 0 LOADED_HIGH: the protected-mode kernel goes to 1 MiB)
 * @param code32Start  0x214: where the protected-mode kernel is entered (0x100000)
 * @param initrdMax    0x22C initrd_addr_max (protocol ≥ 2.03), else 0x37FFFFFF
 * @param alignment    0x230 kernel_alignment (protocol ≥ 2.05; 0 before)
 * @param relocatable  0x234 relocatable_kernel (protocol ≥ 2.05)
 * @param xloadflags   0x236 (protocol ≥ 2.12; 0 before)
 * @param cmdlineMax   0x238 cmdline_size (protocol ≥ 2.06), else 255
 * @param prefAddress  0x258 pref_address (protocol ≥ 2.10), else 0x100000
 * @param initSize     0x260 init_size (protocol ≥ 2.10): the memory the kernel needs from its load address
 *                     (at least its own size) before it sets up its own memory management
 */
public record BzImage(byte[] file, int protocol, int setupSize, int loadflags, long code32Start, long initrdMax,
                      long alignment, boolean relocatable, int xloadflags, int cmdlineMax, long prefAddress, long initSize) {
    /** "HdrS" at 0x202. */
    static final int HDRS = 0x53726448;
    /** The boot sector's 0xAA55 at 0x1FE. */
    static final int BOOT_FLAG = 0xAA55;
    public static final int LOADED_HIGH = 0x01;
    /** xloadflags bit 1: the initrd (and boot_params, cmdline) may be above 4 GiB. */
    public static final int XLF_CAN_BE_LOADED_ABOVE_4G = 0x02;

    /** A problem with the image: what is wrong, said so the user can act. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    /**
     * Reads the header. The image must carry "HdrS" (boot protocol 2.00 or later) and a setup size
     * and protected-mode kernel size (syssize) its length holds; the 32-bit entry this loader uses needs protocol 2.03 and LOADED_HIGH.
     */
    public static BzImage parse(byte[] f) throws Invalid {
        if (f.length < 0x264) {
            throw new Invalid("not a Linux kernel image: " + f.length + " bytes is too short for the boot sector and setup header"
                    + " (a bzImage, such as Debian's /boot/vmlinuz-*)");
        }
        if (le(f, 0x202, 4) != HDRS) {
            throw new Invalid("not a Linux bzImage: no 'HdrS' setup header signature at offset 0x202 (a bzImage such as Debian's"
                    + " /boot/vmlinuz-*, or a multiboot ELF kernel)");
        }
        int protocol = (int) le(f, 0x206, 2);
        int sects = f[0x1F1] & 0xFF;
        int setupSize = ((sects == 0 ? 4 : sects) + 1) * 512;
        if (setupSize >= f.length) {
            throw new Invalid("truncated or corrupt bzImage: its header says " + setupSize + " bytes of real-mode setup but the"
                    + " file has only " + f.length + " bytes");
        }
        // syssize (0x1F4, protocol >= 2.04; a 16-bit field before): the protected-mode kernel's size in 16-byte
        // paragraphs, rounded up, so the file may end up to 15 bytes short of it. A copy cut short passes the
        // checks above and would only reset the machine when its decompressor finds no end (QEMU 7.2 loads it so).
        long sysBytes = (protocol >= 0x204 ? le(f, 0x1F4, 4) : le(f, 0x1F4, 2)) * 16;
        if (f.length - setupSize < sysBytes - 15) {
            throw new Invalid("truncated or corrupt bzImage: its header says " + sysBytes + " bytes of protected-mode kernel"
                    + " (syssize at 0x1F4) after " + setupSize + " bytes of setup, but the file has only " + (f.length - setupSize)
                    + " bytes after the setup (copy the whole image again)");
        }
        int loadflags = f[0x211] & 0xFF;
        long code32 = le(f, 0x214, 4);
        long initrdMax = protocol >= 0x203 ? le(f, 0x22C, 4) : 0x37FFFFFFL;
        long align = protocol >= 0x205 ? le(f, 0x230, 4) : 0;
        boolean reloc = protocol >= 0x205 && f[0x234] != 0;
        int xlf = protocol >= 0x20C ? (int) le(f, 0x236, 2) : 0;
        int cmdMax = protocol >= 0x206 ? (int) le(f, 0x238, 4) : 255;
        long pref = protocol >= 0x20A ? le(f, 0x258, 8) : 0x100000L;
        long init = protocol >= 0x20A ? le(f, 0x260, 4) : 0;
        return new BzImage(f, protocol, setupSize, loadflags, code32, initrdMax, align, reloc, xlf, cmdMax, pref, init);
    }

    /** The protocol as Linux prints it, {@code 2.15}. */
    public String protocolName() {
        return (protocol >> 8) + "." + String.format("%02x", protocol & 0xFF);
    }

    /** Bytes of the protected-mode kernel (the payload after the setup). */
    public int kernelSize() {
        return file.length - setupSize;
    }

    /** The header bytes a loader copies into boot_params: 0x1F1 up to 0x202 + the byte at 0x201. */
    public int headerEnd() {
        return 0x202 + (file[0x201] & 0xFF);
    }

    /**
     * The highest address the kernel touches while it decompresses and relocates itself, loaded at
     * {@code load}: a relocatable kernel runs at {@code max(load aligned to kernel_alignment,
     * pref_address)} (arch/x86/boot/compressed/head_32.S), a fixed one at pref_address; each needs
     * init_size bytes from there.
     */
    public long decompressionEnd(long load) {
        long base = prefAddress;
        if (relocatable && alignment > 0) {
            long aligned = (load + alignment - 1) & -alignment;
            base = Math.max(aligned, prefAddress);
        }
        return Math.max(load + kernelSize(), base + initSize);
    }

    static long le(byte[] b, int o, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (b[o + i] & 0xFFL) << (8 * i);
        }
        return v;
    }
}
