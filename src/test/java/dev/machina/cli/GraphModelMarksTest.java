package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The graph's "no model yet" marks follow what {@code machina run} really builds: the chipset and
 * ISA devices SeaBIOS boots on are drawn as modelled, devices the run only warns about are not.
 */
class GraphModelMarksTest {
    @Test
    void devicesTheRunBuildsAreModelledAndItsStandInsAreNot() {
        Set<String> m = MachineGraphCommand.modelled();
        for (String t : new String[] {"i8042", "isa-pit", "mc146818rtc", "isa-i8259", "isa-serial", "fw_cfg_io", "i440FX-pcihost", "PIIX3", "PIIX4_PM", "apic", "ioapic", "hpet", "kvmvapic"}) {
            assertTrue(m.contains(t), t + " is built by machina run, so it must not be drawn as 'no model yet'");
        }
        for (String t : new String[] {"isa-fdc", "vmport"}) {
            assertFalse(m.contains(t), t + " has no model: the run only warns about it");
        }
    }
}
