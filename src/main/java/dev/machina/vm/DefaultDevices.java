package dev.machina.vm;

import dev.machina.config.Section;
import dev.machina.config.VmConfig;
import dev.machina.machine.MachineCatalog;
import dev.machina.machine.ResolvedMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The default devices a run without {@code -nodefaults} has, from the machine type's data
 * ({@link MachineCatalog#defaultDevices}: the model its default-display and default-nic options pick, the
 * kinds its no_* options turn off), less the ones the configuration removes one by one as QEMU 7.2's
 * vl.c does; of those, the ones Machina has no model for, each with the option that removes it alone.
 *
 * <p>What removes a kind (softmmu/vl.c 7.2.0): any {@code -vga} (none, or the model that replaces it);
 * any {@code -net}, {@code -nic} or {@code -netdev} (default_net); any {@code -serial} or {@code -parallel};
 * {@code -monitor}, {@code -qmp}, {@code -mon} or a {@code mon:} port (default_monitor); and a
 * {@code -device} of a type of vl.c's default_list, named in each device's {@code removed-by} data (the
 * display types beyond VGA are {@link #DISPLAYS}). With {@code -nographic} the default serial port's
 * console is stdio and the parallel port's is null (both modelled), and the monitor shares the serial
 * console (QEMU's Ctrl-A c), which Machina's console does not offer yet.
 */
final class DefaultDevices {
    private DefaultDevices() {}

    /** A default device without a model: its type, what it is, and what removes it. */
    record Missing(String type, String what, String remedy) {
        String describe() {
            return type + " (" + what + "; " + remedy + ")";
        }
    }

    /**
     * vl.c's default_list entries that clear default_vga (QEMU 7.2.0 softmmu/vl.c:216-229); each checked
     * with QEMU 7.2: {@code -M pc -device T} has no VGA beside T, where bochs-display, secondary-vga and
     * virtio-gpu-pci keep it.
     */
    static final Set<String> DISPLAYS = Set.of("VGA", "isa-vga", "cirrus-vga", "isa-cirrus-vga", "vmware-svga", "qxl-vga",
            "virtio-vga", "ati-vga", "vhost-user-vga", "virtio-vga-gl");

    /** The chardev types {@link Chardevs} makes. */
    private static final Set<String> CHARDEVS = Set.of("chardev-null", "chardev-file", "chardev-stdio", "chardev-pipe",
            "chardev-ringbuf");

    static List<Missing> withoutModel(MachineCatalog catalog, ResolvedMachine machine, VmConfig config) {
        boolean nographic = !config.sections("machina-nographic").isEmpty();
        boolean serialGiven = !config.sections("machina-serial").isEmpty();
        List<String> devices = new ArrayList<>();
        config.sections("device").forEach(s -> s.get("driver").ifPresent(devices::add));
        List<Missing> out = new ArrayList<>();
        for (ResolvedMachine.DefaultDevice dd : catalog.defaultDevices(machine)) {
            if (dd.device().parent() != null) {
                continue; // part of its parent's model (isa-serial's serial core)
            }
            String kind = dd.kind() == null ? "" : dd.kind();
            if (removed(kind, dd, config, devices)) {
                continue;
            }
            String type = dd.device().type();
            String label = dd.device().qemuPath().startsWith("/chardevs/") ? dd.device().qemuPath().substring("/chardevs/".length()) : null;
            if (label != null) {
                // the console of a default port, or the default monitor's
                if (kind.equals("monitor")) {
                    boolean muxed = nographic && !serialGiven; // vl.c: -nographic's serial is mon:stdio, with the monitor
                    out.add(new Missing(muxed ? "the human monitor" : type + " " + label,
                            muxed ? "on the -nographic console, Ctrl-A c" : "the human monitor's console window", "-monitor none"));
                } else if (!nographic && !CHARDEVS.contains(type)) {
                    out.add(new Missing(type + " " + label, "the " + kind + " port's console window",
                            kind.equals("serial") ? "-serial none, or -serial stdio or -nographic" : "-" + kind + " none"));
                }
                continue; // with -nographic: stdio for the serial port, null for the parallel port, both modelled
            }
            if (PcMachine.hasModel(type)) {
                continue;
            }
            out.add(switch (kind) {
                case "vga" -> new Missing(type, "display", "-vga none");
                case "nic" -> new Missing(type, "NIC", "-nic none");
                case "serial" -> new Missing(type, "serial port", "-serial none");
                case "parallel" -> new Missing(type, "parallel port", "-parallel none");
                case "floppy" -> new Missing(type, "floppy drive", "only -nodefaults");
                case "cdrom" -> new Missing(type, "CD-ROM", "only -nodefaults");
                default -> new Missing(type, kind.isEmpty() ? "default device" : kind, "only -nodefaults");
            });
        }
        return out;
    }

    private static boolean removed(String kind, ResolvedMachine.DefaultDevice dd, VmConfig config, List<String> devices) {
        boolean byOption = switch (kind) {
            case "vga" -> !config.sections("machina-vga").isEmpty() || devices.stream().anyMatch(DISPLAYS::contains);
            case "nic" -> !config.sections("net").isEmpty() || !config.sections("nic").isEmpty() || !config.sections("netdev").isEmpty();
            case "serial" -> !config.sections("machina-serial").isEmpty();
            case "parallel" -> !config.sections("machina-parallel").isEmpty();
            case "monitor" -> !config.sections("machina-monitor").isEmpty() || !config.sections("machina-qmp").isEmpty()
                    || !config.sections("mon").isEmpty() || monPort(config, "machina-serial") || monPort(config, "machina-parallel");
            default -> false;
        };
        return byOption || devices.stream().anyMatch(d -> removedByDevice(dd, d));
    }

    private static boolean monPort(VmConfig config, String group) {
        return config.sections(group).stream().map(s -> s.get("dev").orElse("")).anyMatch(d -> d.startsWith("mon:"));
    }

    /**
     * Whether {@code -device TYPE} is one of the data's {@code removed-by} entries: "-device isa-serial",
     * "-device isa-fdc or floppy", "-device ide-cd, ide-hd, scsi-cd or scsi-hd" (vl.c's default_list).
     */
    private static boolean removedByDevice(ResolvedMachine.DefaultDevice dd, String type) {
        for (String r : dd.removedBy()) {
            if (!r.startsWith("-device ")) {
                continue;
            }
            String names = r.substring("-device ".length());
            int paren = names.indexOf(" (");
            if (paren >= 0) {
                names = names.substring(0, paren);
            }
            for (String n : names.split(",\\s*|\\s+or\\s+")) {
                if (n.strip().equals(type)) {
                    return true;
                }
            }
        }
        return false;
    }
}
