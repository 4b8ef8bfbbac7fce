package dev.machina.cli;

import dev.machina.config.MachineTypes;
import dev.machina.machine.MachineCatalog;
import dev.machina.machine.MachineOption;
import dev.machina.machine.ResolvedMachine;
import dev.machina.qom.GlobalProperty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machine catalog ({@code machines/}, {@code compat/}) as the config layer sees it: names and
 * aliases, the QOM type whose properties {@code [machine]} takes, the compat properties and the RAM
 * and CPU defaults {@code --resolved} fills in. Machines are resolved once per run, when asked.
 */
final class CatalogMachineTypes implements MachineTypes {
    private final MachineCatalog catalog;
    private final Map<String, ResolvedMachine> resolved = new HashMap<>();

    CatalogMachineTypes(MachineCatalog catalog) {
        this.catalog = catalog;
    }

    private Optional<ResolvedMachine> resolve(String name) {
        String m = catalog.table().canonical(name);
        return m == null ? Optional.empty() : Optional.of(resolved.computeIfAbsent(m, catalog::resolve));
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

    @Override
    public List<GlobalProperty> compat(String name) {
        List<GlobalProperty> out = new ArrayList<>();
        resolve(name).ifPresent(r -> {
            for (ResolvedMachine.CompatValue c : r.compat()) {
                // without a type the driver lacks the property: QEMU's optional entry, applied only where it exists
                boolean optional = c.type() == null;
                String text = optional || c.value() instanceof String ? String.valueOf(c.value()) : c.type().format(c.value());
                out.add(new GlobalProperty(c.driver(), c.property(), text, c.origin().toString(), false, optional));
            }
        });
        return out;
    }

    @Override
    public Optional<Long> defaultRamBytes(String name) {
        return resolve(name).map(r -> r.option(MachineOption.DEFAULT_RAM_SIZE)).filter(o -> o.value() instanceof Long)
                .map(o -> (Long) o.value());
    }

    @Override
    public Optional<String> defaultCpuModel(String name) {
        return resolve(name).map(r -> r.option(MachineOption.DEFAULT_CPU_TYPE)).filter(o -> o.value() instanceof String)
                .map(o -> ((String) o.value()).replaceFirst("-x86_64-cpu$", ""));
    }
}
