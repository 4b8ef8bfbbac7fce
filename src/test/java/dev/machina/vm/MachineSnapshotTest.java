package dev.machina.vm;

import dev.machina.machine.MachineCatalog;
import dev.machina.machine.ResolvedMachine;
import dev.machina.machine.MachineDiff;
import dev.machina.machine.MachineSnapshot;
import dev.machina.machine.MachineOption;
import dev.machina.machine.MachineDataException;
import dev.machina.machine.MachineError;
import dev.machina.machine.Position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.hw.BuiltinTypes;
import dev.machina.machine.DataFiles.DataFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ABI snapshot: canonical text, reading it back, and what counts as a change to a released machine type. */
class MachineSnapshotTest {
    private static final String TYPES = """
            kind: device-types
            types:
              - name: test-dev
                parent: isa-device
                properties:
                  - {name: level, type: uint8, default: 0}
                  - {name: speed, type: uint32, default: 1}
            """;

    private static final String COMPAT = """
            kind: compat-sets
            sets:
              - name: set-2
                entries:
                  - {driver: test-dev, property: level, value: "2"}
              - name: set-1
                entries:
                  - {driver: test-dev, property: speed, value: "10"}
            """;

    private static final String FAMILY = """
            kind: machine-family
            family: test
            qom: {parent: machine}
            base:
              - source: {release: "10.2.0", file: base.c, line: 1}
                options: {description: "Test board", max-cpus: 4}
            devices:
              - id: dev
                type: test-dev
            versions:
              - name: test-3
              - name: test-2
                compat: [set-2]
              - name: test-1
                compat: [set-1]
            """;

    private static MachineSnapshot snapshot(String types, String compat, String family) {
        return MachineReport.snapshot(MachineCatalog.load(List.of(new DataFile("types.yaml", types),
                new DataFile("compat.yaml", compat), new DataFile("family.yaml", family)), false, BuiltinTypes.all()));
    }

    private static final MachineSnapshot RELEASED = snapshot(TYPES, COMPAT, FAMILY);

    private static List<String> changes(MachineSnapshot now) {
        return now.changesFrom(RELEASED).stream().map(MachineSnapshot.Change::format).toList();
    }

    @Test
    void theSameDataHasNoChanges() {
        assertEquals(List.of(), changes(snapshot(TYPES, COMPAT, FAMILY)));
    }

    @Test
    void aValueChangedInAReleasedSetIsAChangeOfEveryMachineThatAppliesIt() {
        MachineSnapshot now = snapshot(TYPES, COMPAT.replace("value: \"2\"", "value: \"5\""), FAMILY);

        assertEquals(List.of(
                "test-1: property test-dev.level: 2 -> 5 [compat set-2 (compat.yaml:5)]",
                "test-1: device dev property level: 2 -> 5 [compat set-2 at compat.yaml:5:9]",
                "test-2: property test-dev.level: 2 -> 5 [compat set-2 (compat.yaml:5)]",
                "test-2: device dev property level: 2 -> 5 [compat set-2 at compat.yaml:5:9]"), changes(now));
    }

    @Test
    void aChangedTypeDefaultShowsInEveryDeviceThatUsesIt() {
        MachineSnapshot now = snapshot(TYPES.replace("default: 1}", "default: 7}"), COMPAT, FAMILY);

        // test-1 sets speed by compat, so only test-2 and test-3 change
        assertEquals(List.of("test-2: device dev property speed: 1 -> 7 [default of test-dev]",
                "test-3: device dev property speed: 1 -> 7 [default of test-dev]"), changes(now));
    }

    @Test
    void aNewerMachineTypeIsNewNotAChange() {
        MachineSnapshot now = snapshot(TYPES, COMPAT, FAMILY.replace("versions:\n", "versions:\n  - name: test-4\n"));

        assertEquals(List.of(), changes(now));
        assertEquals(List.of("test-4"), now.newSince(RELEASED));
    }

    @Test
    void aRemovedMachineTypeAnOptionAndADeviceAreChanges() {
        String family = FAMILY.replace("  - name: test-1\n    compat: [set-1]\n", "")
                .replace("max-cpus: 4}", "max-cpus: 8}")
                .replace("  - id: dev\n    type: test-dev\n", "  - id: dev\n    type: test-dev\n  - id: more\n    type: test-dev\n");

        List<String> changes = changes(snapshot(TYPES, COMPAT, family));

        assertTrue(changes.contains("test-1: machine type removed (the baseline has it)"), changes.toString());
        assertTrue(changes.contains("test-3: option max-cpus: 4 -> 8 [set by test base at family.yaml:6:52]"), changes.toString());
        assertTrue(changes.contains("test-3: device more: (absent) -> \"type test-dev\" [family.yaml:13:5]"), changes.toString());
    }

    @Test
    void theCanonicalTextReadsBackAsTheSameSnapshotAndIsStable(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, RELEASED.render(), StandardCharsets.UTF_8);

        MachineSnapshot back = MachineSnapshot.read(f.toString());

        assertEquals(List.of(), RELEASED.changesFrom(back));
        assertEquals(List.of(), back.changesFrom(RELEASED));
        assertEquals(RELEASED.render(), snapshot(TYPES, COMPAT, FAMILY).render());
        assertTrue(RELEASED.render().contains("\n      \"devices\": {\n        \"dev\": {\"links\": {}, \"properties\": {\"level\": 0, \"speed\": 1}, \"qemu-path\": \"/machine/unattached/device[0]\", \"type\": \"test-dev\"}\n"),
                RELEASED.render());
    }

    @Test
    void aBaselineThatIsNotJsonNamesTheFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("broken.json");
        Files.writeString(f, "{\n  \"format\": \"machina-machine-snapshot\",\n  \"version\": 1\n  \"machines\": {}\n}\n");

        var e = assertThrows(MachineSnapshot.BadSnapshotException.class, () -> MachineSnapshot.read(f.toString()));

        assertTrue(e.getMessage().startsWith("baseline '" + f + "' is not valid JSON: line 4, column 3: "), e.getMessage());
    }

    @Test
    void aBaselineOfAnotherShapeSaysWhereItIsWrong(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("shape.json");
        Files.writeString(f, "{\"format\": \"machina-machine-snapshot\", \"version\": 1, \"machines\": {\"pc\": {\"options\": [],"
                + " \"properties\": {}, \"devices\": null}}}");

        var e = assertThrows(MachineSnapshot.BadSnapshotException.class, () -> MachineSnapshot.read(f.toString()));

        assertEquals("baseline '" + f + "' is not a machine snapshot: at machines.pc.options: expected an object; "
                + "make one with 'machina machine snapshot -o FILE'", e.getMessage());
    }
}
