package dev.machina.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.hw.BuiltinTypes;
import dev.machina.qom.ObjectType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The data Machina ships: free of problems, covering what the issue names, and what the generator makes. */
class PackagedDataTest {
    @Test
    void packagedDataHasNoProblemsUnderSchemasAndSemanticChecks() {
        MachineCatalog.Check c = MachineCatalog.check(DataFiles.packaged(), BuiltinTypes.all());

        assertEquals(List.of(), c.errors().stream().map(MachineError::format).toList());
        assertTrue(c.machines() >= 98, "machines: " + c.machines());
    }

    @Test
    void everyCompatDriverIsAKnownTypeAndEveryEntryTypeChecks() {
        MachineCatalog catalog = MachineCatalog.load(DataFiles.packaged(), false, BuiltinTypes.all());
        int entries = 0;
        for (Declarations.CompatSet s : catalog.compatSets().values()) {
            for (Declarations.CompatEntry e : s.entries()) {
                ObjectType t = catalog.registry().type(e.driver());
                assertTrue(e.optional() || t.property(e.property()).isPresent(), e.driver() + "." + e.property());
                entries++;
            }
        }
        assertEquals(86, catalog.compatSets().size(), "compat.yaml has 86 arrays");
        assertEquals(457, entries, "compat.yaml has 457 entries");
    }

    @Test
    void committedDataIsWhatTheGeneratorProduces() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("python3", "tools/gen_machines.py", "--check").redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.assumeTrue(false, "python3 is not installed, so the generator cannot run: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(); // no time limit: a busy machine is slow, not wrong
        Assumptions.assumeFalse(out.contains("No module named 'yaml'"), "python3-yaml (PyYAML) is not installed");
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void isaFdcFallbackIsTypedSo144And288PassAnd288MbDoesNot() {
        MachineCatalog catalog = MachineCatalog.load(DataFiles.packaged(), false, BuiltinTypes.all());
        var fallback = catalog.registry().type("isa-fdc").property("fallback").orElseThrow().type();
        List<String> rejected = new ArrayList<>();
        for (String v : List.of("144", "288", "2.88")) {
            try {
                fallback.parse(v);
            } catch (dev.machina.qom.BadValue e) {
                rejected.add(v);
            }
        }
        assertEquals(List.of("2.88"), rejected);
    }
}
