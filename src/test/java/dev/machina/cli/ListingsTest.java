package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.machine.MachineIndex;
import dev.machina.machine.QemuRelease;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The listings the build packs (machines/listings/ under target/classes, made by Listings.main in
 * process-classes) are what the full commands print for every release: machine list, machine list
 * --all and -machine help as the commands compute them from the packaged families for that release; and each
 * names the CRCs of the family files it was made from, so a jar whose families changed does not use it.
 */
class ListingsTest {
    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void everyPackedListingIsWhatTheCommandPrintsForItsRelease() throws Exception {
        String header = MachineIndex.header(MachineIndex.familyCrcs(CLASSES.resolve("machines")));
        assertTrue(header.startsWith("#file machines/"), header);
        java.util.List<dev.machina.machine.MachineTable.Summary> all = new Context().machines().summaries();
        for (String release : QemuRelease.KNOWN) {
            java.util.List<dev.machina.machine.MachineTable.Summary> present = dev.machina.machine.MachineTable.inRelease(all, release);
            java.util.Map<String, String> expected = java.util.Map.of(
                    "list", MachineCommand.ListMachines.render(present, false, MachineCommand.ListFormat.text),
                    "list-all", MachineCommand.ListMachines.render(present, true, MachineCommand.ListFormat.text),
                    "machine-help", MachineHelp.list(present));
            for (java.util.Map.Entry<String, String> e : expected.entrySet()) {
                String packed = Files.readString(CLASSES.resolve(Listings.resource(release, e.getKey())), StandardCharsets.UTF_8);
                assertTrue(packed.startsWith(header), release + " " + e.getKey() + " names the family files' CRCs");
                assertEquals(e.getValue(), packed.substring(header.length()), release + " " + e.getKey());
            }
        }
    }
}
