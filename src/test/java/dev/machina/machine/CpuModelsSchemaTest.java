package dev.machina.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** machines/cpu/cpu-models.yaml (the CPU models of dev.machina.cpu.x86.CpuModel) is valid against its schema. */
class CpuModelsSchemaTest {
    @Test
    void theCpuModelCatalogFollowsItsSchema() throws Exception {
        SchemaValidator v = new SchemaValidator();
        YamlNode doc = YamlNode.parse("machines/cpu/cpu-models.yaml", Files.readString(Path.of("machines/cpu/cpu-models.yaml")));
        assertEquals(List.of(), v.validate(v.schema("cpu-models.schema.json"), "cpu-models.schema.json", doc));
    }
}
