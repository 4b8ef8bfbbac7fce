package dev.machina.cli;

import dev.machina.config.Section;
import dev.machina.config.VmConfig;
import dev.machina.qmp.MonitorContext.Chardev;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The character devices {@code query-chardev} and {@code info chardev} list, read from the configuration
 * as QEMU 7.2 makes them: every {@code -chardev} (a {@code mux=on} one as ID, "mux", over ID-base), the
 * ones {@code -serial}, {@code -parallel}, {@code -debugcon} make (serialN, parallelN, debugcon; a
 * {@code mon:} prefix muxes), the monitors' ({@code -monitor}, {@code -qmp}: compat_monitorN), and the
 * default serial and parallel ports of a machine started without {@code -nodefaults} (vl.c's
 * qemu_create_default_devices: "vc", or with {@code -nographic} "stdio" and "null").
 *
 * <p>The filename is QEMU's: the backend's name for most ({@code null}, {@code file}, {@code pipe},
 * {@code ringbuf}, {@code stdio}, {@code vc}), {@code mux} for a mux, a listening socket's
 * {@code unix:PATH,server=on} or {@code tcp:HOST:PORT,server=on} (prefixed {@code disconnected:} by the
 * server while no client is connected, see {@link Chardev#listening}); {@code pty} stands for QEMU's
 * {@code pty:/dev/pts/N}, which Machina does not allocate. A chardev's frontend is open when a device, a
 * port or a monitor uses it. QEMU lists them in hash order; this list is in option order.
 */
final class ChardevList {
    private ChardevList() {}

    /** The machine types without ISA serial and parallel ports (QEMU's no_serial/no_parallel). */
    private static final Set<String> NO_PORTS = Set.of("none");

    /**
     * @param built whether the machine has been built: before (preconfig) no device uses a chardev yet,
     *              only the monitors do
     */
    static List<Chardev> of(VmConfig config, List<MonitorLaunch.Monitor> monitors, boolean built) {
        String machine = MonitorLaunch.machineType(config).orElse("pc");
        boolean ports = !NO_PORTS.contains(machine);
        boolean attached = ports && built;
        boolean nodefaults = !config.sections("machina-nodefaults").isEmpty();
        boolean nographic = !config.sections("machina-nographic").isEmpty();
        // vl.c: -monitor, -qmp and -mon each clear default_monitor; -nodefaults clears it too
        boolean defaultMonitor = !nodefaults && monitors.isEmpty() && config.sections("mon").isEmpty();
        Map<String, Chardev> out = new LinkedHashMap<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Section s : config.sections("mon")) {
            s.get("chardev").ifPresent(used::add);
        }
        if (built) {
            for (Section s : config.sections("device")) {
                s.get("chardev").ifPresent(used::add);
            }
        }
        for (Section s : config.sections("chardev")) {
            String id = s.effectiveId().orElse("");
            String backend = s.get("backend").orElse("");
            boolean open = used.contains(id);
            if (on(s.get("mux").orElse("off"))) {
                out.put(id, new Chardev(id, "mux", open, false));
                out.put(id + "-base", backendChardev(id + "-base", backend, s, open));
            } else {
                out.put(id, backendChardev(id, backend, s, open));
            }
        }
        List<String> serials = new ArrayList<>();
        config.sections("machina-serial").forEach(s -> serials.add(s.get("dev").orElse("none")));
        if (serials.isEmpty() && ports && !nodefaults) {
            serials.add(nographic ? (defaultMonitor ? "mon:stdio" : "stdio") : "vc");
        }
        // vl.c's serial_parse keeps an index for -serial none (a later -serial is COM2); parallel_parse does not
        shortForms(out, serials, "serial", true, attached);
        List<String> parallels = new ArrayList<>();
        config.sections("machina-parallel").forEach(s -> parallels.add(s.get("dev").orElse("none")));
        if (parallels.isEmpty() && ports && !nodefaults) {
            parallels.add(nographic ? "null" : "vc");
        }
        shortForms(out, parallels, "parallel", false, attached);
        for (Section s : config.sections("machina-debugcon")) {
            shortForm(out, s.get("dev").orElse("none"), "debugcon", attached);
        }
        for (MonitorLaunch.Monitor m : monitors) {
            if (!out.containsKey(m.endpoint().label())) { // a -mon's chardev is listed with the -chardevs
                out.put(m.endpoint().label(), new Chardev(m.endpoint().label(), m.endpoint().filename(), true,
                        m.endpoint().kind() != dev.machina.qmp.Endpoint.Kind.STDIO));
            }
        }
        return List.copyOf(out.values());
    }

    private static void shortForms(Map<String, Chardev> out, List<String> specs, String prefix, boolean noneCounts, boolean attached) {
        int index = 0;
        for (String spec : specs) {
            if (!spec.equals("none")) {
                shortForm(out, spec, prefix + index++, attached);
            } else if (noneCounts) {
                index++;
            }
        }
    }

    /** {@code -serial SPEC} and its kin: {@code chardev:ID} names an existing one, else one is made. */
    private static void shortForm(Map<String, Chardev> out, String spec, String label, boolean attached) {
        if (spec.equals("none")) {
            return;
        }
        if (spec.startsWith("chardev:")) {
            String id = spec.substring("chardev:".length());
            Chardev c = out.get(id);
            if (c != null && attached) {
                opened(out, id);
            }
            return;
        }
        if (spec.startsWith("mon:")) {
            out.put(label, new Chardev(label, "mux", attached, false));
            out.put(label + "-base", new Chardev(label + "-base", filename(spec.substring(4)), attached, false));
            return;
        }
        out.put(label, new Chardev(label, filename(spec), attached, isServerSocket(spec)));
    }

    private static void opened(Map<String, Chardev> out, String id) {
        Chardev c = out.get(id);
        out.put(id, new Chardev(c.label(), c.filename(), true, c.listening()));
        Chardev base = out.get(id + "-base");
        if (c.filename().equals("mux") && base != null) {
            out.put(base.label(), new Chardev(base.label(), base.filename(), true, base.listening()));
        }
    }

    /** QEMU's filename of a short-form chardev ({@code file:PATH} is "file", {@code unix:P,server} a socket's). */
    private static String filename(String spec) {
        int colon = spec.indexOf(':');
        String backend = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        return switch (backend) {
            case "unix" -> "unix:" + rest.split(",", -1)[0] + (isServerSocket(spec) ? ",server=on" : "");
            case "tcp", "telnet" -> backend + ":" + rest.split(",", -1)[0] + (isServerSocket(spec) ? ",server=on" : "");
            default -> backend;
        };
    }

    private static boolean isServerSocket(String spec) {
        if (!(spec.startsWith("unix:") || spec.startsWith("tcp:") || spec.startsWith("telnet:"))) {
            return false;
        }
        for (String p : spec.split(",")) {
            if (p.equals("server") || p.equals("server=on") || p.equals("server=yes") || p.equals("server=true")) {
                return true;
            }
        }
        return false;
    }

    private static Chardev backendChardev(String label, String backend, Section s, boolean open) {
        if (backend.equals("socket")) {
            boolean server = on(s.get("server").orElse("off"));
            String where = s.get("path").map(p -> "unix:" + p)
                    .orElse("tcp:" + s.get("host").orElse("") + ":" + s.get("port").orElse(""));
            return new Chardev(label, where + (server ? ",server=on" : ""), open, server);
        }
        return new Chardev(label, backend, open, false);
    }

    private static boolean on(String v) {
        return v.equals("on") || v.equals("yes") || v.equals("true") || v.equals("y");
    }
}
