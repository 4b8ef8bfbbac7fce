package dev.machina.hw.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.machina.hw.QtestReplay;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** QEMU 7.2 pc's chipset, replayed from recordings in tests/chipset/qemu72 (tools/qemu72/record_chipset.py). */
class PcChipsetTest {
    static final Path RECORDINGS = Path.of("tests/chipset/qemu72");

    @TestFactory
    Stream<DynamicTest> answersAsQemu72Did() {
        List<Path> l = Stream.of("pci-conf-mechanism", "pc-smm-off-config-reset", "pc-config-wmask", "pc-chipset-registers")
                .map(n -> RECORDINGS.resolve(n + ".txt")).toList();
        return l.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                () -> QtestReplay.replay(p, new PcChipsetBoard())));
    }

    @Test
    void writingResetCpuToTheResetControlRegisterResetsTheMachine() {
        PcChipsetBoard b = new PcChipsetBoard();
        b.out(0xCF9, 1, 0x06);
        assertEquals(List.of("reset guest-reset"), b.requests);
    }

    @Test
    void sleepTypeZeroWithSleepEnableInPm1ControlPowersOff() {
        PcChipsetBoard b = new PcChipsetBoard();
        b.out(0xCF8, 4, 0x80000B40L);
        b.out(0xCFC, 4, 0x601);
        b.out(0xCF8, 4, 0x80000B80L);
        b.out(0xCFC, 1, 0x01);
        b.out(0x604, 2, 0x2000);
        assertEquals(List.of("shutdown guest-shutdown"), b.requests);
    }

    @Test
    void thePmTimerCountsAt3579545HzFromTheMachineClock() {
        PcChipsetBoard b = new PcChipsetBoard();
        b.out(0xCF8, 4, 0x80000B40L);
        b.out(0xCFC, 4, 0x601);
        b.out(0xCF8, 4, 0x80000B80L);
        b.out(0xCFC, 1, 0x01);
        b.timers.advance(1_000_000_000L);
        assertEquals(3_579_545L & 0xFFFFFF, b.in(0x608, 4));
    }
}
