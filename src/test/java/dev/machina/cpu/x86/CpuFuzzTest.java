package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.memory.IoPorts;
import dev.machina.memory.MemoryMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A guest cannot crash the emulator: random byte sequences run as code in real mode and in 32-bit
 * protected mode end only in guest-visible outcomes (an exception delivered to a handler, a triple
 * fault, HLT, the instruction budget), never in a Java exception leaving {@link Cpu#run}.
 *
 * <p>Every vector's handler is a HLT of its own (vector v at STUBS + v), so the outcome tells which
 * exception was delivered. The tables, stubs and code are rewritten before each run because the
 * random code may overwrite anything.
 */
class CpuFuzzTest {
    static final int RUNS_PER_MODE = 60_000;
    static final int CODE = 0x10000, STUBS = 0x500, IDT = 0x1000, GDT = 0x2000;
    static final int BYTES = 24;
    static final long BUDGET = 200;

    private final MemoryMap memory = MemoryMap.builder().ram(0, 1 << 20).build();
    private final Cpu cpu = new Cpu(CpuModel.named("qemu32"), memory, IoPorts.NONE);
    private final byte[] code = new byte[BYTES];

    @Test
    void randomCodeEndsOnlyInGuestVisibleOutcomes() {
        Map<String, Integer> outcomes = new TreeMap<>();
        Random rnd = new Random(0x5EED);
        for (int mode = 0; mode < 2; mode++) {
            for (int k = 0; k < RUNS_PER_MODE; k++) {
                rnd.nextBytes(code);
                String outcome;
                try {
                    outcome = runOnce(mode == 1, rnd);
                } catch (RuntimeException | StackOverflowError e) {
                    throw new AssertionError("a Java exception escaped the CPU loop (" + (mode == 1 ? "protected" : "real")
                            + " mode) on code " + hex(code), e);
                }
                outcomes.merge((mode == 1 ? "pm " : "rm ") + outcome, 1, Integer::sum);
            }
        }
        int total = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(total >= 100_000, "ran " + total);
        // the random code must actually reach the interesting places
        for (String expected : new String[] {"rm #UD", "pm #UD", "pm #GP", "rm halt", "pm halt"}) {
            assertTrue(outcomes.getOrDefault(expected, 0) > 0, "never saw " + expected + " in " + outcomes);
        }
        assertTrue(outcomes.keySet().stream().anyMatch(o -> o.endsWith("#PF") || o.endsWith("#DF") || o.endsWith("shutdown")),
                "no paging, double or triple fault ever: " + outcomes);
    }

    private String runOnce(boolean protectedMode, Random rnd) {
        cpu.reset();
        byte[] stubs = new byte[256];
        java.util.Arrays.fill(stubs, (byte) 0xF4); // HLT per vector
        memory.load(STUBS, stubs);
        memory.load(CODE, code);
        memory.load(CODE + BYTES, new byte[] {(byte) 0xF4});
        for (int r = 0; r < 8; r++) {
            cpu.setReg(r, rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(0x100));
        }
        cpu.setReg(Cpu.ESP, 0x8000);
        if (!protectedMode) {
            for (int v = 0; v < 256; v++) {
                memory.write(v * 4L, 2, STUBS + v);
                memory.write(v * 4L + 2, 2, 0);
            }
            for (int s = 0; s < 6; s++) {
                cpu.setSegment(s, 0, 0, 0xFFFF, s == Cpu.CS ? 0x9B : 0x93);
            }
            cpu.setSegment(Cpu.CS, CODE >> 4, CODE, 0xFFFF, 0x9B);
            cpu.setEip(0);
        } else {
            // GDT: null, flat 32-bit code (0x08), flat data (0x10)
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
            SystemOps.setCr0(cpu, cpu.cr0 | Cpu.CR0_PE);
            for (int s = 0; s < 6; s++) {
                cpu.setSegment(s, 0x10, 0, 0xFFFFFFFF, 0xC093);
            }
            cpu.setSegment(Cpu.CS, 0x08, 0, 0xFFFFFFFF, 0xC09B);
            cpu.setEip(CODE);
        }
        Cpu.Stop stop = cpu.run(BUDGET);
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
