package dev.machina.cli;

import dev.machina.machine.DataFiles;
import dev.machina.machine.MachineCatalog;
import dev.machina.machine.MachineIndex;
import dev.machina.machine.MachineTable;
import dev.machina.machine.QemuRelease;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of {@code machine list}, {@code machine list --all} and {@code -machine help} for every
 * release the data describes, made by the build ({@code machines/listings/} in the jar) with the same
 * code the commands run, so that the commands people and management tools type most need no parsing,
 * release filtering or table layout at start-up (those run in the JVM's interpreter there and were
 * about a third of a {@code machine list}). Each file starts with the machine index's {@code #file NAME
 * CRC} lines and is used only while the jar's family files have those CRCs ({@link MachineIndex#packagedText}).
 */
public final class Listings {
    private Listings() {}

    static final String DIR = "machines/listings/";

    /** The resource holding a listing: {@code KIND} is list, list-all or machine-help. */
    static String resource(String release, String kind) {
        return DIR + release + "-" + kind + ".txt";
    }

    /** The listings of one release from all summaries (every release, listing order): kind to text. */
    static Map<String, String> render(List<MachineTable.Summary> all, String release) {
        List<MachineTable.Summary> present = MachineTable.inRelease(all, release);
        return Map.of("list", MachineCommand.ListMachines.render(present, false, MachineCommand.ListFormat.text),
                "list-all", MachineCommand.ListMachines.render(present, true, MachineCommand.ListFormat.text),
                "machine-help", MachineHelp.list(present));
    }

    /** The packaged listing for the context's release, or empty when the jar has none that is current. */
    static Optional<String> packaged(Context context, String kind) {
        return MachineIndex.packagedText(resource(context.qemuRelease(), kind));
    }

    /** Writes {@code machines/listings/} under a build's classes directory (run by the Maven build after the index). */
    public static void main(String[] args) throws IOException {
        Path classes = Path.of(args[0]);
        Map<String, Long> crcs = MachineIndex.familyCrcs(classes.resolve("machines"));
        List<DataFiles.DataFile> files = new ArrayList<>();
        for (String name : crcs.keySet()) {
            files.add(new DataFiles.DataFile(name, Files.readString(classes.resolve(name), StandardCharsets.UTF_8)));
        }
        List<MachineTable.Summary> all = MachineCatalog.loadTable(files).summaries();
        Path dir = classes.resolve(DIR);
        Files.createDirectories(dir);
        String header = MachineIndex.header(crcs);
        for (String release : QemuRelease.KNOWN) {
            for (Map.Entry<String, String> e : render(all, release).entrySet()) {
                Path target = classes.resolve(resource(release, e.getKey()));
                Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
                try {
                    Files.writeString(tmp, header + e.getValue(), StandardCharsets.UTF_8);
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException x) {
                    Files.deleteIfExists(tmp);
                    throw new UncheckedIOException(x);
                }
            }
        }
    }
}
