package dev.machina.cpu.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lazy flag representation gives the same six flags as computing them the long way from their
 * SDM definitions (Vol. 1 3.4.3.1), for every operation and size, on edge and random operands.
 */
class LazyFlagsTest {
    private final Cpu c = new TestBox().cpu;
    private static final int[] EDGES = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, -1, 0x0F, 0x10};

    /** Reference flags of r = a op b (op: 0 add, 1 sub) with carry/borrow in, for size bytes. */
    private static int reference(int op, int size, long a, long b, int carryIn) {
        int bits = size * 8;
        long mask = (1L << bits) - 1;
        a &= mask;
        b &= mask;
        long full = op == 0 ? a + b + carryIn : a - b - carryIn;
        long r = full & mask;
        long sign = 1L << (bits - 1);
        int cf = op == 0 ? (full > mask ? 1 : 0) : (full < 0 ? 1 : 0);
        long sa = (a & sign) != 0 ? a - (1L << bits) : a;
        long sb = (b & sign) != 0 ? b - (1L << bits) : b;
        long sfull = op == 0 ? sa + sb + carryIn : sa - sb - carryIn;
        int of = (sfull < -sign || sfull > sign - 1) ? 1 : 0;
        int af = op == 0 ? (((a & 0xF) + (b & 0xF) + carryIn) > 0xF ? 1 : 0) : (((a & 0xF) - (b & 0xF) - carryIn) < 0 ? 1 : 0);
        int zf = r == 0 ? 1 : 0;
        int sf = (r & sign) != 0 ? 1 : 0;
        int pf = Long.bitCount(r & 0xFF) % 2 == 0 ? 1 : 0;
        return cf | pf << 2 | af << 4 | zf << 6 | sf << 7 | of << 11;
    }

    @Test
    void addSubAdcSbbFlagsMatchTheDefinitions() {
        Random rnd = new Random(6);
        for (int size : new int[] {1, 2, 4}) {
            for (int k = 0; k < 20000; k++) {
                int a = k < EDGES.length * EDGES.length ? EDGES[k % EDGES.length] : rnd.nextInt();
                int b = k < EDGES.length * EDGES.length ? EDGES[k / EDGES.length] : rnd.nextInt();
                int cin = rnd.nextInt(2);
                AluOps.add(c, size, a, b);
                assertEquals(reference(0, size, a, b, 0), c.arithFlags(), "add" + size + " " + a + " " + b);
                AluOps.sub(c, size, a, b);
                assertEquals(reference(1, size, a, b, 0), c.arithFlags(), "sub" + size + " " + a + " " + b);
                c.setArithFlags(cin);
                AluOps.adc(c, size, a, b);
                assertEquals(reference(0, size, a, b, cin), c.arithFlags(), "adc" + size + " " + a + " " + b + " " + cin);
                c.setArithFlags(cin);
                AluOps.sbb(c, size, a, b);
                assertEquals(reference(1, size, a, b, cin), c.arithFlags(), "sbb" + size + " " + a + " " + b + " " + cin);
            }
        }
    }

    @Test
    void incAndDecKeepCarry() {
        Random rnd = new Random(7);
        for (int size : new int[] {1, 2, 4}) {
            for (int k = 0; k < 5000; k++) {
                int a = k < EDGES.length ? EDGES[k] : rnd.nextInt();
                for (int cf = 0; cf < 2; cf++) {
                    c.setArithFlags(cf);
                    AluOps.inc(c, size, a);
                    assertEquals((reference(0, size, a, 1, 0) & ~1) | cf, c.arithFlags(), "inc" + size + " " + a);
                    c.setArithFlags(cf);
                    AluOps.dec(c, size, a);
                    assertEquals((reference(1, size, a, 1, 0) & ~1) | cf, c.arithFlags(), "dec" + size + " " + a);
                }
            }
        }
    }

    @Test
    void everyCombinationOfFlagsSurvivesARoundTrip() {
        for (int bits = 0; bits < 64; bits++) {
            int f = (bits & 1) | (bits >> 1 & 1) << 2 | (bits >> 2 & 1) << 4 | (bits >> 3 & 1) << 6 | (bits >> 4 & 1) << 7
                    | (bits >> 5 & 1) << 11;
            c.setArithFlags(f);
            assertEquals(f, c.arithFlags());
        }
    }

    @Test
    void conditionsFollowTheirFlagFormulas() {
        for (int bits = 0; bits < 64; bits++) {
            int f = (bits & 1) | (bits >> 1 & 1) << 2 | (bits >> 2 & 1) << 4 | (bits >> 3 & 1) << 6 | (bits >> 4 & 1) << 7
                    | (bits >> 5 & 1) << 11;
            c.setArithFlags(f);
            boolean cf = (f & 1) != 0, pf = (f & 4) != 0, zf = (f & 0x40) != 0, sf = (f & 0x80) != 0, of = (f & 0x800) != 0;
            boolean[] want = {of, !of, cf, !cf, zf, !zf, cf || zf, !(cf || zf), sf, !sf, pf, !pf, sf != of, sf == of,
                    zf || sf != of, !(zf || sf != of)};
            for (int cc = 0; cc < 16; cc++) {
                assertEquals(want[cc], c.cond(cc), "condition " + cc + " flags " + Integer.toHexString(f));
            }
        }
    }
}
