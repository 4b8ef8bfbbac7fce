package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.config.ReadMode;
import dev.machina.vm.BuiltMachine;
import dev.machina.vm.VmBuilder;
import dev.machina.vm.VmSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * sev-guest's legacy-vm-type: QEMU 9.1 to 10.2's sev_guest_instance_init calls object_apply_compat_props
 * and then sets legacy_vm_type = ON_OFF_AUTO_AUTO (QEMU 10.2.0 target/i386/sev.c:2867-2870), so
 * pc_compat_9_0's {sev-guest, legacy-vm-type, on} never reaches an object: on pc-q35-9.0 an -object
 * sev-guest has auto, and machine show/diff say so.
 */
class SevLegacyVmTypeTest {
    private static final Context SHARED = new Context();

    private static Object legacyVmType(String... object) {
        List<String> args = new java.util.ArrayList<>(List.of("-M", "pc-q35-9.0", "-nodefaults", "-object"));
        args.add(String.join(",", object));
        BuiltMachine b = VmBuilder.dryRun(VmSpec.of(ConfigSupport.configs(SHARED).fromCommandLine(args, ReadMode.STRICT).config(),
                SHARED.catalog()));
        return b.at("/objects/sev0").orElseThrow().value("legacy-vm-type").orElseThrow().value();
    }

    @Test
    void theCompatEntryNeverReachesTheObject() {
        assertEquals("auto", legacyVmType("sev-guest", "id=sev0", "cbitpos=47", "reduced-phys-bits=1"));
    }

    @Test
    void machineShowAndDiffSayAuto() throws Exception {
        CliRunner show = CliRunner.run(SHARED, "machine", "show", "pc-q35-9.0", "--provenance");
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().contains("property: legacy-vm-type\n  value: auto\n"), show.out());
        assertTrue(show.out().contains("then: sev_guest_instance_init sets it after object_apply_compat_props"), show.out());
        CliRunner diff = CliRunner.run(SHARED, "machine", "diff", "pc-q35-9.0", "pc-q35-9.1");
        assertEquals(0, diff.code(), diff.err());
        assertTrue(diff.out().lines().noneMatch(l -> l.contains("legacy-vm-type")), "no change between them: " + diff.out());
    }
}
