package dev.machina.cli;

import dev.machina.machine.MachineCatalog;
import dev.machina.machine.MachineTable;
import dev.machina.qom.ObjectType;
import dev.machina.qom.PropertySpec;
import dev.machina.qom.PropertyType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code -machine help} and {@code -machine TYPE,help} in QEMU's format: the list of machine types
 * (aliases on their own line before the type, "(default)" and "(deprecated)" marks) and one type's
 * properties. One change from QEMU: versions sort as versions ({@code pc-i440fx-2.12} above
 * {@code pc-i440fx-2.9}). The list is the QEMU release's that Machina presents (10.2, or the one
 * {@code MACHINA_QEMU_VERSION} names): its types, its deprecations, its aliases. Types that release has
 * removed are not listed, though Machina still runs them; {@code machine list --all} shows them, marked.
 */
final class MachineHelp {
    private MachineHelp() {}

    /** Whether a {@code -machine} value asks for help: {@code help}, {@code ?}, {@code TYPE,help}, {@code TYPE,?}. */
    static boolean isHelp(String value) {
        return value.equals("help") || value.equals("?") || value.endsWith(",help") || value.endsWith(",?");
    }

    /** The help text for a {@code -machine} value that {@link #isHelp} accepts. */
    static String help(String value, Context context) {
        if (value.equals("help") || value.equals("?")) {
            return list(context.machineSummaries());
        }
        String type = value.substring(0, value.lastIndexOf(','));
        if (type.startsWith("type=")) {
            type = type.substring(5);
        }
        return properties(context.catalog(), type);
    }

    /** {@code name} left-aligned in 20 columns and a space, as QEMU's {@code %-20s }. */
    private static StringBuilder pad(StringBuilder sb, String name) {
        sb.append(name);
        for (int i = name.length(); i < 20; i++) {
            sb.append(' ');
        }
        return sb.append(' ');
    }

    static String list(List<MachineTable.Summary> summaries) {
        // padded by hand, not String.format: -machine help is on the start-up path (libvirt probes it)
        StringBuilder sb = new StringBuilder("Supported machines are:\n");
        for (MachineTable.Summary s : summaries) {
            if (s.removedUpstream()) {
                continue;
            }
            for (String alias : s.aliases()) {
                pad(sb, alias).append(s.description()).append(" (alias of ").append(s.name()).append(")\n");
            }
            pad(sb, s.name()).append(s.description()).append(s.isDefault() ? " (default)" : "")
                    .append(s.deprecated() ? " (deprecated)" : "").append('\n');
        }
        return sb.toString();
    }

    static String properties(MachineCatalog catalog, String name) {
        String machine = catalog.table().canonical(name);
        if (machine == null) {
            catalog.resolve(name); // throws the unknown-machine error with its suggestions
        }
        ObjectType t = catalog.registry().type(machine + "-machine");
        List<PropertySpec> props = new ArrayList<>(t.properties());
        props.removeIf(p -> p.type() instanceof PropertyType.ChildType);
        props.sort(Comparator.comparing(PropertySpec::name));
        StringBuilder sb = new StringBuilder(t.name()).append(" options:\n");
        for (PropertySpec p : props) {
            String head = "  " + p.name() + "=<" + p.type().name() + ">";
            if (p.description().isEmpty()) {
                sb.append(head).append('\n');
            } else {
                sb.append(String.format("%-24s - %s%n", head, p.description()).replace("\r\n", "\n"));
            }
        }
        return sb.toString();
    }
}
