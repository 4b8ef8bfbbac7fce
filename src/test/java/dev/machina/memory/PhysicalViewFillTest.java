package dev.machina.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The page and port tables are filled by doubling copies (PhysicalView.fill): every slice of the table a range
 * covers gets its value, and nothing outside the slice changes, for any start and length (the I/O space's
 * 64 Ki-port catch-all, one port, the pieces of a second-level table a range covers in part).
 */
class PhysicalViewFillTest {
    private static final int[] LENGTHS = {0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 33, 1000, 1023, 1024};

    @Test
    void anObjectSliceOfAnyStartAndLengthGetsTheValueAndNothingElseChanges() {
        for (int from : new int[] {0, 1, 3, 17, 500}) {
            for (int len : LENGTHS) {
                String[] got = new String[from + len + 5];
                Arrays.fill(got, "old");
                String[] want = got.clone();
                Arrays.fill(want, from, from + len, "new");
                PhysicalView.fill(got, from, from + len, "new");
                assertArrayEquals(want, got, "from " + from + ", length " + len);
            }
        }
    }

    @Test
    void anIntSliceOfAnyStartAndLengthGetsTheValueAndNothingElseChanges() {
        for (int from : new int[] {0, 1, 3, 17, 500}) {
            for (int len : LENGTHS) {
                int[] got = new int[from + len + 5];
                Arrays.fill(got, -7);
                int[] want = got.clone();
                Arrays.fill(want, from, from + len, 0x12345002);
                PhysicalView.fill(got, from, from + len, 0x12345002);
                assertArrayEquals(want, got, "from " + from + ", length " + len);
            }
        }
    }

    @Test
    void theWholePortSpaceInOneRange() {
        Object[] got = new Object[0x10000];
        Object v = new Object();
        PhysicalView.fill(got, 0, 0x10000, v);
        for (int p = 0; p < got.length; p++) {
            if (got[p] != v) {
                throw new AssertionError("port 0x" + Integer.toHexString(p) + " not filled");
            }
        }
    }
}
