package dev.machina.vm.boot;

import dev.machina.hw.nvram.FwCfg;
import dev.machina.machine.MachineOption;
import dev.machina.memory.AddressSpace;
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
 * {@code -kernel bzImage [-initrd FILE] [-append CMDLINE]}: a Linux kernel booted directly, in one
 * of two ways.
 * <ul>
 * <li><b>Through the firmware</b> (the default, as QEMU 7.2): the kernel's setup, its protected-mode
 *   part, the initrd and the command line go into fw_cfg (keys 0x07-0x0B, 0x11-0x18, hw/i386/x86.c
 *   {@code x86_load_linux}), and QEMU's option ROM {@code linuxboot_dma.bin} (Debian's
 *   qemu-system-data) is offered as {@code genroms/linuxboot_dma.bin}, first in {@code bootorder};
 *   SeaBIOS runs it, it copies the pieces into RAM and starts the kernel's real-mode setup, which
 *   uses the BIOS (E820, A20) and enters protected mode itself.</li>
 * <li><b>Firmware-less</b> ({@code -bios none}): Machina is the boot loader. The protected-mode
 *   kernel at 1 MiB, the initrd below initrd_addr_max and the top of RAM, the command line and a
 *   zero page (boot_params: the setup header, the e820 map of the machine's memory layout) are
 *   written into RAM at every reset, and the reset vector of a small image of our own
 *   ({@link Trampoline}) enters the kernel's 32-bit entry as the 32-bit boot protocol says.</li>
 * </ul>
 * Problems (no such file, not a bzImage, an initrd that does not fit, RAM too small for the kernel)
 * are one line each before anything runs.
 */
public final class LinuxBoot implements DirectBoot {
    /** QEMU's addresses for a protocol ≥ 2.02 kernel (x86_load_linux): real-mode setup, command line, kernel. */
    static final long REAL_ADDR = 0x10000, CMDLINE_ADDR = 0x20000, PROT_ADDR = 0x100000;
    /** Where the firmware-less path puts boot_params (the zero page) and the stack it enters with. */
    static final long ZERO_PAGE = 0x10000, STACK = 0x9F000;
    /** fw_cfg keys of the kernel (hw/nvram/fw_cfg.h / include/standard-headers/linux/qemu_fw_cfg.h). */
    static final int KERNEL_ADDR = 0x07, KERNEL_SIZE = 0x08, INITRD_ADDR = 0x0A, INITRD_SIZE = 0x0B, KERNEL_DATA = 0x11,
            INITRD_DATA = 0x12, CMDLINE_ADDR_KEY = 0x13, CMDLINE_SIZE = 0x14, CMDLINE_DATA = 0x15, SETUP_ADDR = 0x16,
            SETUP_SIZE = 0x17, SETUP_DATA = 0x18;
    /** type_of_loader: QEMU's id 0xB0 on the firmware path (as QEMU), "undefined" 0xFF on ours. */
    static final int LOADER_QEMU = 0xB0, LOADER_UNDEFINED = 0xFF;
    /** e820 types (Linux's E820_TYPE_*). */
    static final int E820_RAM = 1, E820_RESERVED = 2, E820_ACPI = 3;
    /** QEMU's pc acpi_data_size when the machine type sets none (hw/i386/pc.c pc_machine_class_init: 128 KiB + 32 KiB). */
    static final long ACPI_DATA_SIZE = 0x20000 + 0x8000;
    /** Where Debian's qemu-system-data keeps QEMU's option ROMs. */
    public static final Path QEMU_DATA = Path.of("/usr/share/qemu");

    private final BzImage kernel;
    private final byte[] initrd;
    private final String cmdline;
    private final VmSpec.Setting kernelOpt;
    private final Optional<VmSpec.Setting> initrdOpt;
    private final Optional<VmSpec.Setting> appendOpt;
    private final boolean firmwareless;

    private LinuxBoot(BzImage kernel, byte[] initrd, String cmdline, VmSpec.Setting kernelOpt, Optional<VmSpec.Setting> initrdOpt,
                      Optional<VmSpec.Setting> appendOpt, boolean firmwareless) {
        this.kernel = kernel;
        this.initrd = initrd;
        this.cmdline = cmdline;
        this.kernelOpt = kernelOpt;
        this.initrdOpt = initrdOpt;
        this.appendOpt = appendOpt;
        this.firmwareless = firmwareless;
    }

    /** The kernel command line the kernel is given ({@code -append}, or empty). */
    public String cmdline() {
        return cmdline;
    }

    /** The user's last {@code -machine} key of that name. */
    static Optional<VmSpec.Setting> key(VmSpec spec, String name) {
        return spec.machineKeys().stream().filter(s -> s.key().equals(name)).reduce((a, b) -> b);
    }

    /** True for {@code -bios none}: no firmware, Machina boots the kernel itself. */
    public static boolean noFirmware(VmSpec spec) {
        return key(spec, "firmware").map(s -> s.value().equals("none")).orElse(false);
    }

    /**
     * Reads and checks {@code -kernel}, {@code -initrd} and {@code -append}; empty without
     * {@code -kernel}.
     *
     * @throws VmException for an unreadable or invalid file, or {@code -initrd}/{@code -append}
     *                     without {@code -kernel}, or {@code -bios none} without {@code -kernel}
     */
    public static Optional<LinuxBoot> of(VmSpec spec) {
        Optional<VmSpec.Setting> k = key(spec, "kernel").filter(s -> !s.value().isEmpty());
        Optional<VmSpec.Setting> i = key(spec, "initrd").filter(s -> !s.value().isEmpty());
        Optional<VmSpec.Setting> a = key(spec, "append");
        boolean none = noFirmware(spec);
        if (k.isEmpty()) {
            // QEMU 7.2 (hw/i386/x86.c / vl.c): "-initrd only allowed with -kernel option", likewise -append
            if (i.isPresent()) {
                throw new VmException(new VmError.BadOption(i.get().where(), "-initrd is only allowed with -kernel"));
            }
            if (a.isPresent() && !a.get().value().isEmpty()) {
                throw new VmException(new VmError.BadOption(a.get().where(), "-append is only allowed with -kernel"));
            }
            if (none) {
                throw new VmException(new VmError.BadOption(key(spec, "firmware").get().where(), "-bios none starts a machine "
                        + "without firmware, which needs a kernel to boot: add -kernel bzImage (or give a firmware file)"));
            }
            return Optional.empty();
        }
        byte[] file = read(k.get(), "kernel");
        BzImage bz;
        try {
            bz = BzImage.parse(file);
        } catch (BzImage.Invalid e) {
            throw new VmException(new VmError.BadOption(k.get().where(), named(k.get()) + e.getMessage()));
        }
        if (bz.protocol() < 0x202 || (bz.loadflags() & BzImage.LOADED_HIGH) == 0) {
            throw new VmException(new VmError.BadOption(k.get().where(), named(k.get()) + "boot protocol " + bz.protocolName()
                    + (bz.protocol() >= 0x202 ? " without LOADED_HIGH (a zImage)" : "") + " is older than Machina loads: it needs"
                    + " a bzImage of protocol 2.02 or later (Linux 2.4 on)"));
        }
        if (none && bz.protocol() < 0x203) {
            throw new VmException(new VmError.BadOption(k.get().where(), named(k.get()) + "the 32-bit entry of -bios none needs"
                    + " boot protocol 2.03 or later; this kernel has " + bz.protocolName() + " (leave out -bios none to boot it"
                    + " through SeaBIOS)"));
        }
        byte[] rd = i.isPresent() ? read(i.get(), "initrd") : new byte[0];
        String cmd = a.map(VmSpec.Setting::value).orElse("");
        if (cmd.length() > bz.cmdlineMax()) {
            throw new VmException(new VmError.BadOption(a.get().where(), "the kernel command line has " + cmd.length()
                    + " bytes; this kernel takes at most " + bz.cmdlineMax() + " (its header's cmdline_size)"));
        }
        return Optional.of(new LinuxBoot(bz, rd, cmd, k.get(), i, a, none));
    }

    static byte[] read(VmSpec.Setting s, String what) {
        Path p = Path.of(s.value());
        try {
            if (Files.isDirectory(p)) {
                throw new VmException(new VmError.BadOption(s.where(), named(s) + "is a directory, not a " + what + " file"));
            }
            long size = Files.size(p);
            if (size > Integer.MAX_VALUE - 16) {
                throw new VmException(new VmError.BadOption(s.where(), named(s) + size + " bytes is too large for a " + what));
            }
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new VmException(new VmError.BadOption(s.where(), "cannot read " + what + " " + s.value() + ": " + e.getMessage()));
        }
    }

    @Override
    public boolean firmwareless() {
        return firmwareless;
    }

    public BzImage kernel() {
        return kernel;
    }

    /** The firmware image of the firmware-less path: the reset vector that enters the kernel. */
    @Override
    public byte[] firmwareImage() {
        return Trampoline.image(kernel.code32Start() == 0 ? PROT_ADDR : kernel.code32Start(), ZERO_PAGE, STACK);
    }

    /** Bytes the machine type reserves below the top of low RAM for the firmware's ACPI data. */
    static long acpiDataSize(BuiltMachine built) {
        return built.values().option(MachineOption.ACPI_DATA_SIZE).map(v -> v instanceof Long l ? l : null).orElse(ACPI_DATA_SIZE);
    }

    /** Where the initrd goes: QEMU's rule, below min(initrd_addr_max, RAM below 4 GiB − ACPI data), 4 KiB aligned. */
    long initrdAddress(long below4g, long acpiData) {
        long max = kernel.initrdMax();
        if (kernel.protocol() >= 0x20C && (kernel.xloadflags() & BzImage.XLF_CAN_BE_LOADED_ABOVE_4G) != 0) {
            max = 0xFFFFFFFFL;
        }
        if (max >= below4g - acpiData) {
            max = below4g - acpiData - 1;
        }
        return (max - initrd.length) & ~4095L;
    }

    /** Checks that kernel and initrd fit in RAM below 4 GiB; returns the initrd's address (0 without one). */
    long checkFit(BuiltMachine built) {
        long below4g = built.values().below4g();
        long acpi = acpiDataSize(built);
        String mem = built.spec().memory().where();
        long ramMiB = built.values().ramBytes() >> 20;
        long end = kernel.decompressionEnd(PROT_ADDR);
        if (end > below4g - acpi) {
            throw new VmException(new VmError.CannotStart(mem, ramMiB + " MiB of RAM is too small for this kernel: it decompresses"
                    + " itself up to " + hex(end) + " (init_size " + hex(kernel.initSize()) + " from " + hex(Math.max(PROT_ADDR,
                    kernel.prefAddress())) + "); give at least -m " + mib(end + acpi + initrd.length + (8 << 20)) + "M"));
        }
        if (initrd.length == 0) {
            return 0;
        }
        long addr = initrdAddress(below4g, acpi);
        if (initrd.length >= below4g || addr < end) {
            throw new VmException(new VmError.CannotStart(initrdOpt.get().where(), named(initrdOpt.get()) + "the initrd (" + mib(initrd.length)
                    + " MiB) does not fit in RAM beside the kernel (-m " + ramMiB + "M: " + hex(end) + " to "
                    + hex(Math.min(kernel.initrdMax(), below4g - acpi)) + " is free); give at least -m "
                    + mib(end + acpi + initrd.length + (8 << 20)) + "M"));
        }
        return addr;
    }

    /** "FILE: " unless the option's position already names the file ("-kernel FILE"). */
    private static String named(VmSpec.Setting s) {
        return s.where().contains(s.value()) ? "" : s.value() + ": ";
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    @Override
    public void install(dev.machina.vm.PcMachine pc, BuiltMachine built) {
        install(this, pc, built);
    }

    /** After the board is assembled: fw_cfg's kernel keys and option ROM, or the RAM images loaded at every reset. */
    public static void install(LinuxBoot l, dev.machina.vm.PcMachine pc, BuiltMachine built) {
        if (l.firmwareless) {
            l.checkFit(built);
            loadAtEveryReset(pc, built, acpi -> l.blobs(built, acpi.bytes(), acpi.rsdp()));
        } else {
            l.installFwCfg(pc.fwCfg(), built);
        }
    }

    /**
     * Where the table loader put the ACPI tables: {@code bytes} of RAM at the top of the memory below
     * 4 GiB (0 when the machine has none, then {@code rsdp} is 0 too) and the RSDP's address.
     */
    public record AcpiPlaced(long bytes, long rsdp) {}

    /**
     * The firmware-less paths' reset hook (Linux's 32-bit entry, multiboot): at every reset, after the
     * devices, the chipset set up as a BIOS leaves it, the ACPI tables through fw_cfg's table loader, then
     * the RAM images {@code blobs} makes for where the tables went (the e820 map reserves them).
     */
    static void loadAtEveryReset(dev.machina.vm.PcMachine pc, BuiltMachine built,
            java.util.function.Function<AcpiPlaced, List<Blob>> blobs) {
        long acpiData = acpiDataSize(built);
        long below4g = built.values().below4g();
        AddressSpace memory = pc.memory().memory();
        AddressSpace io = pc.memory().io();
        String family = built.machineType().family();
        FwCfg fwCfg = pc.fwCfg();
        pc.onReset(() -> {
            ChipsetSetup.run(family, io);
            TableLoader.Result acpi = TableLoader.run(fwCfg, memory, below4g - acpiData, below4g);
            load(memory, blobs.apply(new AcpiPlaced(acpi.rsdp() == 0 ? 0 : acpiData, acpi.rsdp())));
        });
    }

    // -- the firmware path ----------------------------------------------------------------------

    /**
     * QEMU's x86_load_linux for a protocol ≥ 2.02 kernel: the patched setup, the kernel, the initrd
     * and the command line into fw_cfg, and the option ROM that loads them first in bootorder.
     */
    public void installFwCfg(FwCfg f, BuiltMachine built) {
        long initrdAddr = checkFit(built);
        byte[] setup = java.util.Arrays.copyOf(kernel.file(), kernel.setupSize());
        int cmdlineSize = (cmdline.length() + 16) & ~15;
        put32(setup, 0x228, CMDLINE_ADDR);
        // vga= (vid_mode 0x1FA) as QEMU reads it from the command line
        vgaMode().ifPresent(v -> put16(setup, 0x1FA, v));
        setup[0x210] = (byte) LOADER_QEMU;
        setup[0x211] |= (byte) 0x80; // CAN_USE_HEAP
        put16(setup, 0x224, CMDLINE_ADDR - REAL_ADDR - 0x200);
        if (initrd.length > 0) {
            put32(setup, 0x218, initrdAddr);
            put32(setup, 0x21C, initrd.length);
            f.setI32(INITRD_ADDR, initrdAddr);
            f.setI32(INITRD_SIZE, initrd.length);
            f.setBytes(INITRD_DATA, initrd);
        }
        byte[] cmd = java.util.Arrays.copyOf(cmdline.getBytes(StandardCharsets.ISO_8859_1), cmdline.length() + 1);
        f.setI32(CMDLINE_ADDR_KEY, CMDLINE_ADDR);
        f.setI32(CMDLINE_SIZE, cmd.length);
        f.setBytes(CMDLINE_DATA, cmd);
        byte[] prot = java.util.Arrays.copyOfRange(kernel.file(), kernel.setupSize(), kernel.file().length);
        f.setI32(KERNEL_ADDR, PROT_ADDR);
        f.setI32(KERNEL_SIZE, prot.length);
        f.setBytes(KERNEL_DATA, prot);
        f.setI32(SETUP_ADDR, REAL_ADDR);
        f.setI32(SETUP_SIZE, setup.length);
        f.setBytes(SETUP_DATA, setup);
        assert cmdlineSize >= cmd.length;
        String rom = f.dmaEnabled() && built.values().option(MachineOption.LINUXBOOT_DMA).map(Boolean.TRUE::equals).orElse(true)
                ? "linuxboot_dma.bin" : "linuxboot.bin";
        Path p = QEMU_DATA.resolve(rom);
        byte[] image;
        try {
            image = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new VmException(new VmError.CannotStart(kernelOpt.where(), "-kernel through SeaBIOS needs QEMU's option ROM " + p
                    + " (Debian's qemu-system-data: apt-get install qemu-system-data), or -bios none to boot without firmware"));
        }
        f.addFile("genroms/" + rom, image);
        byte[] order = ("/rom@genroms/" + rom + "\0").getBytes(StandardCharsets.US_ASCII);
        f.setFile("bootorder", order);
    }

    /** {@code vga=} of the command line as x86_load_linux reads it: normal, ext, ask or a number. */
    Optional<Integer> vgaMode() {
        for (String w : cmdline.split(" ")) {
            if (w.startsWith("vga=")) {
                String v = w.substring(4);
                switch (v) {
                    case "normal": return Optional.of(0xFFFF);
                    case "ext": return Optional.of(0xFFFE);
                    case "ask": return Optional.of(0xFFFD);
                    default:
                        try {
                            return Optional.of(Integer.decode(v) & 0xFFFF);
                        } catch (NumberFormatException e) {
                            return Optional.empty();
                        }
                }
            }
        }
        return Optional.empty();
    }

    // -- the firmware-less path ------------------------------------------------------------------

    /** A piece of RAM the loader fills at every reset. */
    public record Blob(long address, byte[] data) {}

    /** One e820 entry of the zero page. */
    public record E820(long address, long size, int type) {}

    /**
     * The e820 map Linux gets: RAM below 640 KiB (less the last KiB, where a BIOS would keep its
     * EBDA), the legacy ROM area reserved, RAM from 1 MiB to the top of low RAM, the ACPI data there
     * (when {@code acpiTables} is set), the firmware image below 4 GiB reserved, RAM above 4 GiB.
     */
    static List<E820> e820(long below4g, long above4g, long acpiTables) {
        List<E820> m = new ArrayList<>();
        m.add(new E820(0, 0x9FC00, E820_RAM));
        m.add(new E820(0x9FC00, 0x400, E820_RESERVED));
        m.add(new E820(0xF0000, 0x10000, E820_RESERVED));
        long top = below4g - acpiTables;
        m.add(new E820(0x100000, top - 0x100000, E820_RAM));
        if (acpiTables > 0) {
            m.add(new E820(top, acpiTables, E820_ACPI));
        }
        m.add(new E820(Trampoline.BASE, Trampoline.SIZE, E820_RESERVED));
        if (above4g > 0) {
            m.add(new E820(1L << 32, above4g, E820_RAM));
        }
        return m;
    }

    /** The zero page (boot_params, Documentation/arch/x86/zero-page.rst) for the 32-bit entry. */
    byte[] zeroPage(long initrdAddr, List<E820> map, long rsdp) {
        byte[] zp = new byte[4096];
        int end = Math.min(kernel.headerEnd(), 0x290);
        System.arraycopy(kernel.file(), 0x1F1, zp, 0x1F1, end - 0x1F1);
        put16(zp, 0x1FA, vgaMode().orElse(0xFFFF)); // vid_mode: "normal"
        zp[0x210] = (byte) LOADER_UNDEFINED;
        zp[0x211] &= (byte) ~0x80; // no heap: the 16-bit setup does not run
        put32(zp, 0x218, initrd.length == 0 ? 0 : initrdAddr);
        put32(zp, 0x21C, initrd.length);
        put32(zp, 0x228, CMDLINE_ADDR);
        put64(zp, 0x250, 0); // setup_data: none
        if (rsdp != 0) {
            put64(zp, 0x070, rsdp); // acpi_rsdp_addr
        }
        zp[0x1E8] = (byte) map.size();
        for (int i = 0; i < map.size(); i++) {
            E820 e = map.get(i);
            put64(zp, 0x2D0 + 20 * i, e.address());
            put64(zp, 0x2D0 + 20 * i + 8, e.size());
            put32(zp, 0x2D0 + 20 * i + 16, e.type());
        }
        return zp;
    }

    /**
     * What the firmware-less path writes into RAM at every reset: the zero page, the command
     * line, the protected-mode kernel at 1 MiB, the initrd.
     */
    public List<Blob> blobs(BuiltMachine built, long acpiTables, long rsdp) {
        long initrdAddr = checkFit(built);
        List<Blob> b = new ArrayList<>();
        b.add(new Blob(ZERO_PAGE, zeroPage(initrdAddr, e820(built.values().below4g(), built.values().above4g(), acpiTables), rsdp)));
        b.add(new Blob(CMDLINE_ADDR, java.util.Arrays.copyOf(cmdline.getBytes(StandardCharsets.ISO_8859_1), cmdline.length() + 1)));
        b.add(new Blob(kernel.code32Start() == 0 ? PROT_ADDR : kernel.code32Start(),
                java.util.Arrays.copyOfRange(kernel.file(), kernel.setupSize(), kernel.file().length)));
        if (initrd.length > 0) {
            b.add(new Blob(initrdAddr, initrd));
        }
        return b;
    }

    /** Writes the blobs into guest RAM (as a DMA would: decoded code of those pages is dropped). */
    public static void load(AddressSpace memory, List<Blob> blobs) {
        for (Blob b : blobs) {
            memory.write(b.address(), b.data(), 0, b.data().length);
        }
    }

    static void put16(byte[] b, int o, long v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] b, int o, long v) {
        put16(b, o, v);
        put16(b, o + 2, v >>> 16);
    }

    static void put64(byte[] b, int o, long v) {
        put32(b, o, v);
        put32(b, o + 4, v >>> 32);
    }
}
