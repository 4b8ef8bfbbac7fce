package dev.machina.config;

import dev.machina.config.OptionGroup.IdRule;
import dev.machina.config.OptionGroup.InFiles;
import dev.machina.config.OptionGroup.Kind;
import dev.machina.config.OptionGroup.Param;
import dev.machina.config.OptionGroup.ParamType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every option group Machina knows: the QemuOpts and keyval groups of qemu-system-x86_64 7.2 (names,
 * implied keys, merge-lists flags and parameter lists from QMP {@code query-command-line-options},
 * {@code transcripts/08}; help output {@code transcripts/07}; §3.6 of the facts), plus Machina's own
 * {@code machina-*} groups for the options QEMU cannot take from a file.
 *
 * <p>{@code IGNORED} groups were checked against QEMU 7.2 (see docs/config.md): a section in a file is
 * parsed and then nothing uses it, because only the command-line option acts on its value at once.
 */
public final class OptionGroups {
    private OptionGroups() {}

    private static final Map<String, OptionGroup> GROUPS = new LinkedHashMap<>();

    /** The groups in the order of this table. */
    public static Collection<OptionGroup> all() {
        return java.util.Collections.unmodifiableCollection(GROUPS.values()); // the table is filled once, at class init
    }

    public static Optional<OptionGroup> find(String name) {
        return Optional.ofNullable(GROUPS.get(name));
    }

    /** Group names, for did-you-mean. */
    public static List<String> names() {
        return List.copyOf(GROUPS.keySet());
    }

    // -- the table ------------------------------------------------------------------------------

    private static final class G {
        final String name;
        Kind kind = Kind.QEMU_OPTS;
        InFiles inFiles = InFiles.APPLIED;
        boolean merge;
        String implied;
        final Map<String, Param> params = new LinkedHashMap<>();
        boolean anyKey;
        IdRule id = IdRule.OPTIONAL;
        final List<String> options = new ArrayList<>();
        String description = "";

        G(String name) {
            this.name = name;
        }

        G kind(Kind k) { kind = k; return this; }
        G ignoredInFiles() { inFiles = InFiles.IGNORED; return this; }
        G merge() { merge = true; id = IdRule.NONE; return this; }
        G implied(String k) { implied = k; return this; }
        G any() { anyKey = true; return this; }
        G id(IdRule r) { id = r; return this; }
        G options(String... o) { options.addAll(List.of(o)); return this; }
        G about(String d) { description = d; return this; }

        G str(String... names) { return add(ParamType.STRING, names); }
        G bool(String... names) { return add(ParamType.BOOL, names); }
        G num(String... names) { return add(ParamType.NUMBER, names); }
        G size(String... names) { return add(ParamType.SIZE, names); }

        G oneOf(String key, String... values) {
            params.put(key, new Param(ParamType.STRING, List.of(values)));
            return this;
        }

        private G add(ParamType t, String... names) {
            for (String n : names) {
                params.put(n, new Param(t, List.of()));
            }
            return this;
        }

        void register() {
            if (kind == Kind.MACHINA) {
                inFiles = InFiles.UNKNOWN_TO_QEMU;
            }
            GROUPS.put(name, new OptionGroup(name, kind, inFiles, merge, Optional.ofNullable(implied), params, anyKey, id,
                    options, description));
        }
    }

    private static G group(String name) {
        return new G(name);
    }

    private static final String[] THROTTLING = {
        "throttling.iops-total", "throttling.iops-read", "throttling.iops-write", "throttling.bps-total",
        "throttling.bps-read", "throttling.bps-write", "throttling.iops-total-max", "throttling.iops-read-max",
        "throttling.iops-write-max", "throttling.bps-total-max", "throttling.bps-read-max", "throttling.bps-write-max",
        "throttling.iops-total-max-length", "throttling.iops-read-max-length", "throttling.iops-write-max-length",
        "throttling.bps-total-max-length", "throttling.bps-read-max-length", "throttling.bps-write-max-length",
        "throttling.iops-size"};

    private static final String[] FSDEV_STR = {"fsdriver", "path", "security_model", "writeout", "multidevs", "socket"};

    static {
        // -- keyval groups (merged into the machine, or QAPI objects) --
        group("machine").kind(Kind.KEYVAL).merge().implied("type").any().options("-machine", "-M", "-kernel", "-initrd",
                "-append", "-dtb", "-bios")
                .str("type", "accel").about("machine type and machine properties; keys are checked against the machine type").register();
        group("smp-opts").kind(Kind.KEYVAL).merge().implied("cpus").options("-smp")
                .num("cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus")
                .about("CPU topology (the machine's 'smp' property)").register();
        group("boot-opts").kind(Kind.KEYVAL).merge().implied("order").options("-boot")
                .str("order", "once").bool("menu").str("splash").num("splash-time", "reboot-timeout").bool("strict")
                .about("boot order and menu (the machine's 'boot' property)").register();
        group("object").kind(Kind.KEYVAL).implied("qom-type").any().id(IdRule.REQUIRED).options("-object")
                .str("qom-type").about("a user-creatable object; keys are the object type's properties").register();

        // -- QemuOpts groups --
        group("device").implied("driver").any().options("-device")
                .str("driver", "bus").about("a device; keys are the device type's properties").register();
        group("drive").options("-drive")
                .str("file", "if", "media", "format", "aio", "discard", "detect-zeroes", "rerror", "werror", "driver", "node-name")
                .num("bus", "unit", "index").bool("snapshot", "read-only", "copy-on-read", "force-share", "auto-read-only",
                        "cache.writeback", "cache.direct", "cache.no-flush", "stats-account-invalid", "stats-account-failed")
                .num(THROTTLING).str("throttling.group")
                // options of the raw and file drivers that -drive passes on (block/raw-format.c, block/file-posix.c)
                .size("offset", "size").oneOf("locking", "auto", "on", "off").num("aio-max-batch")
                // cache= is read by drive_new itself (checked with QEMU 7.2: 'invalid cache option' for others)
                .oneOf("cache", "none", "writeback", "writethrough", "directsync", "unsafe")
                // the qcow2 driver's runtime options, which -drive passes on (block/qcow2.c; checked with QEMU 7.2)
                .bool("lazy-refcounts", "pass-discard-request", "pass-discard-snapshot", "pass-discard-other")
                .str("overlap-check").size("cache-size", "l2-cache-size", "l2-cache-entry-size", "refcount-cache-size")
                .num("cache-clean-interval")
                // legacy spellings -drive renames (blockdev.c drive_new: readonly → read-only, iops → throttling.iops-total, ...)
                .bool("readonly").num("iops", "iops_rd", "iops_wr", "iops_max", "iops_rd_max", "iops_wr_max", "iops_size",
                        "bps", "bps_rd", "bps_wr", "bps_max", "bps_rd_max", "bps_wr_max").str("group")
                .about("a block device backend; options of other block drivers go in dotted keys (file.*, backing.*)").register();
        group("chardev").implied("backend").id(IdRule.REQUIRED).options("-chardev")
                .oneOf("backend", "stdio", "ringbuf", "mux", "pipe", "qemu-vdagent", "null", "msmouse", "socket", "vc", "parallel",
                        "udp", "memory", "file", "serial", "wctablet", "pty", "testdev", "parport", "tty", "spicevmc",
                        "spiceport", "braille", "dbus")
                .str("path", "host", "port", "fd", "localaddr", "localport").num("to").bool("ipv4", "ipv6", "wait", "server",
                        "delay", "nodelay").num("reconnect").bool("telnet", "tn3270").str("tls-creds", "tls-authz")
                .bool("websocket").num("width", "height", "cols", "rows").bool("mux", "signal").str("name").num("debug")
                .size("size").str("chardev").bool("append").str("logfile").bool("logappend", "mouse", "clipboard", "tight",
                        "abstract")
                .about("a character device backend").register();
        String[] netdevTypes = {"socket", "stream", "dgram", "hubport", "tap", "user", "l2tpv3", "vde", "bridge", "vhost-user",
            "vhost-vdpa"};
        group("netdev").implied("type").any().id(IdRule.REQUIRED).options("-netdev").oneOf("type", netdevTypes)
                .about("a network backend; keys beyond type and id depend on the type and are not checked").register();
        group("nic").implied("type").any().options("-nic").oneOf("type", concat(netdevTypes, "none"))
                .about("a NIC with its backend in one option").register();
        group("net").implied("type").any().options("-net").oneOf("type", concat(netdevTypes, "nic", "none"))
                .about("legacy network option").register();
        group("rtc").merge().options("-rtc").str("base").oneOf("clock", "host", "rt", "vm").oneOf("driftfix", "none", "slew")
                .about("real-time clock base and clock").register();
        group("global").options("-global").str("driver", "property", "value")
                .about("a default for a property of every object of a type").register();
        group("mon").implied("chardev").options("-mon").str("chardev").oneOf("mode", "readline", "control").bool("pretty")
                .about("a monitor on a character device").register();
        group("accel").implied("accel").any().options("-accel")
                .oneOf("accel", "tcg", "kvm", "xen", "hax", "hvf", "nvmm", "whpx", "qtest")
                .about("an accelerator and its properties").register();
        group("memory").merge().implied("size").options("-m").size("size").num("slots").size("maxmem")
                .about("RAM size; a size without a suffix means MiB").register();
        group("add-fd").options("-add-fd").num("fd", "set").str("opaque").about("a file descriptor for an fd set").register();
        group("tpmdev").implied("type").any().id(IdRule.REQUIRED).options("-tpmdev").oneOf("type", "passthrough", "emulator")
                .about("a TPM backend").register();
        group("name").merge().implied("guest").options("-name").str("guest", "process").bool("debug-threads")
                .about("the guest's name").register();
        group("numa").implied("type").any().options("-numa").oneOf("type", "node", "dist", "cpu", "hmat-lb", "hmat-cache")
                .about("NUMA nodes and distances").register();
        group("icount").merge().implied("shift").options("-icount").str("shift").bool("align", "sleep").str("rr", "rrfile",
                "rrsnapshot").about("instruction counting").register();
        group("fw_cfg").implied("name").options("-fw_cfg").str("name", "file", "string", "gen_id")
                .about("a file in the firmware configuration device").register();
        group("action").merge().options("-action", "-no-reboot", "-no-shutdown")
                .oneOf("reboot", "reset", "shutdown").oneOf("shutdown", "poweroff", "pause")
                .oneOf("panic", "pause", "shutdown", "exit-failure", "none")
                .oneOf("watchdog", "reset", "shutdown", "poweroff", "pause", "debug", "none", "inject-nmi")
                .about("what the VM does on reboot, shutdown, panic and watchdog expiry").register();
        group("vnc").implied("vnc").id(IdRule.REQUIRED).options("-vnc").str("vnc", "websocket", "tls-creds", "share", "display").num("head",
                "connections", "to").bool("ipv4", "ipv6", "password").str("password-secret").bool("reverse", "lock-key-sync")
                .num("key-delay-ms").bool("sasl").str("tls-authz", "sasl-authz").bool("lossy", "non-adaptive", "power-control")
                .str("audiodev").about("a VNC server").register();
        group("spice").merge().options("-spice").num("port", "tls-port").str("addr").bool("ipv4", "ipv6", "unix")
                .str("password", "password-secret").bool("disable-ticketing", "disable-copy-paste", "disable-agent-file-xfer",
                        "sasl").str("x509-dir", "x509-key-file", "x509-key-password", "x509-cert-file", "x509-cacert-file",
                        "x509-dh-key-file", "tls-ciphers", "tls-channel", "plaintext-channel", "image-compression",
                        "jpeg-wan-compression", "zlib-glz-wan-compression", "streaming-video")
                .bool("agent-mouse", "playback-compression", "seamless-migration", "gl").str("rendernode", "display").num("head")
                .about("a SPICE server (a loadable module in QEMU)").register();
        group("sandbox").implied("enable").options("-sandbox").bool("enable").str("obsolete", "elevateprivileges", "spawn",
                "resourcecontrol").about("seccomp sandbox").register();
        group("fsdev").implied("fsdriver").id(IdRule.REQUIRED).options("-fsdev").str(FSDEV_STR).bool("readonly")
                .num("sock_fd", "fmode", "dmode").num(THROTTLING).about("a 9p file system backend").register();
        group("iscsi").options("-iscsi").str("user", "password", "password-secret", "header-digest", "initiator-name")
                .num("timeout").about("iSCSI initiator settings").register();
        // read by QEMU 7.2 from a file, but ignored there (only the command-line option acts)
        group("acpi").ignoredInFiles().implied("data").any().about("QEMU ignores it in files; see machina-acpitable").register();
        group("option-rom").ignoredInFiles().implied("romfile").str("romfile").num("bootindex")
                .about("QEMU ignores it in files; see machina-option-rom").register();
        group("plugin").ignoredInFiles().implied("file").any().about("QEMU ignores it in files; see machina-plugin").register();
        group("trace").ignoredInFiles().implied("enable").str("enable", "events", "file")
                .about("QEMU ignores it in files; see machina-trace").register();
        group("virtfs").ignoredInFiles().implied("fsdriver").str(FSDEV_STR).str("mount_tag").bool("readonly")
                .num("sock_fd", "fmode", "dmode").about("QEMU ignores it in files; see machina-virtfs").register();
        group("smbios").ignoredInFiles().any().about("QEMU ignores it in files; see machina-smbios").register();
        group("msg").ignoredInFiles().bool("timestamp", "guest-name").about("QEMU ignores it in files; see machina-msg").register();
        group("overcommit").ignoredInFiles().bool("mem-lock", "cpu-pm")
                .about("QEMU ignores it in files; see machina-overcommit").register();

        // -- Machina's groups: options with no config-file form in QEMU 7.2 --
        group("machina-cpu").kind(Kind.MACHINA).merge().implied("model").any().options("-cpu").str("model")
                .about("CPU model and features: -cpu MODEL,feat=on,+feat,-feat (+f is f=on, -f is f=off)").register();
        group("machina-display").kind(Kind.MACHINA).merge().implied("type").any().options("-display")
                .oneOf("type", "none", "gtk", "sdl", "egl-headless", "curses", "spice-app", "dbus", "vnc", "cocoa", "default")
                .about("the display backend and its options").register();
        group("machina-nographic").kind(Kind.MACHINA).merge().options("-nographic")
                .about("no display; serial port and monitor on stdio").register();
        group("machina-nodefaults").kind(Kind.MACHINA).merge().options("-nodefaults")
                .about("create none of the machine's default devices").register();
        group("machina-S").kind(Kind.MACHINA).merge().options("-S").about("do not start the CPUs").register();
        group("machina-preconfig").kind(Kind.MACHINA).merge().options("-preconfig")
                .about("start the monitors before the machine is built; x-exit-preconfig builds it").register();
        group("machina-no-user-config").kind(Kind.MACHINA).merge().options("-no-user-config")
                .about("read no default config files (Machina never does)").register();
        group("machina-debugcon").kind(Kind.MACHINA).id(IdRule.NONE).implied("dev").str("dev").options("-debugcon")
                .about("a debug console (isa-debugcon at port 0xe9) on a character device, in -serial syntax").register();
        group("machina-serial").kind(Kind.MACHINA).id(IdRule.NONE).implied("dev").str("dev").options("-serial")
                .about("the next serial port's character device, in -serial syntax; one section per port").register();
        group("machina-monitor").kind(Kind.MACHINA).id(IdRule.NONE).implied("dev").str("dev").options("-monitor")
                .about("a human monitor on a character device, in -monitor syntax").register();
        group("machina-qmp").kind(Kind.MACHINA).id(IdRule.NONE).implied("dev").str("dev").options("-qmp")
                .about("a QMP monitor on a character device, in -qmp syntax").register();
        group("machina-d").kind(Kind.MACHINA).merge().implied("items").str("items").options("-d")
                .about("log items, comma-separated").register();
        group("machina-D").kind(Kind.MACHINA).merge().implied("file").str("file").options("-D")
                .about("log file").register();
        group("machina-acpitable").kind(Kind.MACHINA).id(IdRule.NONE).implied("data").any().options("-acpitable")
                .about("an ACPI table to add").register();
        group("machina-option-rom").kind(Kind.MACHINA).id(IdRule.NONE).implied("romfile").str("romfile").num("bootindex")
                .options("-option-rom").about("an option ROM to load").register();
        group("machina-plugin").kind(Kind.MACHINA).id(IdRule.NONE).implied("file").any().str("file").options("-plugin")
                .about("a TCG plugin and its arguments").register();
        group("machina-trace").kind(Kind.MACHINA).id(IdRule.NONE).implied("enable").str("enable", "events", "file")
                .options("-trace").about("trace events to enable").register();
        group("machina-virtfs").kind(Kind.MACHINA).implied("fsdriver").str(FSDEV_STR).str("mount_tag").bool("readonly")
                .num("sock_fd", "fmode", "dmode").options("-virtfs").about("a 9p file system backend and its device").register();
        group("machina-smbios").kind(Kind.MACHINA).id(IdRule.NONE).any().options("-smbios")
                .about("an SMBIOS table or field").register();
        group("machina-blockdev").kind(Kind.MACHINA).id(IdRule.NONE).any().options("-blockdev")
                .about("a block node graph (keyval or JSON); QEMU 7.2 has no [blockdev] group").register();
        group("machina-audiodev").kind(Kind.MACHINA).implied("driver").any().id(IdRule.REQUIRED).options("-audiodev")
                .about("an audio backend; QEMU reads [audiodev] only from 8.2 on").register();
        group("machina-vga").kind(Kind.MACHINA).merge().implied("type").str("type").options("-vga")
                .about("the VGA card type (-vga std, -vga none, ...)").register();
        group("machina-msg").kind(Kind.MACHINA).merge().bool("timestamp", "guest-name").options("-msg")
                .about("message format").register();
        group("machina-overcommit").kind(Kind.MACHINA).merge().bool("mem-lock", "cpu-pm").options("-overcommit")
                .about("memory locking and CPU power management").register();

        // the rest of QEMU 7.2's -help: options with no config-file form there
        group("machina-compat").kind(Kind.MACHINA).merge().options("-compat")
                .oneOf("deprecated-input", "accept", "reject", "crash").oneOf("deprecated-output", "accept", "hide")
                .oneOf("unstable-input", "accept", "reject", "crash").oneOf("unstable-output", "accept", "hide")
                .about("what QMP does with deprecated and unstable interfaces (QAPI CompatPolicy, qapi/compat.json)").register();
        group("machina-audio").kind(Kind.MACHINA).id(IdRule.NONE).implied("driver").any().str("driver", "model")
                .options("-audio").about("an audio backend and the sound device that uses it").register();
        verbatim("machina-uuid", "uuid", true, "-uuid", "the machine's UUID (SMBIOS, fw_cfg), 8-4-4-4-12 hex digits");
        verbatim("machina-usbdevice", "name", false, "-usbdevice", "a USB device by its legacy name (tablet, mouse, ...); "
                + "QEMU also turns the machine's usb on");
        verbatim("machina-incoming", "uri", true, "-incoming", "wait for an incoming migration (tcp:, unix:, fd:, exec:, defer)");
        verbatim("machina-pidfile", "file", true, "-pidfile", "write the process id to a file");
        verbatim("machina-k", "layout", true, "-k", "keyboard layout for VNC (fr, de, en-us, ...)");
        verbatim("machina-L", "dir", false, "-L", "a directory to search for firmware and keymaps; one section per -L");
        verbatim("machina-parallel", "dev", false, "-parallel", "the next parallel port's character device, in -parallel syntax");
        verbatim("machina-debugcon", "dev", false, "-debugcon", "a debug console on a character device, in -debugcon syntax");
        verbatim("machina-qmp-pretty", "dev", false, "-qmp-pretty", "a QMP monitor with pretty-printed JSON, in -qmp syntax");
        group("machina-gdb").kind(Kind.MACHINA).merge().implied("dev").str("dev").options("-gdb", "-s")
                .about("a gdb server on a character device (-s is tcp::1234)").register();
        verbatim("machina-dfilter", "ranges", true, "-dfilter", "address ranges that filter -d output");
        verbatim("machina-seed", "seed", true, "-seed", "seed of the pseudo-random number generator");
        verbatim("machina-loadvm", "tag", true, "-loadvm", "start from a saved snapshot");
        verbatim("machina-mem-path", "path", true, "-mem-path", "guest RAM backed by a file");
        verbatim("machina-rotate", "degrees", true, "-rotate", "rotate the display (PXA LCD only)");
        verbatim("machina-echr", "char", true, "-echr", "escape character of mux character devices");
        verbatim("machina-chroot", "dir", true, "-chroot", "chroot to a directory before starting the VM");
        verbatim("machina-runas", "user", true, "-runas", "change to a user before starting the VM");
        verbatim("machina-xen-domid", "domid", true, "-xen-domid", "Xen guest domain id");
        verbatim("machina-dump-vmstate", "file", true, "-dump-vmstate", "write the migration state description and exit");
        flag("machina-snapshot", "-snapshot", "write to temporary files instead of the disk images");
        flag("machina-mem-prealloc", "-mem-prealloc", "preallocate guest RAM");
        flag("machina-daemonize", "-daemonize", "go to the background once started");
        flag("machina-no-fd-bootchk", "-no-fd-bootchk", "no boot signature check of floppy disks");
        flag("machina-win2k-hack", "-win2k-hack", "the Windows 2000 installer's disk-full work-around");
        flag("machina-singlestep", "-singlestep", "one guest instruction per translation block");
        flag("machina-full-screen", "-full-screen", "start in full screen");
        flag("machina-portrait", "-portrait", "rotate the display 90 degrees (PXA LCD only)");
        flag("machina-only-migratable", "-only-migratable", "allow only migratable devices");
        flag("machina-xen-attach", "-xen-attach", "attach to an existing Xen domain");
        flag("machina-xen-domid-restrict", "-xen-domid-restrict", "restrict Xen operations to the guest's domain");
        flag("machina-async-teardown", "-async-teardown", "tear guest memory down in the background");
        flag("machina-enable-sync-profile", "-enable-sync-profile", "profile synchronisation primitives");
    }

    /** A Machina group holding an option's whole argument as one key; {@code once}: a later option replaces it. */
    private static void verbatim(String name, String key, boolean once, String option, String about) {
        G g = group(name).kind(Kind.MACHINA).implied(key).str(key).options(option).about(about);
        (once ? g.merge() : g.id(IdRule.NONE)).register();
    }

    private static void flag(String name, String option, String about) {
        group(name).kind(Kind.MACHINA).merge().options(option).about(about).register();
    }

    private static String[] concat(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
