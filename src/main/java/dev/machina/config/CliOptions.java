package dev.machina.config;

import dev.machina.config.CliOption.Syntax;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The options {@code machina run} and {@code machina config write} take, with QEMU's spelling, and the
 * group each one writes. Every option that configures the VM has a config-file form: QEMU's group
 * where QEMU 7.2 reads one from a file, else a {@code machina-*} group (docs/config.md has the table).
 */
public final class CliOptions {
    private CliOptions() {}

    private static final Map<String, CliOption> OPTIONS = new LinkedHashMap<>();

    private static void add(String name, Syntax syntax, String group, String key, String value, String help) {
        OPTIONS.put(name, new CliOption(name, syntax, group, key, value, help));
    }

    private static void opts(String name, String group, String help) {
        add(name, Syntax.QEMU_OPTS, group, null, null, help);
    }

    private static void verbatim(String name, String group, String key, String help) {
        add(name, Syntax.VERBATIM, group, key, null, help);
    }

    private static void flag(String name, String group, String help) {
        add(name, Syntax.FLAG, group, null, null, help);
    }

    private static void drive(String name, String keys, String help) {
        add(name, Syntax.DRIVE, "drive", null, keys, help);
    }

    static {
        add("-machine", Syntax.KEYVAL, "machine", null, null, "machine type and properties: -machine TYPE,key=value");
        add("-M", Syntax.KEYVAL, "machine", null, null, "same as -machine");
        add("-m", Syntax.QEMU_OPTS, "memory", null, null, "RAM size (no suffix: MiB), slots, maxmem");
        add("-smp", Syntax.KEYVAL, "smp-opts", null, null, "CPU count and topology");
        add("-cpu", Syntax.CPU, "machina-cpu", null, null, "CPU model and features");
        add("-name", Syntax.QEMU_OPTS, "name", null, null, "guest name");
        add("-boot", Syntax.KEYVAL, "boot-opts", null, null, "boot order, menu, splash");
        add("-device", Syntax.QEMU_OPTS_OR_JSON, "device", null, null, "add a device: -device DRIVER,prop=value");
        add("-object", Syntax.QEMU_OPTS_OR_JSON, "object", null, null, "add an object: -object TYPE,id=ID,prop=value");
        add("-global", Syntax.GLOBAL, "global", null, null, "a default for every object of a type: -global DRIVER.PROP=VALUE");
        add("-set", Syntax.SET, null, null, null, "change an option defined earlier: -set GROUP.ID.KEY=VALUE");
        add("-readconfig", Syntax.READCONFIG, null, null, null, "read options from a config file");
        add("-writeconfig", Syntax.WRITECONFIG, null, null, null, "write the configuration to a file (- for stdout)");
        opts("-chardev", "chardev", "a character device backend");
        opts("-drive", "drive", "a block device");
        add("-netdev", Syntax.QEMU_OPTS_OR_JSON, "netdev", null, null, "a network backend");
        opts("-nic", "nic", "a network interface with its backend");
        opts("-net", "net", "legacy network option");
        opts("-rtc", "rtc", "real-time clock settings");
        opts("-mon", "mon", "a monitor on a character device");
        opts("-accel", "accel", "accelerator");
        opts("-add-fd", "add-fd", "add a file descriptor to an fd set");
        opts("-tpmdev", "tpmdev", "a TPM backend");
        opts("-numa", "numa", "NUMA nodes");
        opts("-icount", "icount", "instruction counting");
        opts("-fw_cfg", "fw_cfg", "a fw_cfg file");
        opts("-action", "action", "actions on reboot, shutdown, panic, watchdog");
        opts("-vnc", "vnc", "a VNC server");
        opts("-spice", "spice", "a SPICE server");
        opts("-sandbox", "sandbox", "seccomp sandbox");
        opts("-fsdev", "fsdev", "a 9p file system backend");
        opts("-iscsi", "iscsi", "iSCSI initiator settings");
        opts("-acpitable", "machina-acpitable", "an ACPI table");
        opts("-option-rom", "machina-option-rom", "an option ROM");
        opts("-plugin", "machina-plugin", "a TCG plugin");
        opts("-trace", "machina-trace", "trace events");
        opts("-virtfs", "machina-virtfs", "a 9p file system with its device");
        opts("-smbios", "machina-smbios", "SMBIOS fields");
        opts("-msg", "machina-msg", "message format");
        opts("-overcommit", "machina-overcommit", "memory locking, CPU power management");
        add("-blockdev", Syntax.KEYVAL_OR_JSON, "machina-blockdev", null, null, "a block node: -blockdev driver=file,node-name=n,filename=F");
        add("-audiodev", Syntax.KEYVAL_OR_JSON, "machina-audiodev", null, null, "an audio backend: -audiodev DRIVER,id=ID");
        add("-vga", Syntax.VERBATIM, "machina-vga", "type", null, "VGA card type");
        add("-enable-kvm", Syntax.FIXED, "machine", "accel", "kvm", "use KVM (-machine accel=kvm)");
        add("-display", Syntax.KEYVAL, "machina-display", null, null, "display backend: -display none");
        add("-nographic", Syntax.FLAG, "machina-nographic", null, null, "no display; serial and monitor on stdio");
        add("-nodefaults", Syntax.FLAG, "machina-nodefaults", null, null, "no default devices");
        add("-S", Syntax.FLAG, "machina-S", null, null, "do not start the CPUs");
        add("-preconfig", Syntax.FLAG, "machina-preconfig", null, null, "start the monitors before the machine is built (x-exit-preconfig builds it)");
        add("-uuid", Syntax.VERBATIM, "machina-uuid", "uuid", null, "the machine's UUID");
        add("-no-user-config", Syntax.FLAG, "machina-no-user-config", null, null, "read no default config files");
        add("-debugcon", Syntax.VERBATIM, "machina-debugcon", "dev", null, "an isa-debugcon at port 0xe9 on a character device");
        add("-serial", Syntax.VERBATIM, "machina-serial", "dev", null, "the next serial port's character device");
        add("-monitor", Syntax.VERBATIM, "machina-monitor", "dev", null, "a human monitor on a character device");
        add("-qmp", Syntax.VERBATIM, "machina-qmp", "dev", null, "a QMP monitor on a character device");
        add("-d", Syntax.VERBATIM, "machina-d", "items", null, "log items");
        add("-D", Syntax.VERBATIM, "machina-D", "file", null, "log file");
        add("-kernel", Syntax.GROUP_KEY, "machine", "kernel", null, "a kernel to boot (-machine kernel=)");
        add("-initrd", Syntax.GROUP_KEY, "machine", "initrd", null, "an initial ramdisk (-machine initrd=)");
        add("-append", Syntax.GROUP_KEY, "machine", "append", null, "the kernel command line (-machine append=)");
        add("-dtb", Syntax.GROUP_KEY, "machine", "dtb", null, "a device tree blob (-machine dtb=)");
        add("-bios", Syntax.GROUP_KEY, "machine", "firmware", null, "the firmware image (-machine firmware=)");
        add("-no-reboot", Syntax.FIXED, "action", "reboot", "shutdown", "exit instead of rebooting (-action reboot=shutdown)");
        add("-no-shutdown", Syntax.FIXED, "action", "shutdown", "pause", "stop instead of exiting (-action shutdown=pause)");
        // -- the rest of QEMU 7.2's -help (qemu-options.hx; tests/qemu72/help.txt is the recorded list) --
        add("-compat", Syntax.KEYVAL_OR_JSON, "machina-compat", null, null, "policy for deprecated and unstable QMP interfaces");
        add("-audio", Syntax.KEYVAL, "machina-audio", null, null, "an audio backend with its device: -audio DRIVER,model=M");
        add("-watchdog-action", Syntax.GROUP_KEY, "action", "watchdog", null, "what a watchdog does when it expires (-action watchdog=)");
        add("-no-acpi", Syntax.FIXED, "machine", "acpi", "off", "no ACPI (-machine acpi=off)");
        add("-no-hpet", Syntax.FIXED, "machine", "hpet", "off", "no HPET (-machine hpet=off)");
        add("-usb", Syntax.FIXED, "machine", "usb", "on", "the on-board USB host controller (-machine usb=on)");
        drive("-fda", "if=floppy,index=0", "floppy disk 0 (-drive if=floppy,index=0,file=)");
        drive("-fdb", "if=floppy,index=1", "floppy disk 1 (-drive if=floppy,index=1,file=)");
        drive("-hda", "media=disk,index=0", "hard disk 0 (-drive media=disk,index=0,file=)");
        drive("-hdb", "media=disk,index=1", "hard disk 1 (-drive media=disk,index=1,file=)");
        drive("-hdc", "media=disk,index=2", "hard disk 2 (-drive media=disk,index=2,file=)");
        drive("-hdd", "media=disk,index=3", "hard disk 3 (-drive media=disk,index=3,file=)");
        drive("-cdrom", "media=cdrom,index=2", "the CD-ROM (-drive media=cdrom,index=2,file=)");
        drive("-pflash", "if=pflash", "a parallel flash image (-drive if=pflash,file=)");
        drive("-mtdblock", "if=mtd", "on-board flash (-drive if=mtd,file=); no x86 machine has one");
        drive("-sd", "if=sd", "an SD card (-drive if=sd,file=); no x86 machine has one");
        verbatim("-usbdevice", "machina-usbdevice", "name", "a USB device by its legacy name (also -machine usb=on)");
        verbatim("-incoming", "machina-incoming", "uri", "wait for an incoming migration");
        verbatim("-pidfile", "machina-pidfile", "file", "write the process id to a file");
        verbatim("-k", "machina-k", "layout", "keyboard layout (VNC)");
        verbatim("-L", "machina-L", "dir", "a directory to search for firmware");
        verbatim("-parallel", "machina-parallel", "dev", "the next parallel port's character device");
        verbatim("-debugcon", "machina-debugcon", "dev", "a debug console (port 0xe9) on a character device");
        verbatim("-qmp-pretty", "machina-qmp-pretty", "dev", "a QMP monitor with pretty JSON on a character device");
        verbatim("-gdb", "machina-gdb", "dev", "a gdb server on a character device");
        add("-s", Syntax.FIXED, "machina-gdb", "dev", "tcp::1234", "a gdb server on TCP port 1234 (-gdb tcp::1234)");
        verbatim("-dfilter", "machina-dfilter", "ranges", "address ranges for -d");
        verbatim("-seed", "machina-seed", "seed", "seed of the random number generator");
        verbatim("-loadvm", "machina-loadvm", "tag", "start from a snapshot");
        verbatim("-mem-path", "machina-mem-path", "path", "guest RAM backed by a file");
        verbatim("-rotate", "machina-rotate", "degrees", "rotate the display (PXA LCD only)");
        verbatim("-echr", "machina-echr", "char", "the escape character of a mux character device");
        verbatim("-chroot", "machina-chroot", "dir", "chroot before starting the VM");
        verbatim("-runas", "machina-runas", "user", "change user before starting the VM");
        verbatim("-xen-domid", "machina-xen-domid", "domid", "Xen guest domain id");
        verbatim("-dump-vmstate", "machina-dump-vmstate", "file", "write the migration state description (JSON) and exit");
        flag("-snapshot", "machina-snapshot", "write to temporary files, not to the disk images");
        flag("-mem-prealloc", "machina-mem-prealloc", "preallocate guest RAM");
        flag("-daemonize", "machina-daemonize", "run in the background once started");
        flag("-no-fd-bootchk", "machina-no-fd-bootchk", "no boot signature check of floppy disks");
        flag("-win2k-hack", "machina-win2k-hack", "the Windows 2000 installer's disk-full work-around");
        flag("-singlestep", "machina-singlestep", "one guest instruction per translation block");
        flag("-full-screen", "machina-full-screen", "start in full screen");
        flag("-portrait", "machina-portrait", "rotate the display 90 degrees (PXA LCD only)");
        flag("-only-migratable", "machina-only-migratable", "allow only migratable devices");
        flag("-xen-attach", "machina-xen-attach", "attach to an existing Xen domain");
        flag("-xen-domid-restrict", "machina-xen-domid-restrict", "restrict Xen operations to the domain");
        flag("-async-teardown", "machina-async-teardown", "tear down the guest's memory in the background");
        flag("-enable-sync-profile", "machina-enable-sync-profile", "profile synchronisation primitives");
        add("-audio-help", Syntax.INFO, null, null, null, "the -audiodev form of the legacy audio settings");
        add("-semihosting-config", Syntax.UNSUPPORTED, null, null, null, "not supported for this target");
        add("-h", Syntax.INFO, null, null, null, "usage");
        add("-help", Syntax.INFO, null, null, null, "usage");
        add("-version", Syntax.INFO, null, null, null, "version");
    }

    /** An option by name; {@code --name} is accepted for {@code -name}, as QEMU does. */
    public static Optional<CliOption> find(String arg) {
        String name = arg.startsWith("--") ? arg.substring(1) : arg;
        return Optional.ofNullable(OPTIONS.get(name));
    }

    public static Collection<CliOption> all() {
        return java.util.Collections.unmodifiableCollection(OPTIONS.values()); // the table is filled once, at class init
    }

    public static List<String> names() {
        return List.copyOf(OPTIONS.keySet());
    }

    /** The option that writes a group, as the command-line writer spells it: {@code -m} for memory. */
    public static Optional<CliOption> forGroup(String group) {
        return OPTIONS.values().stream()
                .filter(o -> group.equals(o.group()) && o.syntax() != Syntax.GROUP_KEY && o.syntax() != Syntax.FIXED && o.syntax() != Syntax.DRIVE
                        && !o.name().equals("-M"))
                .findFirst();
    }
}
