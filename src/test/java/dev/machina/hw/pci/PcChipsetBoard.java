package dev.machina.hw.pci;

import dev.machina.hw.FakeTimers;
import dev.machina.hw.core.Board;
import dev.machina.hw.core.BoardMemory;
import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.MachineControl;
import dev.machina.hw.core.ShutdownCause;
import dev.machina.hw.intc.I8259Pair;
import dev.machina.hw.core.IrqLine;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.MemorySystem;
import dev.machina.memory.RegionOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The chipset of QEMU 7.2's {@code pc,smm=off} with {@code -m 128 -nodefaults}, built from the
 * models and their bindings as a board would: RAM (pc.ram, ram-below-4g at 0), the PCI window,
 * {@code i440FX-pcihost} on the system bus, {@code i440FX} at 00.0, {@code PIIX3} at 01.0
 * (multifunction), {@code piix3-ide} at 01.1, {@code PIIX4_PM} at 01.3 (smb_io_base 0xB100),
 * the 8259's ELCR at 0x4D0 (the transcripts read it), pc.rom and a stand-in for COM1. Replays qtest transcripts; a qtest
 * memory write goes into RAM even through a read-only alias, as QEMU's qtest path (which only the
 * CPU's TLB refuses) does.
 */
final class PcChipsetBoard extends ChipsetReplayBoard {
    final FakeTimers timers = new FakeTimers();
    final List<String> requests = new ArrayList<>();
    final MemoryRegion ram = ms.ram(MemorySystem.MACHINE, "pc.ram", 128L << 20);
    final MemoryRegion pci = ms.container64(MemorySystem.MACHINE, "pci");
    final I8259Pair pic = new I8259Pair(IrqLine.none());
    final I440fxHost host = new I440fxHost();
    final I440fx i440fx = new I440fx();
    final Piix3 piix3 = new Piix3();
    final PiixIde ide = new PiixIde();
    final Piix4Pm pm = new Piix4Pm(0xB100, false, 2);
    private final List<DeviceModel> models = List.of(host, i440fx, piix3, ide, pm);

    PcChipsetBoard() {
        MachineControl control = new MachineControl() {
            @Override
            public void requestReset(ShutdownCause cause) {
                requests.add("reset " + cause.qapiName());
            }

            @Override
            public void requestShutdown(ShutdownCause cause) {
                requests.add("shutdown " + cause.qapiName());
            }

            @Override
            public void requestExit(int status) {
                requests.add("exit " + status);
            }
        };
        Board board = new Board(ms, timers, control, id -> Optional.empty());
        ms.systemRoot().addSubregion(0, ms.alias(MemorySystem.MACHINE, "ram-below-4g", ram, 0, 128L << 20));
        BoardMemory bm = new TestBoardMemory(ms.systemRoot(), ms.ioRoot(), ram, pci);
        board.setBoardMemory(bm);
        ms.systemRoot().addSubregionOverlap(0, pci, -1);
        // what pc_memory_init puts in the PCI window: the option ROM area (QEMU's pc.rom)
        pci.addSubregionOverlap(0xC0000, ms.rom(MemorySystem.MACHINE, "pc.rom", 0x20000), 1);
        // the recorder's -serial null: COM1 at 0x3F8 (PIIX4_PM's machine-ready register 0x67 sees it)
        ms.ioRoot().addSubregion(0x3F8, ms.io("/machine/unattached/device[14]", "serial", 8, RegionOps.UNASSIGNED_IO,
                dev.machina.memory.AccessRule.DEFAULT));
        host.realize(board.sysBusSlot("/machine/i440fx"));
        PciBus bus = host.bus();
        i440fx.realize(bus.slot(board.plainSlot("/machine/unattached/device[2]"), 0x00, 256, false));
        piix3.realize(bus.slot(board.plainSlot("/machine/unattached/device[3]"), 0x08, 256, true));
        ide.realize(bus.slot(board.plainSlot("/machine/unattached/device[16]"), 0x09, 256, false));
        pm.realize(bus.slot(board.plainSlot("/machine/unattached/device[17]"), 0x0B, 256, false));
        ms.ioRoot().addSubregion(0x4D0, ms.io("/machine/pic", "elcr", 2, new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return offset == 0 ? pic.master().readElcr() : pic.slave().readElcr();
            }

            @Override
            public void write(long offset, int size, long value) {
                (offset == 0 ? pic.master() : pic.slave()).writeElcr((int) value);
            }
        }, dev.machina.memory.AccessRule.sizes(1, 1)));
        reset();
    }

    void reset() {
        models.forEach(DeviceModel::reset);
    }
}
