package dev.machina.config;

import dev.machina.qom.GlobalProperty;
import dev.machina.qom.ObjectType;
import dev.machina.qom.TypeRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the config layer needs to know about machine types: which QOM type a {@code -machine} name
 * stands for (its properties are the keys {@code [machine]} takes), and the names for did-you-mean.
 */
public interface MachineTypes {

    /** The QOM type of a machine name or alias, e.g. {@code pc} → {@code pc-i440fx-7.2-machine}. */
    Optional<String> qomType(String name);

    /** Every machine name and alias. */
    List<String> names();

    /** The machine QEMU 7.2 uses when none is given. */
    String defaultName();

    /**
     * Whether {@link #names()} is complete: an unknown name is then an error; otherwise machine
     * properties of unknown types are not checked (a warning says so).
     */
    boolean complete();

    /**
     * The compat properties a machine type applies, oldest set winning as in QEMU, in the order they
     * are applied (empty when the catalog does not know them).
     */
    default List<GlobalProperty> compat(String name) {
        return List.of();
    }

    /** The RAM a machine type has without {@code -m}, in bytes, when the catalog says. */
    default Optional<Long> defaultRamBytes(String name) {
        return Optional.empty();
    }

    /** The CPU model a machine type uses without {@code -cpu} ({@code qemu64}), when the catalog says. */
    default Optional<String> defaultCpuModel(String name) {
        return Optional.empty();
    }

    /** QEMU 7.2's default machine (hw/i386/pc_piix.c: pc-i440fx-7.2 is the default, alias pc). */
    String QEMU_DEFAULT = "pc";

    /**
     * Machine types as the type registry knows them: every concrete type whose name ends in
     * {@code -machine}, by the name before that suffix. Complete only when there is at least one.
     */
    static MachineTypes fromRegistry(TypeRegistry registry) {
        List<String> names = new ArrayList<>();
        for (ObjectType t : registry.all()) {
            if (t.isA("machine") && !t.isAbstract() && t.name().endsWith("-machine")) {
                names.add(t.name().substring(0, t.name().length() - "-machine".length()));
            }
        }
        return new MachineTypes() {
            @Override
            public Optional<String> qomType(String name) {
                return names.contains(name) ? Optional.of(name + "-machine") : Optional.empty();
            }

            @Override
            public List<String> names() {
                return List.copyOf(names);
            }

            @Override
            public String defaultName() {
                return QEMU_DEFAULT;
            }

            @Override
            public boolean complete() {
                return !names.isEmpty();
            }
        };
    }
}
