package dev.machina.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.machina.hw.BuiltinTypes;
import dev.machina.qom.ObjectType;
import dev.machina.qom.TypeInfo;
import dev.machina.qom.TypeRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The start-up load of data the build checked ({@link MachineCatalog#loadChecked}: no checks, each type's
 * properties read when it is first resolved) makes the catalog the checking load makes, type for type and
 * property for property, in the newest release and an old one.
 */
class CheckedLoadTest {
    @ParameterizedTest
    @ValueSource(strings = {QemuRelease.NEWEST, "7.2"})
    void checkedLoadResolvesEveryTypeAsTheCheckingLoadDoes(String release) {
        List<DataFiles.DataFile> files = DataFiles.packaged();
        List<TypeInfo> builtins = BuiltinTypes.all();
        MachineCatalog checking = MachineCatalog.load(files, false, builtins, new DataReading(), release);
        MachineCatalog checked = MachineCatalog.loadChecked(files, builtins, new DataReading(), release);

        TypeRegistry a = checking.registry();
        TypeRegistry b = checked.registry();
        assertEquals(a.names(), b.names());
        List<String> differ = new ArrayList<>();
        for (String n : a.names()) {
            ObjectType x = a.type(n);
            ObjectType y = b.type(n);
            if (!x.info().equals(y.info()) || !List.copyOf(x.properties()).equals(List.copyOf(y.properties()))
                    || !x.chain().equals(y.chain()) || !x.isANames().equals(y.isANames())) {
                differ.add(n);
            }
        }
        assertEquals(List.of(), differ);
        assertEquals(checking.table().names(), checked.table().names());
        assertEquals(checking.compatSets(), checked.compatSets());
        for (String m : List.of("pc-i440fx-7.2", "pc-q35-2.4", "isapc", "microvm")) {
            assertEquals(checking.resolve(m), checked.resolve(m), m);
        }
    }

    /**
     * The checked load reads a family's device graphs (its devices, each version's changes, its default
     * devices) only when they are first used, which a run does for the one family it starts: the graphs
     * read then are the ones the checking load reads, for every family and every machine type, compared
     * both ways (the deferred lists and maps against the read ones and back).
     */
    @org.junit.jupiter.api.Test
    void deferredFamilyGraphsAreTheGraphsTheCheckingLoadReads() {
        List<DataFiles.DataFile> files = DataFiles.packaged();
        List<TypeInfo> builtins = BuiltinTypes.all();
        MachineCatalog checking = MachineCatalog.load(files, false, builtins, new DataReading(), QemuRelease.NEWEST);
        MachineCatalog checked = MachineCatalog.loadChecked(files, builtins, new DataReading(), QemuRelease.NEWEST);
        assertEquals(checking.table().families().keySet(), checked.table().families().keySet());
        for (String f : checking.table().families().keySet()) {
            Declarations.FamilyDecl x = checking.table().families().get(f);
            Declarations.FamilyDecl y = checked.table().families().get(f);
            assertEquals(x.devices(), y.devices(), f + " devices");
            assertEquals(y.devices(), x.devices(), f + " devices");
            assertEquals(x.defaultDevices(), y.defaultDevices(), f + " default devices");
            assertEquals(x.versions().size(), y.versions().size(), f);
            for (int i = 0; i < x.versions().size(); i++) {
                assertEquals(x.versions().get(i).devices(), y.versions().get(i).devices(), x.versions().get(i).name());
                assertEquals(y.versions().get(i).devices(), x.versions().get(i).devices(), x.versions().get(i).name());
            }
            assertEquals(x, y, f);
            assertEquals(y, x, f);
            assertEquals(x.hashCode(), y.hashCode(), f);
        }
        for (String m : checking.table().names()) {
            assertEquals(checking.resolve(m), checked.resolve(m), m);
        }
    }
}
