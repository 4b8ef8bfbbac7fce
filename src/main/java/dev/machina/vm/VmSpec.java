package dev.machina.vm;

import dev.machina.config.Entry;
import dev.machina.config.Section;
import dev.machina.config.VmConfig;
import dev.machina.machine.MachineCatalog;
import dev.machina.machine.MachineOption;
import dev.machina.machine.ResolvedMachine;
import dev.machina.qom.BadValue;
import dev.machina.qom.GlobalProperty;
import dev.machina.qom.PropertyType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed, validated view of one VM: a {@link VmConfig} (what the user wrote, in any of its forms)
 * plus the machine type it names, resolved. The only place where {@code -m 512}, {@code -smp 2} and
 * {@code -device isa-serial,id=s0} become numbers, records and ids; {@link VmBuilder} takes it from
 * here. Made by {@link #of} (a configuration) or {@link #machineOnly} (a machine type with nothing
 * added: what {@code machine show} asks about).
 *
 * @param catalog     the machine data the machine type was resolved from
 * @param machine     the machine type, resolved (options, compat sets, default device graph)
 * @param memory      RAM size and where it was set
 * @param smp         the CPU topology
 * @param cpuModel    the {@code -cpu} model, if the user gave one (else the machine's default CPU type)
 * @param cpuFeatures the {@code -cpu} model's features as the config layer ended them (+f/-f as f=on/off), in order
 * @param machineKeys the user's {@code -machine} keys other than {@code type} and {@code accel}, in order
 * @param globals     the user's {@code -global}s, in order
 * @param devices     the user's {@code -device}s, in order ({@code -set} already applied by the config layer)
 * @param objects     the user's {@code -object}s, in order
 * @param defaults    which default devices the user removed ({@code -nodefaults}, ...)
 */
public record VmSpec(MachineCatalog catalog, ResolvedMachine machine, Memory memory, Smp smp, Optional<Setting> cpuModel,
                     List<Setting> cpuFeatures, List<Setting> machineKeys, List<GlobalProperty> globals, List<DeviceSpec> devices,
                     List<ObjectSpec> objects, Defaults defaults) {
    public VmSpec {
        cpuFeatures = List.copyOf(cpuFeatures);
        machineKeys = List.copyOf(machineKeys);
        globals = List.copyOf(globals);
        devices = List.copyOf(devices);
        objects = List.copyOf(objects);
    }

    /** One key the user gave, its text, and where it was written ({@code -device at argument 3}, {@code vm.cfg:4:3}). */
    public record Setting(String key, String value, String where) {}

    /** A {@code -device}: its driver, its id (if any), its other keys in order, and where the option was. */
    public record DeviceSpec(String driver, Optional<String> id, List<Setting> keys, String where) {
        public DeviceSpec {
            keys = List.copyOf(keys);
        }

        /** The last value of a key, if given. */
        public Optional<Setting> key(String name) {
            for (int i = keys.size() - 1; i >= 0; i--) {
                if (keys.get(i).key().equals(name)) {
                    return Optional.of(keys.get(i));
                }
            }
            return Optional.empty();
        }
    }

    /** A {@code -object}: its QOM type, its (required) id, its other keys in order, and where the option was. */
    public record ObjectSpec(String qomType, String id, List<Setting> keys, String where) {
        public ObjectSpec {
            keys = List.copyOf(keys);
        }
    }

    /**
     * The RAM size in bytes; {@code where} is the option that set it, or the machine type's
     * {@code default-ram-size} when there was none.
     */
    public record Memory(long bytes, String where) {}

    /** The CPU topology QEMU's {@code smp_parse} derives; {@code cpus} is the number of CPUs at start. */
    public record Smp(int cpus, int sockets, int dies, int clusters, int cores, int threads, int maxCpus) {
        public static final Smp ONE = new Smp(1, 1, 1, 1, 1, 1, 1);
    }

    /**
     * The default devices the user asked away: {@code -nodefaults} removes all of them (QEMU's
     * {@code default_*} flags); the single options ({@code -vga none}, {@code -net none}, ...) come with
     * the default devices themselves. {@code serialPorts}: the index after the last {@code -serial} port that is
     * not {@code none}; the board realizes those ports (serial_hds_isa_init) before any {@code -device}, and they
     * are not objects of the graph, so an isa-serial's index counter starts there. QEMU's counter counts the ports
     * realized, so after {@code -serial null -serial none -serial file:F} it gives the next isa-serial index 2 and
     * two UARTs at 0x3e8; Machina refuses overlapping ports, so it takes index 3 there (0x2e8), as it did before.
     */
    public record Defaults(boolean nodefaults, int serialPorts) {
        public static final Defaults ALL = new Defaults(false);
        public static final Defaults NONE = new Defaults(true);

        public Defaults(boolean nodefaults) {
            this(nodefaults, 0);
        }
    }

    /** The machine type alone, with its default RAM and one CPU: what {@code machine show} and {@code machine diff} build. */
    public static VmSpec machineOnly(MachineCatalog catalog, String machineName) {
        return machineOnly(catalog, machineName, false);
    }

    /**
     * The machine type alone; with {@code defaultDevices}, as QEMU builds it without -nodefaults: the
     * family's default devices (serial, parallel, VGA, NIC, CD-ROM, floppy and their chardevs) are in its
     * graph, realized where QEMU realizes them.
     */
    public static VmSpec machineOnly(MachineCatalog catalog, String machineName, boolean defaultDevices) {
        ResolvedMachine m = catalog.resolve(machineName);
        if (defaultDevices) {
            m = catalog.withDefaultDevices(m);
        }
        return new VmSpec(catalog, m, defaultMemory(m), Smp.ONE, Optional.empty(), List.of(), List.of(), List.of(), List.of(), List.of(),
                defaultDevices ? Defaults.ALL : Defaults.NONE);
    }

    /**
     * The VM a checked configuration describes. The configuration has been validated by the config
     * layer (groups, keys, property names and value syntax); what is checked here is what only the
     * machine type can say.
     *
     * @throws VmException for a value that cannot be used, naming the option or file position
     * @throws MachineCatalog.UnknownMachineException for a machine type that does not exist
     */
    public static VmSpec of(VmConfig config, MachineCatalog catalog) {
        String machineName = catalog.table().defaultMachine();
        List<Setting> machineKeys = new ArrayList<>();
        List<Setting> cpuFeatures = new ArrayList<>();
        Map<String, Setting> memoryKeys = new LinkedHashMap<>();
        Map<String, Setting> smpKeys = new LinkedHashMap<>();
        Optional<Setting> cpu = Optional.empty();
        List<GlobalProperty> globals = new ArrayList<>();
        List<DeviceSpec> devices = new ArrayList<>();
        List<ObjectSpec> objects = new ArrayList<>();
        boolean nodefaults = false;
        int serialPorts = 0;
        int serialIndex = 0;
        for (Section s : config.sections()) {
            switch (s.group()) {
                case "machine" -> {
                    for (Entry e : s.entries()) {
                        if (e.key().equals("type")) {
                            machineName = e.value();
                        } else if (!e.key().equals("accel")) {
                            machineKeys.add(setting(e, s));
                        }
                    }
                }
                case "memory" -> s.entries().forEach(e -> memoryKeys.put(e.key(), setting(e, s)));
                case "smp-opts" -> s.entries().forEach(e -> smpKeys.put(e.key(), setting(e, s)));
                case "machina-cpu" -> {
                    Optional<Entry> model = s.entry("model");
                    if (model.isPresent()) {
                        cpu = Optional.of(setting(model.get(), s));
                    }
                    cpuFeatures.clear(); // the last -cpu wins, as in QEMU
                    s.entries().stream().filter(e -> !e.key().equals("model")).forEach(e -> cpuFeatures.add(setting(e, s)));
                }
                case "machina-nodefaults" -> nodefaults = true;
                case "machina-serial" -> {
                    serialIndex++;
                    if (s.get("dev").filter(d -> !d.equals("none")).isPresent()) {
                        serialPorts = serialIndex; // the port after the last -serial that is not none
                    }
                }
                case "global" -> {
                    Optional<String> d = s.get("driver");
                    Optional<String> p = s.get("property");
                    Optional<String> v = s.get("value");
                    if (d.isPresent() && p.isPresent() && v.isPresent()) {
                        globals.add(GlobalProperty.user(d.get(), p.get(), v.get(), s.origin().describe()));
                    }
                }
                case "device" -> devices.add(device(s));
                case "object" -> objects.add(object(s));
                default -> { } // chardevs, drives, displays, ...: read by the phases that use them
            }
        }
        ResolvedMachine m = catalog.resolve(machineName);
        Memory memory = memoryKeys.containsKey("size") ? memory(memoryKeys.get("size")) : defaultMemory(m);
        Smp smp = smp(smpKeys);
        checkCpus(smp, smpKeys, m);
        cpu.ifPresent(c -> checkCpuModel(c, catalog, firstAccelerator(config)));
        checkFiles(config);
        checkAudio(config);
        return new VmSpec(catalog, m, memory, smp, cpu, cpuFeatures, machineKeys, globals, devices, objects,
                new Defaults(nodefaults, serialPorts));
    }

    /**
     * Whether QEMU 7.2 would start from this configuration as far as the VM's specification goes (the
     * machine type, -smp within its max-cpus, a known -cpu model, the files it reads exist): what
     * {@code run}, {@code config check} and {@code config write} refuse before anything else.
     *
     * @throws VmException naming the option or file position and what would be right
     */
    public static void check(VmConfig config, MachineCatalog catalog) {
        of(VmConfig.of(dev.machina.config.ConfigMerge.merge(config)), catalog);
    }

    /**
     * The warning QEMU prints when it starts a deprecated machine type (vl.c qemu_init:
     * "Machine type '%s' is deprecated: %s"), as the release Machina presents has it
     * ({@code MACHINA_QEMU_VERSION}): none for a type that release does not deprecate. A type that
     * release no longer has (it would refuse it) gets the same warning and says so.
     */
    public static Optional<String> deprecation(VmConfig config, MachineCatalog catalog) {
        String name = catalog.table().defaultMachine();
        for (Section s : config.sections()) {
            if (s.group().equals("machine")) {
                for (Entry e : s.entries()) {
                    if (e.key().equals("type")) {
                        name = e.value();
                    }
                }
            }
        }
        ResolvedMachine m;
        try {
            m = catalog.resolve(name);
        } catch (RuntimeException e) {
            return Optional.empty(); // an unknown type: VmSpec.of says so
        }
        dev.machina.machine.Declarations.Lifecycle l = m.lifecycle();
        String release = catalog.qemuRelease();
        if (l == null || !l.deprecatedIn(release)) {
            return Optional.empty();
        }
        String text = "Machine type '" + m.name() + "' is deprecated: " + l.deprecated();
        if (!l.existsIn(m.name(), release)) {
            text += " (QEMU " + release + " no longer has it" + (l.removedUpstreamIn() != null ? ": removed in " + l.removedUpstreamIn() : "")
                    + "; MACHINA_QEMU_VERSION=7.2 presents a release that does)";
        }
        return Optional.of(text);
    }

    /** QEMU 7.2's machine_parse_smp_config: more CPUs than the machine type's max-cpus is refused. */
    private static void checkCpus(Smp smp, Map<String, Setting> keys, ResolvedMachine m) {
        ResolvedMachine.Option max = m.option(dev.machina.machine.MachineOption.MAX_CPUS);
        if (max == null || !(max.value() instanceof Number n) || keys.isEmpty()) {
            return;
        }
        long limit = n.longValue();
        if (smp.maxCpus() > limit) {
            Setting at = keys.getOrDefault("maxcpus", keys.getOrDefault("cpus", keys.values().iterator().next()));
            throw new VmException(new VmError.BadOption(at.where(), "machine type '" + m.name() + "' supports at most " + limit
                    + " CPUs, not " + smp.maxCpus()));
        }
    }

    /**
     * The accelerator QEMU 7.2 tries first (softmmu/vl.c configure_accelerators): the first -accel, else
     * the first of -machine accel=A:B, else tcg (what qemu-system-x86_64 picks when both tcg and kvm are built).
     */
    private static String firstAccelerator(VmConfig config) {
        String machine = null;
        for (Section s : config.sections()) {
            if (s.group().equals("accel") && s.get("accel").isPresent()) {
                return s.get("accel").get();
            }
            if (s.group().equals("machine") && machine == null && s.get("accel").isPresent()) {
                machine = s.get("accel").get().split(":", -1)[0];
            }
        }
        return machine == null ? "tcg" : machine;
    }

    /**
     * A -cpu model must be one the type data has ({@code MODEL-x86_64-cpu}), as QEMU's parse_cpu_option requires;
     * {@code host} needs an accelerator that uses the host's CPUID (target/i386/cpu.c x86_cpu_realizefn:
     * host_cpuid_required and !accel_uses_host_cpuid()).
     */
    private static void checkCpuModel(Setting cpu, MachineCatalog catalog, String accel) {
        String model = cpu.value();
        int comma = model.indexOf(',');
        String name = comma < 0 ? model : model.substring(0, comma);
        if (name.isEmpty() || name.equals("help") || name.equals("?")) {
            return;
        }
        if (name.equals("host") && !accel.equals("kvm") && !accel.equals("hvf")) {
            throw new VmException(new VmError.BadOption(cpu.where(), "CPU model 'host' requires KVM or HVF (the accelerator is "
                    + accel.replaceAll("\\p{Cntrl}", "?") + "; -accel kvm uses the host's CPUID)"));
        }
        if (catalog.registry().find(name + "-x86_64-cpu").isEmpty()
                && dev.machina.cpu.x86.CpuModel.listed(catalog.qemuRelease(), name)) {
            // a model of the presented release newer than 7.2 (GraniteRapids in 10.2): -cpu help lists it, but
            // the CPU types Machina builds and runs are QEMU 7.2's builtin_x86_defs
            throw new VmException(new VmError.BadOption(cpu.where(), "CPU model '" + name + "' is QEMU "
                    + dev.machina.cpu.x86.CpuModel.modelsRelease(catalog.qemuRelease()) + "'s (-cpu help lists it), but Machina"
                    + " runs only QEMU 7.2's CPU models; pick one of those (MACHINA_QEMU_VERSION=7.2 machina -cpu help lists them)"));
        }
        // a CPU type the data holds that the presented release's -cpu help does not list (Icelake-Client, removed in
        // QEMU 7.1: QEMU 7.2 says "unable to find CPU model") is as unknown as a name no release had
        if (catalog.registry().find(name + "-x86_64-cpu").isEmpty()
                || !dev.machina.cpu.x86.CpuModel.listed(catalog.qemuRelease(), name)) {
            List<String> models = dev.machina.cpu.x86.CpuModel.listedModels(catalog.qemuRelease());
            String near = dev.machina.util.Suggest.closest(name, models, 3).stream().findFirst().map(x -> "; did you mean '" + x + "'?")
                    .orElse("");
            throw new VmException(new VmError.BadOption(cpu.where(), "unknown CPU model '" + name.replaceAll("\\p{Cntrl}", "?")
                    + "'" + near + " ('-cpu help' lists them)"));
        }
    }

    /**
     * Files the VM would read at start: QEMU 7.2 refuses a missing -kernel, -initrd, -bios or -drive
     * file= before it runs anything, and so does Machina.
     */
    private static void checkFiles(VmConfig config) {
        for (Section s : config.sections()) {
            for (Entry e : s.entries()) {
                String what = switch (s.group() + "." + e.key()) {
                    case "machine.kernel" -> "-kernel";
                    case "machine.initrd" -> "-initrd";
                    case "machine.firmware" -> "-bios";
                    case "drive.file" -> "-drive file=";
                    default -> null;
                };
                if (what == null || e.value().isEmpty()) {
                    continue;
                }
                if (what.equals("-bios") && !e.value().contains("/")) {
                    continue; // a firmware name is looked up in the data directories (bios-256k.bin), not here
                }
                if (what.startsWith("-drive") && (e.value().contains(":") && !e.value().startsWith("/") || hasKey(s, "driver")
                        && !s.get("driver").orElse("").matches("raw|qcow2|file"))) {
                    continue; // a protocol (nbd:, http:) or a non-file driver: not a local file
                }
                String missing = what.equals("-initrd") ? missingModule(e.value()) : e.value();
                if (missing == null) {
                    continue; // a multiboot kernel's modules, "FILE ARGS,FILE ARGS" (vm/boot/Multiboot), all there
                }
                if (!missing.equals(e.value())) {
                    String where = e.origin() == dev.machina.config.Origin.NONE ? s.origin().describe() : e.origin().describe();
                    throw new VmException(new VmError.BadOption(where, missing.replaceAll("\\p{Cntrl}", "?")
                            + ": no such file (a multiboot module: -initrd takes \"FILE ARGS,FILE ARGS\")"));
                }
                if (!java.nio.file.Files.exists(java.nio.file.Path.of(e.value()))) {
                    String where = e.origin() == dev.machina.config.Origin.NONE ? s.origin().describe() : e.origin().describe();
                    boolean named = where.contains(e.value());
                    throw new VmException(new VmError.BadOption(where, (named ? "" : what + (what.endsWith("=") ? "" : " ")
                            + e.value().replaceAll("\\p{Cntrl}", "?") + ": ") + "no such file"));
                }
            }
        }
    }

    /**
     * For {@code -initrd}: null when the file exists, or when the value is a multiboot module list
     * ("FILE ARGS,FILE ARGS", as QEMU 7.2's multiboot.c reads it) whose every FILE exists; else the
     * first missing module's FILE, or the whole value when it is one file.
     */
    private static String missingModule(String initrd) {
        if (java.nio.file.Files.exists(java.nio.file.Path.of(initrd))) {
            return null;
        }
        if (!initrd.contains(",") && !initrd.contains(" ")) {
            return initrd;
        }
        for (String m : dev.machina.vm.boot.Multiboot.modules(initrd)) {
            int space = m.indexOf(' ');
            String file = space < 0 ? m : m.substring(0, space);
            if (file.isEmpty() || !java.nio.file.Files.exists(java.nio.file.Path.of(file))) {
                return file.isEmpty() ? initrd : file;
            }
        }
        return null;
    }

    /**
     * QEMU 7.2's Audiodev has coreaudio and dsound (macOS's and Windows's), which the visit accepts;
     * its audio_init then finds no such driver in a Linux build and stops (audio/audio.c).
     */
    private static void checkAudio(VmConfig config) {
        for (Section s : config.sections("machina-audiodev")) {
            String driver = s.get("driver").orElse("");
            if (driver.equals("coreaudio") || driver.equals("dsound")) {
                throw new VmException(new VmError.BadOption(s.origin().describe(), "audio: Unknown audio driver `" + driver
                        + "' (QEMU 7.2 has it only on " + (driver.equals("dsound") ? "Windows" : "macOS") + "; '-audiodev help' lists the others)"));
            }
        }
    }

    private static boolean hasKey(Section s, String key) {
        return s.get(key).isPresent();
    }

    private static Setting setting(Entry e, Section s) {
        String where = e.origin() == dev.machina.config.Origin.NONE ? s.origin().describe() : e.origin().describe();
        return new Setting(e.key(), e.value(), where);
    }

    private static DeviceSpec device(Section s) {
        String driver = s.get("driver").orElseThrow(() -> new VmException(new VmError.BadOption(s.origin().describe(),
                "-device needs a driver (e.g. -device isa-serial)")));
        List<Setting> keys = new ArrayList<>();
        for (Entry e : s.entries()) {
            if (!e.key().equals("driver") && !e.key().equals("id")) {
                keys.add(setting(e, s));
            }
        }
        return new DeviceSpec(driver, s.effectiveId(), keys, s.origin().describe());
    }

    private static ObjectSpec object(Section s) {
        String type = s.get("qom-type").orElseThrow(() -> new VmException(new VmError.BadOption(s.origin().describe(),
                "-object needs a type (e.g. -object memory-backend-ram,id=m0,size=64M)")));
        String id = s.effectiveId().orElseThrow(() -> new VmException(new VmError.BadOption(s.origin().describe(),
                "-object needs an id (e.g. -object " + type + ",id=obj0)")));
        List<Setting> keys = new ArrayList<>();
        for (Entry e : s.entries()) {
            if (!e.key().equals("qom-type") && !e.key().equals("id")) {
                keys.add(setting(e, s));
            }
        }
        return new ObjectSpec(type, id, keys, s.origin().describe());
    }

    private static Memory defaultMemory(ResolvedMachine m) {
        ResolvedMachine.Option o = m.option(MachineOption.DEFAULT_RAM_SIZE);
        long bytes = o != null && o.value() instanceof Long l ? l : 128L << 20;
        return new Memory(bytes, o == null ? "the default RAM size" : "default-ram-size of " + m.name() + " (" + o.setBy() + ")");
    }

    /**
     * The RAM size a configuration asks for before the machine data is read: the last {@code -m} size,
     * else 128 MiB (what every x86 machine type defaults to); -1 when the size does not parse ({@link #of}
     * says why). What {@code run} reserves the RAM backing array for ({@code dev.machina.memory.BackingReserve}).
     */
    public static long ramBytesBeforeData(VmConfig config) {
        Setting size = null;
        for (Section s : config.sections("memory")) {
            for (Entry e : s.entries()) {
                if (e.key().equals("size")) {
                    size = setting(e, s);
                }
            }
        }
        if (size == null) {
            return 128L << 20;
        }
        try {
            return memory(size).bytes();
        } catch (VmException e) {
            return -1;
        }
    }

    /** QEMU's {@code -m}: a number without a suffix is MiB ({@code set_memory_options} in softmmu/vl.c). */
    static Memory memory(Setting size) {
        String text = size.value().trim();
        try {
            char last = text.isEmpty() ? 0 : text.charAt(text.length() - 1);
            boolean plain = last >= '0' && last <= '9';
            long bytes = plain ? Math.multiplyExact((Long) PropertyType.SIZE.parse(text), 1L << 20)
                    : (Long) PropertyType.SIZE.parse(text);
            if (bytes <= 0) {
                throw new BadValue("the RAM size must be more than 0", "a size such as 512 (MiB) or 2G");
            }
            return new Memory(bytes, size.where());
        } catch (BadValue e) {
            throw new VmException(new VmError.BadOption(size.where(), "invalid RAM size '" + text + "': " + e.getMessage()
                    + "; expected a size such as 512 (MiB) or 2G"));
        } catch (ArithmeticException e) {
            throw new VmException(new VmError.BadOption(size.where(), "RAM size '" + text + "' is too large"));
        }
    }

    /** QEMU's {@code smp_parse} for the members given; the ones left out are derived from the others. */
    static Smp smp(Map<String, Setting> keys) {
        if (keys.isEmpty()) {
            return Smp.ONE;
        }
        long cpus = count(keys, "cpus");
        long sockets = count(keys, "sockets");
        long dies = Math.max(1, count(keys, "dies"));
        long clusters = Math.max(1, count(keys, "clusters"));
        long cores = count(keys, "cores");
        long threads = count(keys, "threads");
        long maxCpus = count(keys, "maxcpus");
        threads = threads > 0 ? threads : 1;
        cores = cores > 0 ? cores : 1;
        if (sockets == 0) {
            long per = dies * clusters * cores * threads;
            long total = maxCpus > 0 ? maxCpus : cpus > 0 ? cpus : 1;
            sockets = Math.max(1, total / per);
        }
        long product = sockets * dies * clusters * cores * threads;
        maxCpus = maxCpus > 0 ? maxCpus : product;
        cpus = cpus > 0 ? cpus : maxCpus;
        if (cpus > Integer.MAX_VALUE || maxCpus > Integer.MAX_VALUE || product > Integer.MAX_VALUE) {
            throw new VmException(new VmError.BadOption(keys.values().iterator().next().where(), "too many CPUs"));
        }
        return new Smp((int) cpus, (int) sockets, (int) dies, (int) clusters, (int) cores, (int) threads, (int) maxCpus);
    }

    private static long count(Map<String, Setting> keys, String name) {
        Setting s = keys.get(name);
        if (s == null) {
            return 0;
        }
        try {
            return (Long) PropertyType.UINT32.parse(s.value());
        } catch (BadValue e) {
            throw new VmException(new VmError.BadOption(s.where(), "invalid -smp " + name + " '" + s.value() + "': "
                    + e.getMessage()));
        }
    }
}
