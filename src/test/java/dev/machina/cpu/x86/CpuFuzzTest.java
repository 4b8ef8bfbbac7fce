package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.memory.IoPorts;
import dev.machina.memory.MemoryMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A guest cannot crash the emulator: random byte sequences run as code in real mode, in 32-bit
 * protected mode at ring 0, and at ring 3 with paging on (random page rights, not-present pages and
 * directory entries, CR0.WP and CR4.PSE, gates of DPL 0 and 3, the stack switch through the TSS)
 * end only in guest-visible outcomes (an exception delivered to a handler, a triple fault, HLT,
 * the instruction budget), never in a Java exception leaving {@link Cpu#run}.
 *
 * <p>Every vector's handler is a HLT of its own (vector v at STUBS + v), so the outcome tells which
 * exception was delivered. The tables, stubs and code are rewritten before each run because the
 * random code may overwrite anything.
 */
class CpuFuzzTest {
    static final int RUNS_PER_MODE = 60_000, RUNS_USER = 40_000;
    static final int CODE = 0x10000, STUBS = 0x500, IDT = 0x1000, GDT = 0x2000, PD = 0x3000, PT = 0x4000, TSS = 0x5000;
    static final String[] MODES = {"rm", "pm", "user"};
    static final int BYTES = 24;
    static final long BUDGET = 200;

    final MemoryMap memory = MemoryMap.builder().ram(0, 1 << 20).build();
    final Cpu cpu = new Cpu(CpuModel.named("qemu32"), memory, IoPorts.NONE);
    private final byte[] code = new byte[BYTES];

    /**
     * On both tiers; the compiled tier compiles each block on its first run (threshold 1) until the
     * compile allowance ({@link Cpu#JIT_FREE} blocks and one per {@link Cpu#JIT_INSNS_PER_COMPILE}
     * instructions) is spent, then the fresh random code stays interpreted: compiled code runs, the
     * compiler does not run without bound.
     */
    @ParameterizedTest(name = "tier={0}")
    @ValueSource(strings = {"interp", "compiled"})
    void randomCodeEndsOnlyInGuestVisibleOutcomes(String tier) {
        cpu.setTier(Tier.parse(tier), 1);
        Map<String, Integer> outcomes = new TreeMap<>();
        Random rnd = new Random(0x5EED);
        for (int mode = 0; mode < 3; mode++) {
            for (int k = 0; k < (mode == 2 ? RUNS_USER : RUNS_PER_MODE); k++) {
                rnd.nextBytes(code);
                String outcome;
                try {
                    outcome = runOnce(mode, rnd);
                } catch (RuntimeException | StackOverflowError e) {
                    throw new AssertionError("a Java exception escaped the CPU loop (" + MODES[mode] + " mode) on code " + hex(code), e);
                }
                outcomes.merge(MODES[mode] + " " + outcome, 1, Integer::sum);
            }
        }
        if (cpu.tier() == Tier.COMPILED) {
            assertTrue(cpu.compiledBlocks() >= Cpu.JIT_FREE, "blocks compiled: " + cpu.compiledBlocks());
            assertTrue(cpu.compiledBlocks() <= cpu.jitAllowance(), cpu.compiledBlocks() + " blocks compiled, allowance " + cpu.jitAllowance());
            assertTrue(cpu.jitRefused > 0, "the random code never reached the compile allowance");
        } else {
            assertEquals(0, cpu.compiledBlocks());
        }
        int total = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(total >= 100_000, "ran " + total);
        // the random code must actually reach the interesting places
        for (String expected : new String[] {"rm #UD", "pm #UD", "pm #GP", "rm halt", "pm halt", "user #PF", "user #GP", "user #UD"}) {
            assertTrue(outcomes.getOrDefault(expected, 0) > 0, "never saw " + expected + " in " + outcomes);
        }
        assertTrue(outcomes.keySet().stream().anyMatch(o -> o.endsWith("#PF") || o.endsWith("#DF") || o.endsWith("shutdown")),
                "no paging, double or triple fault ever: " + outcomes);
    }

    /**
     * A handler that faults before it retires anything (here: every IVT entry points at a UD2, as
     * after random code overwrote the table) loops in real mode forever, as a real CPU would; run()
     * must still return when its budget is spent, with no instruction counted for the deliveries.
     */
    @Test
    void anExceptionStormEndsAtTheBudget() {
        cpu.reset();
        memory.load(CODE, new byte[] {0x0F, 0x0B}); // UD2
        for (int v = 0; v < 256; v++) {
            memory.write(v * 4L, 2, 0);
            memory.write(v * 4L + 2, 2, CODE >> 4);
        }
        for (int s = 0; s < 6; s++) {
            cpu.setSegment(s, 0, 0, 0xFFFF, 0x93);
        }
        cpu.setSegment(Cpu.CS, CODE >> 4, CODE, 0xFFFF, 0x9B);
        cpu.setEip(0);
        cpu.setReg(Cpu.ESP, 0x8000);
        long before = cpu.icount;
        assertEquals(Cpu.Stop.LIMIT, cpu.run(1000));
        assertEquals(before, cpu.icount, "a delivery retires no instruction");
    }

    private String runOnce(int mode, Random rnd) {
        return runOnce(mode, rnd, code, BUDGET);
    }

    /**
     * Runs code at CODE (a HLT after it) in mode 0 (real), 1 (ring 0, flat 32-bit) or 2 (ring 3,
     * paging) from a state drawn from rnd, for at most budget instructions; returns the outcome.
     */
    String runOnce(int mode, Random rnd, byte[] code, long budget) {
        cpu.reset();
        byte[] stubs = new byte[256];
        java.util.Arrays.fill(stubs, (byte) 0xF4); // HLT per vector
        memory.load(STUBS, stubs);
        memory.load(CODE, code);
        memory.load(CODE + code.length, new byte[] {(byte) 0xF4});
        for (int r = 0; r < 8; r++) {
            cpu.setReg(r, rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(0x100));
        }
        cpu.setReg(Cpu.ESP, 0x8000);
        if (mode == 0) {
            for (int v = 0; v < 256; v++) {
                memory.write(v * 4L, 2, STUBS + v);
                memory.write(v * 4L + 2, 2, 0);
            }
            for (int s = 0; s < 6; s++) {
                cpu.setSegment(s, 0, 0, 0xFFFF, s == Cpu.CS ? 0x9B : 0x93);
            }
            cpu.setSegment(Cpu.CS, CODE >> 4, CODE, 0xFFFF, 0x9B);
            cpu.setEip(0);
        } else if (mode == 1) {
            // GDT: null, flat 32-bit code (0x08), flat data (0x10)
            descriptor(0, 0, 0);
            descriptor(0x08, 0x0000FFFF, 0x00CF9A00);
            descriptor(0x10, 0x0000FFFF, 0x00CF9200);
            for (int v = 0; v < 256; v++) {
                int off = STUBS + v;
                memory.write(IDT + v * 8L, 4, (0x08 << 16) | (off & 0xFFFF));
                memory.write(IDT + v * 8L + 4, 4, (off & 0xFFFF0000) | 0x8E00);
            }
            cpu.gdtBase = GDT;
            cpu.gdtLimit = 23;
            cpu.idtBase = IDT;
            cpu.idtLimit = 256 * 8 - 1;
            SystemOps.setCr0(cpu, cpu.cr0 | Cpu.CR0_PE);
            for (int s = 0; s < 6; s++) {
                cpu.setSegment(s, 0x10, 0, 0xFFFFFFFF, 0xC093);
            }
            cpu.setSegment(Cpu.CS, 0x08, 0, 0xFFFFFFFF, 0xC09B);
            cpu.setEip(CODE);
        } else {
            userModeWithPaging(rnd);
        }
        Cpu.Stop stop = cpu.run(budget);
        return switch (stop) {
            case SHUTDOWN -> "shutdown";
            case LIMIT -> "budget";
            case STOPPED -> "stopped";
            default -> {
                int linear = cpu.segBase(Cpu.CS) + cpu.eip() - 1;
                int v = linear - STUBS;
                yield v >= 0 && v < 256 ? vectorName(v) : "halt";
            }
        };
    }

    private void descriptor(int selector, int lo, int hi) {
        memory.write(GDT + selector, 4, lo);
        memory.write(GDT + selector + 4L, 4, hi);
    }

    /**
     * Ring 3 (flat code 0x1B, data 0x23) with paging: the first 4 MiB mapped through one page table
     * (other directory entries absent or pointing at it too), the system pages supervisor-only, the
     * code and stack pages user-writable, every other page absent, read-only or supervisor at
     * random; gates of DPL 0 or 3 at random, ring 0's stack from a 32-bit TSS.
     */
    private void userModeWithPaging(Random rnd) {
        descriptor(0, 0, 0);
        descriptor(0x08, 0x0000FFFF, 0x00CF9A00);
        descriptor(0x10, 0x0000FFFF, 0x00CF9200);
        descriptor(0x18, 0x0000FFFF, 0x00CFFA00);
        descriptor(0x20, 0x0000FFFF, 0x00CFF200);
        descriptor(0x28, (TSS << 16) | 0x67, 0x00008900);
        for (int v = 0; v < 256; v++) {
            int off = STUBS + v;
            memory.write(IDT + v * 8L, 4, (0x08 << 16) | (off & 0xFFFF));
            memory.write(IDT + v * 8L + 4, 4, (off & 0xFFFF0000) | (rnd.nextBoolean() ? 0xEE00 : 0x8F00));
        }
        for (int k = 0; k < 0x68; k += 4) {
            memory.write(TSS + k, 4, 0);
        }
        memory.write(TSS + 4, 4, 0x9000); // ESP0
        memory.write(TSS + 8, 4, 0x10);   // SS0
        memory.write(PD, 4, PT | 7);
        for (int i = 1; i < 1024; i++) {
            memory.write(PD + i * 4L, 4, rnd.nextInt(8) == 0 ? PT | 7 : 0);
        }
        int[] rights = {0, 1, 3, 5, 7, 7}; // absent, supervisor read-only, supervisor, user read-only, user (twice)
        for (int p = 0; p < 1024; p++) {
            int flags = p <= 5 || p == 8 || p == 9 ? 3 // IDT, GDT, tables, TSS, stubs, ring-0 stack
                    : p == 7 || p == CODE >>> 12 ? 7  // ring-3 stack and code
                    : p < 256 ? rights[rnd.nextInt(rights.length)] : rnd.nextInt(4) == 0 ? 7 : 0;
            memory.write(PT + p * 4L, 4, (p << 12) | flags);
        }
        cpu.gdtBase = GDT;
        cpu.gdtLimit = 47;
        cpu.idtBase = IDT;
        cpu.idtLimit = 256 * 8 - 1;
        cpu.trSel = 0x28;
        cpu.trBase = TSS;
        cpu.trLimit = 0x67;
        cpu.trAttr = 0x8B;
        cpu.cr3 = PD;
        if (rnd.nextBoolean()) {
            cpu.cr4 |= Cpu.CR4_PSE;
        }
        SystemOps.setCr0(cpu, cpu.cr0 | Cpu.CR0_PE | Cpu.CR0_PG | (rnd.nextBoolean() ? Cpu.CR0_WP : 0));
        for (int s = 0; s < 6; s++) {
            cpu.setSegment(s, 0x23, 0, 0xFFFFFFFF, 0xC0F3);
        }
        cpu.setSegment(Cpu.CS, 0x1B, 0, 0xFFFFFFFF, 0xC0FB);
        cpu.setCpl(3);
        cpu.setEflags(0x202 | rnd.nextInt(4) << 12); // IF, a random IOPL
        cpu.setEip(CODE);
    }

    private static String vectorName(int v) {
        return switch (v) {
            case 0 -> "#DE";
            case 6 -> "#UD";
            case 8 -> "#DF";
            case 12 -> "#SS";
            case 13 -> "#GP";
            case 14 -> "#PF";
            default -> "vector " + v;
        };
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02X ", x));
        }
        return sb.toString().trim();
    }
}
