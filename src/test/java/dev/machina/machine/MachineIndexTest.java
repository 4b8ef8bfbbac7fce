package dev.machina.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.machina.machine.Declarations.Lifecycle;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineIndexTest {
    @Test
    void theIndexOfThePackagedFamiliesReadsBackAsTheSameSummaries() {
        List<MachineTable.Summary> fromYaml = MachineCatalog.loadTable(DataFiles.packagedFamilies()).summaries();

        String text = MachineIndex.render(fromYaml, Map.of("machines/pc-i440fx.yaml", 0x1234L));

        assertEquals(fromYaml, MachineIndex.parse(text));
        assertEquals(Map.of("machines/pc-i440fx.yaml", 0x1234L), MachineIndex.sources(text));
    }

    @Test
    void valuesWithTabsNewlinesAndBackslashesSurvive() {
        MachineTable.Summary s = new MachineTable.Summary("m", "f", List.of("a", "b"), true, "tab\there\\n",
                null, new Lifecycle("line\nbreak", "9.1", null));

        assertEquals(List.of(s), MachineIndex.parse(MachineIndex.render(List.of(s), Map.of())));
    }
}
