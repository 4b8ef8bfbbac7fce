package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.config.OptionGroup;
import dev.machina.config.OptionGroups;
import dev.machina.config.VmConfigSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code schemas/vm-config.schema.json}: in step with the option groups and the device types the
 * command line knows, a valid draft-07 schema, and it agrees with Machina's own checks on examples.
 */
class VmConfigSchemaTest {
    static final Path FILE = Path.of("schemas/vm-config.schema.json");
    static JSONObject raw;
    static Schema schema;

    @BeforeAll
    static void load() throws IOException {
        raw = new JSONObject(Files.readString(FILE));
        schema = SchemaLoader.builder().schemaJson(raw).draftV7Support().build().load().build();
    }

    @Test
    void theCommittedSchemaIsWhatTheGroupsAndTheRegistryGenerate() throws IOException {
        String generated = VmConfigSchema.text(new Context().registry());
        assertEquals(generated, Files.readString(FILE),
                "schemas/vm-config.schema.json is out of date: regenerate it with 'tools/machina config schema -o schemas/vm-config.schema.json'");
    }

    @Test
    void itHasAnIdAndDescribesEveryGroup() {
        assertEquals(VmConfigSchema.ID, raw.getString("$id"));
        JSONObject groups = raw.getJSONObject("definitions").getJSONObject("section").getJSONObject("properties");
        for (OptionGroup g : OptionGroups.all()) {
            assertTrue(groups.has(g.name()), g.name());
        }
    }

    @Test
    void itsExamplesAreValidForTheSchemaAndForMachina(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        JSONArray examples = raw.getJSONArray("examples");
        assertTrue(examples.length() > 0);
        for (int i = 0; i < examples.length(); i++) {
            schema.validate(examples.get(i));
            Path f = dir.resolve("example" + i + ".json");
            Files.writeString(f, examples.get(i).toString());
            CliRunner r = CliRunner.run("config", "check", f.toString());
            assertEquals(0, r.code(), r.err());
        }
    }

    @Test
    void whatMachinaWritesAsJsonIsValidForTheSchema() {
        CliRunner w = CliRunner.run("config", "write", "--format", "json", "-M", "pc,accel=tcg", "-m", "2G", "-smp", "2", "-cpu", "qemu64",
                "-name", "vm1", "-nodefaults", "-S", "-global", "isa-fdc.fallback=144", "-chardev", "file,id=c0,path=out.txt",
                "-device", "isa-serial,id=s0,chardev=c0,iobase=0x3f8", "-object", "memory-backend-ram,id=m,size=1G", "-display", "none",
                "-serial", "stdio", "-boot", "order=cd", "-action", "reboot=shutdown");
        assertEquals(0, w.code(), w.err());
        schema.validate(new JSONObject(w.out()));
    }

    @Test
    void theSchemaRejectsWhatMachinaRejects() {
        JSONObject twin = new JSONObject("{\"sections\": [{\"device\": {\"driver\": \"isa-serial\", \"iobasee\": \"0x3f8\"}}]}");
        ValidationException e = assertThrows(ValidationException.class, () -> schema.validate(twin));
        assertTrue(e.getAllMessages().toString().contains("iobasee"), e.getAllMessages().toString());
        assertThrows(ValidationException.class, () -> schema.validate(new JSONObject("{\"sections\": [{\"memory\": {\"size\": \"2GB\"}}]}")));
        assertThrows(ValidationException.class, () -> schema.validate(new JSONObject("{\"sections\": [{\"cpu\": {\"model\": \"x\"}}]}")));
        assertThrows(ValidationException.class, () -> schema.validate(new JSONObject("{\"sections\": [{\"machina-S\": {\"x\": \"on\"}}]}")));
        assertThrows(ValidationException.class, () -> schema.validate(new JSONObject("{\"sections\": [], \"extra\": 1}")));
    }
}
