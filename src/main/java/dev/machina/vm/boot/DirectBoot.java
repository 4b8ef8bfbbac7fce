package dev.machina.vm.boot;

import dev.machina.vm.BuiltMachine;
import dev.machina.vm.VmSpec;
import java.util.Optional;

/**
 * A kernel that {@code -kernel} boots directly: a Linux bzImage ({@link LinuxBoot}) or a multiboot
 * kernel ({@link Multiboot}), told apart as QEMU 7.2's x86_load_linux tells them: a file with the
 * Linux setup header ("HdrS" at 0x202) is Linux; one without it that has a multiboot header in its
 * first 8 KiB is multiboot; anything else is refused as not a bzImage.
 */
public interface DirectBoot {
    /** True for {@code -bios none}: Machina's own reset vector enters the kernel. */
    boolean firmwareless();

    /** The firmware image of the firmware-less path (the reset vector that enters the kernel). */
    byte[] firmwareImage();

    /** After the board is assembled: fw_cfg's keys and the option ROM, or the RAM contents loaded at every reset. */
    void install(dev.machina.vm.PcMachine pc, BuiltMachine built);

    /** What {@code -kernel} (with -initrd, -append) boots; empty without {@code -kernel}. */
    static Optional<DirectBoot> of(VmSpec spec) {
        Optional<VmSpec.Setting> k = LinuxBoot.key(spec, "kernel").filter(s -> !s.value().isEmpty());
        if (k.isPresent()) {
            byte[] file = LinuxBoot.read(k.get(), "kernel");
            boolean linux = file.length >= 0x206 && Multiboot.le32(file, 0x202) == BzImage.HDRS;
            int at = linux ? -1 : Multiboot.findHeader(file);
            if (at >= 0) {
                return Optional.of(Multiboot.of(spec, k.get(), file, at, LinuxBoot.noFirmware(spec)));
            }
        }
        return LinuxBoot.of(spec).map(l -> l);
    }
}
