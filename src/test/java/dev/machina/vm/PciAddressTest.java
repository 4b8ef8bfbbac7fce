package dev.machina.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PciAddressTest {
    @Test
    void isWrittenAsQemuWritesAddrTwoHexDigitsOfSlotAndTheFunction() {
        assertEquals("00.0", new PciAddress(0, 0).toString());
        assertEquals("01.3", new PciAddress(1, 3).toString());
        assertEquals("0a.1", new PciAddress(10, 1).toString());
        assertEquals("10.0", new PciAddress(16, 0).toString());
        assertEquals("1f.7", new PciAddress(31, 7).toString());
        for (int devfn = 0; devfn < 256; devfn++) {
            PciAddress a = PciAddress.ofDevfn(devfn);
            assertEquals(String.format("%02x.%d", a.slot(), a.function()), a.toString());
            assertEquals(Optional.of(a), PciAddress.parse(a.toString()), "read back");
        }
    }
}
