package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.qom.ObjectType;
import dev.machina.qom.TypeSchemas;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONObject;
import org.json.JSONTokener;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every JSON Schema Machina ships or prints is a valid draft-07 schema: checked against the
 * draft-07 metaschema itself (a validator loads a broken schema such as {@code allOf: []} without
 * a word, so loading is not enough). The files in {@code schemas/}, {@code config schema} and
 * {@code device show --format json-schema} of every type.
 */
class MetaschemaTest {
    private static final Schema DRAFT7 = metaschema();

    private static Schema metaschema() {
        try (InputStream in = MetaschemaTest.class.getClassLoader().getResourceAsStream("draft-07/schema")) {
            JSONObject meta = new JSONObject(new JSONTokener(in));
            return SchemaLoader.builder().schemaJson(meta).draftV7Support().build().load().build();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The violations of the metaschema, one line each (empty when the schema is valid draft-07). */
    static List<String> problems(String json) {
        try {
            DRAFT7.validate(new JSONObject(json));
            return List.of();
        } catch (ValidationException e) {
            // a schema may also be a boolean: that alternative's "expected type: Boolean" lines say nothing
            List<String> out = new ArrayList<>(e.getAllMessages().stream().filter(m -> !m.endsWith("expected type: Boolean, found: JSONObject")).toList());
            return out.isEmpty() ? List.of(e.getMessage()) : out;
        }
    }

    @Test
    void theMetaschemaCatchesAnEmptyAllOf() {
        assertFalse(problems("{\"allOf\": []}").isEmpty());
        assertEquals(List.of(), problems("{\"allOf\": [{\"type\": \"string\"}]}"));
    }

    @TestFactory
    Stream<DynamicTest> everySchemaFileIsValidDraft07() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("schemas"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 5, files.toString());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> assertEquals(List.of(), problems(Files.readString(f)), f.toString())));
    }

    @Test
    void configSchemaPrintsValidDraft07() {
        CliRunner r = CliRunner.run("config", "schema");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(), problems(r.out()));
    }

    @Test
    void everyTypesJsonSchemaIsValidDraft07() {
        Context context = new Context();
        List<String> bad = new ArrayList<>();
        for (ObjectType t : context.registry().all()) {
            List<String> p = problems(Output.json(TypeSchemas.jsonSchema(t)));
            if (!p.isEmpty()) {
                bad.add(t.name() + ": " + p);
            }
        }
        assertEquals(List.of(), bad);
    }
}
