package dev.machina.hw.pci;

import static dev.machina.hw.pci.PciHeader.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.machina.hw.FakeTimers;
import dev.machina.hw.core.Board;
import dev.machina.hw.core.PciSlot;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.MemorySystem;
import dev.machina.memory.RegionOps;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PciBusTest {
    private final MemorySystem ms = new MemorySystem();
    private final Board board = Board.forTest(ms, new FakeTimers());
    private final MemoryRegion pciMem = ms.container64("/host", "pci");
    private final PciBus bus = new PciBus("/host/pci.0", new TestBoardMemory(ms, pciMem), ms::transaction);
    private final PciConfigMechanism mech = new PciConfigMechanism(bus);
    private final List<String> pirqs = new ArrayList<>();

    PciBusTest() {
        MemoryRegion[] r = mech.regions(board.plainSlot("/host").regions());
        ms.ioRoot().addSubregion(0xCF8, r[0]);
        ms.ioRoot().addSubregion(0xCFC, r[1]);
        ms.systemRoot().addSubregionOverlap(0, pciMem, -1);
    }

    private PciSlot plug(int devfn, int vendor, int device) {
        PciSlot s = bus.slot(board.plainSlot("/dev" + devfn), devfn, 256, false);
        ((PciConfigSpace) s.config()).identify(vendor, device, 0, 0x0100);
        return s;
    }

    private long cfgRead(int devfn, int reg, int size) {
        ms.io().write(0xCF8, 4, 0x80000000L | devfn << 8 | (reg & ~3));
        return ms.io().read(0xCFC + (reg & 3), size);
    }

    private void cfgWrite(int devfn, int reg, int size, long v) {
        ms.io().write(0xCF8, 4, 0x80000000L | devfn << 8 | (reg & ~3));
        ms.io().write(0xCFC + (reg & 3), size, v);
    }

    private static RegionOps constant(long v) {
        return new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return v;
            }

            @Override
            public void write(long offset, int size, long value) {
            }
        };
    }

    @Nested
    class ConfigMechanism {
        @Test
        void anEmptySlotReadsAllOnes() {
            assertEquals(0xFFFFFFFFL, cfgRead(0x10, 0, 4));
        }

        @Test
        void readsTheIdentityOfAPluggedFunctionAndQemusSubsystemIds() {
            plug(0x08, 0x8086, 0x7000);
            assertEquals(0x70008086L, cfgRead(0x08, 0, 4));
            assertEquals(0x11001AF4L, cfgRead(0x08, SUBSYSTEM_VENDOR_ID, 4));
        }

        @Test
        void onlyADwordWriteSetsTheAddressButAnySizeReadsItsLowBytes() {
            ms.io().write(0xCF8, 4, 0x80000008L);
            ms.io().write(0xCF8, 2, 0x1234);
            ms.io().write(0xCFA, 2, 0x1234);
            assertEquals(0x80000008L, ms.io().read(0xCF8, 4));
            assertEquals(0x08, ms.io().read(0xCFA, 1));
            assertEquals(0x0008, ms.io().read(0xCFA, 2));
        }

        @Test
        void withTheEnableBitClearDataReadsAllOnes() {
            plug(0, 0x8086, 0x1237);
            ms.io().write(0xCF8, 4, 0x00000000L);
            assertEquals(0xFFFFFFFFL, ms.io().read(0xCFC, 4));
        }

        @Test
        void theLowAddressBitsOffsetTheRegisterAndReadsStopAtTheEndOfTheSpace() {
            plug(0, 0x8086, 0x1237);
            ms.io().write(0xCF8, 4, 0x80000001L);
            assertEquals(0x00123780L, ms.io().read(0xCFC, 4));
            assertEquals(0x1AF4L, cfgRead(0, SUBSYSTEM_VENDOR_ID, 2));
            ms.io().write(0xCF8, 4, 0x800000FDL);
            assertEquals(0x000000L, ms.io().read(0xCFC, 4) >>> 24, "byte 0x100 is beyond the space");
        }
    }

    @Nested
    class Bars {
        @Test
        void sizingAnIoBarReadsItsSizeMaskAndTheIoBit() {
            PciSlot s = plug(0x09, 0x8086, 0x7010);
            s.registerBar(4, true, false, false, ms.io("/dev9", "bmdma", 16, constant(0xAB), AccessRule.DEFAULT));
            assertEquals(0x1L, cfgRead(0x09, 0x20, 4));
            cfgWrite(0x09, 0x20, 4, 0xFFFFFFFFL);
            assertEquals(0xFFFFFFF1L, cfgRead(0x09, 0x20, 4));
        }

        @Test
        void anIoBarDecodesOnlyWhileTheCommandRegisterEnablesIo() {
            PciSlot s = plug(0x09, 0x8086, 0x7010);
            s.registerBar(4, true, false, false, ms.io("/dev9", "bmdma", 16, constant(0xAB), AccessRule.DEFAULT));
            cfgWrite(0x09, 0x20, 4, 0xC000);
            assertEquals(0xFFL, ms.io().read(0xC000, 1), "command IO off");
            cfgWrite(0x09, COMMAND, 2, 0x0103);
            assertEquals(0xABL, ms.io().read(0xC000, 1));
            assertEquals(0x0103L, cfgRead(0x09, COMMAND, 2));
            cfgWrite(0x09, 0x20, 4, 0xD001);
            assertEquals(0xFFL, ms.io().read(0xC000, 1), "moved away");
            assertEquals(0xABL, ms.io().read(0xD00F, 1));
            bus.reset();
            assertEquals(0x1L, cfgRead(0x09, 0x20, 4));
            assertEquals(0L, cfgRead(0x09, COMMAND, 2));
            assertEquals(0xFFL, ms.io().read(0xD000, 1), "reset unmaps");
        }

        @Test
        void aMemoryBarMapsIntoThePciWindowAtItsAlignedAddress() {
            PciSlot s = plug(0x10, 0x8086, 0x2922);
            s.registerBar(5, false, false, false, ms.io("/dev16", "ahci", 0x1000, constant(0x12345678L), AccessRule.DEFAULT));
            cfgWrite(0x10, 0x24, 4, 0xFFFFFFFFL);
            assertEquals(0xFFFFF000L, cfgRead(0x10, 0x24, 4));
            cfgWrite(0x10, 0x24, 4, 0xFEBFF123L);
            cfgWrite(0x10, COMMAND, 2, COMMAND_MEMORY);
            assertEquals(0x12345678L, ms.memory().read(0xFEBFF000L, 4));
        }

        @Test
        void statusErrorBitsClearWhenOneIsWrittenAndTheRestOfTheHeaderIsReadOnly() {
            PciSlot s = plug(0x08, 0x8086, 0x7000);
            s.config().set16(STATUS, 0x0280 | STATUS_REC_MASTER_ABORT);
            cfgWrite(0x08, STATUS, 2, STATUS_REC_MASTER_ABORT | 0x0280);
            cfgWrite(0x08, VENDOR_ID, 4, 0);
            assertEquals(0x0280L, cfgRead(0x08, STATUS, 2));
            assertEquals(0x70008086L, cfgRead(0x08, VENDOR_ID, 4));
        }
    }

    @Nested
    class Intx {
        @Test
        void aPirqStaysAssertedWhileAnyPinRoutedToItIsAndInterruptDisableMasksIt() {
            bus.setIrqs((devfn, pin) -> ((devfn >> 3) - 1 + pin) & 3, (p, l) -> pirqs.add(p + "=" + l), 4);
            PciSlot a = plug(0x10, 0x8086, 1);   // slot 2 INTA -> PIRQB
            PciSlot b = plug(0x18, 0x8086, 2);   // slot 3 INTD -> PIRQB
            a.intx(0).raise();
            b.intx(3).raise();
            a.intx(0).lower();
            assertEquals(List.of("1=true", "1=true", "1=true"), pirqs);
            assertEquals(STATUS_INTERRUPT, (int) cfgRead(0x18, STATUS, 2) & STATUS_INTERRUPT);
            cfgWrite(0x18, COMMAND, 2, COMMAND_INTX_DISABLE);
            assertEquals("1=false", pirqs.get(pirqs.size() - 1));
            cfgWrite(0x18, COMMAND, 2, 0);
            assertEquals("1=true", pirqs.get(pirqs.size() - 1));
        }
    }
}
