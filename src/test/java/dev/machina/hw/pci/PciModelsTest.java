package dev.machina.hw.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.machina.hw.BuiltinTypes;
import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.ModelCatalog;
import dev.machina.hw.core.ModelCatalogError;
import dev.machina.hw.core.ModelCatalogException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PciModelsTest {
    @Test
    void everyBindingNamesATypeOfTheDataAndReadsItsPropertiesWithTheRightTypes() {
        ModelCatalog.Builder<DeviceModel> b = ModelCatalog.builder(dev.machina.machine.MachineCatalog.load(
                dev.machina.machine.DataFiles.packaged(), false, BuiltinTypes.all()).registry());
        PciModels.all().forEach(b::bind);
        List<ModelCatalogError> errors;
        try {
            b.build();
            errors = List.of();
        } catch (ModelCatalogException e) {
            errors = e.errors();
        }
        // unread properties are the type data's to mark no-effect; anything else is a binding bug
        List<ModelCatalogError> wrong = errors.stream().filter(e -> !(e instanceof ModelCatalogError.Unread)).toList();
        assertEquals(List.of(), wrong);
    }
}
