package dev.machina.config;

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
}
