package dev.machina.vm.boot;

import dev.machina.hw.nvram.FwCfg;
import dev.machina.vm.BuiltMachine;
import dev.machina.vm.VmError;
import dev.machina.vm.VmException;
import dev.machina.vm.VmSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code -kernel} of a multiboot kernel (Multiboot Specification 0.6.96), as QEMU 7.2's
 * hw/i386/multiboot.c {@code load_multiboot} takes one: the header (magic 0x1BADB002, flags,
 * checksum) at a 4-byte boundary in the first 8 KiB, in a file without a Linux setup header; the
 * kernel loaded from the header's addresses (flags bit 16, the "a.out kludge") or else from the ELF
 * program headers; {@code -initrd "FILE ARGS,FILE ARGS"} as modules (",," is a comma in a name),
 * each page-aligned after the kernel; the boot information (flags 0x24F: memory, boot device 0x8000FFFF,
 * command line "KERNEL_FILE APPEND", modules, memory map, boot loader name "qemu") at 0x9500 and the
 * memory map at 0x9000. The layout of the kernel's buffer (kernel, module list, command lines,
 * loader name, modules) is QEMU's, so a kernel sees the same addresses.
 * <ul>
 * <li><b>Through the firmware</b> (as QEMU): fw_cfg keys 0x10 (entry), 0x07/0x08/0x11 (the buffer),
 *   0x0A/0x0B/0x12 (the 88-byte boot information) and QEMU's option ROM {@code multiboot_dma.bin}
 *   (or {@code multiboot.bin} without fw_cfg DMA), first in bootorder; the ROM fills in mem_lower,
 *   mem_upper and the memory map from the BIOS (INT 12h, INT 15h E820) and enters the kernel.</li>
 * <li><b>Firmware-less</b> ({@code -bios none}; QEMU has no such path): Machina writes the same
 *   pieces into RAM at every reset, fills in mem_lower, mem_upper and the memory map from the
 *   machine's own e820 map (the one the Linux path gives, {@link LinuxBoot#e820}), and its reset
 *   vector enters the kernel as the specification's "Machine state" says: EAX = 0x2BADB002, EBX = the
 *   boot information, protected mode with paging off, interrupts off, flat CS (0x08) and data
 *   segments (0x10) as QEMU's ROM sets them.</li>
 * </ul>
 * A header QEMU refuses is refused with QEMU's words, on one line, before anything runs.
 */
public final class Multiboot implements DirectBoot {
    /** The header's magic and the value EAX holds at the kernel's entry. */
    static final int HEADER_MAGIC = 0x1BADB002, BOOT_MAGIC = 0x2BADB002;
    /** Header flags: bit 2 asks for a video mode (QEMU ignores it), bit 16 gives the load addresses. */
    static final int HEADER_VBE = 1 << 2, HEADER_ADDR = 1 << 16;
    /** The header must lie within the first 8 KiB; it is 12 words long at most (QEMU scans 8192 − 48). */
    static final int SEARCH = 8192 - 48;
    /** QEMU's MULTIBOOT_STRUCT_ADDR: the memory map here, the boot information 0x500 above. */
    static final long MMAP_ADDR = 0x9000, MBI_ADDR = 0x9500;
    static final int MBI_SIZE = 88, MOD_SIZE = 16, MMAP_MAX = 0x500 / 24;
    /** Boot information offsets and flags (Multiboot 0.6.96 3.3). */
    static final int MBI_FLAGS = 0, MBI_MEM_LOWER = 4, MBI_MEM_UPPER = 8, MBI_BOOT_DEVICE = 12, MBI_CMDLINE = 16,
            MBI_MODS_COUNT = 20, MBI_MODS_ADDR = 24, MBI_MMAP_LENGTH = 44, MBI_MMAP_ADDR = 48, MBI_BOOT_LOADER = 64;
    static final int INFO_FLAGS = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 6) | (1 << 9);
    static final String LOADER_NAME = "qemu";
    /** fw_cfg's FW_CFG_KERNEL_ENTRY (the others are {@link LinuxBoot}'s). */
    static final int KERNEL_ENTRY = 0x10;
    static final long PAGE = 4096;

    /** The kernel as it lies in memory: {@code image} from {@code loadAddr}, entered at {@code entry}. */
    record Kernel(long loadAddr, long entry, byte[] image, boolean elf) {}

    private final Kernel kernel;
    /** The buffer QEMU builds: the kernel, page-aligned; module list, command lines, loader name; the modules. */
    private final byte[] buffer;
    private final byte[] info;
    private final VmSpec.Setting kernelOpt;
    private final boolean firmwareless;

    private Multiboot(Kernel kernel, byte[] buffer, byte[] info, VmSpec.Setting kernelOpt, boolean firmwareless) {
        this.kernel = kernel;
        this.buffer = buffer;
        this.info = info;
        this.kernelOpt = kernelOpt;
        this.firmwareless = firmwareless;
    }

    /** The offset of a valid multiboot header (magic, and a checksum that makes the three words sum to 0), or −1. */
    static int findHeader(byte[] f) {
        for (int i = 0; i < SEARCH && i + 12 <= f.length; i += 4) {
            if (le32(f, i) == HEADER_MAGIC && HEADER_MAGIC + le32(f, i + 4) + le32(f, i + 8) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** A header or ELF file QEMU refuses; the message starts with QEMU's words. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    /** The kernel a header describes: from its addresses (bit 16), else from the file's ELF program headers. */
    static Kernel kernel(byte[] f, int at) throws Invalid {
        int flags = le32(f, at + 4);
        if ((flags & HEADER_ADDR) == 0) {
            return elf(f);
        }
        if (at + 32 > f.length) {
            throw new Invalid("fread() failed: the header at offset " + at + " needs its address words (to offset " + (at + 32)
                    + "), but the file ends at " + f.length);
        }
        long headerAddr = u32(f, at + 12), loadAddr = u32(f, at + 16), loadEnd = u32(f, at + 20), bssEnd = u32(f, at + 24);
        long entry = u32(f, at + 28);
        if (headerAddr < loadAddr) {
            throw new Invalid("invalid load_addr address: load_addr " + hex(loadAddr) + " is above header_addr " + hex(headerAddr));
        }
        if (headerAddr - loadAddr > at) {
            throw new Invalid("invalid header_addr address: header_addr " + hex(headerAddr) + " − load_addr " + hex(loadAddr)
                    + " puts the file's start before its first byte (the header is at offset " + at + ")");
        }
        long textOffset = at - (headerAddr - loadAddr);
        long loadSize;
        if (loadEnd != 0) {
            if (loadEnd < loadAddr) {
                throw new Invalid("invalid load_end_addr address: load_end_addr " + hex(loadEnd) + " is below load_addr " + hex(loadAddr));
            }
            loadSize = loadEnd - loadAddr;
        } else {
            loadSize = f.length - textOffset; // 0: the rest of the file (textOffset ≤ at < f.length)
        }
        if (loadSize > 0xFFFFFFFFL - loadAddr) {
            throw new Invalid("kernel does not fit in address space: " + loadSize + " bytes from " + hex(loadAddr));
        }
        long size = loadSize;
        if (bssEnd != 0) {
            if (bssEnd < loadAddr + loadSize) {
                throw new Invalid("invalid bss_end_addr address: bss_end_addr " + hex(bssEnd) + " is below the loaded image's end "
                        + hex(loadAddr + loadSize));
            }
            size = bssEnd - loadAddr;
        }
        if (textOffset + loadSize > f.length) {
            throw new Invalid("fread() failed: load_end_addr asks for " + loadSize + " bytes from file offset " + textOffset
                    + ", but the file has " + f.length);
        }
        if (size > Integer.MAX_VALUE - (64 << 20)) {
            throw new Invalid("kernel does not fit in address space: " + size + " bytes from " + hex(loadAddr));
        }
        byte[] image = new byte[(int) size];
        System.arraycopy(f, (int) textOffset, image, 0, (int) loadSize);
        return new Kernel(loadAddr, entry, image, false);
    }

    /** ELF: what QEMU's load_elf loads, every PT_LOAD segment at its physical address, the rest of p_memsz zero. */
    static Kernel elf(byte[] f) throws Invalid {
        String what = "Error while loading elf kernel: ";
        if (f.length < 52 || le32(f, 0) != 0x464C457F) {
            throw new Invalid(what + "not an ELF file, and the multiboot header gives no load addresses (flags bit 16)");
        }
        if (f.length >= 20 && le16(f, 18) == 62) {
            throw new Invalid("Cannot load x86-64 image, give a 32bit one.");
        }
        if (f[4] != 1 || f[5] != 1) {
            throw new Invalid(what + "not a little-endian 32-bit ELF file (EI_CLASS " + f[4] + ", EI_DATA " + f[5] + "; want 1, 1)");
        }
        int machine = le16(f, 18);
        if (machine != 3) {
            throw new Invalid(what + "e_machine " + machine + " is not EM_386 (3)");
        }
        long phoff = u32(f, 28);
        int phentsize = le16(f, 42), phnum = le16(f, 44);
        if (phnum == 0 || phentsize < 32 || phoff + (long) phentsize * phnum > f.length) {
            throw new Invalid(what + "its " + phnum + " program headers (" + phentsize + " bytes each at offset " + phoff
                    + ") are not in the file of " + f.length + " bytes");
        }
        long low = Long.MAX_VALUE, high = 0;
        List<long[]> segs = new ArrayList<>();
        for (int k = 0; k < phnum; k++) {
            int p = (int) (phoff + (long) k * phentsize);
            long offset = u32(f, p + 4), paddr = u32(f, p + 12), filesz = u32(f, p + 16), memsz = u32(f, p + 20);
            if (le32(f, p) != 1 || memsz == 0) {
                continue; // PT_LOAD with something to load
            }
            if (filesz > memsz || offset + filesz > f.length) {
                throw new Invalid(what + "segment " + k + " (" + filesz + " bytes at file offset " + offset + ", " + memsz
                        + " in memory) is not in the file of " + f.length + " bytes");
            }
            if (paddr + memsz > 0x1_0000_0000L) {
                throw new Invalid("kernel does not fit in address space: segment " + k + " ends at " + hex(paddr + memsz));
            }
            low = Math.min(low, paddr);
            high = Math.max(high, paddr + memsz);
            segs.add(new long[] {offset, paddr, filesz});
        }
        if (segs.isEmpty()) {
            throw new Invalid(what + "it has no PT_LOAD segment");
        }
        if (high - low > Integer.MAX_VALUE - (64 << 20)) {
            throw new Invalid("kernel does not fit in address space: its segments span " + hex(low) + " to " + hex(high));
        }
        byte[] image = new byte[(int) (high - low)];
        for (long[] s : segs) {
            System.arraycopy(f, (int) s[0], image, (int) (s[1] - low), (int) s[2]);
        }
        return new Kernel(low, u32(f, 24), image, true);
    }

    /** The -initrd list as QEMU's get_opt_value splits it: commas separate, ",," is a comma. */
    public static List<String> modules(String initrd) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < initrd.length(); i++) {
            char c = initrd.charAt(i);
            if (c == ',') {
                if (i + 1 < initrd.length() && initrd.charAt(i + 1) == ',') {
                    cur.append(',');
                    i++;
                    continue;
                }
                out.add(cur.toString());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        out.add(cur.toString());
        return out;
    }

    /**
     * Reads the kernel, the modules and the command line of a multiboot {@code -kernel} whose file is
     * {@code file} (which has a header at {@code at}).
     */
    static Multiboot of(VmSpec spec, VmSpec.Setting k, byte[] file, int at, boolean firmwareless) {
        Kernel kern;
        try {
            kern = kernel(file, at);
        } catch (Invalid e) {
            throw new VmException(new VmError.BadOption(k.where(), named(k) + "multiboot kernel: " + e.getMessage()));
        }
        Optional<VmSpec.Setting> i = LinuxBoot.key(spec, "initrd").filter(s -> !s.value().isEmpty());
        String append = LinuxBoot.key(spec, "append").map(VmSpec.Setting::value).orElse("");
        String kernelFile = k.value();
        // the buffer: the kernel, page-aligned; then the module list, the command lines, the loader name, page-aligned
        long kernelEnd = align(kern.image().length);
        List<String> mods = i.map(s -> modules(s.value())).orElse(List.of());
        int cmdlineLen = utf8(kernelFile).length + 1 + utf8(append).length + 1 + i.map(s -> utf8(s.value()).length + 1).orElse(0);
        long offCmdlines = kernelEnd + (long) MOD_SIZE * mods.size();
        long offLoader = offCmdlines + cmdlineLen;
        long size = align(offLoader + LOADER_NAME.length() + 1);
        List<byte[]> modData = new ArrayList<>();
        List<Long> modAt = new ArrayList<>();
        for (String m : mods) {
            int space = m.indexOf(' ');
            String name = space < 0 ? m : m.substring(0, space);
            byte[] d;
            try {
                d = Files.readAllBytes(Path.of(name));
            } catch (IOException | RuntimeException e) {
                throw new VmException(new VmError.BadOption(i.get().where(), "Failed to open file '" + name + "' (a multiboot module of"
                        + " -initrd: FILE [ARGS] items separated by commas)"));
            }
            modAt.add(size);
            modData.add(d);
            size = align(size + d.length);
        }
        if (kern.loadAddr() + size > 0x1_0000_0000L || size > Integer.MAX_VALUE - (64 << 20)) {
            throw new VmException(new VmError.BadOption(k.where(), named(k) + "multiboot kernel: kernel does not fit in address space: "
                    + "with its modules it takes " + size + " bytes from " + hex(kern.loadAddr())));
        }
        byte[] buf = new byte[(int) size];
        System.arraycopy(kern.image(), 0, buf, 0, kern.image().length);
        long phys = kern.loadAddr();
        long cmdAt = offCmdlines;
        for (int m = 0; m < mods.size(); m++) {
            int slot = (int) kernelEnd + MOD_SIZE * m;
            byte[] c = utf8(mods.get(m));
            System.arraycopy(c, 0, buf, (int) cmdAt, c.length);
            put32(buf, slot, phys + modAt.get(m));
            put32(buf, slot + 4, phys + modAt.get(m) + modData.get(m).length);
            put32(buf, slot + 8, phys + cmdAt);
            cmdAt += c.length + 1;
            System.arraycopy(modData.get(m), 0, buf, (int) (long) modAt.get(m), modData.get(m).length);
        }
        byte[] kc = utf8(kernelFile + " " + append);
        System.arraycopy(kc, 0, buf, (int) cmdAt, kc.length);
        byte[] name = LOADER_NAME.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, buf, (int) offLoader, name.length);
        byte[] mbi = new byte[MBI_SIZE];
        put32(mbi, MBI_FLAGS, INFO_FLAGS);
        put32(mbi, MBI_BOOT_DEVICE, 0x8000FFFFL);
        put32(mbi, MBI_CMDLINE, phys + cmdAt);
        put32(mbi, MBI_MODS_COUNT, mods.size());
        put32(mbi, MBI_MODS_ADDR, phys + kernelEnd);
        put32(mbi, MBI_MMAP_ADDR, MMAP_ADDR);
        put32(mbi, MBI_BOOT_LOADER, phys + offLoader);
        return new Multiboot(kern, buf, mbi, k, firmwareless);
    }

    @Override
    public boolean firmwareless() {
        return firmwareless;
    }

    @Override
    public byte[] firmwareImage() {
        return Trampoline.multiboot(kernel.entry(), BOOT_MAGIC, MBI_ADDR);
    }

    /** Where the kernel's buffer goes and how long it is (the kernel, its strings, its modules). */
    long loadAddress() {
        return kernel.loadAddr();
    }

    byte[] buffer() {
        return buffer;
    }

    /** The boot information as QEMU passes it to its option ROM (mem_lower, mem_upper, mmap_length still 0). */
    byte[] info() {
        return info.clone();
    }

    private void checkFit(BuiltMachine built) {
        long below4g = built.values().below4g();
        long end = kernel.loadAddr() + buffer.length;
        if (kernel.loadAddr() < 0x100000 && kernel.loadAddr() + buffer.length > MMAP_ADDR) {
            throw new VmException(new VmError.BadOption(kernelOpt.where(), named(kernelOpt) + "multiboot kernel: it loads at "
                    + hex(kernel.loadAddr()) + " to " + hex(end) + ", over the boot information at " + hex(MMAP_ADDR) + " to "
                    + hex(MBI_ADDR + MBI_SIZE) + " (QEMU's place for it): link it at 1 MiB or above"));
        }
        if (end > below4g) {
            throw new VmException(new VmError.CannotStart(built.spec().memory().where(), (built.values().ramBytes() >> 20)
                    + " MiB of RAM is too small for this multiboot kernel and its modules: they take " + hex(kernel.loadAddr())
                    + " to " + hex(end) + "; give at least -m " + ((end + (8 << 20) + (1 << 20) - 1) >> 20) + "M"));
        }
    }

    @Override
    public void install(dev.machina.vm.PcMachine pc, BuiltMachine built) {
        checkFit(built);
        if (!firmwareless) {
            installFwCfg(pc.fwCfg());
            return;
        }
        LinuxBoot.loadAtEveryReset(pc, built,
                acpi -> blobs(LinuxBoot.e820(built.values().below4g(), built.values().above4g(), acpi.bytes())));
    }

    /** QEMU's fw_cfg keys for its multiboot option ROM, and the ROM first in bootorder. */
    void installFwCfg(FwCfg f) {
        f.setI32(KERNEL_ENTRY, kernel.entry());
        f.setI32(LinuxBoot.KERNEL_ADDR, kernel.loadAddr());
        f.setI32(LinuxBoot.KERNEL_SIZE, buffer.length);
        f.setBytes(LinuxBoot.KERNEL_DATA, buffer);
        f.setI32(LinuxBoot.INITRD_ADDR, MBI_ADDR);
        f.setI32(LinuxBoot.INITRD_SIZE, MBI_SIZE);
        f.setBytes(LinuxBoot.INITRD_DATA, info());
        String rom = f.dmaEnabled() ? "multiboot_dma.bin" : "multiboot.bin";
        Path p = LinuxBoot.QEMU_DATA.resolve(rom);
        byte[] image;
        try {
            image = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new VmException(new VmError.CannotStart(kernelOpt.where(), "a multiboot -kernel through SeaBIOS needs QEMU's option"
                    + " ROM " + p + " (Debian's qemu-system-data: apt-get install qemu-system-data), or -bios none to boot it without"
                    + " firmware"));
        }
        f.addFile("genroms/" + rom, image);
        f.setFile("bootorder", ("/rom@genroms/" + rom + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The firmware-less path's RAM contents: the buffer at the load address, the memory map (24-byte
     * entries: size 20, base, length, type) and the boot information with what a BIOS-based loader
     * reads from the BIOS: mem_lower = KiB of RAM from 0, mem_upper = KiB of RAM from 1 MiB.
     */
    List<LinuxBoot.Blob> blobs(List<LinuxBoot.E820> map) {
        int n = Math.min(map.size(), MMAP_MAX);
        byte[] mmap = new byte[24 * n];
        long lower = 0, upper = 0;
        for (int k = 0; k < n; k++) {
            LinuxBoot.E820 e = map.get(k);
            put32(mmap, 24 * k, 20);
            put64(mmap, 24 * k + 4, e.address());
            put64(mmap, 24 * k + 12, e.size());
            put32(mmap, 24 * k + 20, e.type());
            if (e.type() == LinuxBoot.E820_RAM && e.address() == 0) {
                lower = e.size() >> 10;
            }
            if (e.type() == LinuxBoot.E820_RAM && e.address() == 0x100000) {
                upper = e.size() >> 10;
            }
        }
        byte[] mbi = info();
        put32(mbi, MBI_MEM_LOWER, lower);
        put32(mbi, MBI_MEM_UPPER, upper);
        put32(mbi, MBI_MMAP_LENGTH, mmap.length);
        return List.of(new LinuxBoot.Blob(kernel.loadAddr(), buffer), new LinuxBoot.Blob(MMAP_ADDR, mmap),
                new LinuxBoot.Blob(MBI_ADDR, mbi));
    }

    private static String named(VmSpec.Setting s) {
        return s.where().contains(s.value()) ? "" : s.value() + ": ";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long align(long v) {
        return (v + PAGE - 1) & ~(PAGE - 1);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static int le16(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8;
    }

    static int le32(byte[] b, int o) {
        return le16(b, o) | le16(b, o + 2) << 16;
    }

    static long u32(byte[] b, int o) {
        return le32(b, o) & 0xFFFFFFFFL;
    }

    private static void put32(byte[] b, int o, long v) {
        LinuxBoot.put32(b, o, v);
    }

    private static void put64(byte[] b, int o, long v) {
        LinuxBoot.put64(b, o, v);
    }
}
