package dev.machina.hw.pci;

import dev.machina.hw.FakeTimers;
import dev.machina.hw.core.Board;
import dev.machina.hw.core.BoardMemory;
import dev.machina.hw.core.DeviceModel;
import dev.machina.hw.core.MachineControl;
import dev.machina.hw.core.ShutdownCause;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.MemorySystem;
import dev.machina.memory.RegionOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The chipset of QEMU 7.2's {@code q35,smm=off} with {@code -m 128 -nodefaults -serial null}:
 * RAM, the PCI window with pc.rom, {@code q35-pcihost} (below-4g-mem-size 128 MiB), {@code mch}
 * at 00.0, {@code ICH9-LPC} at 1f.0, {@code ich9-ahci} at 1f.2 and {@code ICH9-SMB} at 1f.3 (all
 * three multifunction, as pc_q35_init creates them), and a stand-in for COM1. Replays qtest
 * transcripts like {@link PcChipsetBoard}.
 */
final class Q35ChipsetBoard extends ChipsetReplayBoard {
    final FakeTimers timers = new FakeTimers();
    final List<String> requests = new ArrayList<>();
    final MemoryRegion ram = ms.ram(MemorySystem.MACHINE, "pc.ram", 128L << 20);
    final MemoryRegion pci = ms.container64(MemorySystem.MACHINE, "pci");
    final Q35Host host = new Q35Host(128L << 20);
    final Mch mch = new Mch(16, true);
    final Ich9Lpc lpc = new Ich9Lpc(false, 2, true);
    final Ich9Ahci ahci = new Ich9Ahci();
    final Ich9Smbus smb = new Ich9Smbus();
    private final List<DeviceModel> models = List.of(host, mch, lpc, ahci, smb);

    Q35ChipsetBoard() {
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
        pci.addSubregionOverlap(0xC0000, ms.rom(MemorySystem.MACHINE, "pc.rom", 0x20000), 1);
        ms.ioRoot().addSubregion(0x3F8, ms.io("/machine/unattached/device[20]", "serial", 8, RegionOps.UNASSIGNED_IO,
                AccessRule.DEFAULT));
        host.realize(board.sysBusSlot("/machine/q35"));
        PciBus bus = host.bus();
        mch.realize(bus.slot(board.plainSlot("/machine/q35/mch"), 0x00, 256, false));
        lpc.realize(bus.slot(board.plainSlot("/machine/unattached/device[2]"), 0xF8, 256, true));
        lpc.attachPmIo(); // as pc_q35_init does after the basic devices
        ahci.realize(bus.slot(board.plainSlot("/machine/unattached/device[18]"), 0xFA, 256, true));
        smb.realize(bus.slot(board.plainSlot("/machine/unattached/device[19]"), 0xFB, 256, true));
        models.forEach(DeviceModel::reset);
    }
}
