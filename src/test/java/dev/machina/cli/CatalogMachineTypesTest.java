package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.machine.MachineIndex;
import dev.machina.machine.MachineTable;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A command line's machine names are looked up in the build's machine index until the catalog is
 * loaded (start-up): the index must resolve every name and alias as the machine table does.
 */
class CatalogMachineTypesTest {
    @Test
    void theIndexResolvesEveryNameAndAliasAsTheTableDoes() {
        MachineTable table = new Context().machines();
        CatalogMachineTypes.IndexNames names = CatalogMachineTypes.IndexNames.of(
                MachineIndex.parse(MachineIndex.render(table.summaries(), Map.of())));
        assertTrue(table.knownNames().contains("pc") && table.knownNames().contains("none"), "the table has pc and none");
        for (String n : table.knownNames()) {
            assertEquals(table.canonical(n), names.canonical().get(n), n);
        }
        assertEquals(table.knownNames().size(), names.canonical().size(), "names the table does not know");
        assertEquals(table.defaultMachine(), names.defaultName());
    }
}
