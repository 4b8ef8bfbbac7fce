package dev.machina.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MachineOrderTest {
    @Test
    void versionsCompareAsNumbersNotAsText() {
        List<String> names = new ArrayList<>(List.of("pc-i440fx-2.9", "pc-i440fx-2.12", "pc-i440fx-10.0", "pc-i440fx-2.10"));

        names.sort(MachineOrder.NATURAL);

        assertEquals(List.of("pc-i440fx-2.9", "pc-i440fx-2.10", "pc-i440fx-2.12", "pc-i440fx-10.0"), names);
    }

    @Test
    void aBugfixReleaseSortsBetweenItsReleaseAndTheNextOne() {
        List<String> names = new ArrayList<>(List.of("pc-q35-4.1", "pc-q35-4.0", "pc-q35-4.0.1"));

        names.sort(MachineOrder.NATURAL);

        assertEquals(List.of("pc-q35-4.0", "pc-q35-4.0.1", "pc-q35-4.1"), names);
    }

    @Test
    void helpOrderPutsFamiliesFirstNewestFirstThenTheRestByName() {
        List<MachineOrder.Entry> e = new ArrayList<>(List.of(
                new MachineOrder.Entry("none", null), new MachineOrder.Entry("pc-q35-2.9", "pc_q35"),
                new MachineOrder.Entry("isapc", null), new MachineOrder.Entry("pc-1.3", "pc_piix"),
                new MachineOrder.Entry("pc-q35-2.12", "pc_q35"), new MachineOrder.Entry("pc-i440fx-1.4", "pc_piix"),
                new MachineOrder.Entry("microvm", "microvm_i386")));

        e.sort(MachineOrder.HELP);

        assertEquals(List.of("microvm", "pc-i440fx-1.4", "pc-1.3", "pc-q35-2.12", "pc-q35-2.9", "isapc", "none"),
                e.stream().map(MachineOrder.Entry::name).toList());
    }
}
