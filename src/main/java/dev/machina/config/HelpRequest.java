package dev.machina.config;

import java.util.Optional;

/**
 * A request for help found on the command line ({@code -device help}, {@code -m 512,help}, ...):
 * QEMU prints something and stops instead of running; so do we.
 *
 * @param kind  what to list
 * @param name  the type or group it is about, when it is about one
 */
public record HelpRequest(Kind kind, Optional<String> name) {
    public enum Kind {
        /** {@code -h}, {@code -help} */
        USAGE,
        /** {@code -version} */
        VERSION,
        /** {@code -machine help} */
        MACHINES,
        /** {@code -machine TYPE,help} */
        MACHINE_PROPERTIES,
        /** {@code -device help} */
        DEVICES,
        /** {@code -device TYPE,help} */
        DEVICE_PROPERTIES,
        /** {@code -object help} */
        OBJECTS,
        /** {@code -object TYPE,help} */
        OBJECT_PROPERTIES,
        /** {@code -cpu help} */
        CPU_MODELS,
        /** {@code -chardev help} */
        CHARDEV_BACKENDS,
        /** {@code -netdev help} */
        NETDEV_BACKENDS,
        /** {@code -accel help} */
        ACCELERATORS,
        /** {@code -display help} */
        DISPLAYS,
        /** {@code -vga help} */
        VGA_TYPES,
        /** {@code -audiodev help} */
        AUDIO_DRIVERS,
        /** {@code -m 512,help}, {@code -smp help}: the keys of the group {@link #name} */
        GROUP_OPTIONS
    }

    /**
     * The exit status QEMU 7.2 ends with after printing this: 1 for a QemuOpts group's key list
     * ({@code -m 512,help}, {@code -name foo,?}, {@code -global help}: qemu_opts_parse_noisily prints it
     * and fails), 0 for everything else.
     */
    public int exitStatus() {
        return kind == Kind.GROUP_OPTIONS && name.flatMap(OptionGroups::find).map(g -> g.kind() == OptionGroup.Kind.QEMU_OPTS).orElse(false)
                ? 1 : 0;
    }

    public static HelpRequest of(Kind kind) {
        return new HelpRequest(kind, Optional.empty());
    }

    public static HelpRequest of(Kind kind, String name) {
        return new HelpRequest(kind, Optional.ofNullable(name));
    }
}
