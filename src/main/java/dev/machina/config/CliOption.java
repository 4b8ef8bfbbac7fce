package dev.machina.config;

import java.util.Objects;

/**
 * A command-line option of {@code machina run} / {@code machina config write}, spelled as for
 * qemu-system-x86_64, and how it becomes sections of the model.
 *
 * @param name   the option, e.g. {@code -device}
 * @param syntax how its argument is read
 * @param group  the group it writes (for options that write one)
 * @param key    the key it writes, for {@link Syntax#VERBATIM}, {@link Syntax#GROUP_KEY} and {@link Syntax#FIXED}
 * @param value  the value {@link Syntax#FIXED} writes; the fixed keys of {@link Syntax#DRIVE}
 * @param help   a one-line description for usage text
 */
public record CliOption(String name, Syntax syntax, String group, String key, String value, String help) {
    public CliOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(syntax, "syntax");
    }

    public enum Syntax {
        /** QemuOpts: {@code k=v,k=v}, {@code ,,} escapes, implied first key, short-form booleans */
        QEMU_OPTS(true),
        /** QemuOpts, or a JSON object when the argument starts with '{' ({@code -device}, {@code -object}) */
        QEMU_OPTS_OR_JSON(true),
        /** keyval: dotted keys, {@code ,,} escapes after '=', implied first key, no flags */
        KEYVAL(true),
        /** keyval, or a JSON object when the argument starts with '{' ({@code -blockdev}) */
        KEYVAL_OR_JSON(true),
        /** {@code -cpu MODEL,feat=v,+feat,-feat,feat}: split at commas, no escaping */
        CPU(true),
        /** the whole argument is the value of {@link #key} */
        VERBATIM(true),
        /**
         * the whole argument is the value of {@link #key} in {@link #group}, a group other options also
         * write ({@code -kernel} is {@code -machine kernel=}, {@code -watchdog-action} is {@code -action watchdog=})
         */
        GROUP_KEY(true),
        /**
         * a disk sugar option ({@code -hda}, {@code -cdrom}, {@code -fda}, ...): a {@code [drive]} with the
         * QemuOpts keys in {@link #value} and {@code file} = the argument, as QEMU 7.2's {@code drive_add} makes it
         */
        DRIVE(true),
        /** a flag that sets {@link #key} = {@link #value} in {@link #group} ({@code -no-reboot} is {@code -action reboot=shutdown}) */
        FIXED(false),
        /** a flag with a group of its own and no keys */
        FLAG(false),
        /** {@code -global driver.property=value} or {@code -global driver=,property=,value=} */
        GLOBAL(true),
        /** {@code -set group.id.key=value}: changes a section defined earlier */
        SET(true),
        /** {@code -readconfig FILE}: the file's sections, in place */
        READCONFIG(true),
        /** {@code -writeconfig FILE|-}: where to write the configuration */
        WRITECONFIG(true),
        /** an option QEMU has but not for this target */
        UNSUPPORTED(true),
        /** {@code -h}, {@code -help}, {@code -version} */
        INFO(false);

        private final boolean takesArgument;

        Syntax(boolean takesArgument) {
            this.takesArgument = takesArgument;
        }

        public boolean takesArgument() {
            return takesArgument;
        }
    }
}
