package dev.machina.cli;

import dev.machina.config.CliOption;
import dev.machina.config.CliOptions;
import dev.machina.config.ConfigEnv;
import dev.machina.config.HelpRequest;
import dev.machina.config.OptionGroup;
import dev.machina.config.OptionGroups;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.TypeRegistry;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Prints what a help option asks for ({@code -device help}, {@code -m 512,help}, ...), in QEMU's layout where it has one. */
final class HelpPrinter {
    private final Context context;
    private final ConfigEnv env;

    HelpPrinter(Context context, ConfigEnv env) {
        this.context = context;
        this.env = env;
    }

    void print(HelpRequest h, PrintWriter out) {
        TypeRegistry reg = context.registry();
        String name = h.name().orElse("");
        switch (h.kind()) {
            case USAGE -> {
                out.println("Usage: machina run [QEMU options...] [--compat=qemu]");
                out.println("       machina [QEMU options...]            (the same: a first argument starting with '-')");
                out.println();
                out.println("Start a VM from QEMU options (spelled as for qemu-system-x86_64); -writeconfig FILE writes them");
                out.println("as a config file. Help options: -machine help, -machine TYPE,help, -device help,");
                out.println("-device TYPE,help, -cpu help, -object help.");
                out.println("  --compat=qemu        read -readconfig files as QEMU 7.2 does (its quirks become warnings)");
                out.println();
                out.println("QEMU options:");
                for (CliOption o : CliOptions.all()) {
                    out.printf("  %-20s %s%n", o.name() + (o.syntax().takesArgument() ? " ARG" : ""), o.help());
                }
            }
            case VERSION -> out.println("machina " + Optional.ofNullable(Main.class.getPackage().getImplementationVersion())
                    .orElse("(development build)") + " (machine types and defaults as QEMU " + context.qemuRelease()
                    + "; -device help as QEMU " + context.qemuRelease() + " for the types Machina has"
                    + "; CPU models as QEMU " + dev.machina.cpu.x86.CpuModel.modelsRelease(context.qemuRelease())
                    + "; options, config files and QMP as QEMU 7.2)");
            case MACHINES -> out.print(MachineHelp.list(context.machineSummaries()));
            case MACHINE_PROPERTIES -> out.print(MachineHelp.properties(context.catalog(), name));
            case DEVICES -> out.print(Qemu72DeviceList.render(reg, context.qemuRelease()));
            case DEVICE_PROPERTIES -> {
                // presenting 7.2, QEMU 7.2's recorded text; presenting another release, that release's
                // properties and defaults from the data, as device show lists them (issue 14 item 5)
                String type = name == null ? "" : dev.machina.config.DeviceAliases.resolve(name); // virtio-net: virtio-net-pci
                String notYet = DeviceCommand.Show.notYetIn(context, type);
                if (notYet != null) { // a type a later QEMU added: not in the presented release's help either
                    throw new UserError("-device " + name + ",help: " + notYet);
                }
                Optional<String> qemu72 = context.qemuRelease().equals("7.2") ? Qemu72DeviceHelp.render(type) : Optional.empty();
                out.print(qemu72.orElseGet(() -> {
                    java.io.StringWriter w = new java.io.StringWriter();
                    PrintWriter pw = new PrintWriter(w);
                    ObjectType t = reg.find(type).isPresent() ? reg.type(type) : reg.type(name);
                    properties(t, DeviceCommand.Show.notInRelease(context, t), pw);
                    pw.flush();
                    return w.toString();
                }));
            }
            case OBJECT_PROPERTIES -> properties(reg.type(name), java.util.Set.of(), out);
            case OBJECTS -> {
                out.println("List of user creatable objects:");
                reg.all().stream().filter(t -> t.isA("user-creatable") && !t.isAbstract() && !t.isInterface())
                        .forEach(t -> out.println("  " + t.name()));
            }
            case CPU_MODELS -> out.print(dev.machina.cpu.x86.CpuModel.help(context.qemuRelease()));
            case CHARDEV_BACKENDS -> choices("chardev", "backend", "Available chardev backend types:", out);
            case NETDEV_BACKENDS -> choices("netdev", "type", "Available netdev backend types:", out);
            case ACCELERATORS -> choices("accel", "accel", "Accelerators QEMU knows (Machina runs its own interpreter):", out);
            case DISPLAYS -> choices("machina-display", "type", "Available display backend types:", out);
            case VGA_TYPES -> {
                // QEMU 7.2's vga_interfaces[] (softmmu/vl.c) as its -vga help prints them, the types Debian builds
                for (String[] v : VGA_INTERFACES) {
                    out.printf("%-20s %s%n", v[0], v[1]);
                }
            }
            case AUDIO_DRIVERS -> {
                // QEMU 7.2's audio_help: the drivers of AudiodevDriver it finds built in or as a module
                out.println("Available audio drivers:");
                for (String d : AUDIO_DRIVERS) {
                    out.println(d);
                }
            }
            case GROUP_OPTIONS -> {
                OptionGroup g = OptionGroups.find(name).orElseThrow();
                out.println(g.name() + " options:");
                Map<String, OptionGroup.Param> sorted = new TreeMap<>(g.params());
                sorted.forEach((k, p) -> out.println("  " + k + "=<" + p.type().label() + ">"
                        + (p.choices().isEmpty() ? "" : " (" + String.join(", ", p.choices()) + ")")));
            }
            default -> throw new IllegalStateException(h.kind().toString());
        }
        out.flush();
    }

    /**
     * What QEMU 7.2's -audiodev help lists on Debian 12 (tests/qemu72/audiodev-help.txt): AudiodevDriver
     * (qapi/audio.json) less coreaudio and dsound, which are macOS's and Windows's. Machina accepts each
     * (config, -audiodev checks) and plays sound through none of them.
     */
    static final List<String> AUDIO_DRIVERS = List.of("none", "alsa", "dbus", "jack", "oss", "pa", "sdl", "sndio", "spice", "wav");

    /** -vga values and their descriptions (QEMU 7.2 softmmu/vl.c vga_interfaces[]): what its -vga help lists. */
    static final String[][] VGA_INTERFACES = {
            {"none", "no graphic card"}, {"std", "standard VGA (default)"}, {"cirrus", "Cirrus VGA"},
            {"vmware", "VMWare SVGA"}, {"qxl", "QXL VGA"}, {"virtio", "Virtio VGA"}};

    private static void choices(String group, String key, String title, PrintWriter out) {
        out.println(title);
        OptionGroups.find(group).map(g -> g.params().get(key)).ifPresent(p -> p.choices().forEach(c -> out.println("  " + c)));
    }

    /** QEMU's layout: {@code TYPE options:} then {@code   name=<type>  - description (default: x)}, sorted. */
    private static void properties(ObjectType t, java.util.Set<String> absent, PrintWriter out) {
        out.println(t.name() + " options:");
        Map<String, PropertySpec> sorted = new TreeMap<>();
        t.properties().stream().filter(p -> !absent.contains(p.name())).forEach(p -> sorted.put(p.name(), p));
        for (PropertySpec p : sorted.values()) {
            String left = "  " + p.name() + "=<" + p.type().name() + ">";
            String right = p.description() + (p.defaultText().isEmpty() ? "" : " (default: " + p.defaultText() + ")");
            out.println(right.isEmpty() ? left : String.format("%-24s - %s", left, right));
        }
    }
}
