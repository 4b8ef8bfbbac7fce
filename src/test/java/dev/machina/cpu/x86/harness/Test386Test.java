package dev.machina.cpu.x86.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.machina.cpu.x86.CpuModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * barotto/test386.asm (GPL, so never committed: {@code tools/test386-build SOURCE} builds it under
 * target/test386/) runs to POST 0xFF, through every test in the order Bochs 2.7 runs them (QEMU 7.2
 * stops at 0x20), and its POST 0xEE flag dump equals the suite's test386-EE-reference.txt byte for
 * byte. Skipped, saying so, when the image has not been built on this machine.
 */
class Test386Test {
    static final Path DIR = Path.of("target/test386");
    static final List<Integer> BOCHS_POST_ORDER = List.of(0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x08, 0x09, 0x20,
            0x21, 0x22, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A,
            0x1B, 0x1C, 0xE0, 0xEE, 0xFF);

    @Test
    void reachesPostFfAndPrintsTheReferenceFlags() throws IOException {
        Path bin = DIR.resolve("test386.bin");
        Path ref = DIR.resolve("test386-EE-reference.txt");
        assumeTrue(Files.isRegularFile(bin) && Files.isRegularFile(ref),
                "test386 is not built here: run tools/test386-build with a checkout of barotto/test386.asm");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BareMachine m = new BareMachine(CpuModel.named("qemu32"), 32 << 20, BareMachine.readRom(bin), console, true,
                BareMachine.PORT_DEBUGCON_BOCHS, 0x190);
        BareMachine.Result r = m.run(300_000_000L);
        assertEquals(BOCHS_POST_ORDER, m.postCodes(), "POST codes (a HLT after a code = that test failed)");
        assertEquals(BareMachine.End.HALTED, r.end());
        assertArrayEquals(Files.readAllBytes(ref), console.toByteArray(), "POST 0xEE output = test386-EE-reference.txt");
    }
}
