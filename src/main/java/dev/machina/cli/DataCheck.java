package dev.machina.cli;

import dev.machina.hw.BuiltinTypes;
import dev.machina.machine.DataFiles;
import dev.machina.machine.DataFiles.DataFile;
import dev.machina.machine.MachineCatalog;
import dev.machina.util.YamlTreeStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The build's check of the packaged machine data ({@code machines/checked.tsv} in the jar): the build
 * runs {@code machine validate}'s whole check ({@link MachineCatalog#check}: schemas, declarations, every
 * compat entry against the registry, every machine resolved) on the data files it packs, against the
 * built-in types it compiles, and when nothing is wrong records each file's name and CRC-32. A run whose
 * packaged files are exactly those ({@link #covers}) loads them with {@link MachineCatalog#loadChecked}
 * (the checks left out, each type's properties read when the type is first used): a SeaBIOS start spent
 * about 200 ms there, reading the 38,000 properties of the x86 CPU models and checking what the build had
 * checked. Data with a problem gets no record, so its run checks everything and reports the problems as
 * before.
 *
 * <p>Format: a {@code #} comment line, then one line per packaged file, sorted by name:
 * {@code NAME<TAB>CRC} (CRC-32 of the UTF-8 text, lower-case hex).
 */
public final class DataCheck {
    private DataCheck() {}

    /** The record's path in the jar (and under the build's classes directory). */
    public static final String NAME = "machines/checked.tsv";

    /** The record for files that passed the check. */
    public static String render(List<DataFile> files) {
        StringBuilder sb = new StringBuilder("# packaged data files checked by the build (MachineCatalog.check): name, CRC-32\n");
        for (DataFile f : files) {
            sb.append(f.name()).append('\t').append(Long.toHexString(YamlTreeStore.crc(f.text()))).append('\n');
        }
        return sb.toString();
    }

    /** Whether {@code record} (a {@link #render} text, or null) names exactly these files, with these texts. */
    public static boolean covers(String record, List<DataFile> files) {
        return record != null && record.equals(render(files));
    }

    /** Whether the packaged record names exactly these files (the packaged ones, as read in this run). */
    public static boolean covers(List<DataFile> files) {
        return covers(packagedRecord(), files);
    }

    private static String packagedRecord() {
        try (InputStream in = DataCheck.class.getClassLoader().getResourceAsStream(NAME)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // no record: the run checks everything
        }
    }

    /**
     * Writes (or, when the data has a problem, removes) {@code machines/checked.tsv} under a build's classes
     * directory (run by the Maven build after resources are copied and classes compiled).
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]).resolve(NAME);
        List<DataFile> files = DataFiles.packaged();
        MachineCatalog.Check c = MachineCatalog.check(files, BuiltinTypes.all());
        if (!c.errors().isEmpty()) {
            Files.deleteIfExists(out);
            System.err.println("machina build: the packaged machine data has " + c.errors().size()
                    + " problem(s) (run 'tools/machina machine validate'); start-up will check it every run");
            return;
        }
        Path tmp = out.resolveSibling("checked.tsv.tmp");
        try {
            Files.writeString(tmp, render(files), StandardCharsets.UTF_8);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new UncheckedIOException(e);
        }
    }
}
