package dev.machina.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One option group: a {@code -readconfig} section name and the command-line option(s) that fill it.
 *
 * @param name        the group, e.g. {@code memory}
 * @param kind        which parser QEMU 7.2 uses for it, or {@link Kind#MACHINA} for Machina's own groups
 * @param inFiles     what QEMU 7.2 does with such a section in a {@code -readconfig} file
 * @param mergeLists  repeated occurrences merge into one (later keys win) instead of making objects
 * @param implied     the key a bare first value stands for on the command line ({@code -m 512} is
 *                    {@code size=512}); empty when the first element has to be {@code key=value}
 * @param params      the keys the group takes and their types; empty with {@code anyKey} for groups
 *                    whose keys are checked elsewhere (device and object properties, machine
 *                    properties) or not at all
 * @param anyKey      the group takes keys beyond {@link #params}
 * @param idRule      whether sections have an id
 * @param options     the command-line options that write this group
 * @param description what it configures, in our words
 */
public record OptionGroup(String name, Kind kind, InFiles inFiles, boolean mergeLists, Optional<String> implied,
                          Map<String, Param> params, boolean anyKey, IdRule idRule, List<String> options,
                          String description) {
    public OptionGroup {
        Objects.requireNonNull(name, "name");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        options = List.copyOf(options);
    }

    /** The parser QEMU uses for a group (§3.1 of the facts). */
    public enum Kind {
        /** QemuOpts: flat {@code k=v}, {@code ,,} escapes, short-form booleans. */
        QEMU_OPTS,
        /** keyval: dotted keys build a tree, no short-form booleans; in files the keys are crumpled. */
        KEYVAL,
        /** Machina's own group for an option QEMU cannot take from a file. */
        MACHINA
    }

    /** What QEMU 7.2's {@code -readconfig} does with the group. */
    public enum InFiles {
        /** reads and applies it */
        APPLIED,
        /** reads it and silently ignores it (verified with QEMU 7.2: only the command-line option acts) */
        IGNORED,
        /** rejects it: {@code There is no option group} */
        UNKNOWN_TO_QEMU
    }

    /** Ids in a group. */
    public enum IdRule {
        /** no id: a merge-lists group or a keyval group merged into the machine */
        NONE,
        /** an id may be given */
        OPTIONAL,
        /** every section needs one */
        REQUIRED
    }

    /**
     * A key a group takes.
     *
     * @param type    its QemuOpts type
     * @param choices the values QEMU accepts when it takes only some (an enum), else empty
     */
    public record Param(ParamType type, List<String> choices) {
        public Param {
            Objects.requireNonNull(type, "type");
            choices = List.copyOf(choices);
        }
    }

    /** QemuOpts parameter types (QEMU_OPT_STRING, BOOL, NUMBER, SIZE). */
    public enum ParamType {
        STRING("str"), BOOL("bool (on/off)"), NUMBER("num"), SIZE("size");

        private final String label;

        ParamType(String label) {
            this.label = label;
        }

        /** How QEMU's option help shows the type: {@code size=<size>}. */
        public String label() {
            return label;
        }
    }

    /**
     * Whether QEMU's QemuOptsList for the group takes any key (an empty descriptor list): its keys are
     * checked later, when the object is made, and {@code help} is not special there. Our own checks of
     * {@code drive} are stricter than QEMU's list (it has the -drive keys; the block layer checks them later).
     */
    public boolean qemuAcceptsAnyKey() {
        return anyKey || name.equals("drive");
    }

    public boolean qemuReadsIt() {
        return inFiles != InFiles.UNKNOWN_TO_QEMU;
    }

    /** A flag option's group ({@code -nodefaults}): no keys at all. */
    public boolean isFlag() {
        return params.isEmpty() && !anyKey;
    }
}
