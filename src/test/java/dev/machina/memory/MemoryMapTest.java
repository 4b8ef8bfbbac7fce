package dev.machina.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryMapTest {
    @Test
    void ramIsReadWriteAndRomIsReadOnly() {
        MemoryMap m = MemoryMap.builder().ram(0, 0x10000).rom(0xFFFF0000L, rom64k()).build();
        m.write(0x1234, 4, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, m.read(0x1234, 4));
        assertEquals(0xBE, m.read(0x1234, 1));
        m.write(0xFFFF0000L, 1, 0x99);
        assertEquals(0x5A, m.read(0xFFFF0000L, 1), "ROM ignores writes");
        assertEquals(-1, m.pageOffset(0xFFFF0000L, true), "no fast writes to ROM");
        assertEquals(0x10000, m.pageOffset(0xFFFF0000L, false), "ROM follows RAM in the backing array");
    }

    @Test
    void laterRegionsWinAndHolesReadAllOnes() {
        MemoryMap m = MemoryMap.builder().ram(0, 0x100000).hole(0xA0000, 0x20000)
                .rom(0xFFFF0000L, rom64k()).romAlias(0xF0000, 0xFFFF0000L, 0x10000).build();
        assertEquals(0xFF, m.read(0xA0000, 1));
        assertEquals(0xFFFFFFFF, m.read(0xBFFFC, 4));
        assertEquals(-1, m.pageOffset(0xA0000, false));
        assertEquals(0x5A, m.read(0xF0000, 1), "alias shows the ROM");
        assertEquals(m.pageOffset(0xFFFF0000L, false), m.pageOffset(0xF0000, false), "same backing bytes");
        assertEquals(0xFF, m.read(0x100000000L - 0x20000, 1), "nothing mapped there");
    }

    @Test
    void mmioGetsOffsetsIntoItsRegion() {
        List<String> log = new ArrayList<>();
        MmioHandler h = new MmioHandler() {
            @Override
            public int read(long offset, int size) {
                log.add("r" + offset + "/" + size);
                return 0x42;
            }

            @Override
            public void write(long offset, int size, int value) {
                log.add("w" + offset + "/" + size + "=" + value);
            }
        };
        MemoryMap m = MemoryMap.builder().ram(0, 0x10000).mmio(0xFEC00000L, 0x1000, h).build();
        assertEquals(0x42, m.read(0xFEC00010L, 4));
        m.write(0xFEC00020L, 2, 7);
        assertEquals(List.of("r16/4", "w32/2=7"), log);
        assertEquals(-1, m.pageOffset(0xFEC00000L, false));
    }

    @Test
    void regionsMustBePageAligned() {
        assertThrows(IllegalArgumentException.class, () -> MemoryMap.builder().ram(0x100, 0x1000));
    }

    private static byte[] rom64k() {
        byte[] b = new byte[0x10000];
        java.util.Arrays.fill(b, (byte) 0x5A);
        return b;
    }
}
