package dev.machina.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.everit.json.schema.Schema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The JSON Schemas in {@code schemas/}: well-formed draft-07, each with an {@code $id}, examples that pass. */
class SchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SchemaValidator validator = new SchemaValidator();

    private static List<Path> schemaFiles() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("schemas"))) {
            return s.filter(p -> p.toString().endsWith(".schema.json")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everySchemaHasAnIdUnderTheBaseAndLoadsAsDraft7() throws Exception {
        return schemaFiles().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            JsonNode s = JSON.readTree(p.toFile());
            assertEquals("http://json-schema.org/draft-07/schema#", s.get("$schema").asText());
            assertEquals(SchemaValidator.BASE + p.getFileName(), s.get("$id").asText());
            Schema loaded = validator.schema(p.getFileName().toString());
            assertTrue(loaded != null);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleInASchemaIsValidAgainstIt() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : schemaFiles()) {
            JsonNode s = JSON.readTree(p.toFile());
            if (!s.has("examples")) {
                continue;
            }
            int i = 0;
            for (JsonNode example : s.get("examples")) {
                String name = p.getFileName() + " example " + i++;
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    YamlNode doc = YamlNode.parse(name, JSON.writeValueAsString(example));
                    assertEquals(List.of(), validator.validate(validator.schema(p.getFileName().toString()),
                            p.getFileName().toString(), doc));
                }));
            }
        }
        // every document schema carries an example; common.schema.json holds only shared definitions
        assertEquals(schemaFiles().size() - 1, tests.size(), "each document schema carries an example");
        return tests.stream();
    }

    @Test
    void aTypoInAnExampleIsCaughtAsAnUnknownKeyAtItsPosition() throws Exception {
        JsonNode s = JSON.readTree(Path.of("schemas/compat-sets.schema.json").toFile());
        String example = JSON.writeValueAsString(s.get("examples").get(0)).replace("\"restores\"", "\"restore\"");

        List<MachineError> errors = validator.validate("compat-sets", YamlNode.parse("x.yaml", example));

        assertEquals(1, errors.size());
        assertEquals("schema:additionalProperties", errors.get(0).rule());
        assertTrue(errors.get(0).message().contains("did you mean 'restores'"), errors.get(0).message());
    }

    @Test
    void machineOptionsInTheSchemaAreExactlyTheOptionTable() throws Exception {
        JsonNode opts = JSON.readTree(Path.of("schemas/machine-family.schema.json").toFile())
                .get("definitions").get("options");

        TreeSet<String> inSchema = new TreeSet<>();
        opts.get("properties").fieldNames().forEachRemaining(inSchema::add);

        assertEquals(new TreeSet<>(MachineOption.keys()), inSchema);
        assertFalse(opts.get("additionalProperties").asBoolean(), "a misspelt option must not pass");
    }

    @Test
    void schemaTypesOfOptionsMatchTheirPropertyTypes() throws Exception {
        JsonNode props = JSON.readTree(Path.of("schemas/machine-family.schema.json").toFile())
                .get("definitions").get("options").get("properties");
        for (MachineOption o : MachineOption.values()) {
            JsonNode s = props.get(o.key());
            String expected = switch (o.type().name()) {
                case "bool" -> "{\"type\":\"boolean\"}";
                case "uint32" -> "{\"type\":\"integer\",\"minimum\":0}";
                case "size" -> "{\"$ref\":\"#/definitions/size\"}";
                case "str" -> "{\"type\":[\"string\",\"null\"]}";
                default -> null;
            };
            if (expected != null) {
                assertEquals(JSON.readTree(expected), s, o.key());
            }
        }
    }

    @Test
    void objectsThatHoldNamedKeysRejectUnknownOnes() throws Exception {
        for (String f : List.of("machine-family", "compat-sets", "device-types")) {
            JsonNode s = JSON.readTree(Path.of("schemas/" + f + ".schema.json").toFile());
            assertFalse(s.get("additionalProperties").asBoolean(), f);
            for (Map.Entry<String, JsonNode> d : iterable(s.get("definitions"))) {
                JsonNode def = d.getValue();
                if (def.has("properties")) {
                    assertTrue(def.has("additionalProperties") && !def.get("additionalProperties").asBoolean(),
                            f + " definition " + d.getKey() + " lets typos pass");
                }
            }
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
        return n::fields;
    }
}
