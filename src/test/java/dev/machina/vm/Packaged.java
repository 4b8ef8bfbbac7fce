package dev.machina.vm;

import dev.machina.hw.BuiltinTypes;
import dev.machina.machine.DataFiles;
import dev.machina.machine.MachineCatalog;

/** The packaged machine data, loaded once for the tests of this package. */
final class Packaged {
    private Packaged() {}

    private static MachineCatalog catalog;

    static synchronized MachineCatalog catalog() {
        if (catalog == null) {
            catalog = MachineCatalog.load(DataFiles.packaged(), false, BuiltinTypes.all());
        }
        return catalog;
    }

    static BuiltMachine dryRun(String machine) {
        return VmBuilder.dryRun(VmSpec.machineOnly(catalog(), machine));
    }
}
