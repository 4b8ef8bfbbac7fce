package dev.machina.vm;

import dev.machina.machine.MachineCatalog;
import dev.machina.machine.ResolvedMachine;
import dev.machina.machine.MachineDiff;
import dev.machina.machine.MachineSnapshot;
import dev.machina.machine.MachineOption;
import dev.machina.machine.MachineDataException;
import dev.machina.machine.MachineError;
import dev.machina.machine.Position;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.hw.BuiltinTypes;
import dev.machina.machine.DataFiles.DataFile;
import dev.machina.machine.MachineDiff.Cell;
import dev.machina.machine.MachineDiff.DeviceField;
import dev.machina.machine.MachineDiff.DeviceRow;
import dev.machina.machine.MachineDiff.PropertyRow;
import dev.machina.machine.MachineDiff.State;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What {@link MachineDiff} makes of a small family whose values are worked out by hand below: rows,
 * cells, sources, which rows count as changed, and the explain chains.
 */
class MachineDiffTest {
    private static final String TYPES = """
            kind: device-types
            types:
              - name: test-base
                parent: isa-device
                abstract: true
                properties:
                  - {name: speed, type: uint32, default: 1}
                  - {name: mystery, type: bool, default-unknown: true}
              - name: test-dev
                parent: test-base
                properties:
                  - {name: level, type: uint8, default: 0}
              - name: test.dotted
                parent: isa-device
                properties:
                  - {name: mode, type: str, default: "a"}
            """;

    // line numbers matter: sources name compat.yaml:LINE (the first entry is on line 5)
    private static final String COMPAT = """
            kind: compat-sets
            sets:
              - name: set-3
                entries:
                  - {driver: test-dev, property: level, value: "3"}
                  - {driver: test-base, property: speed, value: "30"}
              - name: set-2
                entries:
                  - {driver: test-dev, property: level, value: "2"}
                  - {driver: test-base, property: mystery, value: "on"}
              - name: set-1
                entries:
                  - {driver: test-dev, property: level, value: "0x1"}
            """;

    private static final String FAMILY = """
            kind: machine-family
            family: test
            aliases: {tst: test-4}
            qom: {parent: machine}
            base:
              - source: {release: "10.2.0", file: base.c, line: 1, function: base_init}
                options: {description: "Test board", max-cpus: 4, default-display: std}
            devices:
              - id: machine
                type: "<machine>"
              - id: dev
                type: test-dev
              - id: other
                type: test.dotted
              - id: pci
                type: pci-testdev
                address: "03.0"
            versions:
              - name: test-4
              - name: test-3
                compat: [set-3]
              - name: test-2
                compat: [set-2]
                options: {max-cpus: 2, default-display: null}
                devices:
                  remove: [other]
                  set: {pci: {membar: "8K"}}
              - name: test-1
                compat: [set-1]
                options: {hw-version: "1.0"}
            """;

    /** A family whose facts give no device graph. */
    private static final String NO_GRAPH = """
            kind: machine-family
            family: bare
            qom: {parent: machine}
            base:
              - source: {release: "10.2.0", file: bare.c, line: 1}
                options: {description: "Bare board", max-cpus: 4}
            versions:
              - name: bare-1
            """;

    private static MachineCatalog catalog() {
        List<DataFile> files = List.of(new DataFile("types.yaml", TYPES), new DataFile("compat.yaml", COMPAT),
                new DataFile("family.yaml", FAMILY), new DataFile("bare.yaml", NO_GRAPH));
        return MachineCatalog.load(files, true, BuiltinTypes.all());
    }

    private static final MachineCatalog catalog = catalog();

    private MachineDiff diff(String... names) {
        return MachineDiff.of(columns(names));
    }

    private List<MachineDiff.Column> columns(String... names) {
        List<MachineDiff.Column> cols = new ArrayList<>();
        for (String n : names) {
            cols.add(MachineReport.column(n, catalog, n));
        }
        return cols;
    }

    private static PropertyRow property(MachineDiff d, String driver, String property) {
        return d.properties().stream().filter(r -> r.driver().equals(driver) && r.property().equals(property)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + driver + "." + property));
    }

    private static DeviceRow device(MachineDiff d, String id, DeviceField field, String name) {
        return d.devices().stream().filter(r -> r.device().equals(id) && r.field() == field
                        && java.util.Objects.equals(r.name(), name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + id + " " + field + " " + name));
    }

    @Nested
    class CompatProperties {
        @Test
        void rowsAreEveryDriverAndPropertyAnySetOfAnyMachineTouches() {
            MachineDiff d = diff("test-1", "test-4");

            List<String> keys = d.properties().stream().map(r -> r.driver() + "." + r.property()).toList();

            assertEquals(List.of("test-base.mystery", "test-base.speed", "test-dev.level"), keys);
        }

        @Test
        void theOldestSetWinsAndTheCellNamesItsSetFileAndLine() {
            Cell level = property(diff("test-1", "test-4"), "test-dev", "level").cells().get(0);

            assertEquals(new Cell(State.VALUE, 1L, "compat set-1 (compat.yaml:13)"), level);
        }

        @Test
        void whereNoSetAppliesTheCellIsTheTypeDefault() {
            PropertyRow level = property(diff("test-1", "test-4"), "test-dev", "level");

            assertEquals(new Cell(State.VALUE, 0L, "default"), level.cells().get(1));
            assertTrue(level.changed());
        }

        @Test
        void anEntryOnAnAncestorReachesTheSubtypeRow() {
            // test-base.speed=30 (set-3) applies to test-dev objects too: the explain chain of
            // test-dev.speed shows it
            MachineDiff.Explanation e = MachineDiff.explain(columns("test-3"), "test-dev", "speed");

            assertEquals(List.of("set-3"), e.machines().get(0).steps().stream().map(MachineDiff.Step::set).toList());
            assertEquals("test-base", e.machines().get(0).steps().get(0).driver());
            assertEquals(new Cell(State.VALUE, 30L, "compat set-3 (compat.yaml:6)"), e.machines().get(0).effective());
        }

        @Test
        void anUnknownDefaultIsMarkedUnknownNotGivenAValue() {
            PropertyRow mystery = property(diff("test-2", "test-3"), "test-base", "mystery");

            assertEquals(new Cell(State.VALUE, true, "compat set-2 (compat.yaml:10)"), mystery.cells().get(0));
            assertEquals(new Cell(State.UNKNOWN, null, "default (unknown)"), mystery.cells().get(1));
        }

        @Test
        void rowsWhoseCellsAgreeAreKeptButNotChanged() {
            PropertyRow speed = property(diff("test-1", "test-2"), "test-base", "speed");

            assertFalse(speed.changed());
            assertEquals(speed.cells().get(0).value(), speed.cells().get(1).value());
        }
    }

    @Nested
    class Options {
        @Test
        void aVersionsOwnOptionIsAChangedRowWithTheStepThatSetIt() {
            MachineDiff.OptionRow maxCpus = diff("test-2", "test-3").options().stream()
                    .filter(o -> o.name().equals("max-cpus")).findFirst().orElseThrow();

            assertTrue(maxCpus.changed());
            assertEquals(2L, maxCpus.cells().get(0).value());
            assertEquals("test-2 (family.yaml:24)", maxCpus.cells().get(0).source());
            assertEquals(4L, maxCpus.cells().get(1).value());
            assertEquals("base_init (family.yaml:7)", maxCpus.cells().get(1).source());
        }

        @Test
        void anOptionSetToNoneDiffersFromAValueAndFromUnset() {
            MachineDiff d = diff("test-1", "test-2", "test-4");
            MachineDiff.OptionRow display = d.options().stream().filter(o -> o.name().equals("default-display")).findFirst().orElseThrow();
            MachineDiff.OptionRow hw = d.options().stream().filter(o -> o.name().equals("hw-version")).findFirst().orElseThrow();

            assertEquals(List.of(State.NONE, State.NONE, State.VALUE), display.cells().stream().map(Cell::state).toList());
            assertEquals(List.of(State.VALUE, State.UNSET, State.UNSET), hw.cells().stream().map(Cell::state).toList());
            assertTrue(display.changed() && hw.changed());
        }

        @Test
        void optionsNoMachineSetsHaveNoRow() {
            assertTrue(diff("test-1", "test-4").options().stream().noneMatch(o -> o.name().equals("nvdimm-supported")));
        }
    }

    @Nested
    class DeviceGraph {
        @Test
        void aRemovedDeviceIsAChangeOfPresenceAndOfItsFacts() {
            MachineDiff d = diff("test-2", "test-3");

            DeviceRow present = device(d, "other", DeviceField.PRESENT, null);
            DeviceRow type = device(d, "other", DeviceField.TYPE, null);

            assertEquals(List.of(false, true), present.cells().stream().map(Cell::value).toList());
            assertTrue(present.changed());
            assertEquals(new Cell(State.ABSENT, null, "absent"), type.cells().get(0));
            assertEquals("test.dotted", type.cells().get(1).value());
            assertTrue(type.changed());
        }

        @Test
        void propertiesOfADeviceOnlyOneMachineHasAreNotChanges() {
            DeviceRow mode = device(diff("test-2", "test-3"), "other", DeviceField.PROPERTY, "mode");

            assertFalse(mode.changed());
        }

        @Test
        void aGraphValueSetByAVersionAndACompatValueOnADeviceAreChanges() {
            MachineDiff d = diff("test-2", "test-3");

            DeviceRow membar = device(d, "pci", DeviceField.PROPERTY, "membar");
            DeviceRow level = device(d, "dev", DeviceField.PROPERTY, "level");

            assertTrue(membar.changed());
            assertEquals(8192L, membar.cells().get(0).value());
            assertTrue(membar.cells().get(0).source().startsWith("device graph (family.yaml:"), membar.cells().get(0).source());
            assertEquals(new Cell(State.VALUE, 2L, "compat set-2 (compat.yaml:9)"), level.cells().get(0));
            assertEquals(new Cell(State.VALUE, 3L, "compat set-3 (compat.yaml:5)"), level.cells().get(1));
        }

        @Test
        void theMachineObjectsOwnTypeIsNotAChange() {
            DeviceRow type = device(diff("test-1", "test-4"), "machine", DeviceField.TYPE, null);

            assertEquals(List.of("test-1-machine", "test-4-machine"), type.cells().stream().map(Cell::value).toList());
            assertFalse(type.changed());
        }

        @Test
        void aMachineWithoutADeviceGraphIsUnknownNotAbsent() {
            MachineDiff d = diff("test-4", "bare-1");

            Cell unknown = new Cell(State.UNKNOWN, null, "no device graph");
            assertEquals(unknown, device(d, "dev", DeviceField.PRESENT, null).cells().get(1));
            assertEquals(unknown, device(d, "dev", DeviceField.TYPE, null).cells().get(1));
            assertEquals(unknown, device(d, "dev", DeviceField.PROPERTY, "level").cells().get(1));
        }

        @Test
        void identicalMachinesHaveNoChangedRows() {
            assertEquals(0, diff("test-4", "test-4").changedRows());
        }
    }

    @Nested
    class Explain {
        @Test
        void listsEveryEntryInApplicationOrderAndMarksTheLastAsTheWinner() {
            MachineDiff.Chain c = MachineDiff.explain(columns("test-1"), "test-dev", "level").machines().get(0);

            assertEquals(List.of("set-3", "set-2", "set-1"), c.steps().stream().map(MachineDiff.Step::set).toList());
            assertEquals(List.of(false, false, true), c.steps().stream().map(MachineDiff.Step::wins).toList());
            assertEquals(List.of("compat.yaml:5", "compat.yaml:9", "compat.yaml:13"),
                    c.steps().stream().map(MachineDiff.Step::at).toList());
            assertEquals("0x1", c.steps().get(2).text());
            assertEquals(new Cell(State.VALUE, 0L, "default"), c.typeDefault());
        }

        @Test
        void aMachineNoSetTouchesHasOnlyTheDefault() {
            MachineDiff.Chain c = MachineDiff.explain(columns("test-4"), "test-dev", "level").machines().get(0);

            assertEquals(List.of(), c.steps());
            assertEquals(c.typeDefault(), c.effective());
        }

        @Test
        void aDriverNameWithDotsIsSplitAtTheKnownType() {
            assertArrayEquals(new String[] {"test.dotted", "mode"}, MachineDiff.splitDriverProperty("test.dotted.mode", columns("test-4")));
        }

        @Test
        void unknownDriversAndPropertiesAreErrorsWithSuggestions() {
            var badDriver = assertThrows(MachineDiff.UnknownPropertyException.class,
                    () -> MachineDiff.splitDriverProperty("test-devv.level", columns("test-4")));
            var badProperty = assertThrows(MachineDiff.UnknownPropertyException.class,
                    () -> MachineDiff.splitDriverProperty("test-dev.levle", columns("test-4")));

            assertTrue(badDriver.getMessage().contains("unknown driver 'test-devv'") && badDriver.getMessage().contains("'test-dev'"),
                    badDriver.getMessage());
            assertTrue(badProperty.getMessage().contains("unknown property 'levle' of test-dev; did you mean 'level'?"),
                    badProperty.getMessage());
        }
    }

    @Test
    void numbersCompareByValueWhateverTheirJavaType() {
        assertTrue(MachineDiff.sameJson(1, 1L));
        assertTrue(MachineDiff.sameJson(List.of(1, "a"), List.of(1L, "a")));
        assertFalse(MachineDiff.sameJson(1L, "1"));
        assertFalse(MachineDiff.sameJson(null, false));
    }
}
