package dev.machina.qom;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** A type's exported JSON Schema is a valid draft-07 schema that accepts good configurations and rejects bad ones. */
class TypeSchemasTest {
    private final TypeRegistry reg = TestTypes.registry();

    private Schema schemaOf(String type) throws Exception {
        String json = new ObjectMapper().writeValueAsString(TypeSchemas.jsonSchema(reg.type(type)));
        return SchemaLoader.builder().draftV7Support().schemaJson(new JSONObject(json)).build().load().build();
    }

    @Test
    void acceptsValuesInJsonAndInQemuTextForm() throws Exception {
        Schema s = schemaOf("test-uart16550");
        assertDoesNotThrow(() -> s.validate(new JSONObject("{\"iobase\": 1016, \"irq\": \"0x3\", \"wakeup\": \"on\", "
                + "\"fifo\": \"1K\", \"mode\": \"auto\", \"offset\": -3, \"label\": \"x\"}")));
        assertDoesNotThrow(() -> s.validate(new JSONObject("{\"wakeup\": true, \"fifo\": 4096}")));
    }

    @Test
    void rejectsUnknownKeysOutOfRangeNumbersAndBadEnumValues() throws Exception {
        Schema s = schemaOf("test-uart16550");
        ValidationException unknown = assertThrows(ValidationException.class, () -> s.validate(new JSONObject("{\"iobasee\": 1}")));
        assertTrue(unknown.getMessage().contains("iobasee"), unknown.getMessage());
        assertThrows(ValidationException.class, () -> s.validate(new JSONObject("{\"irq\": 256}")));
        assertThrows(ValidationException.class, () -> s.validate(new JSONObject("{\"mode\": \"maybe\"}")));
        assertThrows(ValidationException.class, () -> s.validate(new JSONObject("{\"wakeup\": \"ON\"}")));
    }

    @Test
    void includesInheritedPropertiesAndDefaults() {
        var props = (java.util.Map<?, ?>) TypeSchemas.jsonSchema(reg.type("test-uart16550")).get("properties");
        assertTrue(props.containsKey("iobase"), "inherited from test-uart");
        assertTrue(((java.util.Map<?, ?>) props.get("fifo")).get("default").equals(64L));
    }
}
