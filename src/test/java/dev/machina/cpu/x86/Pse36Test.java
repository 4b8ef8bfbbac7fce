package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.memory.IoPorts;
import dev.machina.memory.MemoryMap;
import dev.machina.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Physical addresses above 4 GiB from the page tables (SDM Vol. 3A 4.3 Table 4-4 for PSE-36, 4.4
 * Tables 4-10/4-11 for PAE): a 4 MiB PDE's bits (M-20):13 are physical-address bits (M-1):32 and
 * its bits 21:(M-19) are reserved (#PF with RSVD), where M is the model's physical-address width:
 * 36 for pentium3 (CPUID pse36: bits 16:13 address, 21:17 reserved), 32 for qemu32 (no PSE-36:
 * 21:13 all reserved), 40 for qemu64 (QEMU's TCG width for a long-mode model: 20:13 address, 21
 * reserved). Linear page 0x400000 (PDE 1) is the page under test; RAM sits at 0-4 MiB and at
 * 4 GiB (4 MiB of it, reached through the slow path as the machine's RAM above 4 GiB is).
 */
class Pse36Test {
    static final int IDT = 0x1000, GDT = 0x2000, PD = 0x3000, STUBS = 0x500, CODE = 0x10000;
    static final long HIGH = 1L << 32;
    static final int LOW_MARK = 0x0BADF00D, HIGH_MARK = 0x600DCAFE, WRITTEN = 0x12345678;

    /** Low RAM through the fast path; 4 MiB of RAM at 4 GiB through read/write, as PhysicalView does. */
    static final class HighRam implements PhysicalMemory {
        final MemoryMap low = MemoryMap.builder().ram(0, 4 << 20).build();
        final byte[] high = new byte[4 << 20];

        @Override
        public byte[] backing() {
            return low.backing();
        }

        @Override
        public int pageOffset(long phys, boolean write) {
            return phys >= HIGH ? -1 : low.pageOffset(phys, write);
        }

        @Override
        public int read(long phys, int size) {
            if (phys < HIGH) {
                return low.read(phys, size);
            }
            if (phys >= HIGH + high.length) {
                return size == 4 ? -1 : (1 << (size * 8)) - 1;
            }
            int v = 0;
            for (int i = 0; i < size; i++) {
                v |= (high[(int) (phys - HIGH) + i] & 0xFF) << (8 * i);
            }
            return v;
        }

        @Override
        public void write(long phys, int size, int value) {
            if (phys < HIGH) {
                low.write(phys, size, value);
            } else if (phys < HIGH + high.length) {
                for (int i = 0; i < size; i++) {
                    high[(int) (phys - HIGH) + i] = (byte) (value >>> (8 * i));
                }
            }
        }

        int high32(int off) {
            return read(HIGH + off, 4);
        }
    }

    private final HighRam ram = new HighRam();
    private Cpu c;

    /** Flat ring-0 protected mode, every vector v to a HLT at STUBS + v, PDE 0 a 4 MiB identity page. */
    private void setUp(String model, int pde1, boolean pae) {
        c = new Cpu(CpuModel.named(model), ram, IoPorts.NONE);
        MemoryMap m = ram.low;
        m.write(GDT + 8, 4, 0x0000FFFF);
        m.write(GDT + 12, 4, 0x00CF9A00);
        m.write(GDT + 16, 4, 0x0000FFFF);
        m.write(GDT + 20, 4, 0x00CF9200);
        for (int v = 0; v < 32; v++) {
            m.write(IDT + v * 8L, 4, (0x08 << 16) | (STUBS + v));
            m.write(IDT + v * 8L + 4, 4, 0x8E00);
            m.write(STUBS + v, 1, 0xF4);
        }
        m.write(0x10, 4, LOW_MARK); // what a dropped high address bit would alias to
        m.write(0x20, 4, LOW_MARK);
        ram.write(HIGH + 0x20, 4, HIGH_MARK);
        if (pae) {
            m.write(PD, 4, 0x4001);             // PDPTE 0 → the page directory at 0x4000
            m.write(0x4000, 4, 0x83);           // PDE 0: 2 MiB identity page
            m.write(0x4010, 4, 0x5003);         // PDE 2 (0x400000): the page table at 0x5000
            m.write(0x5000, 4, 3);              // PTE 0: physical page 1_0000_0000
            m.write(0x5004, 4, pde1);           // its high half: address bits 35:32
            c.cr4 = Cpu.CR4_PAE;
        } else {
            m.write(PD, 4, 0x83);
            m.write(PD + 4, 4, pde1);
            c.cr4 = Cpu.CR4_PSE;
        }
        c.gdtBase = GDT;
        c.gdtLimit = 23;
        c.idtBase = IDT;
        c.idtLimit = 32 * 8 - 1;
        c.cr3 = PD;
        SystemOps.setCr0(c, c.cr0 | Cpu.CR0_PE | Cpu.CR0_PG);
        for (int s = 0; s < 6; s++) {
            Segments.loadCache(c, s, 0x10, Segments.read(c, 0x10, Vectors.GP));
        }
        Segments.loadCache(c, Cpu.CS, 0x08, Segments.read(c, 0x08, Vectors.GP));
        c.setCpl(0);
        c.setReg(Cpu.ESP, 0x9000);
        c.setEip(CODE);
        // mov eax, WRITTEN ; mov [0x400010], eax ; mov ebx, [0x400020] ; hlt
        byte[] code = {(byte) 0xB8, 0x78, 0x56, 0x34, 0x12, (byte) 0xA3, 0x10, 0, 0x40, 0,
            (byte) 0x8B, 0x1D, 0x20, 0, 0x40, 0, (byte) 0xF4};
        m.load(CODE, code);
        c.invalidateCode(CODE, code.length);
    }

    /** Runs the code: the value read from linear 0x400020, or the #PF error code as -(code + 1). */
    private int run() {
        assertEquals(Cpu.Stop.HALTED, c.run(100));
        if (c.eip() == CODE + 17) {
            return c.reg(Cpu.EBX);
        }
        assertEquals(STUBS + Vectors.PF + 1, c.eip(), "halted in the #PF handler");
        assertEquals(0x400010, c.cr(2), "CR2: the write faulted");
        return -(ram.low.read(c.reg(Cpu.ESP), 4) + 1);
    }

    @ParameterizedTest(name = "{0}: PDE 0x{1} -> {2}")
    @CsvSource({
        // model, PDE of the 4 MiB page (hex), what happens
        "pentium3, 00002083, high",      // bits 16:13 = 1: physical 1_0000_0000 (M = 36)
        "pentium3, 0001E083, unassigned", // bits 16:13 = F: physical F_0000_0000, no RAM there
        "pentium3, 00020083, rsvd",      // bit 17: reserved under M = 36
        "pentium3, 00200083, rsvd",      // bit 21: always reserved
        "qemu32, 00002083, rsvd",        // no PSE-36 (M = 32): bits 21:13 all reserved
        "qemu64, 00102083, unassigned",  // M = 40: bits 20:13 = 0x81: physical 81_0000_0000
        "qemu64, 00200083, rsvd",        // bit 21 reserved under M = 40 too
    })
    void pdeBits13To21FollowTheModelsWidth(String model, String pde, String outcome) {
        setUp(model, Integer.parseUnsignedInt(pde, 16), false);
        int r = run();
        switch (outcome) {
            case "high" -> {
                assertEquals(HIGH_MARK, r, "the read reached RAM at 4 GiB");
                assertEquals(WRITTEN, ram.high32(0x10), "the write reached RAM at 4 GiB");
            }
            case "unassigned" -> assertEquals(-1, r, "nothing at that address: all ones");
            default -> assertEquals(-(Paging.PF_RSVD | Paging.PF_P | Paging.PF_W) - 1, r, "#PF RSVD|W|P");
        }
        assertArrayEquals(new int[] {LOW_MARK, LOW_MARK}, new int[] {ram.low.read(0x10, 4), ram.low.read(0x20, 4)},
                "no high address bit is dropped onto low memory");
    }

    @Test
    void pentium3AdvertisesPse36AndQemu32DoesNot() {
        assertTrue(CpuModel.named("pentium3").has("pse36"));
        assertEquals(false, CpuModel.named("qemu32").has("pse36"));
        assertEquals(36, CpuModel.named("pentium3").physBits());
    }

    @Test
    void paePteHighHalfReachesRamAbove4GiB() {
        setUp("pentium3", 1, true);
        assertEquals(HIGH_MARK, run());
        assertEquals(WRITTEN, ram.high32(0x10));
        assertEquals(LOW_MARK, ram.low.read(0x10, 4));
    }

    @Test
    void paePteAddressBitAboveTheWidthIsReserved() {
        setUp("pentium3", 0x10, true); // bit 36 under M = 36
        assertEquals(-(Paging.PF_RSVD | Paging.PF_P | Paging.PF_W) - 1, run());
    }
}
