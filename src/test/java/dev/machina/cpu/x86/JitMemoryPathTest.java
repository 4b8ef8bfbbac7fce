package dev.machina.cpu.x86;

import static dev.machina.cpu.x86.JitDifferentialTest.emit;
import static dev.machina.cpu.x86.JitDifferentialTest.hex;
import static dev.machina.cpu.x86.JitDifferentialTest.imm32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.memory.IoPorts;
import dev.machina.memory.MemoryMap;
import dev.machina.memory.MmioHandler;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compiled blocks' inline memory path (the TLB lookup in the generated code: one entry per page with the
 * tag and the backing-array offset, the TLB and the RAM array constants of the compiled class) ends every
 * program where the interpreter ends it, on the cases that must leave the fast path: accesses that cross a
 * page (RAM to RAM, RAM to MMIO, MMIO to RAM), MMIO pages (reads and writes reach the device in the same
 * order with the same values), writes into the page the running code is on and into the running block
 * itself (self-modifying code: the patched instruction's new immediate is what runs), and, with paging on,
 * writes to the page table that change a mapping in the middle of a block, with and without INVLPG and a
 * reload of CR3 after them. Random programs of such accesses, straight or in a loop, at ring 0 without
 * and with paging, on an interpreting CPU and on a compiling one (every block compiled on its first run):
 * stop reason, registers, all of RAM and the device's log of accesses must be equal.
 */
class JitMemoryPathTest {
    private static final int CODE = 0x10000, STUBS = 0x500, IDT = 0x1000, GDT = 0x2000, PD = 0x3000, PT = 0x4000;
    /** The data pages the programs read and write (and remap, with paging): 16 pages. */
    private static final int DATA = 0x60000, MMIO = 0xA0000, MMIO_SIZE = 0x2000;
    private static final int PROGRAMS = 400;

    /** A CPU on RAM below and above two MMIO pages whose device keeps its bytes and logs every access. */
    private static final class Rig {
        final StringBuilder log = new StringBuilder();
        final byte[] regs = new byte[MMIO_SIZE];
        int reads, writes;
        final MemoryMap memory = MemoryMap.builder().ram(0, MMIO).mmio(MMIO, MMIO_SIZE, new MmioHandler() {
            @Override
            public int read(long offset, int size) {
                int v = 0;
                for (int k = 0; k < size; k++) {
                    v |= ((regs[(int) offset + k] ^ (int) (offset + k) * 0x3B) & 0xFF) << (8 * k);
                }
                reads++;
                log.append("r ").append(Long.toHexString(offset)).append('/').append(size).append('=').append(Integer.toHexString(v)).append(' ');
                return v;
            }

            @Override
            public void write(long offset, int size, int value) {
                for (int k = 0; k < size; k++) {
                    regs[(int) offset + k] = (byte) (value >>> (8 * k));
                }
                writes++;
                log.append("w ").append(Long.toHexString(offset)).append('/').append(size).append('=').append(Integer.toHexString(value)).append(' ');
            }
        }).ram(MMIO + MMIO_SIZE, 0x100000 - MMIO - MMIO_SIZE).build();
        final Cpu cpu = new Cpu(CpuModel.named("qemu32"), memory, IoPorts.NONE);

        /** Runs code at CODE (a HLT after it) at ring 0, flat, paging on when paged; returns the outcome. */
        String run(byte[] code, boolean paged, long seed, long budget) {
            Random rnd = new Random(seed);
            cpu.reset();
            log.setLength(0);
            byte[] stubs = new byte[256];
            Arrays.fill(stubs, (byte) 0xF4); // HLT per vector
            memory.load(STUBS, stubs);
            byte[] data = new byte[0x10000];
            rnd.nextBytes(data);
            memory.load(DATA, data);
            memory.load(CODE, new byte[0x1000]);
            memory.load(CODE, code);
            memory.load(CODE + code.length, new byte[] {(byte) 0xF4});
            for (int r = 0; r < 8; r++) {
                cpu.setReg(r, rnd.nextInt());
            }
            cpu.setReg(Cpu.ESP, 0x8000);
            memory.write(GDT, 4, 0);
            memory.write(GDT + 4, 4, 0);
            memory.write(GDT + 8, 4, 0x0000FFFF);
            memory.write(GDT + 12, 4, 0x00CF9A00);
            memory.write(GDT + 16, 4, 0x0000FFFF);
            memory.write(GDT + 20, 4, 0x00CF9200);
            for (int v = 0; v < 256; v++) {
                int off = STUBS + v;
                memory.write(IDT + v * 8L, 4, (0x08 << 16) | (off & 0xFFFF));
                memory.write(IDT + v * 8L + 4, 4, (off & 0xFFFF0000) | 0x8E00);
            }
            cpu.gdtBase = GDT;
            cpu.gdtLimit = 23;
            cpu.idtBase = IDT;
            cpu.idtLimit = 256 * 8 - 1;
            int cr0 = cpu.cr0 | Cpu.CR0_PE;
            if (paged) {
                memory.write(PD, 4, PT | 3);
                for (int i = 1; i < 1024; i++) {
                    memory.write(PD + i * 4L, 4, 0);
                }
                for (int p = 0; p < 1024; p++) {
                    memory.write(PT + p * 4L, 4, p < 256 ? (p << 12) | 3 : 0); // identity, the first MiB
                }
                cpu.cr3 = PD;
                cr0 |= Cpu.CR0_PG;
            }
            SystemOps.setCr0(cpu, cr0);
            for (int s = 0; s < 6; s++) {
                cpu.setSegment(s, 0x10, 0, 0xFFFFFFFF, 0xC093);
            }
            cpu.setSegment(Cpu.CS, 0x08, 0, 0xFFFFFFFF, 0xC09B);
            cpu.setEip(CODE);
            Cpu.Stop stop = cpu.run(budget);
            return switch (stop) {
                case LIMIT -> "budget";
                case SHUTDOWN -> "shutdown";
                default -> {
                    int v = cpu.segBase(Cpu.CS) + cpu.eip() - 1 - STUBS;
                    yield v >= 0 && v < 256 ? "vector " + v : "halt";
                }
            };
        }
    }

    @Test
    void pageCrossingMmioSelfModifyingAndRemappingAccessesEndInTheInterpretersState() {
        Rig interp = new Rig(), compiled = new Rig();
        interp.cpu.setTier(Tier.INTERP, 0);
        compiled.cpu.setTier(Tier.COMPILED, 1);
        compiled.cpu.setJitAllowance(Long.MAX_VALUE / 2, 1); // every block compiled
        Random gen = new Random(0x7E57);
        int patched = 0, remapped = 0;
        java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (int k = 0; k < PROGRAMS; k++) {
            boolean paged = k % 2 == 1;
            Program p = program(gen, paged);
            long seed = gen.nextLong();
            String a = interp.run(p.code, paged, seed, 20_000);
            String b = compiled.run(p.code, paged, seed, 20_000);
            String where = (paged ? "paging" : "flat") + ", program " + k + ": " + hex(p.code);
            assertEquals(a, b, "outcome, " + where);
            assertEquals(JitDifferentialTest.state(interp.cpu), JitDifferentialTest.state(compiled.cpu), "state, " + where);
            assertTrue(Arrays.equals(interp.memory.backing(), compiled.memory.backing()), "memory, " + where);
            assertEquals(interp.log.toString(), compiled.log.toString(), "MMIO accesses, " + where);
            outcomes.merge(a, 1, Integer::sum);
            if (p.patch != 0 && interp.cpu.registers().gpr()[Cpu.EBX] == p.patch) {
                patched++;
            }
            if (p.remaps) {
                remapped++;
            }
        }
        assertTrue(compiled.cpu.compiledBlocks() > 3000, "blocks compiled: " + compiled.cpu.compiledBlocks());
        assertEquals(0, interp.cpu.compiledBlocks(), "the interpreter compiles nothing");
        assertTrue(interp.reads > 2000 && interp.writes > 2000, "MMIO reads " + interp.reads + ", writes " + interp.writes);
        assertTrue(patched > 60, "programs whose patched MOV EBX, imm32 ran with the new immediate: " + patched);
        assertTrue(remapped > 50, "programs with page-table writes: " + remapped);
        // every program ran to its HLT: none stopped early by a fault or the budget, so all its accesses ran
        assertEquals(java.util.Map.of("halt", PROGRAMS), outcomes);
    }

    private record Program(byte[] code, int patch, boolean remaps) {}

    /** The registers the accesses use: EAX, ECX, EBX, EBP, ESI, EDI (EDX counts the loop, ESP is the stack). */
    private static final int[] REGS = {0, 1, 3, 5, 6, 7};

    private static Program program(Random g, boolean paged) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean loop = g.nextBoolean();
        int top = 0;
        if (loop) {
            emit(out, 0xBA);
            imm32(out, 1 + g.nextInt(40)); // mov edx, rounds
            top = out.size();
        }
        int patch = 0;
        boolean remaps = false;
        int n = 3 + g.nextInt(10);
        for (int i = 0; i < n; i++) {
            int r = REGS[g.nextInt(REGS.length)];
            int size = new int[] {1, 2, 4}[g.nextInt(3)];
            int choice = g.nextInt(paged ? 9 : 8);
            switch (choice) {
                case 0, 1 -> load(out, g, r, size, address(g));
                case 2, 3 -> store(out, g, r, size, address(g));
                case 4 -> rmw(out, g, r, size, address(g));
                case 5 -> { // push and pop across a page boundary (ESP 1..3 bytes above 0x7000)
                    emit(out, 0xBC);
                    imm32(out, 0x7001 + g.nextInt(7));
                    emit(out, 0x50 | r, 0x58 | REGS[g.nextInt(REGS.length)]);
                    emit(out, 0xBC);
                    imm32(out, 0x8000);
                }
                case 6 -> { // through a base register: mov esi, a; op [esi + d8]
                    int a = address(g), d = g.nextInt(8) - 4;
                    emit(out, 0xBE);
                    imm32(out, a - d);
                    int rr = new int[] {0, 1, 3, 7}[g.nextInt(4)];
                    if (g.nextBoolean()) {
                        emit(out, 0x8B, 0x46 | rr << 3, d); // mov rr, [esi+d]
                    } else {
                        emit(out, 0x89, 0x46 | rr << 3, d); // mov [esi+d], rr
                    }
                }
                case 7 -> { // self-modifying code: patch the immediate of a MOV EBX, imm32 further on
                    int v = g.nextInt() | 1;
                    int filler = g.nextInt(3);
                    boolean whole = g.nextBoolean();
                    int at = CODE + out.size() + (whole ? 10 : 7) + 2 * filler + 1;
                    if (whole) {
                        emit(out, 0xC7, 0x05);
                        imm32(out, at);
                        imm32(out, v); // mov dword [at], v
                    } else {
                        emit(out, 0xC6, 0x05);
                        imm32(out, at);
                        emit(out, v); // mov byte [at], v: only the low byte changes
                        v = 0x5A5A5A00 | (v & 0xFF);
                    }
                    for (int f = 0; f < filler; f++) {
                        emit(out, 0x01, 0xC0 | REGS[g.nextInt(REGS.length)] << 3 | 0); // add eax, r
                    }
                    emit(out, 0xBB);
                    imm32(out, whole ? 0x12345678 : 0x5A5A5A5A); // mov ebx, imm32 (the patched one)
                    patch = v;
                }
                default -> { // paging: remap a data page mid-block, then use it (stale or fresh, as the TLB has it)
                    int page = DATA + (g.nextInt(16) << 12), to = DATA + (g.nextInt(16) << 12);
                    load(out, g, 1, 4, page + g.nextInt(0x1000 - 3)); // maybe puts the old mapping in the TLB
                    emit(out, 0xC7, 0x05);
                    imm32(out, PT + (page >>> 12) * 4);
                    imm32(out, to | 3); // mov dword [PTE], to | P | RW
                    switch (g.nextInt(3)) {
                        case 0 -> {
                            emit(out, 0x0F, 0x01, 0x3D);
                            imm32(out, page); // invlpg [page]
                        }
                        case 1 -> emit(out, 0x0F, 0x20, 0xD8, 0x0F, 0x22, 0xD8); // mov eax, cr3; mov cr3, eax
                        default -> { } // no flush: the old translation may still be used
                    }
                    if (g.nextBoolean()) {
                        load(out, g, r, size, page + g.nextInt(0x1000));
                    } else {
                        store(out, g, r, size, page + 0x1000 - 1 - g.nextInt(3));
                    }
                    remaps = true;
                }
            }
            if (g.nextInt(4) == 0) {
                emit(out, 0x01, 0xC0 | REGS[g.nextInt(REGS.length)] << 3 | REGS[g.nextInt(REGS.length)]); // add r, r
            }
        }
        if (loop) {
            emit(out, 0x4A, 0x0F, 0x85); // dec edx; jnz top
            imm32(out, top - (out.size() + 4));
        }
        return new Program(out.toByteArray(), patch, remaps);
    }

    /** An address the fast path must get right or leave: page ends, MMIO, the code's own page, plain data. */
    private static int address(Random g) {
        return switch (g.nextInt(6)) {
            case 0 -> DATA + (g.nextInt(16) << 12) + 0x1000 - 1 - g.nextInt(3); // crosses into the next page
            case 1 -> MMIO + g.nextInt(MMIO_SIZE - 3);
            case 2 -> new int[] {MMIO - 1 - g.nextInt(3), MMIO + 0x1000 - 1 - g.nextInt(3), MMIO + MMIO_SIZE - 1 - g.nextInt(3)}[g.nextInt(3)];
            case 3 -> CODE + 0x800 + g.nextInt(0x700); // the page the code is on, not its bytes
            default -> DATA + g.nextInt(0x10000 - 3);
        };
    }

    private static void load(ByteArrayOutputStream out, Random g, int r, int size, int a) {
        switch (size) {
            case 1 -> emit(out, 0x0F, g.nextBoolean() ? 0xB6 : 0xBE, r << 3 | 5); // movzx/movsx r, byte [a]
            case 2 -> {
                if (g.nextBoolean()) {
                    emit(out, 0x0F, 0xB7, r << 3 | 5); // movzx r, word [a]
                } else {
                    emit(out, 0x66, 0x8B, r << 3 | 5); // mov r16, [a]
                }
            }
            default -> emit(out, g.nextBoolean() ? 0x8B : 0x03, r << 3 | 5); // mov r, [a] / add r, [a]
        }
        imm32(out, a);
    }

    private static void store(ByteArrayOutputStream out, Random g, int r, int size, int a) {
        if (g.nextInt(3) == 0) { // an immediate
            if (size == 2) {
                emit(out, 0x66);
            }
            emit(out, size == 1 ? 0xC6 : 0xC7, 0x05);
            imm32(out, a);
            int v = g.nextInt();
            if (size == 4) {
                imm32(out, v);
            } else if (size == 2) {
                emit(out, v, v >> 8);
            } else {
                emit(out, v);
            }
            return;
        }
        if (size == 1) {
            emit(out, 0x88, (new int[] {0, 1, 3}[g.nextInt(3)]) << 3 | 5); // mov [a], al/cl/bl
        } else {
            if (size == 2) {
                emit(out, 0x66);
            }
            emit(out, 0x89, r << 3 | 5);
        }
        imm32(out, a);
    }

    private static void rmw(ByteArrayOutputStream out, Random g, int r, int size, int a) {
        if (size == 2) {
            emit(out, 0x66);
        }
        int w = size == 1 ? 0 : 1;
        int rr = size == 1 ? new int[] {0, 1, 3}[g.nextInt(3)] : r;
        switch (g.nextInt(3)) {
            case 0 -> emit(out, 0x00 | w, rr << 3 | 5); // add [a], r
            case 1 -> emit(out, 0x30 | w, rr << 3 | 5); // xor [a], r
            default -> emit(out, 0xFE | w, 5);           // inc [a]
        }
        imm32(out, a);
    }
}
