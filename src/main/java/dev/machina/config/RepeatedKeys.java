package dev.machina.config;

import java.util.Map;
import java.util.Set;

/**
 * The keys QEMU 7.2 makes a list of when they are repeated in one option, where every value applies
 * (not "the last wins"): {@code -numa node,cpus=1-27,cpus=29} puts CPUs 1–27 and 29 in the node (the
 * OptsVisitor turns a repeated key into a list: qapi/machine.json NumaNodeOptions cpus);
 * {@code -netdev user,hostfwd=A,hostfwd=B} forwards both ports (NetdevUserOptions hostfwd, guestfwd,
 * dnssearch); {@code -smbios type=11,value=A,value=B} writes both strings (hw/smbios/smbios.c collects
 * them with qemu_opt_foreach); {@code -spice tls-channel=main,tls-channel=inputs} secures both channels
 * (ui/spice-core.c, qemu_opt_foreach).
 *
 * <p>A configuration keeps them as repeated entries, in order; YAML, JSON and HOCON write them as one
 * key with a list of values. QEMU 7.2's own {@code -readconfig} keeps only the last of a repeated key
 * (checked: a {@code [numa]} with {@code cpus = "0"} and {@code cpus = "2"} puts only CPU 2 in the node),
 * so a cfg file that repeats one is Machina's reading, and {@code config check} says so.
 */
public final class RepeatedKeys {
    private RepeatedKeys() {}

    private static final Set<String> NET = Set.of("hostfwd", "guestfwd", "dnssearch");

    private static final Map<String, Set<String>> LISTS = Map.of(
            "netdev", NET, "nic", NET, "net", NET,
            "numa", Set.of("cpus"),
            "machina-smbios", Set.of("value", "path"),
            "spice", Set.of("tls-channel", "plaintext-channel"));

    /** Whether {@code key} of a {@code group} section may repeat, each value applying. */
    public static boolean isList(String group, String key) {
        return LISTS.getOrDefault(group, Set.of()).contains(key);
    }
}
