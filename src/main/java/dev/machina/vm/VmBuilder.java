package dev.machina.vm;

import dev.machina.machine.Declarations.CompatEntry;
import dev.machina.machine.Declarations.CompatSet;
import dev.machina.machine.MachineOption;
import dev.machina.machine.ResolvedMachine;
import dev.machina.qom.GlobalProperties;
import dev.machina.qom.GlobalProperty;
import dev.machina.qom.ObjectTree;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.QomException;
import dev.machina.qom.QomObject;
import dev.machina.qom.TypeRegistry;
import dev.machina.qom.ValueOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a VM's object graph from a {@link VmSpec}, as a recipe of named phases, each with its own
 * errors ({@link VmError}, positioned):
 * <ol>
 *   <li>{@link #globals}: the machine type's compat properties (its chain's sets, newest first, so the
 *       oldest wins), then the user's {@code -global}s;</li>
 *   <li>{@link #machineObject}: the machine at {@code /machine};</li>
 *   <li>{@link #memoryBackend}: the RAM backend the machine makes for {@code -m} ({@code /objects/pc.ram});</li>
 *   <li>{@link #boardObjects}: the default device graph, in QEMU's creation order;</li>
 *   <li>{@link #userObjects} and {@link #userDevices}: {@code -object} and {@code -device}, with their
 *       buses and PCI addresses;</li>
 *   <li>{@link #links}: the graph's link properties, once every target exists.</li>
 * </ol>
 *
 * <p><b>Values</b> are applied exactly once per object, in QEMU's order, each keeping its origin: the
 * type's default ({@code instance_init}) → compat properties → user {@code -global} (devices only:
 * QEMU's {@code device_post_init}; an {@code -object} never takes one) → the board's own settings (what
 * QEMU's board code sets before realize) → the user's keys ({@code -device}, {@code -object},
 * {@code -machine}, with {@code -set} already applied). The machine object takes its type's
 * {@code default-machine-options} as QEMU does, before the user's {@code -machine} keys.
 *
 * <p>{@link #dryRun} stops there: nothing is realized, so it is what {@code machine show},
 * {@code machine diff}, {@code --explain}, {@code device show} and {@code config convert --resolved}
 * answer from. The realize phase (memory, wiring, device models) takes the {@link BuiltMachine}.
 *
 * <p>The device graph's {@code set} values are the board settings; its {@code observed} values (what QEMU
 * 7.2 reported) are never replayed: a test checks the built objects against them.
 */
public final class VmBuilder {
    private static final Pattern UNATTACHED = Pattern.compile("/machine/unattached/device\\[(\\d+)]");

    private final VmSpec spec;
    private final TypeRegistry registry;
    private final GlobalProperties globals = new GlobalProperties();
    private final IdentityHashMap<GlobalProperty, ResolvedMachine.CompatOrigin> compatRefs = new IdentityHashMap<>();
    private final List<BuiltObject> built = new ArrayList<>();
    private final Map<String, BuiltObject> byGraphId = new LinkedHashMap<>();
    private final Map<String, String> userIds = new LinkedHashMap<>();
    private ObjectTree tree;
    private BuiltObject machine;

    private VmBuilder(VmSpec spec) {
        this.spec = spec;
        this.registry = spec.catalog().registry();
    }

    /** Creates every object and sets every value; realizes nothing. */
    public static BuiltMachine dryRun(VmSpec spec) {
        VmBuilder b = new VmBuilder(spec);
        b.globals();
        b.machineObject();
        b.memoryBackend();
        b.boardObjects();
        b.userObjects();
        b.userDevices();
        b.links();
        RealizeValues.apply(b.spec, b.built, b.machine);
        return b.result();
    }

    // -- phase: global properties -------------------------------------------------------------------

    private void globals() {
        for (String name : spec.machine().compatSets()) {
            CompatSet set = spec.catalog().compatSets().get(name);
            for (CompatEntry e : set.entries()) {
                // QEMU's optional entries, and entries for a property the driver lacks (QEMU skips them for such objects)
                boolean optional = e.optional() || registry.find(e.driver()).flatMap(t -> t.property(e.property())).isEmpty();
                String source = set.name() + (set.source() == null ? "" : ": " + set.source());
                GlobalProperty g = new GlobalProperty(e.driver(), e.property(), e.value(), source, false, optional);
                compatRefs.put(g, new ResolvedMachine.CompatOrigin(set.name(), e.value(), set.source(), e.at()));
                globals.addCompat(g);
            }
        }
        spec.globals().forEach(globals::addUser);
        tree = new ObjectTree(registry, globals);
    }

    static String lineOf(dev.machina.machine.Position p) {
        return p.line() == 0 ? p.file() : p.file() + ":" + p.line();
    }

    // -- phase: the machine object ------------------------------------------------------------------

    private void machineObject() {
        ResolvedMachine m = spec.machine();
        QomObject obj = create(m.qomType(), "machine type " + m.name());
        tree.setMachine(obj);
        machine = new BuiltObject(BuiltObject.Kind.MACHINE, "machine", obj, null, null, "machine type " + m.name());
        built.add(machine);
        ClassDefaults.machine(obj, m);
        defaultMachineOptions(obj);
        for (VmSpec.Setting s : spec.machineKeys()) {
            if (obj.hasProperty(s.key())) {
                set(obj, s.key(), s.value(), s.where());
            }
        }
        if (!spec.memory().where().startsWith("default-ram-size") && obj.hasProperty("memory")) {
            setMember(obj, "memory", "size", spec.memory().bytes(), spec.memory().where());
        }
        // the board reads the machine's properties as -machine left them, then sets what it decides
        ResolvedMachine.Device decl = m.device("machine");
        if (decl != null) {
            byGraphId.put("machine", machine);
            replay(obj, decl);
        }
    }

    /** {@code default-machine-options} ({@code firmware=bios-256k.bin}): applied like -machine options, before the user's. */
    private void defaultMachineOptions(QomObject obj) {
        ResolvedMachine.Option o = spec.machine().option(MachineOption.DEFAULT_MACHINE_OPTIONS);
        if (o == null || !(o.value() instanceof String text)) {
            return;
        }
        String where = "option default-machine-options (set by " + o.setBy() + ", " + o.at().location() + ")";
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0 && obj.hasProperty(part.substring(0, eq))) {
                set(obj, part.substring(0, eq), part.substring(eq + 1), where);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static void setMember(QomObject obj, String property, String member, Object value, String where) {
        Object current = obj.value(property).orElse(Map.of());
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) current);
        copy.put(member, value);
        obj.setTyped(property, java.util.Collections.unmodifiableMap(copy), new ValueOrigin.Explicit(where));
    }

    // -- phase: the RAM backend ------------------------------------------------------------------

    /**
     * The backend QEMU's {@code create_default_memdev} (hw/core/machine.c) makes for the machine's RAM:
     * a {@code memory-backend-ram} at {@code /objects/ID} with {@code default-ram-id} as its id and the
     * RAM size, linked from the machine's {@code memory-backend}.
     */
    private void memoryBackend() {
        ResolvedMachine.Option id = spec.machine().option(MachineOption.DEFAULT_RAM_ID);
        if (id == null || !(id.value() instanceof String ramId) || registry.find("memory-backend-ram").isEmpty()) {
            return;
        }
        QomObject obj = create("memory-backend-ram", "default-ram-id of " + spec.machine().name());
        tree.addObject(obj, ramId);
        if (obj.hasProperty("size")) {
            obj.setTyped("size", spec.memory().bytes(), new ValueOrigin.Board(
                    "hw/core/machine.c create_default_memdev", spec.memory().where()));
        }
        BuiltObject b = new BuiltObject(BuiltObject.Kind.MEMORY_BACKEND, ramId, obj, null, null, id.at().location());
        built.add(b);
        machine.link("memory-backend", obj.path());
    }

    // -- phase: the default device graph ----------------------------------------------------------------

    private void boardObjects() {
        List<ResolvedMachine.Device> devices = spec.machine().devices();
        if (devices == null) {
            return;
        }
        // the data lists the devices in the order QEMU's board realizes them, which is the order the
        // tree numbers /machine/unattached/device[N] in
        List<ResolvedMachine.Device> order = new ArrayList<>(devices);
        order.removeIf(d -> d.id().equals("machine"));
        List<ResolvedMachine.Device> made = new ArrayList<>();
        for (ResolvedMachine.Device d : order) {
            if (withoutLocalApic(d)) {
                continue;
            }
            made.add(d);
            String where = d.set().values().stream().findFirst().map(v -> v.at().location()).orElse("device graph of " + spec.machine().name());
            String type = d.type();
            String[] cpuOption = userCpu(type);
            if (cpuOption != null) {
                type = cpuOption[0] + "-x86_64-cpu";
                where = "-cpu " + spec.cpuModel().get().value();
            }
            QomObject obj = create(type, where);
            place(obj, d);
            byGraphId.put(d.id(), new BuiltObject(BuiltObject.Kind.BOARD, d.id(), obj, null, null, where));
            replay(obj, d);
            if (cpuOption != null) {
                cpuFeatures(obj, cpuOption, where);
            }
        }
        // buses and PCI addresses, once every bus exists, in creation order (an automatic slot is the next free one)
        for (ResolvedMachine.Device d : made) {
            BuiltObject b = byGraphId.get(d.id());
            BuiltObject bus = d.bus() == null ? null : byGraphId.get(d.bus());
            if (d.bus() != null && bus == null) {
                throw new VmException(new VmError.BadGraph(b.where(), "device '" + d.id() + "' is on bus '" + d.bus()
                        + "', which the graph does not have"));
            }
            b.plug(bus, bus != null && bus.isA("PCI") ? Buses.boardPciAddress(this, bus, b) : null);
            built.add(b);
        }
    }

    /**
     * Whether {@code d} is a CPU's local APIC that QEMU 7.2 does not make: x86_cpu_realizefn
     * (target/i386/cpu.c) creates it only when the CPU's CPUID has APIC or there is more than one CPU
     * ({@code -cpu 486}, {@code -cpu qemu32,-apic}, {@code apic=off}). Without it the 8259 drives the CPU's INTR itself
     * (pic_irq_request, hw/i386/pc.c); with an APIC whose LINT0 nobody unmasked, the 8259 would never
     * reach the CPU.
     */
    private boolean withoutLocalApic(ResolvedMachine.Device d) {
        if (!registry.isA(d.type(), "apic-common") || d.parent() == null || spec.smp().cpus() > 1) {
            return false;
        }
        BuiltObject cpu = byGraphId.get(d.parent());
        if (cpu == null || !cpu.isA("x86_64-cpu") || !cpu.object().hasProperty("apic")) {
            return false;
        }
        // the user's -cpu feature (the config layer ended +apic/-apic as apic=on/off) over the model's
        for (int i = spec.cpuFeatures().size() - 1; i >= 0; i--) {
            VmSpec.Setting f = spec.cpuFeatures().get(i);
            if (f.key().equals("apic")) {
                return switch (f.value()) {
                    case "off", "false", "no" -> true;
                    default -> false;
                };
            }
        }
        return !cpu.object().value("apic").map(v -> (Boolean) v).orElse(true);
    }

    /**
     * Puts a graph object where QEMU has it: {@code /machine/unattached/device[N]} for what the board
     * made without a name (N is the tree's next free index, so creating in QEMU's order gives QEMU's
     * numbers), else the named child of its parent ({@code /machine/i440fx}, {@code .../isa.0}).
     */
    private void place(QomObject obj, ResolvedMachine.Device d) {
        String path = d.qemuPath();
        if (path == null || UNATTACHED.matcher(path).matches()) {
            tree.addUnattached(obj);
            return;
        }
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        // a child of a graph device is placed under that device wherever it is now: a default device
        // realized before the parent renumbers /machine/unattached, so the path the data names is QEMU's
        // for one graph only
        BuiltObject parentDevice = d.parent() == null ? null : byGraphId.get(d.parent());
        if (parentDevice != null) {
            tree.addChild(parentDevice.object(), name, obj);
            return;
        }
        String parentPath = path.substring(0, slash);
        if (parentPath.equals("/chardevs") && tree.tryResolve(parentPath, null).isEmpty()) {
            tree.addChild(tree.root(), "chardevs", tree.create("container")); // QEMU's chardev container
        }
        QomObject parent = tree.tryResolve(parentPath, null).orElseThrow(() -> new VmException(new VmError.BadGraph(
                "device graph of " + spec.machine().name(), "device '" + d.id() + "' is under " + parentPath + ", which the graph does not have")));
        tree.addChild(parent, name, obj);
    }

    /**
     * What the board sets on one object, after its type's defaults and the compat properties (QEMU's
     * board code runs after object_new, which applied them): every value of the graph's {@code set}, with
     * the QEMU code that sets it as its origin; one the board sets only while unchanged is skipped where
     * a compat property set it first.
     */
    private void replay(QomObject obj, ResolvedMachine.Device d) {
        for (var e : d.set().entrySet()) {
            ResolvedMachine.GraphValue v = e.getValue();
            if (obj.type().property(e.getKey()).map(p -> p.type() instanceof PropertyType.LinkType).orElse(true)) {
                continue;
            }
            if (v.ifUnchanged() && !(obj.origin(e.getKey()) instanceof ValueOrigin.Default)) {
                continue;
            }
            ValueOrigin origin = v.source() == null ? new ValueOrigin.Explicit("device graph (" + v.at().location() + ")")
                    : new ValueOrigin.Board(v.source().toString(), v.at().location());
            try {
                obj.setTyped(e.getKey(), v.value(), origin);
            } catch (QomException x) {
                throw new VmException(new VmError.ObjectFailed(v.at().location(), x.error()));
            }
        }
    }

    // -- phase: -object ----------------------------------------------------------------------------------

    private void userObjects() {
        for (VmSpec.ObjectSpec o : spec.objects()) {
            checkId(o.id(), o.where());
            QomObject obj = create(o.qomType(), o.where());
            try {
                tree.addObject(obj, o.id());
            } catch (QomException e) {
                throw new VmException(new VmError.ObjectFailed(o.where(), e.error()));
            }
            for (VmSpec.Setting s : o.keys()) {
                set(obj, s.key(), s.value(), s.where());
            }
            built.add(new BuiltObject(BuiltObject.Kind.USER_OBJECT, o.id(), obj, null, null, o.where()));
        }
    }

    // -- phase: -device ----------------------------------------------------------------------------------

    private void userDevices() {
        for (VmSpec.DeviceSpec d : spec.devices()) {
            d.id().ifPresent(id -> checkId(id, d.where()));
            QomObject obj = create(d.driver(), d.where());
            if (!obj.type().isA("device")) {
                throw new VmException(new VmError.BadOption(d.where(), "'" + d.driver() + "' is not a device type; "
                        + "-object creates objects of other types"));
            }
            BuiltObject bus = Buses.forDevice(this, obj, d);
            try {
                tree.addDevice(obj, d.id().orElse(null));
            } catch (QomException e) {
                throw new VmException(new VmError.ObjectFailed(d.where(), e.error()));
            }
            for (VmSpec.Setting s : d.keys()) {
                if (!s.key().equals("bus")) {
                    set(obj, s.key(), s.value(), s.where());
                }
            }
            PciAddress address = bus != null && bus.isA("PCI") ? Buses.pciAddress(this, bus, obj, d) : null;
            built.add(new BuiltObject(BuiltObject.Kind.USER_DEVICE, d.id().orElse(null), obj, bus, address, d.where()));
        }
    }

    private void checkId(String id, String where) {
        String first = userIds.putIfAbsent(id, where);
        if (first != null) {
            throw new VmException(new VmError.DuplicateId(where, id, first));
        }
    }

    // -- phase: links ----------------------------------------------------------------------------------

    private void links() {
        List<ResolvedMachine.Device> devices = spec.machine().devices();
        if (devices == null) {
            return;
        }
        for (ResolvedMachine.Device d : devices) {
            BuiltObject b = byGraphId.get(d.id());
            if (b == null) {
                continue;
            }
            for (var l : d.links().entrySet()) {
                String target = l.getValue();
                String path = target.startsWith("/") ? target
                        : Optional.ofNullable(byGraphId.get(target)).map(BuiltObject::path).orElse(null);
                if (path == null) {
                    throw new VmException(new VmError.BadGraph("device graph of " + spec.machine().name(),
                            "link '" + l.getKey() + "' of '" + d.id() + "' names '" + target + "', which the graph does not have"));
                }
                b.link(l.getKey(), path);
                if (b.object().type().property(l.getKey()).map(p -> p.type() instanceof PropertyType.LinkType).orElse(false)) {
                    try {
                        b.object().setTyped(l.getKey(), path, new ValueOrigin.Explicit("device graph (" + b.where() + ")"));
                    } catch (QomException e) {
                        throw new VmException(new VmError.ObjectFailed("device graph of " + spec.machine().name(), e.error()));
                    }
                }
            }
        }
    }

    // -- shared ----------------------------------------------------------------------------------------

    List<BuiltObject> built() {
        return built;
    }

    /**
     * The user's {@code -cpu MODEL[,+feat|-feat|feat=value...]} split at its commas, when {@code type}
     * is the graph's CPU (QEMU's board creates {@code machine->cpu_type}, which {@code -cpu} replaces:
     * hw/core/machine.c, softmmu/vl.c parse_cpu_option); null for any other object or without -cpu.
     */
    private String[] userCpu(String type) {
        if (spec.cpuModel().isEmpty() || !registry.isA(type, "x86_64-cpu")) {
            return null;
        }
        String[] parts = spec.cpuModel().get().value().split(",");
        return parts[0].isEmpty() || parts[0].equals("help") || parts[0].equals("?") ? null : parts;
    }

    /** The feature part of -cpu as QEMU's x86_cpu_parse_featurestr reads it: +f and -f (legacy), f=v, bare f (=on). */
    private void cpuFeatures(QomObject cpu, String[] option, String where) {
        for (int i = 1; i < option.length; i++) {
            String f = option[i];
            if (f.isEmpty()) {
                continue;
            }
            if (f.startsWith("+") || f.startsWith("-")) {
                set(cpu, f.substring(1), f.startsWith("+") ? "on" : "off", where);
            } else if (f.contains("=")) {
                set(cpu, f.substring(0, f.indexOf('=')), f.substring(f.indexOf('=') + 1), where);
            } else {
                set(cpu, f, "on", where);
            }
        }
    }

    TypeRegistry registry() {
        return registry;
    }

    private QomObject create(String type, String where) {
        try {
            QomObject o = tree.create(type);
            InstanceInit.apply(o, spec.catalog().qemuRelease());
            return o;
        } catch (QomException e) {
            throw new VmException(new VmError.ObjectFailed(where, e.error()));
        }
    }

    private static void set(QomObject obj, String key, String value, String where) {
        try {
            obj.set(key, value, where);
        } catch (QomException e) {
            throw new VmException(new VmError.ObjectFailed(where, e.error()));
        }
    }

    private BuiltMachine result() {
        BuiltObject cpu = built.stream().filter(o -> o.isA("cpu")).findFirst().orElse(null);
        String cpuType = cpu != null ? cpu.typeName() : spec.cpuModel().map(s -> s.value() + "-x86_64-cpu")
                .orElseGet(() -> Optional.ofNullable(spec.machine().option(MachineOption.DEFAULT_CPU_TYPE))
                        .map(o -> String.valueOf(o.value())).orElse(""));
        String firmware = MachineValues.DEFAULT_BIOS;
        String firmwareFrom = "QEMU's default firmware (hw/i386/x86.c BIOS_FILENAME)";
        Optional<EffectiveValue> fw = machine.value("firmware");
        if (fw.isPresent() && fw.get().value() instanceof String s && !s.isEmpty()) {
            firmware = s;
            firmwareFrom = fw.get().origin().toString();
        }
        RealizeValues.MemoryLayout layout = RealizeValues.layout(spec, machine);
        MachineValues values = new MachineValues(spec.machine(), spec.memory(), spec.smp(), cpuType, firmware, firmwareFrom, machine,
                layout.below4g(), layout.above4g());
        List<String> warnings = globals.unusedUserWarnings(registry);
        return new BuiltMachine(spec, tree, built, byGraphId, values, compatRefs, warnings);
    }

    /** A property a type has, for the bus helpers. */
    static Optional<PropertySpec> property(ObjectType t, String name) {
        return t.property(name);
    }

    static Matcher unattached(String path) {
        return UNATTACHED.matcher(path);
    }
}
