package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.machina.config.ReadMode;
import dev.machina.vm.Vm;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PC ROM layout every PC machine type gives a {@code -bios} image: mapped at the top of 4 GiB
 * and its last 128 KiB also below 1 MiB ({@code isa-bios}), where the reset vector's far jump goes.
 * QEMU 7.2 maps that alias for every version; the machine option {@code isa-bios-alias} (false up
 * to 9.0) concerns {@code -drive if=pflash} only. Taking it as "no BIOS below 1 MiB" left
 * pc-i440fx-1.4 .. 9.0 halting before SeaBIOS's first line. A 64 KiB image whose reset vector jumps
 * to f000:e05b, which writes 42 to isa-debug-exit: the run ends with (42 << 1) | 1 = 85.
 */
class BiosBelow1MiBTest {
    @TempDir
    static Path dir;

    /** One context: the machine data is loaded once for all cases. */
    private static final Context context = new Context();

    static Path bios() throws Exception {
        Path p = dir.resolve("tiny.bin");
        if (!Files.exists(p)) {
            byte[] img = new byte[64 * 1024];
            java.util.Arrays.fill(img, (byte) 0xF4); // hlt everywhere else
            // f000:e05b: mov al, 42; out 0xf4, al; hlt
            byte[] entry = {(byte) 0xB0, 42, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4};
            System.arraycopy(entry, 0, img, 0xE05B, entry.length);
            // reset vector ffff:fff0 (the image's last 16 bytes): jmp far f000:e05b
            byte[] reset = {(byte) 0xEA, 0x5B, (byte) 0xE0, 0x00, (byte) 0xF0};
            System.arraycopy(reset, 0, img, 0xFFF0, reset.length);
            Files.write(p, img);
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"isapc", "pc-i440fx-1.4", "pc-i440fx-2.4", "pc-i440fx-9.0", "pc-i440fx-7.2", "pc",
        "pc-q35-2.4", "pc-q35-9.0", "q35"})
    void theResetVectorReachesTheBiosBelow1MiB(String machine) throws Exception {
        var config = ConfigSupport.configs(context).fromCommandLine(List.of("-M", machine, "-nodefaults", "-display", "none",
                "-bios", bios().toString(), "-device", "isa-debug-exit,iobase=0xf4,iosize=4"), ReadMode.STRICT).config();
        Vm vm = Vm.create(config, context.catalog(), new Vm.Console(null, OutputStream.nullOutputStream()));
        Vm.Outcome o = vm.run(1_000_000); // the image needs 3 instructions; a BIOS that is not there never exits
        assertEquals(Vm.End.EXIT, o.end(), machine + ": " + o);
        assertEquals(85, o.status(), machine);
    }
}
