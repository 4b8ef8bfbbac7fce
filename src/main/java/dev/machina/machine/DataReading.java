package dev.machina.machine;

import dev.machina.machine.DataFiles.DataFile;
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
    private final Map<DataFile, FileResult> deferred = new HashMap<>();

    /** One file's declarations and the problems found in it. */
    record FileResult(Declarations.All decls, List<MachineError> errors) {}

    FileResult read(DataFile f, boolean schemaCheck) {
        return read(f, schemaCheck, false);
    }

    /**
     * One file's declarations; with {@code deferTypeProperties} (and no schema check), a device type's
     * properties are read when first used, and problems in them go unreported: only for files checked
     * already ({@link MachineCatalog#load(List, List, DataReading, String)}, the packaged data the build checked).
     */
    FileResult read(DataFile f, boolean schemaCheck, boolean deferTypeProperties) {
        boolean defer = deferTypeProperties && !schemaCheck;
        Map<DataFile, FileResult> cache = schemaCheck ? checked : defer ? deferred : unchecked;
        FileResult r = cache.get(f);
        if (r == null) {
            r = readFile(f, schemaCheck, defer);
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

    private FileResult readFile(DataFile f, boolean schemaCheck, boolean defer) {
        List<MachineError> errors = new ArrayList<>();
        Declarations.All decls = Declarations.All.empty();
        YamlNode doc;
        try {
            doc = YamlNode.parse(f.name(), f.text());
        } catch (MachineDataException e) {
            return new FileResult(decls, e.errors());
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
                case "machine-family" -> decls.families().add(defer ? r.familyDeferred(doc) : r.family(doc));
                case "compat-sets" -> decls.compatSets().addAll(r.compatSets(doc));
                case "device-types" -> r.types(doc, decls.types(), decls.enums(), decls.structs(), defer);
                case "cpu-models" -> { } // the CPU core's (dev.machina.cpu.x86.CpuModel): checked by its schema only
                default -> throw new IllegalStateException(kind);
            }
        }
        errors.addAll(r.errors());
        if (schemaErrors.isEmpty()) {
            errors.addAll(r.shapeErrors()); // the schema says the same, better, when it ran
        }
        return new FileResult(decls.frozen(), List.copyOf(errors));
    }
}
