package dev.machina.config;

import dev.machina.config.OptionGroup.IdRule;
import dev.machina.config.OptionGroup.InFiles;
import dev.machina.config.OptionGroup.Param;
import dev.machina.qom.BadValue;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.QomError;
import dev.machina.qom.ValueParsers;
import dev.machina.util.Suggest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a configuration's meaning: known groups, the keys each group takes and their values, ids,
 * device and object properties against the type registry, machine properties against the machine
 * type, {@code -global}s. Used the same way for every source (command line, cfg, YAML, JSON, HOCON).
 *
 * <p>In {@link ReadMode#QEMU} what QEMU 7.2 accepts silently is a warning instead of an error (a
 * {@code [global]} without a value when no device matches, a group QEMU reads from files but ignores,
 * a {@code -global} property no created device has).
 */
public final class ConfigValidator {
    private final ConfigEnv env;
    private final ReadMode mode;

    public ConfigValidator(ConfigEnv env, ReadMode mode) {
        this.env = env;
        this.mode = mode;
    }

    /** Groups QEMU has an option for but no config-file group, with where Machina puts them. */
    private static final Map<String, String> NO_QEMU_GROUP = Map.of(
            "cpu", "QEMU 7.2 has no [cpu] group; Machina writes -cpu as [machina-cpu]",
            "display", "QEMU 7.2 has no [display] group; Machina writes -display as [machina-display]",
            "serial", "QEMU 7.2 has no [serial] group; Machina writes -serial as [machina-serial]",
            "monitor", "QEMU 7.2 has no [monitor] group; Machina writes -monitor as [machina-monitor]",
            "audiodev", "QEMU reads [audiodev] only from 8.2 on",
            "blockdev", "QEMU 7.2 has no [blockdev] group; use [drive]",
            "semihosting-config", "-semihosting-config is not supported for x86");

    /** Keys QEMU takes off -machine before the rest become machine properties (qemu_apply_legacy_machine_options). */
    private static final Set<String> MACHINE_LEGACY = Set.of("type", "accel", "kernel-irqchip", "kvm-shadow-mem", "igd-passthru");

    /** Prefixes of -drive keys QEMU passes on to the block drivers (the protocol, backing file, encryption, ...). */
    private static final Set<String> DRIVE_NESTED = Set.of("file", "backing", "encrypt", "data-file", "throttling", "cache", "driver");

    public List<ConfigError> validate(VmConfig config) {
        Diagnostics d = new Diagnostics();
        Map<String, Map<String, Origin>> ids = new HashMap<>();
        List<Section> machines = new ArrayList<>();
        for (Section s : config.sections()) {
            Optional<OptionGroup> og = OptionGroups.find(s.group());
            if (og.isEmpty()) {
                String note = NO_QEMU_GROUP.getOrDefault(s.group(), "");
                d.add(new ConfigError.UnknownGroup(s.origin(), s.group(),
                        note.isEmpty() ? Suggest.closest(s.group(), OptionGroups.names(), 3) : List.of(), note));
                continue;
            }
            OptionGroup g = og.get();
            if (g.inFiles() == InFiles.IGNORED && s.origin() instanceof Origin.InFile) {
                String machina = "machina-" + (g.name().equals("acpi") ? "acpitable" : g.name());
                String text = "QEMU 7.2 reads [" + g.name() + "] sections from a file but ignores them (only the command-line option acts)";
                if (mode == ReadMode.QEMU) {
                    d.warn(s.origin(), text + "; this one has no effect");
                } else {
                    d.add(new ConfigError.Syntax(s.origin(), text, "write [" + machina + "] for Machina to apply it"));
                }
            }
            ids(d, ids, g, s);
            duplicates(d, s);
            if (qapi(d, s)) {
                continue;
            }
            switch (g.name()) {
                case "device" -> device(d, s);
                case "object" -> object(d, s);
                case "global" -> global(d, s, config);
                case "machine" -> machines.add(s);
                case "machina-audiodev" -> {
                    audio(d, s);
                    keys(d, g, s);
                }
                default -> keys(d, g, s);
            }
            required(d, g, s);
        }
        machine(d, machines);
        references(d, config);
        driveInterfaces(d, config);
        numa(d, config);
        smallChecks(d, config);
        return d.all();
    }

    /** The machine's QOM type (e.g. pc-i440fx-7.2-machine, microvm-machine), or its name when the catalog does not know it. */
    private String machineType(VmConfig config) {
        String name = env.machines().defaultName();
        for (Section s : config.sections()) {
            if (s.group().equals("machine")) {
                for (Entry e : s.entries()) {
                    if (dashify(e.key()).equals("type")) {
                        name = e.value();
                    }
                }
            }
        }
        return env.machines().qomType(name).orElse(name);
    }

    /** The last value of a [machine] key, as dashed. */
    private static Optional<String> machineKey(VmConfig config, String key) {
        Optional<String> v = Optional.empty();
        for (Section s : config.sections()) {
            if (s.group().equals("machine")) {
                for (Entry e : s.entries()) {
                    if (dashify(e.key()).equals(key)) {
                        v = Optional.of(e.value());
                    }
                }
            }
        }
        return v;
    }

    /**
     * What a -drive's interface needs from the machine (QEMU 7.2, drive_new and drive_check_orphaned in blockdev.c, each
     * case run with qemu-system-x86_64 7.2): no x86 machine type takes if=sd, mtd, scsi or xen; microvm takes no if=ide,
     * floppy or pflash either, and a drive without if= is if=none there (pc, q35 and isapc default to ide); pc and isapc
     * have 2 IDE buses of 2 units, q35 6 AHCI ports of 1 unit; the floppy controller has units 0 and 1: else "machine type
     * does not support if=ide,bus=2,unit=1", with the bus and unit drive_new gives it (index → bus and unit; else the
     * first free unit). if=virtio makes a virtio-blk-pci, which isapc and microvm (unless pcie=on) have no bus for:
     * "No 'PCI' bus found for device 'virtio-blk-pci'".
     */
    private void driveInterfaces(Diagnostics d, VmConfig config) {
        String machine = machineType(config);
        boolean microvm = machine.startsWith("microvm");
        boolean isapc = machine.startsWith("isapc");
        boolean q35 = machine.startsWith("pc-q35") || machine.equals("q35");
        boolean pci = !isapc && (!microvm || machineKey(config, "pcie").filter(v -> List.of("on", "yes", "true").contains(v)).isPresent());
        Map<String, java.util.Set<String>> taken = new HashMap<>();
        for (Section s : config.sections()) {
            if (!s.group().equals("drive")) {
                continue;
            }
            String type = s.get("if").orElse(microvm ? "none" : "ide");
            int perBus = switch (type) {
                case "ide" -> q35 ? 1 : 2;
                case "scsi" -> 7;
                default -> 0;
            };
            int bus;
            int unit;
            try {
                Optional<String> index = s.get("index");
                if (index.isPresent()) {
                    int i = Integer.parseInt(index.get());
                    bus = perBus == 0 ? 0 : i / perBus;
                    unit = perBus == 0 ? i : i % perBus;
                } else {
                    bus = Integer.parseInt(s.get("bus").orElse("0"));
                    unit = s.get("unit").isPresent() ? Integer.parseInt(s.get("unit").get()) : -1;
                }
            } catch (NumberFormatException e) {
                continue; // the key's own check says so
            }
            java.util.Set<String> used = taken.computeIfAbsent(type, k -> new java.util.HashSet<>());
            if (unit < 0) {
                unit = 0;
                while (used.contains(bus + ":" + unit)) {
                    unit++;
                }
            }
            used.add(bus + ":" + unit);
            Origin at = s.entry("if").map(e -> origin(s, e)).orElse(s.origin());
            String unsupported = "machine type does not support if=" + type + ",bus=" + bus + ",unit=" + unit;
            String attach = "give the drive if=none,id=ID and attach it with a -device";
            if (List.of("sd", "mtd", "scsi", "xen").contains(type)) {
                d.add(new ConfigError.Syntax(at, unsupported + " (no x86 machine type of QEMU 7.2 has one)", attach));
            } else if (microvm && List.of("ide", "floppy", "pflash").contains(type)) {
                d.add(new ConfigError.Syntax(at, unsupported + " (QEMU 7.2's microvm has no " + type + " controller)", attach));
            } else if (isapc && type.equals("pflash")) {
                // pc_system_firmware_init maps -pflash only on PCI pc machines; isapc leaves the drive unclaimed (drive_check_orphaned)
                d.add(new ConfigError.Syntax(at, unsupported + " (QEMU 7.2's isapc maps no flash)", "use -bios FILE on isapc, or -M pc"));
            } else if (type.equals("ide") && (bus >= (q35 ? 6 : 2) || unit >= perBus)) {
                d.add(new ConfigError.Syntax(at, unsupported + " (QEMU 7.2's " + (q35 ? "q35 has 6 AHCI ports of 1 unit" : "pc and isapc have 2 IDE buses of 2 units") + ")",
                        "give an index below " + (q35 ? 6 : 4)));
            } else if (type.equals("floppy") && (bus > 0 || unit > 1)) {
                d.add(new ConfigError.Syntax(at, unsupported + " (the floppy controller has units 0 and 1)", "give index=0 or index=1"));
            } else if ((type.equals("ide") || type.equals("virtio")) && !s.get("media").filter("cdrom"::equals).isPresent()
                    && s.get("file").filter(f -> !f.isEmpty()).isEmpty() && s.get("format").isEmpty() && (pci || !type.equals("virtio"))) {
                // QEMU 7.2 makes an ide-hd or virtio-blk for it, which refuses a drive with no medium (-hda '', -drive if=ide)
                d.add(new ConfigError.Syntax(s.origin(), "Device needs media, but drive is empty (QEMU 7.2's words: a disk of if=" + type + " needs a file)",
                        "give file=IMAGE, or media=cdrom for an empty CD drive"));
            } else if (type.equals("virtio") && !pci) {
                d.add(new ConfigError.Syntax(at, "No 'PCI' bus found for device 'virtio-blk-pci' (QEMU 7.2's words: " + (isapc ? "isapc" : "microvm without pcie=on")
                        + " has no PCI bus)", isapc ? "use if=ide, or a machine with PCI (pc, q35)" : "give -machine microvm,pcie=on, or attach the drive to a virtio-blk-device"));
            }
        }
    }

    /** QEMU 7.2's sound card names for -audio model= (-audio none,model=help), and the ones on a PCI bus. */
    private static final List<String> SOUND_CARDS = List.of("ac97", "adlib", "cs4231a", "es1370", "gus", "hda", "sb16");
    private static final Set<String> PCI_SOUND_CARDS = Set.of("ac97", "es1370", "hda");
    /** tcg-accel's properties in QEMU 7.2 (accel/tcg/tcg-all.c; one-insn-per-tb came in 8.1), with -accel's own key. */
    /** -vga's names in QEMU 7.2 (softmmu/vl.c vga_interfaces; xenfb, tcx and cg3 are not in this build's -vga help). */
    private static final List<String> VGA_TYPES = List.of("none", "std", "cirrus", "vmware", "qxl", "xenfb", "tcx", "cg3", "virtio");
    private static final Set<String> TCG_ACCEL = Set.of("accel", "thread", "tb-size", "split-wx", "tier"); // tier: Machina's own (RunCommand.tier)

    /**
     * Checks QEMU 7.2 makes at start that the differential sweep (/work/coord/cfg11-tools/sweep.sh) found Machina did
     * not, each run on qemu-system-x86_64 7.2: -cpu '' ("-cpu option cannot be empty"), -add-fd without a non-negative
     * fd ("fd option is required and must be non-negative"), -audio model= not a sound card ("Unknown sound card name
     * `pcspk'") or a PCI one on a machine without PCI ("PCI bus not available for ac97"), -accel tcg with a key tcg-accel
     * does not have ("Property 'tcg-accel.nosuchkey' not found").
     */
    private void smallChecks(Diagnostics d, VmConfig config) {
        String machine = machineType(config);
        boolean pci = !machine.startsWith("isapc") && (!machine.startsWith("microvm")
                || machineKey(config, "pcie").filter(v -> List.of("on", "yes", "true").contains(v)).isPresent());
        for (Section s : config.sections()) {
            switch (s.group()) {
                case "machina-cpu" -> {
                    s.entry("model").filter(e -> e.value().isEmpty()).ifPresent(e -> d.add(new ConfigError.Syntax(origin(s, e),
                            "-cpu option cannot be empty (QEMU 7.2's words)", "name a CPU model, e.g. -cpu qemu64 ('-cpu help' lists them)")));
                    cpuFeatures(d, s);
                }
                case "machine" -> {
                    // an empty name is no file on any host: QEMU 7.2 fails to open it at start
                    s.entry("kernel").filter(e -> e.value().isEmpty()).ifPresent(e -> d.add(new ConfigError.Syntax(origin(s, e),
                            "could not open kernel file '': No such file or directory (QEMU 7.2's words)", "name the kernel: -kernel FILE")));
                    s.entry("firmware").filter(e -> e.value().isEmpty()).ifPresent(e -> d.add(new ConfigError.Syntax(origin(s, e),
                            "could not load PC BIOS '' (QEMU 7.2's words)", "name the firmware (-bios bios-256k.bin), or leave -bios out")));
                }
                case "machina-chroot", "machina-runas", "machina-D", "machina-pidfile", "machina-dump-vmstate", "machina-mem-path" -> {
                    // an empty name is no directory, user or file on any host; QEMU 7.2 fails on it at start
                    Optional<Entry> empty = s.entries().stream().filter(e -> e.value().isEmpty()).findFirst();
                    empty.ifPresent(e -> d.add(new ConfigError.Syntax(origin(s, e), switch (s.group()) {
                        case "machina-chroot" -> "chroot failed (QEMU 7.2's words: '' is no directory)";
                        case "machina-runas" -> "User \"\" doesn't exist (and is not <uid>:<gid>) (QEMU 7.2's words)";
                        case "machina-D" -> "Error opening logfile : No such file or directory (QEMU 7.2's words)";
                        case "machina-pidfile" -> "cannot create PID file: Could not create '': No such file or directory (QEMU 7.2's words)";
                        case "machina-dump-vmstate" -> "open : No such file or directory (QEMU 7.2's words)";
                        default -> "can't open backing store  for guest RAM: No such file or directory (QEMU 7.2's words)";
                    }, "give a name: " + s.group().replace("machina-", "-") + " NAME")));
                }
                case "drive" -> {
                    if (s.get("if").filter("pflash"::equals).isPresent() && s.get("file").filter(f -> !f.isEmpty()).isEmpty()) {
                        long before = config.sections().stream().takeWhile(x -> x != s)
                                .filter(x -> x.group().equals("drive") && x.get("if").filter("pflash"::equals).isPresent()).count();
                        d.add(new ConfigError.Syntax(s.origin(), "can't get size of block device pflash" + before
                                + ": No medium found (QEMU 7.2's words: a flash drive needs its image)", "give file=IMAGE"));
                    }
                }
                case "machina-xen-domid", "machina-xen-attach", "machina-xen-domid-restrict" -> d.add(new ConfigError.Syntax(s.origin(),
                        "Option not supported for this target (QEMU 7.2's words: qemu-system-x86_64 7.2 as Debian builds it has no Xen accelerator, and Machina has none)",
                        "remove " + s.group().replace("machina-", "-")));
                case "machina-smbios" -> smbiosKeys(d, s);
                case "add-fd" -> {
                    Optional<Entry> fd = s.entry("fd");
                    boolean bad = fd.isEmpty(); // a negative fd is the number check's to refuse
                    if (bad) {
                        d.add(new ConfigError.Syntax(s.origin(),
                                "fd option is required and must be non-negative (QEMU 7.2's words)", "give fd=N of a descriptor open in QEMU, e.g. -add-fd fd=3,set=1"));
                    }
                }
                case "machina-audio" -> s.entry("model").ifPresent(e -> {
                    if (!SOUND_CARDS.contains(e.value())) {
                        d.add(new ConfigError.Syntax(origin(s, e), "Unknown sound card name `" + e.value() + "' (QEMU 7.2's words)",
                                "one of " + String.join(", ", SOUND_CARDS)));
                    } else if (PCI_SOUND_CARDS.contains(e.value()) && !pci) {
                        d.add(new ConfigError.Syntax(origin(s, e), "PCI bus not available for " + e.value() + " (QEMU 7.2's words: this machine has no PCI bus)",
                                "use an ISA card (sb16, adlib, gus, cs4231a) or a machine with PCI"));
                    }
                });
                case "device" -> s.entry("driver").filter(e -> !pci && env.registry().find(e.value()).filter(t -> t.isA("pci-device")).isPresent())
                        .ifPresent(e -> d.add(new ConfigError.Syntax(origin(s, e), "No 'PCI' bus found for device '" + e.value()
                                + "' (QEMU 7.2's words: this machine has no PCI bus)", "use a machine with PCI (pc, q35), or microvm with pcie=on")));
                case "machina-virtfs" -> {
                    if (s.get("fsdriver").isEmpty() || s.get("mount_tag").isEmpty()) {
                        d.add(new ConfigError.Syntax(s.origin(), "Usage: -virtfs fsdriver,mount_tag=tag (QEMU 7.2's words)",
                                "e.g. -virtfs local,path=DIR,mount_tag=TAG,security_model=none"));
                    } else if (!pci) {
                        d.add(new ConfigError.Syntax(s.origin(), "No 'PCI' bus found for device 'virtio-9p-pci' (QEMU 7.2's words: this machine has no PCI bus)",
                                "use a machine with PCI (pc, q35), or microvm with pcie=on"));
                    }
                }
                case "machina-vga" -> s.entry("type").filter(e -> !VGA_TYPES.contains(e.value()) && !e.value().equals("help"))
                        .ifPresent(e -> d.add(new ConfigError.Syntax(origin(s, e), "unknown vga type: " + e.value() + " (QEMU 7.2's words)",
                                "one of " + String.join(", ", VGA_TYPES) + " ('-vga help' lists the ones this build has)")));

                case "machina-acpitable" -> {
                    // acpi_table_add visits an AcpiTableOptions (qapi/acpi.json of 7.2; each key probed)
                    List<String> keys = List.of("sig", "rev", "oem_id", "oem_table_id", "oem_rev", "asl_compiler_id", "asl_compiler_rev", "file", "data");
                    Optional<Entry> unknown = s.entries().stream().filter(e -> !keys.contains(e.key())).findFirst();
                    if (unknown.isPresent()) {
                        d.add(new ConfigError.Syntax(origin(s, unknown.get()), "Invalid parameter '" + unknown.get().key() + "' (QEMU 7.2's words)",
                                "-acpitable takes " + String.join(", ", keys)));
                    } else if (s.get("data").isPresent() == s.get("file").isPresent()) {
                        d.add(new ConfigError.Syntax(s.origin(), "'-acpitable' requires one of 'data' or 'file' (QEMU 7.2's words)", "give file=TABLE or data=FILE"));
                    }
                }
                case "fw_cfg" -> {
                    long sources = java.util.stream.Stream.of("file", "string", "gen_id").filter(k -> s.get(k).isPresent()).count();
                    if (s.get("name").isEmpty() || sources != 1) {
                        d.add(new ConfigError.Syntax(s.origin(), "name, plus exactly one of file, string and gen_id, are needed (QEMU 7.2's words)",
                                "e.g. -fw_cfg name=opt/x,string=TEXT"));
                    }
                }
                case "machina-serial", "machina-parallel", "machina-monitor", "machina-qmp", "machina-qmp-pretty", "machina-debugcon", "machina-gdb" -> s.entry("dev").ifPresent(e -> {
                    String v = e.value();
                    if (v.isEmpty()) {
                        d.add(new ConfigError.Syntax(origin(s, e), "'' is not a valid char driver (QEMU 7.2's words)",
                                "name a character device, e.g. stdio, null, file:PATH, or none"));
                        return;
                    }
                    // "none": serial_parse, parallel_parse and gdbserver_start take it as it is, -monitor anything it starts with
                    // (vl.c: strncmp(optarg, "none", 4)); -qmp and -debugcon give it to the chardev parser, which refuses it
                    boolean none = switch (s.group()) {
                        case "machina-serial", "machina-parallel", "machina-gdb" -> v.equals("none");
                        case "machina-monitor" -> v.startsWith("none");
                        default -> false;
                    };
                    if (!none) {
                        WholeValues.charSpec(v).ifPresent(b -> d.add(new ConfigError.Syntax(origin(s, e), b.text(), b.fix())));
                    }
                });
                case "machina-usbdevice" -> s.entry("name").ifPresent(e -> {
                    Optional<WholeValues.Bad> bad = WholeValues.usbDevice(e.value());
                    if (bad.isPresent()) {
                        d.add(new ConfigError.Syntax(origin(s, e), bad.get().text(), bad.get().fix()));
                    } else if (machine.startsWith("isapc")) {
                        d.add(new ConfigError.Syntax(origin(s, e), "no usb bus to attach usbdevice " + e.value()
                                + ", please try -machine usb=on and check that the machine model supports USB (QEMU 7.2's words: isapc has no USB)",
                                "use a machine with USB (pc, q35)"));
                    }
                });
                case "machina-seed" -> s.entry("seed").flatMap(e -> WholeValues.seed(e.value()).map(b -> new ConfigError.Syntax(origin(s, e),
                        b.text(), b.fix()))).ifPresent(d::add);
                case "machina-d" -> {
                    Optional<String> file = config.sections().stream().filter(x -> x.group().equals("machina-D")).map(x -> x.get("file"))
                            .flatMap(Optional::stream).reduce((a, b) -> b);
                    s.entry("items").flatMap(e -> WholeValues.logItems(e.value(), file).map(b -> new ConfigError.Syntax(origin(s, e),
                            b.text(), b.fix()))).ifPresent(d::add);
                }
                case "machina-dfilter" -> s.entry("ranges").flatMap(e -> WholeValues.dfilter(e.value()).map(b -> new ConfigError.Syntax(origin(s, e),
                        b.text(), b.fix()))).ifPresent(d::add);
                case "machina-incoming" -> s.entry("uri").flatMap(e -> WholeValues.incoming(e.value()).map(b -> new ConfigError.Syntax(origin(s, e),
                        b.text(), b.fix()))).ifPresent(d::add);
                case "machina-option-rom" -> {
                    if (s.get("romfile").isEmpty()) {
                        d.add(new ConfigError.Syntax(s.origin(), "Option ROM file is not specified (QEMU 7.2's words)", "e.g. -option-rom FILE,bootindex=N"));
                    }
                }
                case "tpmdev" -> {
                    // tpm.c's per-backend QemuOpts descriptors (each key probed with qemu-system-x86_64 7.2)
                    List<String> keys = switch (s.get("type").orElse("")) {
                        case "passthrough" -> List.of("type", "path", "cancel-path");
                        case "emulator" -> List.of("type", "chardev");
                        default -> null;
                    };
                    if (keys != null) {
                        s.entries().stream().filter(e -> !keys.contains(e.key()) && !e.key().equals("id")).findFirst().ifPresent(e -> d.add(
                                new ConfigError.Syntax(origin(s, e), "Invalid parameter '" + e.key() + "' (QEMU 7.2's words)",
                                        "-tpmdev " + s.get("type").get() + " takes " + String.join(", ", keys) + " and id")));
                    }
                }
                case "net", "nic" -> {
                    if (s.group().equals("net") && s.get("type").isEmpty()) {
                        d.add(new ConfigError.Syntax(s.origin(), "Parameter 'type' is missing (QEMU 7.2's words)", "e.g. -net nic or -net user"));
                    }
                    s.entry("model").filter(e -> machine.startsWith("isapc") && env.registry().find(e.value()).filter(t -> t.isA("pci-device")).isPresent())
                            .ifPresent(e -> d.add(new ConfigError.Syntax(origin(s, e), "No primary PCI bus (QEMU 7.2's words: isapc has no PCI bus for model "
                                    + e.value() + ")", "use model=ne2k_isa on isapc")));
                }
                case "accel" -> {
                    if (s.get("accel").filter("tcg"::equals).isPresent()) {
                        for (Entry e : s.entries()) {
                            if (!TCG_ACCEL.contains(dashify(e.key())) && !e.key().equals("id")) {
                                d.add(new ConfigError.Syntax(origin(s, e), "Property 'tcg-accel." + e.key() + "' not found (QEMU 7.2's words)",
                                        "tcg takes " + String.join(", ", new java.util.TreeSet<>(TCG_ACCEL))));
                            }
                        }
                    }
                }
                default -> { }
            }
        }
    }

    /**
     * -cpu MODEL,FEATURE...: QEMU 7.2 makes each feature a global of the model's type (x86_cpu_parse_featurestr; '_' in a name
     * is '-', tsc-freq is tsc-frequency) and refuses one the type lacks when the CPU is made: "can't apply global
     * qemu64-x86_64-cpu.nosuchkey=1: Property 'qemu64-x86_64-cpu.nosuchkey' not found". The type's properties are the
     * registry's (recorded from QEMU 7.2). A model the registry does not know is left to the model check.
     */
    private void cpuFeatures(Diagnostics d, Section s) {
        Optional<String> model = s.get("model").filter(m -> !m.isEmpty());
        Optional<ObjectType> type = model.flatMap(m -> env.registry().find(m + "-x86_64-cpu"));
        if (type.isEmpty()) {
            return;
        }
        for (Entry e : s.entries()) {
            String k = e.key();
            if (k.equals("model") || k.equals("tsc-freq") || type.get().property(k).isPresent()
                    || type.get().property(k.replace('_', '-')).isPresent()) {
                continue;
            }
            List<String> names = type.get().properties().stream().map(dev.machina.qom.PropertySpec::name).toList();
            List<String> close = Suggest.closest(k, names, 3);
            d.add(new ConfigError.Syntax(origin(s, e), "Property '" + type.get().name() + "." + k + "' not found (QEMU 7.2's words)",
                    close.isEmpty() ? "'-cpu " + model.get() + ",help' lists the features" : "did you mean " + String.join(", ", close) + "?"));
        }
    }

    /**
     * -smbios as QEMU 7.2's smbios_entry_add checks it (hw/smbios/smbios.c; each key probed with qemu-system-x86_64 7.2):
     * file= alone, or type= with that type's keys; other keys are "Invalid parameter 'nosuchkey'", other types "Don't know how
     * to build fields for SMBIOS type 5".
     */
    private static final Map<String, List<String>> SMBIOS_KEYS = Map.of(
            "0", List.of("vendor", "version", "date", "release", "uefi"),
            "1", List.of("manufacturer", "product", "version", "serial", "uuid", "sku", "family"),
            "2", List.of("manufacturer", "product", "version", "serial", "asset", "location"),
            "3", List.of("manufacturer", "version", "serial", "asset", "sku"),
            "4", List.of("sock_pfx", "manufacturer", "version", "serial", "asset", "part", "max-speed", "current-speed", "processor-id"),
            "8", List.of("internal_reference", "external_reference", "connector_type", "port_type"),
            "11", List.of("value", "path"),
            "17", List.of("loc_pfx", "bank", "manufacturer", "serial", "asset", "part", "speed"),
            "41", List.of("designation", "kind", "instance", "pcidev"));

    private static void smbiosKeys(Diagnostics d, Section s) {
        if (s.get("type").isEmpty() && s.get("file").isEmpty()) {
            d.add(new ConfigError.Syntax(s.origin(), "Must specify type= or file= (QEMU 7.2's words)", "e.g. -smbios type=1,manufacturer=M"));
            return;
        }
        List<String> keys;
        if (s.get("file").isPresent()) {
            keys = List.of("file");
        } else {
            String t = s.get("type").get();
            keys = SMBIOS_KEYS.get(t);
            if (keys == null) {
                d.add(new ConfigError.Syntax(s.origin(), "Don't know how to build fields for SMBIOS type " + t + " (QEMU 7.2's words)",
                        "QEMU 7.2 builds types " + String.join(", ", new java.util.TreeSet<>(SMBIOS_KEYS.keySet()).stream()
                                .sorted(java.util.Comparator.comparingInt(Integer::parseInt)).toList())));
                return;
            }
            keys = new ArrayList<>(keys);
            keys.add("type");
        }
        for (Entry e : s.entries()) {
            if (!keys.contains(e.key())) {
                d.add(new ConfigError.Syntax(origin(s, e), "Invalid parameter '" + e.key() + "' (QEMU 7.2's words)",
                        (s.get("file").isPresent() ? "-smbios file= takes no other keys" : "SMBIOS type " + s.get("type").get() + " takes "
                                + String.join(", ", keys))));
                return;
            }
        }
    }

    /**
     * -numa node as QEMU 7.2 checks it (hw/core/numa.c parse_numa_node and numa_complete_configuration, each case run with
     * qemu-system-x86_64 7.2): a node without nodeid takes the count of nodes so far; nodeid below 128 ("Max number of NUMA
     * nodes reached: 200"), not twice ("Duplicate NUMA nodeid: 1"); mem= only on pc-i440fx and pc-q35 up to 5.0
     * ("Parameter -numa node,mem is not supported by this machine type"), never mixed with memdev=; then every id up to
     * the highest present ("numa: Node ID missing: 0") and the nodes' memory (mem=, the memdev's size) adding up to -m
     * ("total memory for NUMA nodes (0x0) should equal RAM size (0x8000000)").
     */
    private void numa(Diagnostics d, VmConfig config) {
        List<Section> nodes = config.sections().stream()
                .filter(s -> s.group().equals("numa") && s.get("type").orElse("node").equals("node")).toList();
        if (nodes.isEmpty()) {
            return;
        }
        Map<String, Long> backends = new HashMap<>();
        for (Section s : config.sections()) {
            if (s.group().equals("object") && s.get("qom-type").filter(t -> t.startsWith("memory-backend-")).isPresent()) {
                Optional<String> id = s.effectiveId();
                Optional<String> size = s.get("size");
                if (id.isPresent() && size.isPresent()) {
                    try {
                        backends.put(id.get(), ValueParsers.parseSize(size.get()));
                    } catch (BadValue e) {
                        backends.put(id.get(), -1L); // the object's own check says so
                    }
                }
            }
        }
        String machine = machineType(config);
        java.util.regex.Matcher v = java.util.regex.Pattern.compile("pc-(?:i440fx-|q35-)?(\\d+)\\.(\\d+)").matcher(machine);
        boolean memSupported = v.lookingAt() && Integer.parseInt(v.group(1)) * 100 + Integer.parseInt(v.group(2)) <= 500;
        java.util.Set<Integer> present = new java.util.HashSet<>();
        boolean haveMem = false;
        boolean haveMemdev = false;
        long total = 0;
        boolean known = true;
        String remedy = "give each node a memory backend: -object memory-backend-ram,id=m0,size=SIZE -numa node,memdev=m0";
        for (Section s : nodes) {
            int id;
            try {
                id = s.get("nodeid").map(Integer::parseInt).orElse(present.size());
            } catch (NumberFormatException e) {
                return; // the key's own check says so
            }
            if (id >= 128) {
                d.add(new ConfigError.Syntax(s.origin(), "Max number of NUMA nodes reached: " + id + " (QEMU 7.2's words: nodeid goes up to 127)", "give a nodeid below 128"));
                return;
            }
            if (!present.add(id)) {
                d.add(new ConfigError.Syntax(s.origin(), "Duplicate NUMA nodeid: " + id + " (QEMU 7.2's words: a node without nodeid takes the count of nodes before it)",
                        "give each node its own nodeid"));
                return;
            }
            Optional<String> mem = s.get("mem");
            Optional<String> memdev = s.get("memdev");
            if (mem.isPresent() && !memSupported) {
                d.add(new ConfigError.Syntax(s.origin(), "Parameter -numa node,mem is not supported by this machine type (QEMU 7.2: only pc-i440fx and pc-q35 up to 5.0 take it)",
                        "Use -numa node,memdev instead"));
                return;
            }
            haveMem |= mem.isPresent();
            haveMemdev |= memdev.isPresent();
            if ((mem.isPresent() && haveMemdev) || (memdev.isPresent() && haveMem)) {
                d.add(new ConfigError.Syntax(s.origin(), "numa configuration should use either mem= or memdev=,mixing both is not allowed (QEMU 7.2's words)",
                        "give every node memdev="));
                return;
            }
            if (memdev.isPresent()) {
                Long size = backends.get(memdev.get());
                if (size == null) {
                    d.add(new ConfigError.Syntax(s.origin(), "memdev=" + memdev.get() + " is ambiguous (QEMU 7.2's words: there is no memory backend of that id)",
                            "define it with -object memory-backend-ram,id=" + memdev.get() + ",size=SIZE"));
                    return;
                }
                known &= size >= 0;
                total += Math.max(size, 0);
            } else if (mem.isPresent()) {
                try {
                    String m = mem.get().strip();
                    total += ValueParsers.parseSize(m.matches("\\d+") ? m + "M" : m);
                } catch (BadValue e) {
                    return;
                }
            }
        }
        for (int i = present.stream().max(Integer::compare).orElse(0); i >= 0; i--) { // QEMU looks from the highest id down
            if (!present.contains(i)) {
                d.add(new ConfigError.Syntax(nodes.get(0).origin(), "numa: Node ID missing: " + i + " (QEMU 7.2's words, the highest gap: node ids run from 0 without one)",
                        "add -numa node,nodeid=" + i));
                return;
            }
        }
        long ram = 128L << 20;
        Origin at = nodes.get(0).origin();
        for (Section s : config.sections()) {
            if (s.group().equals("memory") && s.get("size").isPresent()) {
                String m = s.get("size").get().strip();
                try {
                    ram = ValueParsers.parseSize(m.matches("\\d+") ? m + "M" : m);
                } catch (BadValue e) {
                    return;
                }
            }
        }
        if (known && total != ram) {
            d.add(new ConfigError.Syntax(at, "total memory for NUMA nodes (0x" + Long.toHexString(total) + ") should equal RAM size (0x" + Long.toHexString(ram)
                    + ") (QEMU 7.2's words)", total == 0 ? remedy : "make the nodes' memory add up to -m, or -m to the nodes' memory"));
        }
    }

    /**
     * QEMU 7.2's qemu_validate_options (softmmu/vl.c): without a kernel, "-append only allowed with -kernel option"
     * (even -append ""), else "-initrd only allowed with -kernel option"; the same from [machine] keys in a file.
     */
    private static void kernelArguments(Diagnostics d, List<Section> sections) {
        Map<String, Entry> last = new HashMap<>();
        for (Section s : sections) {
            for (Entry e : s.entries()) {
                last.put(dashify(e.key()), e);
            }
        }
        if (last.containsKey("kernel")) {
            return;
        }
        for (String key : List.of("append", "initrd")) {
            Entry e = last.get(key);
            if (e != null) {
                d.add(new ConfigError.Syntax(e.origin(), "-" + key + " is only allowed with -kernel (QEMU 7.2: \"-" + key
                        + " only allowed with -kernel option\")", "give the kernel with -kernel FILE, or remove -" + key));
                return;
            }
        }
    }

    // -- references ------------------------------------------------------------------------------

    /**
     * A device's backend named by id must exist: QEMU 7.2 creates chardevs, netdevs, drives and objects before any
     * -device, whatever their order, and refuses a -device naming one that is not there ("Property
     * 'serial.chardev' can't find value 'c9'", "Property 'ide-hd.drive' can't find value 'd9'", "Device 'io9' not
     * found" for an iothread; the same for [mon] chardev: "chardev \"c9\" not found"). Names QEMU makes itself
     * (serial0, compat_monitor0, a -drive without id) are not checked.
     */
    private void references(Diagnostics d, VmConfig config) {
        java.util.Set<String> chardevs = new java.util.HashSet<>();
        java.util.Set<String> netdevs = new java.util.HashSet<>();
        java.util.Set<String> drives = new java.util.HashSet<>();
        java.util.Set<String> iothreads = new java.util.HashSet<>();
        java.util.Set<String> memdevs = new java.util.HashSet<>();
        boolean unnamedDrive = false;
        for (Section s : config.sections()) {
            Optional<String> id = s.effectiveId();
            switch (s.group()) {
                case "chardev" -> id.ifPresent(chardevs::add);
                case "netdev", "nic", "net" -> id.ifPresent(netdevs::add);
                case "drive" -> {
                    id.ifPresent(drives::add);
                    unnamedDrive |= id.isEmpty();
                }
                case "machina-blockdev" -> s.entries().stream().filter(e -> e.key().equals("node-name") || e.key().endsWith(".node-name"))
                        .forEach(e -> drives.add(e.value()));
                case "object" -> s.get("qom-type").ifPresent(t -> id.ifPresent(i -> {
                    if (t.equals("iothread")) {
                        iothreads.add(i);
                    } else if (t.startsWith("memory-backend-")) {
                        memdevs.add(i);
                    }
                }));
                default -> { }
            }
        }
        for (Section s : config.sections()) {
            if (s.group().equals("mon")) {
                s.entry("chardev").filter(e -> !chardevs.contains(e.value()) && !implicitChardev(e.value()))
                        .ifPresent(e -> d.add(new ConfigError.Syntax(origin(s, e), "chardev \"" + e.value() + "\" not found (QEMU 7.2 refuses it)",
                                "define it with -chardev BACKEND,id=" + e.value() + " or [chardev \"" + e.value() + "\"]")));
            }
            if (!s.group().equals("device")) {
                continue;
            }
            for (Entry e : s.entries()) {
                String v = e.value();
                String what = switch (e.key()) {
                    case "chardev" -> chardevs.contains(v) || implicitChardev(v) ? null : "chardev";
                    case "netdev" -> netdevs.contains(v) ? null : "netdev";
                    case "drive" -> drives.contains(v) || unnamedDrive ? null : "drive";
                    case "iothread" -> iothreads.contains(v) ? null : "iothread";
                    case "memdev" -> memdevs.contains(v) ? null : "memdev";
                    default -> null;
                };
                if (what == null || v.isEmpty()) {
                    continue;
                }
                String define = switch (what) {
                    case "chardev" -> "-chardev BACKEND,id=" + v;
                    case "netdev" -> "-netdev TYPE,id=" + v;
                    case "drive" -> "-drive if=none,id=" + v + ",file=... or -blockdev ...,node-name=" + v;
                    case "iothread" -> "-object iothread,id=" + v;
                    default -> "-object memory-backend-ram,id=" + v + ",size=...";
                };
                d.add(new ConfigError.Syntax(origin(s, e), what + " '" + v + "' is not defined (QEMU 7.2 refuses the device)",
                        "define it with " + define));
            }
        }
    }

    /** The chardevs QEMU names itself: -serial, -parallel, -monitor, -qmp, -debugcon and -nographic's. */
    private static boolean implicitChardev(String id) {
        return id.matches("(serial|parallel|compat_monitor|virtcon|sclp|debugcon)\\d*");
    }

    // -- QAPI ----------------------------------------------------------------------------------

    /**
     * What QEMU 7.2's audio_define checks after the visit (audio/audio.c audio_validate_per_direction_opts,
     * capture stream first, then playback): mixing-engine defaults to on and fixed-settings to
     * mixing-engine; frequency, channels and format need fixed settings, fixed settings need the mixer.
     */
    private static void audio(Diagnostics d, Section s) {
        for (String dir : List.of("in", "out")) {
            Optional<Boolean> mix = bool(s, dir + ".mixing-engine");
            Optional<Boolean> fixed = bool(s, dir + ".fixed-settings");
            boolean mixing = mix.orElse(true);
            boolean fixedSettings = fixed.orElse(mixing);
            Optional<Entry> setting = s.entries().stream().filter(e -> e.key().matches(java.util.regex.Pattern.quote(dir)
                    + "\\.(frequency|channels|format)")).findFirst();
            if (!fixedSettings && setting.isPresent()) {
                d.add(new ConfigError.Syntax(origin(s, setting.get()), "You can't use frequency, channels or format with fixed-settings=off",
                        "remove " + setting.get().key() + " or set " + dir + ".fixed-settings=on"));
                return;
            }
            if (!mixing && fixedSettings) {
                Entry at = s.entries().stream().filter(e -> e.key().equals(dir + ".fixed-settings")).findFirst().orElse(null);
                d.add(new ConfigError.Syntax(at == null ? s.origin() : origin(s, at), "You can't use fixed-settings without mixeng",
                        "set " + dir + ".fixed-settings=off, or " + dir + ".mixing-engine=on"));
                return;
            }
        }
    }

    private static Origin origin(Section s, Entry e) {
        return e.origin() == Origin.NONE ? s.origin() : e.origin();
    }

    /** A QAPI bool as the keyval visitor reads it (qapi_bool_parse); empty when absent or not a bool (the visit said so). */
    private static Optional<Boolean> bool(Section s, String key) {
        return s.get(key).flatMap(v -> switch (v) {
            case "on", "yes", "true", "y" -> Optional.of(true);
            case "off", "no", "false", "n" -> Optional.of(false);
            default -> Optional.empty();
        });
    }

    /**
     * {@code -blockdev}, {@code -netdev} and {@code -object} as QEMU 7.2 reads them (QapiCheck): true
     * when QEMU would refuse the section (the error is added, and nothing more is said about it). A
     * JSON argument was checked, typed, when it was parsed. An object type QEMU 7.2 does not have but
     * Machina declares (a later release's) is left to the type registry.
     */
    private boolean qapi(Diagnostics d, Section s) {
        Optional<QapiCheck.Root> root = QapiCheck.root(s.group());
        if (root.isEmpty() || s.origin() instanceof Origin.Argument a && a.value().startsWith("{")) {
            return false;
        }
        QapiCheck q = QapiCheck.packaged();
        Optional<String> type = s.get(root.get() == QapiCheck.Root.OBJECT ? "qom-type" : "type");
        if (root.get() == QapiCheck.Root.OBJECT && type.isPresent() && !q.knows(root.get(), type.get())
                && env.registry().find(type.get()).isPresent()) {
            return false;
        }
        boolean commandLine = s.origin() instanceof Origin.Argument;
        List<Entry> entries = s.entries();
        Optional<String> id = s.effectiveId();
        if (s.group().equals("machina-display") && (s.get("vnc").isPresent() || s.get("type").filter(t -> t.startsWith("vnc")).isPresent())) {
            return false; // parse_display: -display vnc=DISPLAY is vnc_parse's, not a DisplayOptions
        }
        if (s.group().equals("machina-audio")) {
            // vl.c's -audio: 'model' is required and taken off, the id defaults to audiodev0, the rest is an Audiodev
            if (s.get("model").isEmpty()) {
                d.add(new ConfigError.Syntax(s.origin(), "Parameter 'model' is missing (QEMU 7.2's words)",
                        "name the sound card: -audio DRIVER,model=MODEL (-audio model=help lists them)"));
                return true;
            }
            entries = entries.stream().filter(e -> !e.key().equals("model")).toList();
            id = Optional.of(id.orElse("audiodev0"));
        }
        if (s.group().equals("nic")) {
            // net_param_nic (net/net.c): type=none ends it; model and mac are the NIC's, the rest is a Netdev (type user by default)
            if (s.get("type").filter("none"::equals).isPresent()) {
                return false;
            }
            List<Entry> netdev = new ArrayList<>(entries.stream().filter(e -> !e.key().equals("model") && !e.key().equals("mac")).toList());
            if (s.get("type").isEmpty()) {
                netdev.add(0, new Entry("type", "user", Origin.NONE, dev.machina.config.Layout.CANONICAL));
            }
            entries = netdev;
            id = Optional.of(id.orElse("nic0"));
        }
        if (s.group().equals("net")) {
            if (s.get("type").isEmpty() || s.get("type").filter("hubport"::equals).isPresent()) {
                return false; // "Parameter 'type' is missing" and hubport (only with -netdev/-nic) are said elsewhere
            }
            id = Optional.of(id.orElse("net0")); // -net's id is optional; the Netdev visit asks for one
        }
        QapiCheck.Reader reader = switch (root.get()) {
            case BLOCKDEV, AUDIODEV, DISPLAY -> QapiCheck.Reader.KEYVAL; // audio_parse_option, -audio, parse_display_qapi: qobject_input_visitor_new_str
            case NETDEV -> QapiCheck.Reader.OPTS; // -netdev and [netdev] are QemuOpts (net_client_init's opts visitor)
            case NUMA -> QapiCheck.Reader.OPTS; // -numa and [numa]: parse_numa's opts visitor
            case OBJECT -> commandLine ? QapiCheck.Reader.OPTS : QapiCheck.Reader.KEYVAL; // vl.c object_option_parse, qemu_record_config_group
        };
        if (root.get() == QapiCheck.Root.NETDEV) {
            // net_client_init turns ipv6-net=PREFIX/LEN into ipv6-prefix and ipv6-prefixlen before the visit
            entries = entries.stream().filter(e -> !e.key().equals("ipv6-net")).toList();
        }
        Optional<QapiCheck.Refusal> refused = q.check(root.get(), QapiCheck.tree(entries, id), reader);
        if (refused.isEmpty()) {
            return false;
        }
        String key = refused.get().key();
        Origin where = key.isEmpty() ? s.origin() : s.entries().stream().filter(e -> e.key().equals(key) || e.key().startsWith(key + "."))
                .map(Entry::origin).findFirst().orElse(s.origin());
        d.add(new ConfigError.Syntax(where, refused.get().message(), refused.get().fix()));
        return true;
    }

    // -- ids, duplicates, required keys ----------------------------------------------------------

    private void ids(Diagnostics d, Map<String, Map<String, Origin>> seen, OptionGroup g, Section s) {
        Optional<String> id = s.effectiveId();
        if (id.isEmpty()) {
            // an -audiodev's id is the QAPI visit's to ask for, in QEMU's words ("Parameter 'id' is missing")
            if (g.idRule() == IdRule.REQUIRED && QapiCheck.root(g.name()).filter(r -> r == QapiCheck.Root.AUDIODEV).isEmpty()) {
                d.add(new ConfigError.MissingKey(s.origin(), s.label(), "id", g.name().equals("vnc")
                        ? "QEMU 7.2 aborts on a [vnc] without one (vnc_init_func: Assertion `id' failed; -vnc on the command"
                                + " line is given \"default\"): write [vnc \"default\"]"
                        : "every " + g.name() + " needs an id: write [" + g.name() + " \"ID\"]"));
            }
            return;
        }
        if (g.idRule() == IdRule.NONE) {
            d.add(new ConfigError.IdNotAllowed(s.origin(), g.name(), g.mergeLists()
                    ? "all " + g.name() + " options merge into one; remove the id"
                    : "remove the id"));
            return;
        }
        if (!IdRules.wellFormed(id.get())) {
            d.add(new ConfigError.BadId(s.origin(), id.get(), IdRules.RULE));
            return;
        }
        Origin first = seen.computeIfAbsent(g.name(), k -> new HashMap<>()).putIfAbsent(id.get(), s.origin());
        if (first != null) {
            d.add(new ConfigError.DuplicateId(s.origin(), g.name(), id.get(), first));
        }
    }

    /** Whether a file is one QEMU's -readconfig could read (not YAML, JSON or HOCON). */
    private static boolean cfgFile(String file) {
        String f = file.toLowerCase(java.util.Locale.ROOT);
        return !(f.endsWith(".yaml") || f.endsWith(".yml") || f.endsWith(".json") || f.endsWith(".conf") || f.endsWith(".hocon"));
    }

    private void duplicates(Diagnostics d, Section s) {
        Map<String, Entry> seen = new HashMap<>();
        for (Entry e : s.entries()) {
            Entry prior = seen.putIfAbsent(e.key(), e);
            boolean inFile = e.origin() instanceof Origin.InFile;
            if (prior != null && RepeatedKeys.isList(s.group(), e.key()) && (mode == ReadMode.STRICT || !inFile)) {
                if (inFile && cfgFile(((Origin.InFile) e.origin()).file())) {
                    d.warn(e.origin(), "'" + e.key() + "' is repeated in " + s.label() + ": Machina applies every value, as QEMU's "
                            + "command line does; QEMU 7.2's -readconfig keeps only the last");
                }
                continue;
            }
            if (prior != null) {
                if (mode == ReadMode.QEMU) {
                    d.warn(e.origin(), "'" + e.key() + "' is given twice in " + s.label() + "; QEMU keeps the last value");
                } else {
                    d.add(new ConfigError.DuplicateKey(e.origin(), s.label(), e.key(), prior.origin()));
                }
            }
        }
    }

    private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry("device", List.of("driver")), Map.entry("object", List.of("qom-type")),
            Map.entry("global", List.of("driver", "property", "value")), Map.entry("netdev", List.of("type")),
            Map.entry("chardev", List.of("backend")), Map.entry("mon", List.of("chardev")),
            Map.entry("machina-cpu", List.of("model")), Map.entry("machina-serial", List.of("dev")),
            Map.entry("machina-monitor", List.of("dev")), Map.entry("machina-qmp", List.of("dev")),
            Map.entry("machina-d", List.of("items")), Map.entry("machina-D", List.of("file")));

    private void required(Diagnostics d, OptionGroup g, Section s) {
        for (String key : REQUIRED.getOrDefault(g.name(), List.of())) {
            if (s.get(key).isEmpty()) {
                if (g.name().equals("global") && key.equals("value") && mode == ReadMode.QEMU) {
                    continue; // global(): QEMU accepts it until a matching device exists
                }
                d.add(new ConfigError.MissingKey(s.origin(), s.label(), key, ""));
            }
        }
    }

    // -- plain groups ----------------------------------------------------------------------------

    private void keys(Diagnostics d, OptionGroup g, Section s) {
        if (g.isFlag()) {
            for (Entry e : s.entries()) {
                d.add(new ConfigError.Syntax(e.origin(), s.label() + " takes no keys",
                        "the section alone stands for " + String.join(", ", g.options())));
            }
            return;
        }
        for (Entry e : s.entries()) {
            if (e.key().equals("id") && g.idRule() != IdRule.NONE) {
                continue;
            }
            Param p = g.params().get(e.key());
            if (p == null) {
                if (g.anyKey() || g.name().equals("drive") && DRIVE_NESTED.contains(e.key().split("\\.", 2)[0]) && e.key().contains(".")) {
                    continue;
                }
                List<String> keys = new ArrayList<>(g.params().keySet());
                d.add(new ConfigError.UnknownKey(e.origin(), g.name(), e.key(), Suggest.closest(e.key(), keys, 3)));
                continue;
            }
            BadValue bad = QemuValues.check(p.type(), e.value());
            if (bad != null && !(p.type() == OptionGroup.ParamType.SIZE && mode == ReadMode.QEMU && QemuValues.hexWithSuffix(e.value()))) {
                d.add(new ConfigError.BadValue(e.origin(), "[" + g.name() + "] " + e.key() + " (" + p.type().label() + ")", e.value(),
                        bad.getMessage(), bad.expected()));
                continue;
            }
            if (!p.choices().isEmpty() && !p.choices().contains(e.value())) {
                d.add(new ConfigError.BadValue(e.origin(), "[" + g.name() + "] " + e.key(), e.value(), "not a value it takes",
                        "one of " + String.join(", ", p.choices())));
            }
        }
        if (g.name().equals("memory")) {
            s.entry("size").ifPresent(e -> memorySize(d, e));
        }
        if (g.name().equals("machina-uuid")) {
            s.entry("uuid").filter(e -> !UUID.matcher(e.value()).matches()).ifPresent(e -> d.add(new ConfigError.BadValue(e.origin(),
                    "-uuid", e.value(), "failed to parse UUID string: wrong format (QEMU 7.2's words)",
                    "8-4-4-4-12 hex digits, e.g. c7a5fdbd-edaf-9455-926a-d65c16db1809")));
        }
    }

    /** QEMU's qemu_uuid_parse: 36 characters, 16 hex bytes in the 8-4-4-4-12 layout. */
    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** [memory] size and -m: a number without suffix means MiB, so QEMU appends 'M' (parse_memory_options). */
    private void memorySize(Diagnostics d, Entry e) {
        String v = e.value().strip();
        if (v.matches("\\+?0[xX][0-9a-fA-F]+")) {
            String text = "a hex size without a suffix means MiB and becomes '" + v + "M', which QEMU 7.2 accepts with a warning "
                    + "and QEMU 8.0 rejects";
            if (mode == ReadMode.QEMU) {
                d.warn(e.origin(), text);
            } else {
                d.add(new ConfigError.BadValue(e.origin(), "[memory] size", e.value(), text, "a decimal number of MiB or a size with a suffix, e.g. 512 or 512M"));
            }
        }
    }

    // -- devices, objects, globals ---------------------------------------------------------------

    private void device(Diagnostics d, Section s) {
        Optional<Entry> driverEntry = s.entry("driver");
        if (driverEntry.isEmpty()) {
            return; // required() reports it
        }
        String driver = driverEntry.get().value();
        Optional<ObjectType> t = env.registry().find(DeviceAliases.resolve(driver));
        if (t.isEmpty()) {
            List<String> devices = env.registry().all().stream().filter(x -> x.isA("device") && !x.isAbstract()).map(ObjectType::name).toList();
            d.add(new ConfigError.UnknownType(driverEntry.get().origin(), "device type", driver, Suggest.closest(driver, devices, 3),
                    "'machina device list --implements device --concrete' lists the known ones"));
            return;
        }
        if (!t.get().isA("device")) {
            d.add(new ConfigError.WrongType(driverEntry.get().origin(), driver, "is not a device type"));
            return;
        }
        if (t.get().isAbstract()) {
            d.add(new ConfigError.WrongType(driverEntry.get().origin(), driver, "is an abstract type and cannot be created; "
                    + "'machina device list --implements " + driver + " --concrete' lists the ones that can"));
            return;
        }
        Optional<String> absent = env.absentFromRelease(t.get().name());
        if (absent.isPresent()) {
            // QEMU of the presented release: "'virtio-sound-pci' is not a valid device model name"
            d.add(new ConfigError.WrongType(driverEntry.get().origin(), driver, "is not a valid device model name here: " + absent.get()));
            return;
        }
        for (Entry e : s.entries()) {
            if (e.key().equals("driver") || e.key().equals("bus") || e.key().equals("id")) {
                continue;
            }
            property(d, t.get(), e, e.key(), e.value());
        }
    }

    private void property(Diagnostics d, ObjectType t, Entry e, String name, String value) {
        Optional<PropertySpec> p = t.property(name);
        if (p.isEmpty()) {
            d.add(new ConfigError.UnknownProperty(e.origin(), new QomError.UnknownProperty(t.name(), name,
                    Suggest.closest(name, t.propertyNames(), 3))));
            return;
        }
        try {
            p.get().type().parse(value);
        } catch (BadValue b) {
            if (mode == ReadMode.QEMU && p.get().type() instanceof PropertyType.SizeType && QemuValues.hexWithSuffix(value)) {
                d.warn(e.origin(), "Using a multiplier suffix on hex numbers is deprecated: " + value
                        + " (QEMU 7.2 accepts it with this warning; QEMU 8.0 rejects it)");
                return;
            }
            d.add(new ConfigError.BadValue(e.origin(), t.name() + "." + name + " (" + p.get().type().name() + ")", value,
                    b.getMessage(), b.expected()));
        }
    }

    private void object(Diagnostics d, Section s) {
        Optional<Entry> typeEntry = s.entry("qom-type");
        if (typeEntry.isEmpty()) {
            return;
        }
        String type = typeEntry.get().value();
        Optional<ObjectType> t = env.registry().find(type);
        if (t.isEmpty() || t.get().isAbstract()) {
            d.warn(typeEntry.get().origin(), "object type '" + type + "' is not known to Machina" + Suggest.didYouMean(type,
                    env.registry().all().stream().filter(x -> x.isA("user-creatable") && !x.isAbstract()).map(ObjectType::name).toList())
                    + "; its properties are not checked");
            return;
        }
        Map<String, List<Entry>> lists = new LinkedHashMap<>();
        for (Entry e : s.entries()) {
            if (e.key().equals("qom-type") || e.key().equals("id")) {
                continue;
            }
            String top = e.key().split("\\.", 2)[0];
            Optional<PropertySpec> p = t.get().property(top);
            if (p.isPresent() && p.get().type() instanceof PropertyType.ListType lt) {
                if (!e.key().contains(".")) {
                    d.add(new ConfigError.BadValue(e.origin(), type + "." + top + " (" + lt.name() + ")", e.value(),
                            "a list is written with one key per element in a config file (QEMU 7.2: 'Invalid parameter type for '"
                                    + top + "', expected: array')", top + ".0 = \"...\", " + top + ".1 = \"...\""));
                    continue;
                }
                lists.computeIfAbsent(top, k -> new ArrayList<>()).add(e);
                try {
                    lt.element().parse(e.value());
                } catch (BadValue b) {
                    d.add(new ConfigError.BadValue(e.origin(), type + "." + e.key() + " (" + lt.element().name() + ")", e.value(),
                            b.getMessage(), b.expected()));
                }
                continue;
            }
            property(d, t.get(), e, e.key(), e.value());
        }
        for (List<Entry> es : lists.values()) {
            try {
                OptionSyntax.checkTree(es.stream().map(Entry::key).toList());
            } catch (OptionSyntax.KeyvalError k) {
                d.add(new ConfigError.Syntax(es.get(0).origin(), k.getMessage(), "number list elements from 0 without gaps"));
            }
        }
    }

    private void global(Diagnostics d, Section s, VmConfig config) {
        for (Entry e : s.entries()) {
            if (!List.of("driver", "property", "value").contains(e.key())) {
                d.add(new ConfigError.UnknownKey(e.origin(), "global", e.key(), Suggest.closest(e.key(), List.of("driver", "property", "value"), 3)));
            }
        }
        Optional<String> driver = s.get("driver");
        Optional<String> property = s.get("property");
        Optional<String> value = s.get("value");
        if (driver.isEmpty() || property.isEmpty()) {
            return;
        }
        Optional<ObjectType> t = env.registry().find(driver.get());
        boolean matchingDevice = config.sections("device").stream().map(x -> x.get("driver"))
                .anyMatch(x -> x.isPresent() && env.registry().isA(DeviceAliases.resolve(x.get()), driver.get()));
        if (value.isEmpty()) {
            // required() reports it in strict mode; QEMU 7.2 accepts it and aborts once a matching device is created
            if (mode == ReadMode.QEMU) {
                if (matchingDevice) {
                    d.add(new ConfigError.MissingKey(s.origin(), s.label(), "value", "QEMU 7.2 aborts (string_input_visitor_new: "
                            + "Assertion 'str' failed) when it creates the matching " + driver.get()));
                } else {
                    d.warn(s.origin(), s.label() + " has no 'value'; QEMU 7.2 accepts it until a " + driver.get() + " is created, then aborts");
                }
            }
            return;
        }
        Origin where = s.entry("property").map(Entry::origin).orElse(s.origin());
        if (t.isEmpty()) {
            d.warn(s.entry("driver").map(Entry::origin).orElse(s.origin()), "global " + driver.get() + "." + property.get()
                    + " has invalid class name" + Suggest.didYouMean(driver.get(), env.registry().all().stream()
                            .filter(x -> x.isA("device")).map(ObjectType::name).toList())
                    + " (QEMU 7.2 warns and ignores it)");
            return;
        }
        Optional<PropertySpec> p = t.get().property(property.get());
        Diagnostics local = new Diagnostics();
        if (p.isEmpty()) {
            local.add(new ConfigError.UnknownProperty(where, new QomError.UnknownProperty(driver.get(), property.get(),
                    Suggest.closest(property.get(), t.get().propertyNames(), 3))));
        } else {
            try {
                p.get().type().parse(value.get());
            } catch (BadValue b) {
                local.add(new ConfigError.BadValue(s.entry("value").map(Entry::origin).orElse(where),
                        driver.get() + "." + property.get() + " (" + p.get().type().name() + ")", value.get(), b.getMessage(), b.expected()));
            }
        }
        for (ConfigError e : local.all()) {
            if (mode == ReadMode.QEMU && !matchingDevice) {
                d.warn(e.origin(), e.message() + " (QEMU 7.2 reports it only when it creates a " + driver.get() + ")");
            } else {
                d.add(e);
            }
        }
    }

    // -- the machine -----------------------------------------------------------------------------

    private void machine(Diagnostics d, List<Section> sections) {
        kernelArguments(d, sections);
        String name = env.machines().defaultName();
        Origin typeOrigin = Origin.NONE;
        for (Section s : sections) {
            for (Entry e : s.entries()) {
                if (dashify(e.key()).equals("type")) {
                    name = e.value();
                    typeOrigin = e.origin();
                }
            }
        }
        Optional<String> qom = env.machines().qomType(name);
        if (qom.isEmpty() && env.machines().complete()) {
            d.add(new ConfigError.UnknownType(typeOrigin, "machine type", name, Suggest.closest(name, env.machines().names(), 3),
                    "'machina machine list' lists them"));
            return;
        }
        // the machine's QOM type (from the registry, which may load the catalog) only when a key needs it:
        // -machine none with only legacy keys, a probe's, is checked without it
        boolean needed = sections.stream().flatMap(s -> s.entries().stream()).map(e -> dashify(e.key()))
                .anyMatch(k -> !MACHINE_LEGACY.contains(k) && !k.equals("id"));
        ObjectType t = null; // used only for the keys that made it needed
        boolean checked = false;
        if (needed) {
            Optional<ObjectType> type = qom.flatMap(q -> env.registry().find(q));
            checked = type.isPresent();
            if (type.isEmpty() && env.machines().complete()) {
                d.add(new ConfigError.UnknownType(typeOrigin, "machine type", name, Suggest.closest(name, env.machines().names(), 3),
                        "'machina machine list' lists them"));
                return;
            }
            t = type.orElseGet(() -> env.registry().find("machine").orElseThrow());
        }
        for (Section s : sections) {
            List<String> keys = new ArrayList<>();
            for (Entry e : s.entries()) {
                String key = dashify(e.key());
                keys.add(key);
                if (MACHINE_LEGACY.contains(key)) {
                    continue;
                }
                if (key.equals("id")) {
                    d.add(new ConfigError.IdNotAllowed(e.origin(), "machine", "there is one machine; remove the id"));
                    continue;
                }
                String top = key.split("\\.", 2)[0];
                Optional<PropertySpec> p = t.property(top);
                if (p.isEmpty()) {
                    if (checked) {
                        d.add(new ConfigError.UnknownProperty(e.origin(), new QomError.UnknownProperty(t.name(), key,
                                Suggest.closest(key, machineKeys(t), 3))));
                    } else {
                        d.warn(e.origin(), "machine property '" + key + "' is not checked: machine type '" + name
                                + "' is not in Machina's catalog");
                    }
                    continue;
                }
                if (p.get().type() instanceof PropertyType.StructType st) {
                    if (!key.contains(".")) {
                        d.add(new ConfigError.BadValue(e.origin(), "machine property '" + key + "' (" + st.name() + ")", e.value(),
                                "it is a structure", "its members, e.g. " + key + "." + st.fields().keySet().iterator().next() + "=..."));
                        continue;
                    }
                    String member = key.substring(top.length() + 1);
                    PropertyType mt = st.fields().get(member);
                    if (mt == null) {
                        d.add(new ConfigError.UnknownProperty(e.origin(), new QomError.UnknownProperty(t.name() + "." + top, member,
                                Suggest.closest(member, st.fields().keySet(), 3))));
                        continue;
                    }
                    check(d, e, t.name() + "." + key, mt);
                    continue;
                }
                if (key.contains(".")) {
                    d.add(new ConfigError.UnknownProperty(e.origin(), new QomError.UnknownProperty(t.name(), key,
                            Suggest.closest(key, machineKeys(t), 3))));
                    continue;
                }
                check(d, e, t.name() + "." + key, p.get().type());
            }
            try {
                OptionSyntax.checkTree(keys);
            } catch (OptionSyntax.KeyvalError k) {
                d.add(new ConfigError.Syntax(s.origin(), k.getMessage(), "a key is either a value or has members, not both"));
            }
        }
    }

    private static List<String> machineKeys(ObjectType t) {
        List<String> keys = new ArrayList<>(t.propertyNames());
        keys.addAll(MACHINE_LEGACY);
        return keys;
    }

    private static void check(Diagnostics d, Entry e, String what, PropertyType type) {
        try {
            type.parse(e.value());
        } catch (BadValue b) {
            d.add(new ConfigError.BadValue(e.origin(), what + " (" + type.name() + ")", e.value(), b.getMessage(), b.expected()));
        }
    }

    /** keyval_dashify: QEMU turns '_' into '-' in machine option keys. */
    static String dashify(String key) {
        return key.replace('_', '-');
    }
}
