package dev.machina.hw.pci;

import dev.machina.hw.core.BoardMemory;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.MemorySystem;

/** The four regions a PC board hands its chipset, for tests (RAM optional). */
record TestBoardMemory(MemoryRegion system, MemoryRegion io, MemoryRegion ram, MemoryRegion pci) implements BoardMemory {
    TestBoardMemory(MemorySystem ms, MemoryRegion pci) {
        this(ms.systemRoot(), ms.ioRoot(), null, pci);
    }
}
