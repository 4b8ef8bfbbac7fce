package dev.machina.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The human monitor's commands (QEMU's HMP), with QEMU 7.2's output: used by {@code -monitor} and by
 * QMP's {@code human-monitor-command}. Output lines end in {@code \n}; the caller turns them into what
 * its channel wants ({@code \r\n} for QMP, as QEMU).
 */
public final class Hmp {
    private final MonitorContext ctx;

    public Hmp(MonitorContext ctx) {
        this.ctx = ctx;
    }

    private interface Cmd {
        String run(String args);
    }

    private record Entry(String params, String help, Cmd cmd) {}

    private Map<String, Entry> commands() {
        Map<String, Entry> m = new LinkedHashMap<>();
        m.put("cont", new Entry("", "resume emulation", a -> {
            ctx.machine().cont();
            return "";
        }));
        m.put("help", new Entry("[cmd]", "show the help", this::help));
        m.put("info", new Entry("[subcommand]", "show various information about the system state", this::info));
        m.put("qom-get", new Entry("path property", "print QOM property", a -> {
            String[] w = a.split("\\s+");
            if (w.length != 2) {
                throw QmpError.generic("qom-get needs a path and a property");
            }
            JsonNode v = Commands.qom(ctx, q -> q.get(w[0], w[1]));
            return QmpJson.writePretty(v) + "\n";
        }));
        m.put("qom-list", new Entry("path", "list QOM properties", a -> {
            String path = a.isEmpty() ? "/" : a.split("\\s+")[0];
            StringBuilder sb = new StringBuilder();
            for (JsonNode p : Commands.qom(ctx, q -> q.list(path))) {
                sb.append(p.get("name").asText()).append(" (").append(p.get("type").asText()).append(")\n");
            }
            return sb.toString();
        }));
        m.put("qom-set", new Entry("[-j] path property value", "set QOM property.\n\t\t\t-j: the value is specified in json format.", a -> {
            String[] w = a.split("\\s+", 4);
            boolean json = w.length > 0 && w[0].equals("-j");
            String[] x = json ? java.util.Arrays.copyOfRange(w, 1, w.length) : a.split("\\s+", 3);
            if (x.length != 3) {
                throw QmpError.generic("qom-set needs a path, a property and a value");
            }
            Commands.qom(ctx, q -> {
                q.setText(x[0], x[1], x[2], json);
                return null;
            });
            return "";
        }));
        m.put("quit", new Entry("", "quit the emulator", a -> {
            ctx.machine().quit();
            ctx.requestExit();
            return "";
        }));
        m.put("stop", new Entry("", "stop emulation", a -> {
            ctx.machine().stop();
            return "";
        }));
        m.put("system_powerdown", new Entry("", "send system power down event", a -> {
            ctx.machine().systemPowerdown();
            return "";
        }));
        m.put("system_reset", new Entry("", "reset the system", a -> {
            ctx.machine().systemReset();
            return "";
        }));
        return m;
    }

    private Map<String, Entry> infos() {
        Map<String, Entry> m = new LinkedHashMap<>();
        m.put("chardev", new Entry("", "show the character devices", a -> {
            StringBuilder sb = new StringBuilder();
            for (MonitorContext.Chardev c : ctx.chardevs()) {
                sb.append(c.label()).append(": filename=").append(c.filename()).append('\n');
            }
            return sb.toString();
        }));
        m.put("mtree", new Entry("[-f][-d][-o][-D]", "show memory tree (-f: dump flat view for address spaces;"
                + "-d: dump dispatch tree, valid with -f only);-o: dump region owners/parents;-D: dump disabled regions",
                a -> ctx.machine().infoMtree(java.util.Arrays.asList(a.split("\\s+")).contains("-f"))));
        m.put("name", new Entry("", "show the current VM name", a -> ctx.name().map(n -> n + "\n").orElse("")));
        m.put("registers", new Entry("[-a|vcpu]", "show the cpu registers (-a: show register info for all cpus; vcpu: specific vCPU to query; "
                + "show the current CPU's registers if no argument is specified)", a -> ctx.machine().infoRegisters()));
        m.put("qom-tree", new Entry("[path]", "show QOM composition tree", a -> Commands.qom(ctx,
                q -> QmpJson.NODES.textNode(q.tree(a.isEmpty() ? null : a.split("\\s+")[0]))).asText()));
        m.put("qtree", new Entry("", "show device tree", a -> ctx.machine().infoQtree()));
        m.put("status", new Entry("", "show the current VM status (running|paused)", a -> {
            QmpMachine.RunState s = ctx.machine().runState();
            boolean running = s == QmpMachine.RunState.RUNNING;
            String text = "VM status: " + (running ? "running" : "paused");
            if (!running && s != QmpMachine.RunState.PAUSED) {
                text += " (" + s.qapi() + ")";
            }
            return text + "\n";
        }));
        m.put("uuid", new Entry("", "show the current VM UUID", a -> ctx.uuid() + "\n"));
        m.put("version", new Entry("", "show the version of QEMU", a -> MonitorContext.QEMU_MAJOR + "." + MonitorContext.QEMU_MINOR
                + "." + MonitorContext.QEMU_MICRO + ctx.packageName() + "\n"));
        return m;
    }

    /** Runs one command line; the reply is the text the monitor prints. */
    public String run(String line) {
        String l = line.strip();
        if (l.isEmpty()) {
            return "";
        }
        int sp = l.indexOf(' ');
        String name = sp < 0 ? l : l.substring(0, sp);
        String args = sp < 0 ? "" : l.substring(sp + 1).strip();
        name = switch (name) { // QEMU's short names
            case "q" -> "quit";
            case "c" -> "cont";
            case "s" -> "stop";
            case "?", "h" -> "help";
            case "i" -> "info";
            default -> name;
        };
        Entry e = commands().get(name);
        if (e == null) {
            return "unknown command: '" + name + "'\n";
        }
        try {
            return e.cmd().run(args);
        } catch (QmpError err) {
            return "Error: " + err.desc() + "\n";
        }
    }

    private String info(String args) {
        Map<String, Entry> infos = infos();
        if (args.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            infos.forEach((k, v) -> sb.append("info ").append(k).append(v.params().isEmpty() ? "" : " " + v.params())
                    .append(" -- ").append(v.help()).append('\n'));
            return sb.toString();
        }
        String[] w = args.split("\\s+", 2);
        Entry e = infos.get(w[0]);
        if (e == null) {
            return "unknown command: 'info " + w[0] + "'\n";
        }
        return e.cmd().run(w.length > 1 ? w[1] : "");
    }

    private String help(String args) {
        StringBuilder sb = new StringBuilder();
        commands().forEach((k, v) -> {
            if (args.isEmpty() || args.equals(k)) {
                sb.append(k).append(v.params().isEmpty() ? "" : " " + v.params()).append(" -- ").append(v.help()).append('\n');
            }
        });
        if (args.equals("info")) {
            sb.setLength(0);
            sb.append(info(""));
        }
        return sb.toString();
    }
}
