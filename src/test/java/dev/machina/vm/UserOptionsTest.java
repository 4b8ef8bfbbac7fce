package dev.machina.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.config.Entry;
import dev.machina.config.Section;
import dev.machina.config.VmConfig;
import dev.machina.qom.ValueOrigin;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What the builder makes of the user's options: places, buses, addresses, values and their order. */
class UserOptionsTest {
    private static Section section(String group, String... kv) {
        List<Entry> es = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            es.add(Entry.of(kv[i], kv[i + 1]));
        }
        return Section.of(group, null, es);
    }

    private static BuiltMachine build(Section... sections) {
        return VmBuilder.dryRun(VmSpec.of(VmConfig.of(List.of(sections)), Packaged.catalog()));
    }

    @Nested
    class Devices {
        @Test
        void deviceWithIdGoesToPeripheralAndOnTheIsaBus() {
            BuiltMachine m = build(section("machine", "type", "pc-i440fx-7.2"), section("device", "driver", "isa-debugcon", "id", "dbg"));
            BuiltObject d = m.device("dbg").orElseThrow();
            assertEquals("/machine/peripheral/dbg", d.path());
            assertEquals("/machine/unattached/device[3]/isa.0", d.bus().orElseThrow().path());
        }

        @Test
        void devicesWithoutIdAreNumberedInPeripheralAnon() {
            BuiltMachine m = build(section("device", "driver", "isa-debugcon"), section("device", "driver", "isa-debug-exit"));
            assertEquals("isa-debugcon", m.at("/machine/peripheral-anon/device[0]").orElseThrow().typeName());
            assertEquals("isa-debug-exit", m.at("/machine/peripheral-anon/device[1]").orElseThrow().typeName());
        }

        @Test
        void pciDeviceTakesTheLowestFreeSlot() {
            BuiltMachine m = build(section("machine", "type", "pc-i440fx-7.2"), section("device", "driver", "pci-testdev", "id", "t"));
            BuiltObject d = m.device("t").orElseThrow();
            assertEquals("02.0", d.pciAddress().orElseThrow().toString()); // 00.0 i440FX, 01.x PIIX3 and its functions
            assertEquals("02.0", d.value("addr").orElseThrow().text());
        }

        @Test
        void pciAddressInUseIsAnErrorNamingTheOtherDevice() {
            VmException e = assertThrows(VmException.class, () -> build(section("machine", "type", "pc-i440fx-7.2"),
                    section("device", "driver", "pci-testdev", "addr", "01.0")));
            assertTrue(e.getMessage().contains("01.0 is in use by PIIX3 (/machine/unattached/device[3])"), e.getMessage());
        }

        @Test
        void isaDeviceOnAMachineWithoutIsaIsAnError() {
            VmException e = assertThrows(VmException.class, () -> build(section("machine", "type", "none"),
                    section("device", "driver", "isa-debugcon")));
            assertInstanceOf(VmError.NoBus.class, e.error());
        }

        @Test
        void namedBusThatDoesNotExistListsTheBuses() {
            VmException e = assertThrows(VmException.class, () -> build(section("device", "driver", "isa-debugcon", "bus", "isa.7")));
            assertTrue(e.getMessage().contains("bus 'isa.7' not found; buses here:"), e.getMessage());
        }

        @Test
        void twoDevicesWithOneIdIsAnError() {
            VmException e = assertThrows(VmException.class, () -> build(section("device", "driver", "isa-debugcon", "id", "x"),
                    section("device", "driver", "isa-debug-exit", "id", "x")));
            assertInstanceOf(VmError.DuplicateId.class, e.error());
        }
    }

    @Nested
    class ValueOrder {
        @Test
        void userKeyBeatsUserGlobalWhichBeatsTheDefault() {
            BuiltMachine m = build(section("global", "driver", "isa-debugcon", "property", "iobase", "value", "0x402"),
                    section("global", "driver", "isa-debugcon", "property", "readback", "value", "0x41"),
                    section("device", "driver", "isa-debugcon", "id", "d", "iobase", "0x403"));
            BuiltObject d = m.device("d").orElseThrow();
            assertEquals(0x403L, d.value("iobase").orElseThrow().value());
            assertInstanceOf(ValueOrigin.Explicit.class, d.value("iobase").orElseThrow().origin());
            assertEquals(0x41L, d.value("readback").orElseThrow().value());
            assertInstanceOf(ValueOrigin.Global.class, d.value("readback").orElseThrow().origin());
        }

        @Test
        void userGlobalDoesNotReachAnObjectAndIsReportedAsQemuDoes() {
            // QEMU 7.2: "warning: global memory-backend-ram.dump has invalid class name"; dump stays on
            BuiltMachine m = build(section("global", "driver", "memory-backend-ram", "property", "dump", "value", "off"),
                    section("object", "qom-type", "memory-backend-ram", "id", "m0", "size", "1M"));
            BuiltObject o = m.at("/objects/m0").orElseThrow();
            assertTrue(o.value("dump").map(v -> !(v.origin() instanceof ValueOrigin.Global)).orElse(true), "dump untouched");
            assertEquals(List.of("global memory-backend-ram.dump has invalid class name"), m.warnings());
        }

        @Test
        void ramAroundThePciHoleIsSplitAsEachBoardDoes() {
            // pc_init1: up to 3.5G below 4G, but 3G when the RAM reaches it (gigabyte_align); pc_q35_init: 2G above 2.75G
            BuiltMachine pc = build(section("machine", "type", "pc-i440fx-7.2"), section("memory", "size", "4G"));
            assertEquals(3L << 30, pc.values().below4g());
            assertEquals(1L << 30, pc.values().above4g());
            BuiltMachine q35 = build(section("machine", "type", "pc-q35-7.2"), section("memory", "size", "4G"));
            assertEquals(2L << 30, q35.values().below4g());
            assertEquals(2L << 30, q35.values().above4g());
            // the 64-bit PCI hole starts after high RAM (pc_pci_hole64_start)
            assertEquals(6L << 30, q35.boardObject("q35").orElseThrow().value("pci-hole64-start").orElseThrow().value());
        }

        @Test
        void ramSizeReachesTheMachineAndItsBackend() {
            BuiltMachine m = build(section("memory", "size", "512"));
            assertEquals(512L << 20, m.values().ramBytes());
            assertEquals(512L << 20, m.at("/objects/pc.ram").orElseThrow().value("size").orElseThrow().value());
        }
    }
}
