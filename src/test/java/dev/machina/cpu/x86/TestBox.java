package dev.machina.cpu.x86;

import dev.machina.memory.IoPorts;
import dev.machina.memory.MemoryMap;

/** A CPU on 2 MiB of RAM with helpers to place code and set up real mode, for behaviour tests. */
final class TestBox {
    final MemoryMap memory = MemoryMap.builder().ram(0, 2 << 20).build();
    final Cpu cpu;

    TestBox(String model) {
        this(CpuModel.named(model));
    }

    TestBox(CpuModel model) {
        cpu = new Cpu(model, memory, IoPorts.NONE);
    }

    TestBox() {
        this("qemu32");
    }

    /** Writes bytes at a physical address and tells the CPU (as a loader must). */
    TestBox load(int addr, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        memory.load(addr, b);
        cpu.invalidateCode(addr, b.length);
        return this;
    }

    int read16(int addr) {
        return memory.read(addr, 2);
    }

    int read32(int addr) {
        return memory.read(addr, 4);
    }

    /** Real mode, all segments 0, SP = 0x8000, execution at 0000:eip. */
    TestBox realModeAt(int eip) {
        for (int s = 0; s < 6; s++) {
            cpu.setSegment(s, 0, 0, 0xFFFF, s == Cpu.CS ? 0x9B : 0x93);
        }
        cpu.setReg(Cpu.ESP, 0x8000);
        cpu.setEip(eip);
        cpu.setHalted(false);
        return this;
    }

    /** IVT entry: vector → 0000:handler. */
    TestBox vector(int v, int handler) {
        memory.write(v * 4L, 2, handler);
        memory.write(v * 4L + 2, 2, 0);
        return this;
    }

    Cpu.Stop run(long max) {
        return cpu.run(max);
    }
}
