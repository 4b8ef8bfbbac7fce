package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.machina.config.ParsedCommandLine;
import dev.machina.config.ReadMode;
import dev.machina.vm.Vm;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@code machina run} refuses about the machine it is asked to build (issue 9's bad input): a
 * device type the data declares but no model implements, two devices on one I/O port, two drivers on
 * one ISA IRQ line where one of them cannot let go of it, a firmware file that is missing or does not
 * fit the space for it. Each is one line naming the thing and the option it came from, exit 1, and
 * nothing runs: the debug console the command line also asks for never gets a byte.
 */
class BadBoardInputTest {
    /** Presenting QEMU 7.2, which does not deprecate pc-i440fx-7.2 (10.2 does, and warns first). */
    private static final Context SHARED = new Context().withQemuRelease("7.2");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-device ne2k_isa|device 'ne2k_isa' (/machine/peripheral-anon/device[1]) has no model in Machina yet; remove it (-device ne2k_isa)",
        // QEMU 7.2 takes this line (the UHCI makes usb-bus.0): the controller's missing model is the reason, not a missing bus
        "-device piix3-usb-uhci -device usb-tablet|device 'piix3-usb-uhci' (/machine/peripheral-anon/device[1]) has no model in Machina yet; remove it (-device piix3-usb-uhci) and the devices on its usb-bus (-device usb-tablet)",
        "-chardev null,id=s -device isa-serial,chardev=s -device isa-debugcon,iobase=0x3f8|-device isa-debugcon,iobase=0x3f8: I/O ports 0x3f8-0x3f8 of 'debugcon'",
        "-chardev null,id=s -device isa-serial,irq=8,chardev=s|-device isa-serial,irq=8,chardev=s: ISA IRQ 8 is driven by mc146818rtc (/machine/unattached/device[9]) and would also be by isa-serial",
        "-chardev null,id=s -device isa-serial,irq=1,chardev=s|ISA IRQ 1 is driven by i8042",
        "-bios /nonexistent/bios.bin|-bios /nonexistent/bios.bin: no such file",
        "-bios BIG|a PC BIOS image must be at most 16 MiB",
        "-bios ODD|a BIOS image must be a positive multiple of 64 KiB; this one has 100000 bytes"})
    void refusedInOneLineBeforeAnythingRuns(String options, String message, @TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[32 << 20]);
        Path odd = dir.resolve("odd.bin");
        Files.write(odd, new byte[100000]);
        Path log = dir.resolve("debug.log");
        List<String> args = new ArrayList<>(List.of("run", "-M", "pc-i440fx-7.2", "-nodefaults", "-display", "none", "-no-reboot",
                "-chardev", "file,id=d,path=" + log, "-device", "isa-debugcon,iobase=0x402,chardev=d"));
        for (String o : options.split(" ")) {
            args.add(o.equals("BIG") ? big.toString() : o.equals("ODD") ? odd.toString() : o);
        }
        CliRunner r = CliRunner.run(SHARED, args.toArray(String[]::new));
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(message.replace("BIG", big.toString())), r.err());
        assertTrue(!Files.exists(log) || Files.size(log) == 0, "the firmware never ran: " + (Files.exists(log) ? Files.readString(log) : ""));
    }

    /**
     * COM1 and COM3 share ISA IRQ 4, as on QEMU and on real PCs: the 16550 lets go of its line while
     * OUT2 is clear, so ports whose outputs are gated may share one (the fdc, IDE and parallel port's too).
     */
    @Test
    void gatedIsaOutputsShareALine() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        ParsedCommandLine p = ConfigSupport.configs(SHARED).fromCommandLine(List.of("-M", "pc-i440fx-7.2", "-nodefaults", "-display", "none",
                "-chardev", "null,id=a", "-chardev", "null,id=b", "-device", "isa-serial,chardev=a",
                "-device", "isa-serial,iobase=0x3e8,irq=4,chardev=b"), ReadMode.STRICT);
        Vm vm = Vm.create(p.config(), SHARED.catalog(), new Vm.Console(InputStream.nullInputStream(), OutputStream.nullOutputStream()));
        assertTrue(vm.qtree().contains("iobase = 1000 (0x3e8)\n            irq = 4 (0x4)\n"), vm.qtree());
    }
}
