package dev.machina.machine;

import dev.machina.util.Suggest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.everit.json.schema.ObjectSchema;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.loader.SchemaClient;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONObject;
import org.json.JSONTokener;

/**
 * Checks documents against the JSON Schemas in {@code schemas/} (draft-07, everit) and turns each
 * violation into a {@link MachineError.Schema} at the YAML position of the offending value (for an
 * unknown key: of the key, with a did-you-mean over the keys the schema allows).
 *
 * <p>Schemas are read from the classpath ({@code /schemas/NAME}); {@code $ref}s between them use their
 * {@code $id} URLs, which are mapped to the same directory.
 */
public final class SchemaValidator {
    public static final String BASE = "https://machina.dev/schemas/";

    /** Schema file for each document kind. */
    public static final Map<String, String> FILES = Map.of(
            "machine-family", "machine-family.schema.json",
            "compat-sets", "compat-sets.schema.json",
            "device-types", "device-types.schema.json",
            "cpu-models", "cpu-models.schema.json");

    private final Map<String, Schema> schemas = new HashMap<>();

    /** Reads a schema file's text from the classpath. */
    public static String read(String fileName) {
        try (InputStream in = SchemaValidator.class.getResourceAsStream("/schemas/" + fileName)) {
            if (in == null) {
                throw new IllegalStateException("schema " + fileName + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A loaded schema by file name, with {@code $ref}s to the other schema files resolved. */
    public Schema schema(String fileName) {
        return schemas.computeIfAbsent(fileName, f -> {
            SchemaClient client = url -> {
                if (!url.startsWith(BASE)) {
                    throw new IllegalArgumentException("schema reference outside " + BASE + ": " + url);
                }
                String name = url.substring(BASE.length());
                int hash = name.indexOf('#');
                return new ByteArrayInputStream(read(hash < 0 ? name : name.substring(0, hash)).getBytes(StandardCharsets.UTF_8));
            };
            JSONObject json = new JSONObject(new JSONTokener(read(f)));
            return SchemaLoader.builder().schemaClient(client).draftV7Support().schemaJson(json)
                    .resolutionScope(BASE + f).build().load().build();
        });
    }

    /** Every violation of the schema for {@code kind} in the document, in document order. */
    public List<MachineError> validate(String kind, YamlNode doc) {
        String file = FILES.get(kind);
        if (file == null) {
            return List.of(new MachineError.UnknownKind(doc.position(), kind));
        }
        return validate(schema(file), file, doc);
    }

    /** Every violation of {@code schema} (read from {@code schemas/FILE}) in the document. */
    public List<MachineError> validate(Schema schema, String file, YamlNode doc) {
        try {
            schema.validate(doc.toJson());
            return List.of();
        } catch (ValidationException e) {
            List<MachineError> out = new ArrayList<>();
            leaves(e, doc, "schemas/" + file, out);
            out.sort(java.util.Comparator.comparingInt((MachineError m) -> m.where().line())
                    .thenComparingInt(m -> m.where().column()));
            return out;
        }
    }

    private static final Pattern EXTRA_KEY = Pattern.compile("extraneous key \\[(.*)\\] is not permitted");
    private static final Pattern MISSING_KEY = Pattern.compile("required key \\[(.*)\\] not found");

    private static final Pattern TYPE = Pattern.compile("expected type: (.*), found: (.*)");

    /** everit's Java class names as a user would say them. */
    private static String kindName(String javaName) {
        return switch (javaName) {
            case "String" -> "a string";
            case "Integer", "Long", "BigInteger" -> "an integer";
            case "Number", "Double", "BigDecimal" -> "a number";
            case "Boolean" -> "true or false";
            case "JSONObject" -> "a mapping";
            case "JSONArray" -> "a list";
            case "Null" -> "null";
            default -> javaName;
        };
    }

    private static void leaves(ValidationException e, YamlNode doc, String schemaFile, List<MachineError> out) {
        String kw = e.getKeyword() == null ? "schema" : e.getKeyword();
        if (!e.getCausingExceptions().isEmpty() && !kw.equals("oneOf") && !kw.equals("anyOf")) {
            for (ValidationException c : e.getCausingExceptions()) {
                leaves(c, doc, schemaFile, out);
            }
            return;
        }
        YamlNode at = doc.at(e.getPointerToViolation());
        String msg = e.getErrorMessage();
        Matcher m = EXTRA_KEY.matcher(msg);
        if (kw.equals("additionalProperties") && m.matches()) {
            String key = m.group(1);
            List<String> allowed = e.getViolatedSchema() instanceof ObjectSchema os
                    ? new ArrayList<>(os.getPropertySchemas().keySet()) : List.of();
            String known = allowed.isEmpty() ? "" : Suggest.didYouMean(key, allowed);
            String hint = !known.isEmpty() ? known
                    : allowed.isEmpty() ? ""
                    : allowed.size() <= 12 ? "; allowed here: " + String.join(", ", allowed.stream().sorted().toList())
                    : "; " + schemaFile + " lists the " + allowed.size() + " keys allowed here";
            out.add(new MachineError.Schema(at.keyPosition(key), kw, "unknown key '" + key + "'" + hint));
            return;
        }
        m = MISSING_KEY.matcher(msg);
        if (kw.equals("required") && m.matches()) {
            out.add(new MachineError.Schema(at.position(), kw, "missing key '" + m.group(1) + "'"));
            return;
        }
        switch (kw) {
            case "type" -> {
                Matcher t = TYPE.matcher(msg);
                if (t.matches()) {
                    String want = kindName(t.group(1));
                    msg = "expected " + want + ", found " + at.describe()
                            + (want.equals("a string") && at.isScalar() ? "; quote it to make it text" : "");
                }
            }
            case "oneOf", "anyOf" -> {
                List<String> parts = new ArrayList<>();
                for (ValidationException c : e.getCausingExceptions()) {
                    List<MachineError> sub = new ArrayList<>();
                    leaves(c, doc, schemaFile, sub);
                    for (MachineError s : sub) {
                        parts.add(s.message());
                    }
                }
                msg = at.describe() + " matches none of the allowed forms: " + String.join("; or ", parts);
            }
            case "enum", "const" -> msg = at.describe() + " is not allowed here: " + msg;
            default -> { }
        }
        out.add(new MachineError.Schema(at.position(), kw, msg));
    }
}
