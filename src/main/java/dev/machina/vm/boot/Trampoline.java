package dev.machina.vm.boot;

/**
 * The firmware of the firmware-less path ({@code -bios none -kernel}): a 64 KiB image mapped where
 * a BIOS would be, whose reset vector does only what the Linux 32-bit boot protocol asks of a boot
 * loader (Documentation/arch/x86/boot.rst, "32-bit Boot Protocol"): a GDT with __BOOT_CS (0x10, flat
 * 4 GiB execute/read) and __BOOT_DS (0x18, flat 4 GiB read/write), protected mode with paging off,
 * interrupts off, CS = 0x10, DS = ES = SS = FS = GS = 0x18, ESI = the boot_params address, EBP = EDI
 * = EBX = 0, and a jump to the kernel's 32-bit entry. The IDT is loaded with limit 0, so an
 * exception before the kernel has its own IDT shuts the CPU down (a triple fault: a reset, or the
 * end of the run under {@code -no-reboot}) instead of running through the real-mode vector table.
 *
 * <p>The code is assembled here byte by byte (the encodings are the SDM's, Vol. 2); it runs on the
 * emulated CPU like any firmware.
 */
final class Trampoline {
    static final int SIZE = 0x10000;
    /** Where the image sits: the top 64 KiB below 4 GiB (and, as every BIOS image, below 1 MiB). */
    static final long BASE = 0x1_0000_0000L - SIZE;
    static final int CODE16 = 0x0100, CODE32 = 0x0140, GDT = 0x0180, GDT_PTR = 0x01A0, IDT_PTR = 0x01A8;
    static final int BOOT_CS = 0x10, BOOT_DS = 0x18;

    private Trampoline() {}

    /** The image for Linux: enters {@code entry} with ESI = {@code bootParams} and ESP = {@code stack}. */
    static byte[] image(long entry, long bootParams, long stack) {
        return image(entry, BOOT_CS, BOOT_DS, stack, entry, 0, bootParams);
    }

    /**
     * The image for a multiboot kernel (Multiboot 0.6.96 3.2 "Machine state"): EAX = {@code magic},
     * EBX = {@code info}, flat CS 0x08 and data segments 0x10 (the selectors QEMU's multiboot option
     * ROM uses), paging and interrupts off; ESP is the kernel's business (the low stack all the same).
     */
    static byte[] multiboot(long entry, long magic, long info) {
        return image(entry, MB_CS, MB_DS, 0x7000, magic, info, 0);
    }

    static final int MB_CS = 0x08, MB_DS = 0x10;

    private static byte[] image(long entry, int cs, int ds, long stack, long eax, long ebx, long esi) {
        byte[] b = new byte[SIZE];
        // reset vector (F000:FFF0, linear 0xFFFFFFF0): jmp near CODE16
        int rv = 0xFFF0;
        b[rv] = (byte) 0xE9;
        put16(b, rv + 1, CODE16 - (rv + 3));
        int p = CODE16;
        p = emit(b, p, 0xFA, 0xFC);                               // cli; cld
        p = emit(b, p, 0x2E, 0x66, 0x0F, 0x01, 0x16);             // o32 lgdt cs:[GDT_PTR]
        p = put16(b, p, GDT_PTR);
        p = emit(b, p, 0x2E, 0x66, 0x0F, 0x01, 0x1E);             // o32 lidt cs:[IDT_PTR]
        p = put16(b, p, IDT_PTR);
        p = emit(b, p, 0x0F, 0x20, 0xC0);                         // mov eax, cr0
        p = emit(b, p, 0x66, 0x83, 0xC8, 0x01);                   // or eax, 1 (PE)
        p = emit(b, p, 0x0F, 0x22, 0xC0);                         // mov cr0, eax
        p = emit(b, p, 0x66, 0xEA);                               // jmp far cs:CODE32 (ptr16:32)
        p = put32(b, p, BASE + CODE32);
        put16(b, p, cs);
        p = CODE32;
        p = emit(b, p, 0xB8);                                     // mov eax, ds
        p = put32(b, p, ds);
        p = emit(b, p, 0x8E, 0xD8, 0x8E, 0xC0, 0x8E, 0xD0, 0x8E, 0xE0, 0x8E, 0xE8); // mov ds/es/ss/fs/gs, ax
        p = emit(b, p, 0xBC);                                     // mov esp, stack
        p = put32(b, p, stack);
        p = emit(b, p, 0xBE);                                     // mov esi, esi value (Linux: boot_params)
        p = put32(b, p, esi);
        p = emit(b, p, 0x31, 0xED, 0x31, 0xFF);                   // xor ebp, ebp; xor edi, edi
        p = emit(b, p, 0xBB);                                     // mov ebx, ebx value (multiboot: the info)
        p = put32(b, p, ebx);
        p = emit(b, p, 0xB9);                                     // mov ecx, entry
        p = put32(b, p, entry);
        p = emit(b, p, 0xB8);                                     // mov eax, eax value (multiboot: the magic)
        p = put32(b, p, eax);
        p = emit(b, p, 0xFF, 0xE1);                               // jmp ecx
        if (p > GDT) {
            throw new IllegalStateException("trampoline code overlaps its GDT");
        }
        // GDT: null, then code at cs (base 0, limit 4 GiB, 32-bit, accessed) and data at ds (Linux: 0x10, 0x18)
        long code = 0x00CF9B000000FFFFL, data = 0x00CF93000000FFFFL;
        put64(b, GDT + cs, code);
        put64(b, GDT + ds, data);
        put16(b, GDT_PTR, 4 * 8 - 1);
        put32(b, GDT_PTR + 2, BASE + GDT);
        put16(b, IDT_PTR, 0);
        put32(b, IDT_PTR + 2, 0);
        return b;
    }

    private static int emit(byte[] b, int p, int... bytes) {
        for (int v : bytes) {
            b[p++] = (byte) v;
        }
        return p;
    }

    static int put16(byte[] b, int p, long v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        return p + 2;
    }

    static int put32(byte[] b, int p, long v) {
        put16(b, p, v);
        put16(b, p + 2, v >>> 16);
        return p + 4;
    }

    static int put64(byte[] b, int p, long v) {
        put32(b, p, v);
        put32(b, p + 4, v >>> 32);
        return p + 8;
    }
}
