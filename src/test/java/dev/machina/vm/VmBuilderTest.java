package dev.machina.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A dry run of a machine type puts every object where QEMU 7.2 has it, with QEMU's type. */
class VmBuilderTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pc-i440fx-7.2", "pc-q35-7.2", "pc-i440fx-2.5", "isapc", "microvm"})
    void everyObjectQemuReportsIsAtItsPathWithItsType(String machine) {
        QemuGraph qemu = QemuGraph.read(machine);
        BuiltMachine built = Packaged.dryRun(machine);
        Map<String, String> wrong = new TreeMap<>();
        for (var e : qemu.objects().entrySet()) {
            String path = e.getKey();
            String want = e.getValue().get("type").asText();
            String got = built.tree().tryResolve(path, null).map(o -> o.typeName()).orElse("(nothing)");
            if (!want.equals(got)) {
                wrong.put(path, "QEMU " + want + ", Machina " + got);
            }
        }
        assertEquals(Map.of(), wrong);
    }
}
