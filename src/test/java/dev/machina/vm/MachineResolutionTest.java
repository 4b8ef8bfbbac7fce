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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.hw.BuiltinTypes;
import dev.machina.machine.DataFiles.DataFile;
import dev.machina.machine.ResolvedMachine.DeviceValue;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How a machine is resolved from its chain: options, compat sets (oldest wins), device graph. */
class MachineResolutionTest {
    private static final String TYPES = """
            kind: device-types
            types:
              - name: test-base
                parent: isa-device
                abstract: true
                properties:
                  - {name: speed, type: uint32, default: 1}
                  - {name: label, type: str}
              - name: test-dev
                parent: test-base
                properties:
                  - {name: level, type: uint8, default: 0}
              - name: test-other
                parent: isa-device
                properties:
                  - {name: speed, type: uint32, default: 7}
            """;

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
              - name: set-1
                entries:
                  - {driver: test-dev, property: level, value: "0x1"}
              - name: via-interface
                entries:
                  - {driver: conventional-pci-device, property: membar, value: "4K"}
                  - {driver: machine, property: usb, value: "on"}
            """;

    private static final String FAMILY = """
            kind: machine-family
            family: test
            aliases: {tst: test-3}
            qom: {parent: machine}
            base:
              - source: {release: "10.2.0", file: base.c, line: 1, function: base_init}
                options: {description: "Test board", max-cpus: 4, default-machine-options: "firmware=a.bin"}
            devices:
              - id: machine
                type: "<machine>"
              - id: dev
                type: test-dev
                properties: {label: "from the graph"}
              - id: other
                type: test-other
              - id: pci
                type: pci-testdev
                address: "03.0"
            versions:
              - name: test-3
                compat: [set-3]
                source: {release: "10.2.0", file: board.c, line: 30, function: test_3_options}
              - name: test-2
                compat: [set-2]
                options: {max-cpus: 2}
                devices: {remove: [other]}
                source: {release: "10.2.0", file: board.c, line: 20, function: test_2_options}
              - name: test-1
                compat: [set-1, via-interface]
                options: {default-machine-options: null}
                devices:
                  set: {dev: {label: "old"}}
                  add: [{id: extra, type: test-other, properties: {speed: 9}}]
                lifecycle: {deprecated: "too old", removed-upstream-in: "9.0"}
                source: {release: "9.0.0", file: board.c, line: 10, function: test_1_options}
            """;

    private static final String OTHER_FAMILY = """
            kind: machine-family
            family: other
            qom: {parent: machine}
            versions:
              - name: other-1
                inherits: test-2
                options: {description: "Other board on test-2"}
            """;

    /** A machine type of the test data as its dry run gives it (device values filled in). */
    private ResolvedMachine resolved(String name) {
        return MachineReport.resolved(MachineReport.dryRun(catalog, name));
    }

    private static MachineCatalog catalog(String... texts) {
        List<DataFile> files = new java.util.ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            files.add(new DataFile("f" + i + ".yaml", texts[i]));
        }
        return MachineCatalog.load(files, true, BuiltinTypes.all());
    }

    private final MachineCatalog catalog = catalog(TYPES, COMPAT, FAMILY, OTHER_FAMILY);

    private static DeviceValue value(ResolvedMachine m, String device, String property) {
        return m.device(device).value(property);
    }

    @Nested
    class Compat {
        @Test
        void aVersionAppliesTheSetsOfEveryNewerVersionNewestFirst() {
            assertEquals(List.of("set-3", "set-2", "set-1", "via-interface"), resolved("test-1").compatSets());
            assertEquals(List.of("set-3"), resolved("test-3").compatSets());
        }

        @Test
        void theOldestSetWinsAndTheOnesItOverridesAreKept() {
            CompatProbe m = new CompatProbe(MachineReport.dryRun(catalog, "test-1"));

            CompatProbe.Effective level = m.table().stream().filter(c -> c.property().equals("level")).findFirst().orElseThrow();

            assertEquals(1L, level.value());
            assertEquals("set-1", level.winner().set());
            assertEquals("0x1", level.winner().text());
            assertEquals(List.of("set-3", "set-2"), level.overridden().stream().map(ResolvedMachine.CompatOrigin::set).toList());
        }

        @Test
        void aNewerVersionKeepsItsOwnValue() {
            assertEquals(2L, value(resolved("test-2"), "dev", "level").value());
            assertEquals(3L, value(resolved("test-3"), "dev", "level").value());
        }

        @Test
        void aDriverMatchesItsSubtypesButNotOtherTypesWithTheSameProperty() {
            ResolvedMachine m = resolved("test-3");

            assertEquals(30L, value(m, "dev", "speed").value()); // test-dev is a test-base
            assertEquals(7L, value(m, "other", "speed").value()); // test-other is not
            assertTrue(value(m, "dev", "speed").origin().toString().contains("set-3"));
        }

        @Test
        void anEntryWhoseDriverIsAMachineTypeSetsTheMachinesOwnProperty() {
            DeviceValue usb = value(resolved("test-1"), "machine", "usb");

            assertEquals(Boolean.TRUE, usb.value());
            assertEquals("compat machine.usb (via-interface)", usb.origin().toString());
            assertEquals(Boolean.FALSE, value(resolved("test-2"), "machine", "usb").value());
        }

        @Test
        void anInterfaceDriverMatchesTheTypesThatImplementIt() {
            DeviceValue membar = value(resolved("test-1"), "pci", "membar");

            assertEquals(4096L, membar.value());
            assertTrue(membar.origin().toString().startsWith("compat conventional-pci-device.membar"), membar.origin().toString());
        }
    }

    @Nested
    class Options {
        @Test
        void eachVersionIsTheNextNewerOnePlusItsOwnChanges() {
            ResolvedMachine m = resolved("test-1");

            assertEquals(2L, m.option(MachineOption.MAX_CPUS).value());
            assertEquals("test-2", m.option(MachineOption.MAX_CPUS).setBy());
            assertEquals("Test board", m.option(MachineOption.DESCRIPTION).value());
            assertEquals("base_init", m.option(MachineOption.DESCRIPTION).setBy());
            assertEquals(List.of("test-3", "test-2", "test-1"), m.chain());
        }

        @Test
        void anOptionSetToNullIsExplicitlyNoneAndStopsDerivingMachineProperties() {
            assertNull(resolved("test-1").option(MachineOption.DEFAULT_MACHINE_OPTIONS).value());
            assertNull(value(resolved("test-1"), "machine", "firmware"));
            assertEquals("a.bin", value(resolved("test-2"), "machine", "firmware").value());
        }

        @Test
        void inheritsTakesTheNamedMachineFromAnotherFamilyWithItsGraph() {
            ResolvedMachine m = resolved("other-1");

            assertEquals(List.of("test-3", "test-2", "other-1"), m.chain());
            assertEquals(2L, m.option(MachineOption.MAX_CPUS).value());
            assertEquals("Other board on test-2", m.option(MachineOption.DESCRIPTION).value());
            assertEquals(List.of("set-3", "set-2"), m.compatSets());
            assertNull(m.device("other"));
        }
    }

    @Nested
    class Graph {
        @Test
        void versionChangesApplyDownTheChain() {
            ResolvedMachine m = resolved("test-1");

            assertNull(m.device("other"), "removed by test-2");
            assertEquals("old", value(m, "dev", "label").value());
            assertEquals(9L, value(m, "extra", "speed").value());
            assertEquals("from the graph", value(resolved("test-2"), "dev", "label").value());
        }

        @Test
        void defaultsSayWhichTypeDeclaredThem() {
            DeviceValue v = value(resolved("test-2"), "dev", "level");
            assertEquals("compat test-dev.level (set-2)", v.origin().toString());
            assertEquals("default of test-other", value(resolved("test-3"), "other", "speed").origin().toString());
        }

        @Test
        void theMachineNodeHasTheMachinesOwnType() {
            assertEquals("test-2-machine", resolved("test-2").device("machine").type());
            assertEquals("03.0", resolved("test-2").device("pci").address());
        }
    }

    @Nested
    class Names {
        @Test
        void anAliasResolvesToItsMachine() {
            assertEquals("test-3", resolved("tst").name());
            assertEquals(List.of("tst"), resolved("test-3").aliases());
        }

        @Test
        void anUnknownNameIsAUserErrorWithSuggestions() {
            var e = assertThrows(MachineCatalog.UnknownMachineException.class, () -> resolved("test-4"));
            assertTrue(e.getMessage().contains("did you mean"), e.getMessage());
        }

        @Test
        void lifecycleBelongsToTheVersionThatStatesIt() {
            assertEquals("too old", resolved("test-1").lifecycle().deprecated());
            assertEquals("9.0", resolved("test-1").lifecycle().removedUpstreamIn());
            assertNull(resolved("test-2").lifecycle().deprecated());
        }
    }
}
