/**
 * Booting a Linux kernel directly ({@code -kernel}, {@code -initrd}, {@code -append}): the bzImage
 * setup header ({@link dev.machina.vm.boot.BzImage}), QEMU's fw_cfg kernel keys and option ROM for
 * SeaBIOS, and the firmware-less 32-bit boot protocol of {@code -bios none}
 * ({@link dev.machina.vm.boot.LinuxBoot}); multiboot kernels the same two ways
 * ({@link dev.machina.vm.boot.Multiboot}); {@link dev.machina.vm.boot.DirectBoot} tells them apart.
 */
package dev.machina.vm.boot;
