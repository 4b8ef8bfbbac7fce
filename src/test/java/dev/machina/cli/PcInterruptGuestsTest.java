package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.machina.config.ParsedCommandLine;
import dev.machina.config.ReadMode;
import dev.machina.vm.Vm;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guests of {@code tests/guests} that need the whole pc board (not {@code cpu run}'s bare machine),
 * run in-process on {@code -M pc} with an instruction budget and compared with what QEMU 7.2 printed
 * for the same image ({@code NAME.qemu.txt}; the recording command is at the top of each .asm):
 * <ul>
 *   <li>{@code apic}: the local APIC (CPUID.APIC, MSR 0x1B, reset registers, TPR/PPR/IRR/ISR with a
 *       self-IPI, EOI, the timer one-shot and periodic), the I/O APIC (the 8254's IRQ 0 at pin 2),
 *       the HPET's legacy replacement route, the 8259 through LINT0 as ExtINT, an NMI self-IPI and
 *       the global disable;</li>
 *   <li>{@code power}: reset through 0xCF9, reset through the i8042's pulse (command 0xFE), then
 *       ACPI S5 through PM1_CNT, which ends the run with status 0;</li>
 *   <li>{@code cr8}: cr8legacy's LOCK MOV CR0 as CR8 (the TPR's bits 7:4) on {@code -cpu max}, and the LOCK
 *       ignored on {@code -cpu qemu32} (cr8-max.qemu.txt, cr8.qemu.txt).</li>
 * </ul>
 */
class PcInterruptGuestsTest {
    private static final Path GUESTS = Path.of("tests/guests");
    /** Far more than any of these guests retires (the apic guest: about 30,000 instructions). */
    private static final long BUDGET = 50_000_000L;

    record Run(Vm.Outcome outcome, int resets, String debugcon) {}

    private static Run run(Path dir, String guest, String... extra) throws Exception {
        Path log = dir.resolve(guest + ".log");
        List<String> args = new ArrayList<>(List.of("-M", "pc", "-nodefaults", "-display", "none", "-bios",
                GUESTS.resolve(guest + ".bin").toString(), "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
                "-chardev", "file,id=d,path=" + log, "-device", "isa-debugcon,iobase=0x402,chardev=d"));
        args.addAll(List.of(extra));
        Context context = new Context();
        ParsedCommandLine p = ConfigSupport.configs(context).fromCommandLine(args, ReadMode.STRICT);
        Vm vm = Vm.create(p.config(), context.catalog(), new Vm.Console(InputStream.nullInputStream(), new ByteArrayOutputStream()));
        Vm.Outcome o = vm.run(BUDGET);
        return new Run(o, vm.resets(), Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    private static String recorded(String guest) throws Exception {
        return Files.readString(GUESTS.resolve(guest + ".qemu.txt"), StandardCharsets.ISO_8859_1);
    }

    @Test
    void apicIoapicHpetAndExtIntBehaveAsOnQemu(@TempDir Path dir) throws Exception {
        Run r = run(dir, "apic");
        assertEquals(recorded("apic"), r.debugcon());
        assertEquals(Vm.End.EXIT, r.outcome().end(), "the guest ends through isa-debug-exit");
        assertEquals(1, r.outcome().status(), "PASS is exit status 1 (isa-debug-exit value 0)");
    }

    /** cr8legacy on -cpu max: LOCK MOV CR0 reads and writes the local APIC's TPR bits 7:4 (tests/guests/cr8.asm). */
    @Test
    void lockMovCr0IsCr8TheApicTprOnMax(@TempDir Path dir) throws Exception {
        Run r = run(dir, "cr8", "-cpu", "max");
        assertEquals(recorded("cr8-max"), r.debugcon());
        assertEquals(Vm.End.EXIT, r.outcome().end(), "the guest ends through isa-debug-exit");
        assertEquals(1, r.outcome().status(), "PASS is exit status 1 (isa-debug-exit value 0)");
    }

    /** Without cr8legacy (-cpu qemu32) QEMU 7.2 ignores the LOCK of MOV CRn: LOCK MOV EAX, CR0 reads CR0. */
    @Test
    void lockMovCr0IsCr0WithoutCr8Legacy(@TempDir Path dir) throws Exception {
        Run r = run(dir, "cr8", "-cpu", "qemu32");
        assertEquals(recorded("cr8"), r.debugcon());
        assertEquals(1, r.outcome().status(), "PASS is exit status 1 (isa-debug-exit value 0)");
    }

    @Test
    void resetThroughCf9AndTheKeyboardControllerThenS5PowerOffWithStatus0(@TempDir Path dir) throws Exception {
        Run r = run(dir, "power");
        assertEquals(recorded("power"), r.debugcon());
        assertEquals(Vm.End.SHUTDOWN, r.outcome().end(), "S5 through PM1_CNT is a guest shutdown");
        assertEquals(0, r.outcome().status());
        assertEquals(2, r.resets(), "0xCF9 and the i8042 pulse each reset the machine once");
    }

    @Test
    void noRebootEndsTheRunAtTheFirstReset(@TempDir Path dir) throws Exception {
        Run r = run(dir, "power", "-no-reboot");
        assertEquals("boot 00000000\n", r.debugcon(), "QEMU 7.2 with -no-reboot prints the same and exits");
        assertEquals(Vm.End.NO_REBOOT, r.outcome().end());
        assertEquals(0, r.outcome().status());
        assertEquals(0, r.resets());
    }
}
