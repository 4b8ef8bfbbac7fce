package dev.machina.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class MachineSinceTest {
    @Test
    void aVersionedTypeIsNewInTheReleaseItsNameEndsWith() {
        assertEquals("7.2", MachineCatalog.since("pc-i440fx-7.2"));
        assertEquals("10.1", MachineCatalog.since("pc-q35-10.1"));
        assertEquals("1.0", MachineCatalog.since("pc-1.0"));
    }

    @Test
    void namesThatDoNotEndInDashMajorDotMinorHaveNoRelease() {
        assertNull(MachineCatalog.since("pc"));
        assertNull(MachineCatalog.since("x-remote"));
        assertNull(MachineCatalog.since("isapc"));
        assertNull(MachineCatalog.since("pc-1.2.3"));
        assertNull(MachineCatalog.since("pc-.2"));
        assertNull(MachineCatalog.since("pc-2."));
        assertNull(MachineCatalog.since("pc-a.2"));
        assertNull(MachineCatalog.since("v1.2-x"));
        assertNull(MachineCatalog.since("pc-7.2-next"));
    }
}
