package dev.machina.hw.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.machina.hw.QtestReplay;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** QEMU 7.2 q35's chipset, replayed from recordings in tests/chipset/qemu72 (tools/qemu72/record_chipset.py). */
class Q35ChipsetTest {
    @TestFactory
    Stream<DynamicTest> answersAsQemu72Did() {
        return Stream.of("q35-conf-mechanism", "q35-smm-off-config-reset", "q35-config-wmask", "q35-chipset-registers",
                        "q35-pm-registers")
                .map(n -> PcChipsetTest.RECORDINGS.resolve(n + ".txt"))
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> QtestReplay.replay(p, new Q35ChipsetBoard())));
    }

    @Test
    void resetCpuInRstCntResetsTheMachine() {
        Q35ChipsetBoard b = new Q35ChipsetBoard();
        b.out(0xCF9, 1, 0x06);
        assertEquals(List.of("reset guest-reset"), b.requests);
    }

    @Test
    void sleepTypeZeroWithSleepEnableInPm1ControlPowersOff() {
        Q35ChipsetBoard b = new Q35ChipsetBoard();
        b.out(0xCF8, 4, 0x8000F840L);
        b.out(0xCFC, 4, 0x601);
        b.out(0xCF8, 4, 0x8000F844L);
        b.out(0xCFC, 1, 0x80);
        b.out(0x604, 2, 0x2000);
        assertEquals(List.of("shutdown guest-shutdown"), b.requests);
    }
}
