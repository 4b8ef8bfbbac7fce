package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * RDTSC (SDM Vol. 2B RDTSC, Vol. 3B 18.17): the counter follows the clock the machine gives it
 * (its virtual clock, in nanoseconds), WRMSR IA32_TSC (10h) sets it, and with no clock it counts
 * retired instructions.
 */
class TimeStampCounterTest {
    private static final int HLT = 0xF4;

    // rdtsc ; mov [0x3000], eax ; mov [0x3004], edx ; hlt
    private static final int[] READ = {0x0F, 0x31, 0x66, 0xA3, 0x00, 0x30, 0x66, 0x89, 0x16, 0x04, 0x30, HLT};

    private static long readTsc(TestBox t) {
        t.load(0x1000, READ).realModeAt(0x1000);
        t.run(100);
        return (t.read32(0x3000) & 0xFFFFFFFFL) | ((long) t.read32(0x3004) << 32);
    }

    @Test
    void theCounterFollowsTheMachineClock() {
        TestBox t = new TestBox("pentium3");
        long[] now = {5_000};
        t.cpu.setTscClock(() -> now[0]);
        long a = readTsc(t);
        now[0] += 1_000_000; // one virtual millisecond (a halted CPU's skip, a device's timer)
        long b = readTsc(t);
        assertEquals(1_000_000, b - a, "1 ms of the clock is 1,000,000 TSC ticks (1 GHz), whatever ran meanwhile");
    }

    @Test
    void wrmsrSetsTheCounterAndItGoesOnFromThere() {
        TestBox t = new TestBox("pentium3");
        long[] now = {123_456};
        t.cpu.setTscClock(() -> now[0]);
        // mov ecx, 0x10 ; mov eax, 0 ; mov edx, 7 ; wrmsr ; hlt
        t.load(0x1000, 0x66, 0xB9, 0x10, 0, 0, 0, 0x66, 0xB8, 0, 0, 0, 0, 0x66, 0xBA, 7, 0, 0, 0, 0x0F, 0x30, HLT)
                .realModeAt(0x1000);
        t.run(100);
        now[0] += 42;
        assertEquals((7L << 32) + 42, readTsc(t));
    }

    @Test
    void withoutAClockItCountsInstructions() {
        TestBox t = new TestBox("pentium3");
        long a = readTsc(t);
        long b = readTsc(t);
        // the second RDTSC retires 4 instructions after the first: mov, mov, hlt, then itself
        assertEquals(4, b - a);
    }
}
