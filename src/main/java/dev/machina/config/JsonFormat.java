package dev.machina.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form, read with Jackson's streaming parser so every key and value keeps its line and
 * column. Numbers are taken as written; {@code true}/{@code false} are {@code on}/{@code off}.
 */
public final class JsonFormat {
    private JsonFormat() {}

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();

    public static ReadResult read(byte[] data, String file) {
        try (JsonParser p = FACTORY.createParser(data)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return failed(new Origin.InFile(file, 1, 1), "the file is empty");
            }
            Tree root = value(p, file);
            if (p.nextToken() != null) {
                return failed(at(p.currentTokenLocation(), file), "text after the end of the JSON document");
            }
            return TreeReader.read(root);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            return failed(l == null ? new Origin.InFile(file, 1, 1) : at(l, file), "JSON syntax: " + problem(e));
        } catch (IOException e) {
            return failed(new Origin.InFile(file, 1, 1), "cannot read: " + e.getMessage());
        }
    }

    private static final java.util.regex.Pattern SOURCE_EXCERPT =
            java.util.regex.Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");
    private static final java.util.regex.Pattern API_NAME = java.util.regex.Pattern.compile(", from `[^`]*`");

    /**
     * Jackson's reason for a syntax error in words a user can act on: its source excerpts
     * ({@code [Source: REDACTED ...; line: 1, column: 14]}) become {@code line 1, column 14} and the
     * names of its own settings are left out.
     */
    static String problem(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        m = SOURCE_EXCERPT.matcher(m).replaceAll("line $1, column $2");
        m = API_NAME.matcher(m).replaceAll("");
        return m.replace('\n', ' ');
    }

    private static ReadResult failed(Origin where, String problem) {
        return new ReadResult(VmConfig.EMPTY, List.of(new ConfigError.Syntax(where, problem, "")));
    }

    private static Origin at(JsonLocation l, String file) {
        return new Origin.InFile(file, l.getLineNr(), l.getColumnNr());
    }

    private static Tree value(JsonParser p, String file) throws IOException {
        Origin where = at(p.currentTokenLocation(), file);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                List<Tree.Field> fields = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Origin keyAt = at(p.currentTokenLocation(), file);
                    p.nextToken();
                    fields.add(new Tree.Field(key, keyAt, value(p, file)));
                }
                return new Tree.Mapping(fields, where);
            }
            case START_ARRAY -> {
                List<Tree> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(p, file));
                }
                return new Tree.Sequence(items, where);
            }
            case VALUE_NULL -> {
                return new Tree.Null(where);
            }
            case VALUE_TRUE -> {
                return new Tree.Scalar("on", where);
            }
            case VALUE_FALSE -> {
                return new Tree.Scalar("off", where);
            }
            default -> {
                return new Tree.Scalar(p.getText(), where);
            }
        }
    }

    private static final ObjectWriter WRITER = new ObjectMapper().writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER).withObjectEmptySeparator("").withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    /** Pretty JSON: two-space indent, LF, a final newline. */
    public static String write(VmConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("sections", TreeWriter.sections(config));
        try {
            return WRITER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
