#!/bin/busybox sh
# /init of the guest kit's initramfs (tools/guest-kit/build): Debian's busybox-static on Debian's
# i386 kernel. It prints markers on the console that the tests and the boot timings wait for:
#   MACHINA-INIT-OK          userland runs (the kernel booted, unpacked the initramfs, ran /init)
#   MACHINA-CPUINFO-BEGIN/END  /proc/cpuinfo between them (compared with QEMU 7.2's, tests/linux/)
#   MACHINA-DONE             the commands ran; then `poweroff -f` (ACPI S5, or a halt with acpi=off)
# With `machina.shell` on the kernel command line (or in initrd-shell.cpio.gz, where MODE=shell) it
# gives an interactive shell on the console instead and powers off when that shell exits.
MODE=batch
/bin/busybox mkdir -p /proc /sys /dev /tmp /sbin /usr/bin /usr/sbin
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
grep -qw machina.shell /proc/cmdline && MODE=shell
echo MACHINA-INIT-OK
echo MACHINA-CPUINFO-BEGIN
cat /proc/cpuinfo
echo MACHINA-CPUINFO-END
uname -a
cat /proc/cmdline
head -n 3 /proc/meminfo
echo "uptime: $(cat /proc/uptime)"
if [ "$MODE" = shell ]; then
    echo "MACHINA-SHELL: busybox sh on the console; 'exit' powers off"
    setsid cttyhack sh
fi
echo MACHINA-DONE
poweroff -f
