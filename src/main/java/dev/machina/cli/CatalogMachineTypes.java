package dev.machina.cli;

import dev.machina.config.MachineTypes;
import dev.machina.machine.MachineCatalog;
import java.util.List;
import java.util.Optional;

/**
 * The machine catalog ({@code machines/}, {@code compat/}) as the config layer sees it: names and
 * aliases, and the QOM type whose properties {@code [machine]} takes.
 */
public final class CatalogMachineTypes implements MachineTypes {
    private final MachineCatalog catalog;

    public CatalogMachineTypes(MachineCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Optional<String> qomType(String name) {
        String m = catalog.table().canonical(name);
        return m == null ? Optional.empty() : Optional.of(m + "-machine");
    }

    @Override
    public List<String> names() {
        return List.copyOf(catalog.table().knownNames());
    }

    @Override
    public String defaultName() {
        return catalog.table().defaultMachine();
    }

    @Override
    public boolean complete() {
        return true;
    }
}
