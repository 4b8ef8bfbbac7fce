package dev.machina.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.machine.DataFiles.DataFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataFilesTest {
    @Test
    void theDataIsPackagedInEveryDirectoryItBelongsTo() {
        List<String> names = DataFiles.packaged().stream().map(DataFile::name).toList();

        assertTrue(names.contains("machines/pc-i440fx.yaml"), names.toString());
        assertTrue(names.contains("machines/types/devices.yaml"), names.toString());
        assertTrue(names.contains("compat/hw.yaml"), names.toString());
        assertEquals(names.stream().filter(n -> n.startsWith("machines/") && !n.startsWith("machines/types/")).toList(),
                DataFiles.packagedFamilies().stream().map(DataFile::name).toList());
    }

    @Test
    void aGivenFileReplacesThePackagedFileOfItsKindAndNameAndComesLast() {
        DataFile mine = new DataFile("/tmp/x/pc-q35.yaml", "kind: machine-family\n");
        DataFile other = new DataFile("elsewhere/pc-q35.yaml", "kind: compat-sets\n");
        List<DataFile> packaged = List.of(new DataFile("machines/pc-q35.yaml", "a"), new DataFile("compat/hw.yaml", "b"));

        List<String> names = DataFiles.withPackaged(List.of(mine, other), packaged).stream().map(DataFile::name).toList();

        assertEquals(List.of("compat/hw.yaml", "/tmp/x/pc-q35.yaml", "elsewhere/pc-q35.yaml"), names);
    }
}
