package dev.machina.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code run} reserves the RAM backing array before it reads the machine data ({@link BackingReserve}):
 * the machine's memory then uses that array, with what was loaded into RAM and ROM before the seal in
 * place and the rest zero, as with an array of its own; a reservation that does not fit is dropped, and
 * one reservation serves one machine.
 */
class BackingReserveTest {
    @AfterEach
    void noReservationLeft() {
        BackingReserve.take(0);
    }

    /** A 1 MiB RAM and a 256 KiB ROM at the top of 4 GiB, the ROM's last bytes loaded before the seal. */
    private static MemorySystem machine(long ram) {
        MemorySystem ms = new MemorySystem();
        MemoryRegion r = ms.ram("/machine", "pc.ram", ram);
        MemoryRegion bios = ms.rom("/machine", "pc.bios", 0x40000);
        ms.systemRoot().addSubregion(0, r);
        ms.systemRoot().addSubregion(0xFFFC0000L, bios);
        bios.load(0x3FFF0, new byte[] {(byte) 0xEA, 0x5B, (byte) 0xE0, 0x00, (byte) 0xF0});
        r.load(0x7C00, new byte[] {0x55, (byte) 0xAA});
        return ms;
    }

    @Test
    void aReservationThatFitsIsTheMachinesBackingWithWhatWasLoadedInPlace() {
        BackingReserve.reserve(0x100000);
        MemorySystem ms = machine(0x100000);
        PhysicalMemory p = ms.memory().physical();
        assertEquals(0x100000 + BackingReserve.SLACK, p.backing().length, "the reserved array, not one of 1.25 MiB");
        assertEquals(0xEA, p.read(0xFFFFFFF0L, 1), "the ROM's loaded bytes at the reset vector");
        assertEquals(0xF000E05B, p.read(0xFFFFFFF1L, 4));
        assertEquals(0xAA55, p.read(0x7C00, 2), "RAM loaded before the seal");
        assertEquals(0, p.read(0x7C02, 4), "RAM not loaded reads zero");
        assertEquals(0, p.read(0xFFFC0000L, 4), "ROM not loaded reads zero");
        p.write(0x1000, 4, 0x12345678);
        assertEquals(0x12345678, p.read(0x1000, 4));
        assertNull(BackingReserve.take(0), "the seal took the reservation");
    }

    @Test
    void aReservationThatDoesNotFitIsDroppedAndTheMachineMakesItsOwn() {
        BackingReserve.reserve(0x100000);
        MemorySystem ms = machine(0x200000); // -m said one size, the machine has another
        PhysicalMemory p = ms.memory().physical();
        assertEquals(0x200000 + 0x40000, p.backing().length);
        assertEquals(0xAA55, p.read(0x7C00, 2));
        assertEquals(0xEA, p.read(0xFFFFFFF0L, 1));
        assertNull(BackingReserve.take(0), "dropped, not kept for a later machine");
    }

    @Test
    void oneReservationServesOneMachineAndTooMuchSpareIsNotTaken() {
        BackingReserve.reserve(0x400000);
        assertNull(BackingReserve.take(0x100000), "4 MiB for a machine of 1 MiB wastes more than the slack");
        BackingReserve.reserve(0x100000);
        byte[] a = BackingReserve.take(0x100000 + 0x40000);
        assertEquals(0x100000 + BackingReserve.SLACK, a.length);
        assertNull(BackingReserve.take(0x100000 + 0x40000));
        BackingReserve.reserve(0x100000);
        byte[] b = BackingReserve.take(0x100000);
        assertNotSame(a, b, "a new array for each reservation");
        assertSame(null, BackingReserve.take(0x100000));
    }
}
