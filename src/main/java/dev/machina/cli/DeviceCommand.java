package dev.machina.cli;

import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import dev.machina.qom.TypeRegistry;
import dev.machina.qom.TypeSchemas;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code machina device list|show}: the type registry and each type's property schema. */
@Command(name = "device", description = "Device (QOM) types and their property schemas.",
        subcommands = {DeviceCommand.ListTypes.class, DeviceCommand.Show.class})
final class DeviceCommand implements Runnable {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    enum ListFormat { text, json }

    enum ShowFormat { text, json, json_schema;
        @Override public String toString() { return name().replace('_', '-'); }
    }

    @Command(name = "list", description = "List types with their parents (all of them, or filtered).")
    static final class ListTypes implements Callable<Integer> {
        @ParentCommand
        DeviceCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
        ListFormat format;

        @Option(names = "--implements", paramLabel = "TYPE", description = "only types that are, inherit from or implement TYPE")
        String implementsType;

        @Option(names = "--concrete", description = "leave out abstract types and interfaces")
        boolean concrete;

        @Override
        public Integer call() {
            TypeRegistry reg = parent.main.context().registry();
            if (implementsType != null) {
                reg.type(implementsType); // unknown name → did-you-mean error
            }
            List<ObjectType> types = new ArrayList<>(reg.list(new TypeRegistry.Filter(implementsType, concrete)));
            // one release per output (issue 14 item 5): none a later QEMU added, the ones QEMU removed by then marked
            String release = parent.main.context().qemuRelease();
            java.util.Set<String> notYet = dev.machina.machine.QemuRelease.notYetIn(release).keySet();
            types.removeIf(t -> notYet.contains(t.name()));
            Map<String, String> removed = dev.machina.machine.QemuRelease.removedReleases(release);
            PrintWriter out = spec.commandLine().getOut();
            if (format == ListFormat.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (ObjectType t : types) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", t.name());
                    m.put("parent", t.parentName());
                    m.put("abstract", t.isAbstract());
                    m.put("interface", t.isInterface());
                    m.put("interfaces", t.info().interfaces());
                    m.put("description", t.description());
                    if (removed.containsKey(t.name())) {
                        m.put("removed-upstream-in", removed.get(t.name()));
                    }
                    rows.add(m);
                }
                out.println(Output.json(rows));
            } else {
                List<List<String>> rows = new ArrayList<>();
                for (ObjectType t : types) {
                    String kind = t.isInterface() ? "interface" : t.isAbstract() ? "abstract"
                            : removed.containsKey(t.name()) ? "removed in " + removed.get(t.name()) : "";
                    rows.add(List.of(t.name(), t.parentName() == null ? "-" : t.parentName(), kind, t.description()));
                }
                out.print(Output.table(List.of("TYPE", "PARENT", "KIND", "DESCRIPTION"), rows));
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "show", description = "Show one type: its ancestry, interfaces and every property, inherited ones marked.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        DeviceCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TYPE", description = "a type name, e.g. isa-serial")
        String typeName;

        @Option(names = "--format", defaultValue = "text", description = "text, json or json-schema (default: ${DEFAULT-VALUE})")
        ShowFormat format;

        @Override
        public Integer call() {
            Context context = parent.main.context();
            TypeRegistry reg = context.registry();
            ObjectType t = reg.type(typeName);
            String notYet = notYetIn(context, t.name());
            if (notYet != null) { // one release per output (issue 14 item 5): the presented release has no such type
                spec.commandLine().getErr().println("machina: device show: " + notYet);
                return Main.EXIT_USER;
            }
            java.util.Set<String> absent = notInRelease(context, t);
            PrintWriter out = spec.commandLine().getOut();
            switch (format) {
                case json -> {
                    java.util.Map<String, Object> d = TypeSchemas.describe(t, reg);
                    ((List<?>) d.get("properties")).removeIf(p -> absent.contains(((java.util.Map<?, ?>) p).get("name")));
                    out.println(Output.json(d));
                }
                case json_schema -> {
                    java.util.Map<String, Object> s = TypeSchemas.jsonSchema(t);
                    ((java.util.Map<?, ?>) s.get("properties")).keySet().removeAll(absent);
                    out.println(Output.json(s));
                }
                default -> out.print(text(t, reg, absent));
            }
            return Main.EXIT_OK;
        }

        /**
         * Why the presented release has no type {@code name} (one a later QEMU added, machines/qom/device-list-after-qemu72.json),
         * or null when it has it or Machina does not date it.
         */
        static String notYetIn(Context context, String name) {
            String since = dev.machina.machine.QemuRelease.notYetIn(context.qemuRelease()).get(name);
            return since == null ? null : "type '" + name + "' is QEMU " + since + "'s (added after 7.2), not QEMU "
                    + context.qemuRelease() + "'s, the release presented (" + dev.machina.machine.QemuRelease.ENV
                    + "); unset it or pick " + since + " or later to have it";
        }

        /**
         * The properties of {@code t} the presented release does not have (issue 14 item 5: one release
         * per output): with no default known there, and a default the newest release's data says holds
         * only from a later release on ({@code QEMU 8.0+, ...}), as e1000e's migrate-timadj, new in 8.0.
         * Empty when the newest release is presented.
         */
        static java.util.Set<String> notInRelease(Context context, ObjectType t) {
            String release = context.qemuRelease();
            if (release.equals(dev.machina.machine.QemuRelease.NEWEST)) {
                return java.util.Set.of();
            }
            java.util.Set<String> out = new java.util.HashSet<>();
            ObjectType newest = null;
            for (PropertySpec p : t.properties()) {
                if (!(p.defaultValue() instanceof dev.machina.qom.PropertyDefault.Unknown)) {
                    continue;
                }
                if (newest == null) {
                    newest = context.newestCatalog().registry().find(t.name()).orElse(null);
                    if (newest == null) {
                        return out;
                    }
                }
                PropertySpec now = newest.property(p.name()).orElse(null);
                if (now != null && now.defaultValue() instanceof dev.machina.qom.PropertyDefault.Known k && k.since() != null) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^QEMU (\\d+\\.\\d+)\\+").matcher(k.since());
                    if (m.find() && dev.machina.machine.QemuRelease.compare(m.group(1), release) > 0) {
                        out.add(p.name());
                    }
                }
            }
            return out;
        }

        private static String text(ObjectType t, TypeRegistry reg, java.util.Set<String> absent) {
            StringBuilder sb = new StringBuilder();
            sb.append(t.name());
            if (t.isInterface()) {
                sb.append(" (interface)");
            } else if (t.isAbstract()) {
                sb.append(" (abstract)");
            }
            sb.append('\n');
            if (!t.description().isEmpty()) {
                sb.append("  ").append(t.description()).append('\n');
            }
            sb.append("  ancestry:   ").append(String.join(" -> ", t.chain())).append('\n');
            List<String> ifaces = t.allInterfaces(reg);
            if (!ifaces.isEmpty()) {
                sb.append("  interfaces: ").append(String.join(", ", ifaces)).append('\n');
            }
            if (t.isA("device")) {
                sb.append("  hotpluggable: ").append(t.hotpluggable() ? "yes" : "no").append('\n');
            }
            if (t.properties().isEmpty()) {
                sb.append("  (no properties)\n");
                return sb.toString();
            }
            sb.append('\n');
            List<List<String>> rows = new ArrayList<>();
            for (PropertySpec p : t.properties()) {
                if (absent.contains(p.name())) {
                    continue;
                }
                String from = t.declaredIn(p.name());
                String type = p.type().name();
                if (p.type() instanceof PropertyType.EnumType e) {
                    type += " (" + String.join("|", e.values()) + ")";
                }
                String flags = (from.equals(t.name()) ? "" : "inherited from " + from)
                        + (p.settableAfterRealize() ? (from.equals(t.name()) ? "" : "; ") + "settable after realize" : "");
                rows.add(List.of(p.name(), type, p.defaultText().isEmpty() ? "-" : p.defaultText(), flags, p.description()));
            }
            sb.append(Output.table(List.of("PROPERTY", "TYPE", "DEFAULT", "FROM", "DESCRIPTION"), rows));
            return sb.toString();
        }
    }
}
