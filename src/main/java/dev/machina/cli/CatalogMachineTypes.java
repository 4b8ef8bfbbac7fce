package dev.machina.cli;

import dev.machina.config.MachineTypes;
import dev.machina.machine.MachineCatalog;
import java.util.List;
import java.util.Optional;

/**
 * The machine catalog ({@code machines/}, {@code compat/}) as the config layer sees it: names and
 * aliases, and the QOM type whose properties {@code [machine]} takes.
 */
public class CatalogMachineTypes implements MachineTypes {
    private final java.util.function.Supplier<dev.machina.machine.MachineTable> table;

    public CatalogMachineTypes(MachineCatalog catalog) {
        this.table = catalog::table;
    }

    /** From a machine table loaded on first use (a {@link Context}'s {@code machines()}, which is the catalog's once that is loaded). */
    public CatalogMachineTypes(java.util.function.Supplier<dev.machina.machine.MachineTable> table) {
        this.table = table;
    }

    /**
     * The machine types of a context, for checking a command line: a name or alias is looked up in the
     * build's machine index while the catalog is not loaded (no YAML read: a probe's {@code -machine none}
     * is checked in a few milliseconds), else in the context's machine table; the names for did-you-mean
     * come from the table, in its order, as they always did.
     */
    static MachineTypes of(Context context) {
        return new CatalogMachineTypes(context::machines) {
            private IndexNames names;

            /** false when the index cannot answer (then the table does) */
            private boolean indexed() {
                if (context.catalogLoaded()) {
                    return false;
                }
                if (names == null) {
                    java.util.Optional<java.util.List<dev.machina.machine.MachineTable.Summary>> index = context.machineIndex();
                    if (index.isEmpty()) {
                        return false;
                    }
                    names = IndexNames.of(index.get());
                }
                return true;
            }

            @Override
            public Optional<String> qomType(String name) {
                if (!indexed()) {
                    return super.qomType(name);
                }
                String m = names.canonical().get(name);
                return m == null ? Optional.empty() : Optional.of(m + "-machine");
            }

            @Override
            public String defaultName() {
                return indexed() && names.defaultName() != null ? names.defaultName() : super.defaultName();
            }
        };
    }

    /** What the machine index says of names: each machine name and alias to its machine, and the default machine (null if none). */
    record IndexNames(java.util.Map<String, String> canonical, String defaultName) {
        static IndexNames of(List<dev.machina.machine.MachineTable.Summary> index) {
            java.util.Map<String, String> m = new java.util.HashMap<>();
            String d = null;
            for (dev.machina.machine.MachineTable.Summary s : index) {
                m.put(s.name(), s.name());
                if (s.isDefault()) {
                    d = s.name();
                }
            }
            for (dev.machina.machine.MachineTable.Summary s : index) {
                for (String a : s.aliases()) {
                    m.putIfAbsent(a, s.name()); // a machine's own name wins over an alias, as in MachineTable.canonical
                }
            }
            return new IndexNames(m, d);
        }
    }

    @Override
    public Optional<String> qomType(String name) {
        String m = table.get().canonical(name);
        return m == null ? Optional.empty() : Optional.of(m + "-machine");
    }

    @Override
    public List<String> names() {
        return List.copyOf(table.get().knownNames());
    }

    @Override
    public String defaultName() {
        return table.get().defaultMachine();
    }

    @Override
    public boolean complete() {
        return true;
    }
}
