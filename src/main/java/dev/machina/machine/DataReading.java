package dev.machina.machine;

import dev.machina.machine.DataFiles.DataFile;
import dev.machina.machine.Declarations.CompatSet;
import dev.machina.machine.Declarations.EnumDecl;
import dev.machina.machine.Declarations.FamilyDecl;
import dev.machina.machine.Declarations.StructDecl;
import dev.machina.machine.Declarations.TypeDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads data files into declarations (parse, optionally schema-check, read) and remembers the result
 * per file text, so checking the same packaged files again (several {@code machine validate} runs in
 * one process, as the tests do) costs nothing. Holds the loaded JSON Schemas too.
 */
public final class DataReading {
    private SchemaValidator schemas;
    private final Map<DataFile, FileResult> checked = new HashMap<>();
    private final Map<DataFile, FileResult> unchecked = new HashMap<>();

    /** One file's declarations and the problems found in it. */
    record FileResult(List<FamilyDecl> families, List<CompatSet> compatSets, List<TypeDecl> types, List<EnumDecl> enums,
                      List<StructDecl> structs, List<MachineError> errors) {}

    FileResult read(DataFile f, boolean schemaCheck) {
        Map<DataFile, FileResult> cache = schemaCheck ? checked : unchecked;
        FileResult r = cache.get(f);
        if (r == null) {
            r = readFile(f, schemaCheck);
            cache.put(f, r);
        }
        return r;
    }

    private SchemaValidator schemas() {
        if (schemas == null) {
            schemas = new SchemaValidator();
        }
        return schemas;
    }

    private FileResult readFile(DataFile f, boolean schemaCheck) {
        List<MachineError> errors = new ArrayList<>();
        List<FamilyDecl> families = new ArrayList<>();
        List<CompatSet> sets = new ArrayList<>();
        List<TypeDecl> types = new ArrayList<>();
        List<EnumDecl> enums = new ArrayList<>();
        List<StructDecl> structs = new ArrayList<>();
        YamlNode doc;
        try {
            doc = YamlNode.parse(f.name(), f.text());
        } catch (MachineDataException e) {
            return new FileResult(List.of(), List.of(), List.of(), List.of(), List.of(), e.errors());
        }
        DataReader r = new DataReader();
        String kind = r.kind(doc);
        List<MachineError> schemaErrors = List.of();
        if (kind != null && schemaCheck) {
            schemaErrors = schemas().validate(kind, doc);
            errors.addAll(schemaErrors);
        }
        if (kind != null) {
            switch (kind) {
                case "machine-family" -> families.add(r.family(doc));
                case "compat-sets" -> sets.addAll(r.compatSets(doc));
                case "device-types" -> r.types(doc, types, enums, structs);
                default -> throw new IllegalStateException(kind);
            }
        }
        errors.addAll(r.errors());
        if (schemaErrors.isEmpty()) {
            errors.addAll(r.shapeErrors()); // the schema says the same, better, when it ran
        }
        return new FileResult(List.copyOf(families), List.copyOf(sets), List.copyOf(types), List.copyOf(enums),
                List.copyOf(structs), List.copyOf(errors));
    }
}
