package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.machine.DataFiles;
import dev.machina.machine.DataFiles.DataFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build's record of the packaged data it checked ({@link DataCheck}) vouches for exactly those files. */
class DataCheckTest {
    @Test
    void theBuildRecordsThePackagedDataAsChecked() {
        assertTrue(DataCheck.covers(DataFiles.packaged()), "the build did not write " + DataCheck.NAME + " for the packaged data");
    }

    @Test
    void aFileEditedAfterTheCheckIsNotCovered() {
        List<DataFile> files = DataFiles.packaged();
        String record = DataCheck.render(files);
        List<DataFile> edited = new ArrayList<>(files);
        DataFile f = edited.get(edited.size() / 2);
        edited.set(edited.size() / 2, new DataFile(f.name(), f.text() + "\n# edited\n"));

        assertTrue(DataCheck.covers(record, files));
        assertFalse(DataCheck.covers(record, edited));
    }

    @Test
    void aFileAddedOrRemovedAfterTheCheckIsNotCovered() {
        List<DataFile> files = DataFiles.packaged();
        String record = DataCheck.render(files);
        List<DataFile> more = new ArrayList<>(files);
        more.add(new DataFile("machines/zz-new.yaml", "kind: machine-family\n"));
        List<DataFile> fewer = files.subList(1, files.size());

        assertFalse(DataCheck.covers(record, more));
        assertFalse(DataCheck.covers(record, fewer));
        assertFalse(DataCheck.covers(null, files));
    }
}
