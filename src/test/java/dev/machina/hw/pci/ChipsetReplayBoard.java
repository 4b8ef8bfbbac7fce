package dev.machina.hw.pci;

import dev.machina.hw.QtestReplay;
import dev.machina.memory.FlatRange;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.MemorySystem;

/**
 * What the pc and q35 chipset test boards share as targets of a QEMU 7.2 qtest replay: port and
 * memory accesses go through the board's address spaces; a qtest memory write lands in RAM even
 * under a read-only PAM alias (QEMU's qtest writes bypass the alias; only the CPU's TLB honours it).
 */
abstract class ChipsetReplayBoard implements QtestReplay.Target {
    final MemorySystem ms = new MemorySystem();

    @Override
    public long in(int port, int size) {
        return ms.io().read(port, size);
    }

    @Override
    public void out(int port, int size, long value) {
        ms.io().write(port, size, value);
    }

    @Override
    public long read(long addr, int size) {
        return ms.memory().read(addr, size);
    }

    @Override
    public void write(long addr, int size, long value) {
        for (FlatRange r : ms.memory().flatView().ranges()) {
            if (addr >= r.start() && addr < r.end() && r.region().kind() == MemoryRegion.Kind.RAM
                    && !r.region().readonly()) {
                byte[] b = new byte[size];
                for (int i = 0; i < size; i++) {
                    b[i] = (byte) (value >>> (8 * i));
                }
                r.region().load(r.offsetInRegion() + (addr - r.start()), b);
                return;
            }
        }
        ms.memory().write(addr, size, value);
    }

    @Override
    public void setIrqIn(String role, String name, int n, boolean level) {
        throw new UnsupportedOperationException("set_irq_in on the chipset board");
    }

    @Override
    public void intercept(boolean out, String role, QtestReplay.IrqLog sink) {
        throw new UnsupportedOperationException("irq_intercept on the chipset board");
    }
}
